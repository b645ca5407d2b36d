"""The language server, spoken to as an editor does: JSON-RPC messages framed by Content-Length,
over pipes, to a server running in this process (a thread)."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from pygls.uris import from_fs_path

from cchc_dsl import lsp as server_module
from cchc_dsl.layout import format_source

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30  # seconds: the machine is shared; a live server answers in milliseconds

GOOD = """\
regulation "Chỉ số CCHC các sở năm 2024"
rounding half_up 2
unit_types { so "Sở, ban, ngành"; huyen "UBND cấp huyện" }
inputs {
  co_ke_hoach: yes_no "Đã ban hành Kế hoạch CCHC năm"
  bao_cao: yes_no "Gửi đủ báo cáo CCHC định kỳ"
}
field 1 "Chỉ đạo, điều hành" max 3 for so, 2 for huyen {
  criterion 1.1 "Kế hoạch CCHC năm" max 1 { yes_no co_ke_hoach }
  criterion 1.2 "Báo cáo CCHC" max 2 for so, 1 for huyen cite "Điều 5" {
    yes_no bao_cao
  }
}
"""


class Client:
    """A minimal LSP client: requests wait for their response; notifications are queued."""

    def __init__(self) -> None:
        to_server_r, to_server_w = os.pipe()
        from_server_r, from_server_w = os.pipe()
        self.server = server_module.server()
        stdin, stdout = os.fdopen(to_server_r, "rb"), os.fdopen(from_server_w, "wb")
        self.thread = threading.Thread(
            target=self.server.start_io, args=(stdin, stdout), daemon=True
        )
        self.streams: list[BinaryIO] = [stdin, stdout]
        self.thread.start()
        self.writer = os.fdopen(to_server_w, "wb")
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        incoming = os.fdopen(from_server_r, "rb")
        self.streams += [incoming, self.writer]
        self.reader = threading.Thread(target=self._read, args=(incoming,), daemon=True)
        self.reader.start()
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    def _read(self, stream: BinaryIO) -> None:
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not length:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.writer.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            if message.get("id") == self.next_id and "method" not in message:
                assert "error" not in message, message
                return message.get("result")
            self.notifications.append(message)

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        """The next diagnostics published for `uri`."""
        while True:
            for index, message in enumerate(self.notifications):
                if (
                    message.get("method") == "textDocument/publishDiagnostics"
                    and message["params"]["uri"] == uri
                ):
                    del self.notifications[index]
                    return list(message["params"]["diagnostics"])
            self.notifications.append(self.messages.get(timeout=TIMEOUT))

    def open(self, path: Path, text: str) -> str:
        uri = from_fs_path(str(path.resolve()))
        assert uri is not None
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "cchc", "version": 1, "text": text}},
        )
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            },
        )

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        self.thread.join(timeout=TIMEOUT)
        for stream in self.streams:
            stream.close()
        self.reader.join(timeout=TIMEOUT)


@pytest.fixture
def client() -> Iterator[Client]:
    started = Client()
    result = started.request(
        "initialize",
        {"processId": None, "rootUri": None, "capabilities": {}, "initializationOptions": {}},
    )
    capabilities = result["capabilities"]
    assert capabilities["hoverProvider"] and capabilities["definitionProvider"]
    started.notify("initialized", {})
    yield started
    started.close()


def test_diagnostics_follow_the_text_as_it_is_typed(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "so.cchc"
    path.write_text(GOOD, encoding="utf-8")
    uri = client.open(path, GOOD)
    assert client.diagnostics(uri) == []
    # the drafter misspells an input (line 9 of the text, 0-based 8); nothing is saved
    typo = GOOD.replace("yes_no co_ke_hoach }", "yes_no co_ke_hoch }")
    client.change(uri, typo, 2)
    (found,) = [d for d in client.diagnostics(uri) if d["code"] == "E201"]
    column = typo.split("\n")[8].index("co_ke_hoch")
    assert found["range"] == {
        "start": {"line": 8, "character": column},
        "end": {"line": 8, "character": column + len("co_ke_hoch")},
    }
    assert found["severity"] == 1
    assert found["source"] == "cchc-dsl"
    # in Vietnamese by default, with the hint
    assert found["message"] == (
        "đầu vào «co_ke_hoch» chưa được khai báo\ngợi ý: có phải là «co_ke_hoach»?"
    )
    assert path.read_text(encoding="utf-8") == GOOD  # the file on disk is untouched
    client.change(uri, GOOD, 3)
    assert client.diagnostics(uri) == []


def test_columns_are_counted_in_utf16_units(client: Client, tmp_path: Path) -> None:
    # «𝐊» is one character but two UTF-16 code units: the caret after it moves by two
    text = GOOD.replace('"Kế hoạch CCHC năm"', '"𝐊ế hoạch"').replace(
        "yes_no co_ke_hoach }", "yes_no co_ke_hoch }"
    )
    uri = client.open(tmp_path / "so.cchc", text)
    (found,) = [d for d in client.diagnostics(uri) if d["code"] == "E201"]
    line = text.split("\n")[8]
    assert found["range"]["start"]["character"] == line.index("co_ke_hoch") + 1


def test_hover_tells_a_nodes_max_per_unit_type_and_its_citation(
    client: Client, tmp_path: Path
) -> None:
    uri = client.open(tmp_path / "so.cchc", GOOD)
    client.diagnostics(uri)
    line = GOOD.split("\n")[9]  # criterion 1.2 …
    hover = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": {"line": 9, "character": line.index("1.2")}},
    )
    # criterion 1.2: "max 2 for so, 1 for huyen", "cite «Điều 5»"
    assert hover["contents"]["value"] == (
        "**tiêu chí 1.2** — Báo cáo CCHC\n\n"
        "- Sở, ban, ngành (`so`): tối đa 2\n"
        "- UBND cấp huyện (`huyen`): tối đa 1\n\n"
        "căn cứ: Điều 5"
    )
    field_line = GOOD.split("\n")[7]
    hover = client.request(
        "textDocument/hover",
        {
            "textDocument": {"uri": uri},
            "position": {"line": 7, "character": field_line.index("Chỉ")},
        },
    )
    # field 1: its criteria add up to 1 + 2 = 3 for so and 1 + 1 = 2 for huyen
    assert "- Sở, ban, ngành (`so`): tối đa 3" in hover["contents"]["value"]
    assert "- UBND cấp huyện (`huyen`): tối đa 2" in hover["contents"]["value"]


def test_hover_and_definition_of_an_input(client: Client, tmp_path: Path) -> None:
    uri = client.open(tmp_path / "so.cchc", GOOD)
    client.diagnostics(uri)
    line = GOOD.split("\n")[10]  # yes_no bao_cao
    position = {"line": 10, "character": line.index("bao_cao") + 2}
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    assert hover["contents"]["value"] == (
        "**đầu vào** `bao_cao`: yes_no\n\nGửi đủ báo cáo CCHC định kỳ"
    )
    location = client.request(
        "textDocument/definition", {"textDocument": {"uri": uri}, "position": position}
    )
    assert location["uri"] == uri
    assert location["range"]["start"] == {"line": 5, "character": 2}  # bao_cao: yes_no …


def test_an_amendment_is_checked_with_its_regulation(client: Client, tmp_path: Path) -> None:
    folder = tmp_path / "cantho"
    shutil.copytree(ROOT / "policies/cantho", folder)
    amendment = next(
        p for p in sorted(folder.glob("*.cchc")) if "văn bản sửa đổi" in p.read_text("utf-8")
    )
    text = amendment.read_text(encoding="utf-8")
    uri = client.open(amendment, text)
    assert client.diagnostics(uri) == []  # alone it would be E235; with its folder it is clean
    # the amendment now changes a node the regulation does not have
    broken = re.sub(r"\nsửa (?=\d)", "\nsửa 99.9 tối đa 1\nsửa ", text, count=1)
    assert broken != text
    client.change(uri, broken, 2)
    codes = [d["code"] for d in client.diagnostics(uri)]
    assert "E230" in codes
    client.change(uri, text, 3)
    assert client.diagnostics(uri) == []  # fixed again: the diagnostics are cleared
    # go to definition from an amended id leads into the regulation's file
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if re.match(r"sửa \d", line))
    target = lines[number].split()[1]
    location = client.request(
        "textDocument/definition",
        {
            "textDocument": {"uri": uri},
            "position": {"line": number, "character": lines[number].index(target)},
        },
    )
    regulation = folder / "1823-2018.cchc"
    assert location["uri"] == from_fs_path(str(regulation.resolve()))
    line = regulation.read_text(encoding="utf-8").split("\n")[location["range"]["start"]["line"]]
    assert re.search(rf"tiêu chí {re.escape(target)} ", line), line


def test_formatting_is_fmt_as_one_edit(client: Client, tmp_path: Path) -> None:
    messy = GOOD.replace("  criterion 1.1", "criterion   1.1").replace("max 1 {", "max 1{")
    uri = client.open(tmp_path / "so.cchc", messy)
    client.diagnostics(uri)
    options = {"tabSize": 2, "insertSpaces": True}
    (edit,) = client.request(
        "textDocument/formatting", {"textDocument": {"uri": uri}, "options": options}
    )
    lines = messy.split("\n")
    assert edit["range"] == {
        "start": {"line": 0, "character": 0},
        "end": {"line": len(lines) - 1, "character": len(lines[-1])},
    }
    assert edit["newText"] == format_source(messy)
    assert "  criterion 1.1 " in edit["newText"]
    # a text that does not parse gets no edit: its diagnostics say why
    client.change(uri, messy + "criterion {", 2)
    client.diagnostics(uri)
    assert (
        client.request(
            "textDocument/formatting", {"textDocument": {"uri": uri}, "options": options}
        )
        is None
    )
