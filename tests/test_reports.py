"""`score --format markdown|html|xlsx`, `--previous` (year over year), and the terminal output.

The example's figures (policies/example/units.json under mau.cchc) are those of test_cli.py:
thanh_tra 94.57 % (Tốt), so_tp and so_xd 88.00 % (Tốt), so_nv 77.14 % (Khá), so_tc 32.75 % (Kém).
The previous year (tests/data/reports/previous-2023.json, written by hand in the shape of
`score --format json`): so_tp 91.50 % rank 1, thanh_tra 90.00 % rank 2, so_ct 85.00 % rank 3
(not scored this year), so_nv 70.00 % rank 4, and so_tc 40.00 % ranked 1st in another block
("Cơ quan khác"); so_xd is new. Hence thanh_tra +4.57 and ↑1 (2 → 1), so_tp −3.50 and ↓1
(1 → 2), so_nv +7.14 and = (4 → 4), so_tc −7.25 with no rank change (another block).
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from cchc_dsl import cli, render, reports, webpage, workbook
from cchc_dsl.api import load
from cchc_dsl.history import year_over_year
from tests.cli_helpers import FACTS, POLICY, ROOT, at_root, ok, run  # noqa: F401 - at_root

GOLDEN = Path(__file__).resolve().parent / "golden" / "score"
PREVIOUS = "tests/data/reports/previous-2023.json"
# rank, unit, index, band, as in test_cli.EXPECTED_TABLE
EXAMPLE = [
    (1, "thanh_tra", "94.57", "Tốt"),
    (2, "so_tp", "88.00", "Tốt"),
    (2, "so_xd", "88.00", "Tốt"),
    (4, "so_nv", "77.14", "Khá"),
    (5, "so_tc", "32.75", "Kém"),
]
HOSTILE_NAME = '<script>alert("x")</script> & =HYPERLINK("http://x") [bold]Sở[/bold]'
HOSTILE_EVIDENCE = "<img src=x onerror=alert(1)> | *kế hoạch*"


def hostile_facts(tmp_path: Path) -> Path:
    """The example's facts with so_tp named and its evidence cited in markup and a formula."""
    doc = json.loads((ROOT / FACTS).read_text(encoding="utf-8"))
    so_tp = next(u for u in doc["units"] if u["unit"] == "so_tp")
    so_tp["name"] = HOSTILE_NAME
    so_tp["evidence"]["1.1"] = HOSTILE_EVIDENCE
    path = tmp_path / "units.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def sheet_text(data: bytes) -> str:
    """Every cell value of a workbook read back with openpyxl, sheet by sheet, row by row."""
    book = load_workbook(io.BytesIO(data))
    lines = []
    for sheet in book.worksheets:
        lines.append(f"== {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            lines.append("\t".join("" if v is None else repr(v) for v in values))
    return "\n".join(lines) + "\n"


# --- markdown ------------------------------------------------------------------------------------


def test_markdown_golden(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS, "-f", "markdown")
    rows = [line for line in out.splitlines() if line.startswith("| ") and "_" in line]
    assert [tuple(c.strip() for c in r.split("|")[1:-1]) for r in rows] == [
        (str(rank), unit, name, maximum, points, index, band)
        for (rank, unit, index, band), (name, maximum, points) in zip(
            EXAMPLE,
            [
                ("Thanh tra tỉnh", "92.00", "87.00"),
                ("Sở Tư pháp", "100.00", "88.00"),
                ("Sở Xây dựng", "100.00", "88.00"),
                ("Sở Nội vụ", "70.00", "54.00"),
                ("Sở Tài chính", "100.00", "32.75"),
            ],
            strict=True,
        )
    ]
    assert "| Tốt | 3 |\n| Khá | 1 |\n| Trung bình | 0 |\n| Kém | 1 |" in out
    golden(GOLDEN / "example.md", out)


def test_markdown_with_previous_golden(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS, "-f", "markdown", "--previous", PREVIOUS)
    assert (
        "| 1 | thanh_tra | Thanh tra tỉnh | 92.00 | 87.00 | 94.57 | Tốt | 90.00 | +4.57 | 2 | ↑1 |"
        in out
    )
    assert "- Sở Công Thương (so\\_ct)" not in out  # ids are not escaped needlessly
    assert "- Sở Công Thương (so_ct): chỉ số 85.00 %, hạng 3" in out
    golden(GOLDEN / "example-previous.md", out)


def test_band_counts_per_block_and_in_all() -> None:
    """Tây Ninh 2020, two blocks; bands Tốt ≥ 80 %, Khá 70–80, Trung bình 60–70, Kém < 60
    (492/QĐ-UBND as modelled). Departments: 12 from 95.25 down to 86.05 %, 5 from 79.80 to
    76.80, 2 (69.90, 67.55); districts: 5 from 95.72 to 84.70, 2 (77.30, 74.75), 2 (69.55,
    61.37). Indices as in the README's first command."""
    report = load("policies/tayninh", year=2020).score_file("policies/tayninh/units-2020.json")
    assert reports.band_table(report) == (
        ("Xếp loại", "Sở, ban, ngành", "UBND huyện, thị xã, thành phố", "Tổng"),
        [
            ("Tốt", "12", "5", "17"),
            ("Khá", "5", "2", "7"),
            ("Trung bình", "2", "2", "4"),
            ("Kém", "0", "0", "0"),
        ],
    )
    page = webpage.html_page(report)
    assert page.count("<strong>Trong khối này:</strong>") == 2


def test_markdown_escapes_text_from_the_facts(tmp_path: Path) -> None:
    out = ok("score", POLICY, str(hostile_facts(tmp_path)), "-f", "markdown")
    row = next(line for line in out.splitlines() if "so_tp" in line)
    assert row.count(" | ") == 6  # the name's own characters make no new column
    assert "\\<script\\>" in row and "\\[bold\\]" in row


# --- html ----------------------------------------------------------------------------------------


def test_html_golden(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS, "-f", "html")
    golden(GOLDEN / "example.html", out)


def test_html_is_self_contained() -> None:
    out = ok("score", POLICY, FACTS, "-f", "html", "--previous", PREVIOUS)
    lowered = out.lower()
    assert "<script" not in lowered
    for reference in ("src=", "href=", "@import", "url(", "<link", "<iframe", "<object"):
        assert reference not in lowered, reference
    # the only address is the SVG namespace, which is a name, not something fetched
    assert lowered.count("http") == lowered.count('xmlns="http://www.w3.org/2000/svg"')


def test_html_has_the_ranking_the_band_counts_and_every_explanation() -> None:
    out = ok("score", POLICY, FACTS, "-f", "html")
    for _, unit, index, _band in EXAMPLE:
        assert f'<details id="unit-{unit}">' in out
        assert f"<td>{unit}</td>" in out
        assert f'<td class="n">{index}</td>' in out
    assert "Tốt: 3 đơn vị" in out and "Khá: 1 đơn vị" in out and "Kém: 1 đơn vị" in out
    assert out.count("<rect ") == 5
    # so_nv's explanation carries its deduction and the arithmetic of its index
    so_nv = out[out.index('<details id="unit-so_nv">') :]
    so_nv = so_nv[: so_nv.index("</details>")]
    assert "<td>D1</td>" in so_nv and '<td class="n">-1</td>' in so_nv
    assert "index = 54 / 70 × 100 = 77.1428571428… %" in so_nv


def test_html_escapes_every_text_from_policies_and_facts(tmp_path: Path) -> None:
    out = ok("score", POLICY, str(hostile_facts(tmp_path)), "-f", "html")
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_band_colours_follow_the_policy_order_of_bands() -> None:
    report = load(POLICY).score_file(FACTS)
    assert webpage.band_colours(report) == {
        "Tốt": webpage.BAND_COLOURS[0],
        "Khá": webpage.BAND_COLOURS[1],
        "Trung bình": webpage.BAND_COLOURS[2],
        "Kém": webpage.BAND_COLOURS[3],
        "chưa xếp loại": webpage.NO_BAND_COLOUR,
    }


# --- the page as a browser draws it --------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _screenshot(page: Path, png: Path, profile: Path) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            "--window-size=1200,900",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def _bars(png: Path, colours: dict[str, tuple[int, int, int]]) -> list[tuple[str, int, int]]:
    """(band, left x, length) of each horizontal bar, top to bottom: runs of one band colour at
    least 40 pixels long, the rows of one bar merged. Legend swatches are 12 pixels wide."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    by_colour = {rgb: band for band, rgb in colours.items()}
    bars: list[tuple[str, int, int]] = []
    last_row: tuple[str, int, int] | None = None
    for y in range(height):
        found = None
        x = 0
        while x < width:
            band = by_colour.get(pixels[x, y])  # type: ignore[index]
            if band is None:
                x += 1
                continue
            start = x
            while x < width and pixels[x, y] == colours[band]:  # type: ignore[index]
                x += 1
            if x - start >= 40:
                found = (band, start, x - start)
        if found is not None and found != last_row:
            bars.append(found)
        last_row = found
    return bars


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (.ci/run installs the Debian package as root): "
    "the page cannot be drawn",
)
def test_the_chart_draws_one_bar_per_unit_in_its_band_colour(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert run("score", POLICY, FACTS, "-f", "html", "-o", str(page)).exit_code == 0
    png = tmp_path / "page.png"
    _screenshot(page, png, tmp_path / "profile")
    report = load(POLICY).score_file(FACTS)
    colours = {
        band: (int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16))
        for band, c in webpage.band_colours(report).items()
    }
    bars = _bars(png, colours)
    assert [band for band, _, _ in bars] == [band for *_, band in EXAMPLE]
    assert len({left for _, left, _ in bars}) == 1  # every bar starts on the same axis
    for (_, _, length), (*_, index, _) in zip(bars, EXAMPLE, strict=True):
        # 100 % is BAR_WIDTH (600) pixels: 94.57 % → 567.4 px, 88 % → 528, 77.14 % → 462.8,
        # 32.75 % → 196.5
        assert abs(length - webpage.BAR_WIDTH * float(index) / 100) <= 1.5, (index, length)


# --- xlsx ----------------------------------------------------------------------------------------


def test_xlsx_golden(golden, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ket-qua.xlsx"
    assert ok("score", POLICY, FACTS, "-f", "xlsx", "-o", str(target)) == ""
    golden(GOLDEN / "example.xlsx.txt", sheet_text(target.read_bytes()))


def test_xlsx_has_a_sheet_per_block_and_per_unit_with_exact_numbers(tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    assert ok("score", POLICY, FACTS, "-f", "xlsx", "-o", str(target)) == ""
    book = load_workbook(target)
    assert book.sheetnames == [
        "Sở, ban, ngành",
        "Xếp loại",
        "thanh_tra",
        "so_tp",
        "so_xd",
        "so_nv",
        "so_tc",
    ]
    block = book["Sở, ban, ngành"]
    rows = list(block.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], Decimal(str(r[5])), r[6]) for r in rows] == [
        (rank, unit, Decimal(index), band) for rank, unit, index, band in EXAMPLE
    ]
    assert block["F4"].number_format == "0.00"  # 88 shows as 88.00, as published
    so_nv = book["so_nv"]
    lines = {r[0]: r for r in so_nv.iter_rows(values_only=True) if r[0]}
    assert lines["1.2"][2:5] == (0, 3, "chấm điểm")  # 3 of 4 reports on time: 0 of 3
    assert lines["D1"][2:4] == (-1, 2)
    assert lines["Tính chỉ số"] is not None


def test_xlsx_keeps_formulas_out(tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    assert ok("score", POLICY, str(hostile_facts(tmp_path)), "-f", "xlsx", "-o", str(target)) == ""
    book = load_workbook(target)
    cell = next(
        c for row in book["Sở, ban, ngành"].iter_rows() for c in row if c.value == HOSTILE_NAME
    )
    assert cell.data_type == "s"
    assert book["so_tp"]["A1"].value == f"{HOSTILE_NAME} (so_tp)"


def test_xlsx_with_previous(tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    args = ("score", POLICY, FACTS, "-f", "xlsx", "--previous", PREVIOUS, "-o", str(target))
    assert ok(*args) == ""
    book = load_workbook(target)
    rows = list(book["Sở, ban, ngành"].iter_rows(min_row=4, values_only=True))
    assert [r[7:11] for r in rows] == [
        (90, 4.57, 2, "↑1"),
        (91.5, -3.5, 1, "↓1"),
        (None, "mới", None, None),
        (70, 7.14, 4, "="),
        (40, -7.25, 1, "khối khác"),
    ]
    gone = [r[0] for r in book["Không còn năm nay"].iter_rows(values_only=True)]
    assert gone[1] == "Sở Công Thương (so_ct): chỉ số 85.00 %, hạng 3, khối «Sở, ban, ngành»"


# --- year over year ------------------------------------------------------------------------------


def test_previous_changes_in_index_and_rank() -> None:
    report = load(POLICY).score_file(FACTS)
    history = year_over_year(report, PREVIOUS)
    changes = {
        unit: (change.index_change, change.rank_change) for unit, change in history.changes.items()
    }
    assert changes == {
        "thanh_tra": (Decimal("4.57"), 1),
        "so_tp": (Decimal("-3.50"), -1),
        "so_xd": (None, None),  # new this year
        "so_nv": (Decimal("7.14"), 0),
        "so_tc": (Decimal("-7.25"), None),  # ranked in another block last year
    }
    assert [p.unit for p in history.gone] == ["so_ct"]


def test_previous_in_csv_and_json() -> None:
    rows = list(
        csv.DictReader(io.StringIO(ok("score", POLICY, FACTS, "-f", "csv", "--previous", PREVIOUS)))
    )
    assert [(r["unit"], r["index_change"], r["rank_change"]) for r in rows] == [
        ("thanh_tra", "+4.57", "+1"),
        ("so_tp", "-3.50", "-1"),
        ("so_xd", "", ""),
        ("so_nv", "+7.14", "0"),
        ("so_tc", "-7.25", ""),
    ]
    doc = json.loads(ok("score", POLICY, FACTS, "-f", "json", "--previous", PREVIOUS))
    assert doc["previous"]["units"]["so_xd"] is None
    assert doc["previous"]["units"]["thanh_tra"]["index_change"] == "+4.57"
    assert doc["previous"]["gone"] == [
        {
            "unit": "so_ct",
            "name": "Sở Công Thương",
            "block": "Sở, ban, ngành",
            "rank": 3,
            "index": "85.00",
        }
    ]
    assert "previous" not in json.loads(ok("score", POLICY, FACTS, "-f", "json"))


def test_previous_table_golden(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS, "--previous", PREVIOUS)
    golden(GOLDEN / "example-previous-table.out", out)


def test_this_years_own_json_as_previous_changes_nothing(tmp_path: Path) -> None:
    last = tmp_path / "last.json"
    assert ok("score", POLICY, FACTS, "-f", "json", "-o", str(last)) == ""
    rows = list(
        csv.DictReader(
            io.StringIO(ok("score", POLICY, FACTS, "-f", "csv", "--previous", str(last)))
        )
    )
    assert {(r["index_change"], r["rank_change"]) for r in rows} == {("0.00", "0")}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{", "not JSON (line 1, column 2"),
        ('{"units": []}', "not the JSON of `cchc-dsl score --format json`"),
        ('{"format": "cchc-dsl/score/1", "units": {}}', "«units» is not a list"),
        (
            '{"format": "cchc-dsl/score/1", "units": [{"unit": "so_tp", "rank": 1, "index": 9}]}',
            "unit 1 lacks «unit», «rank» or a decimal «index»",
        ),
    ],
)
def test_a_bad_previous_file_is_named_with_the_reason(
    tmp_path: Path, content: str, reason: str
) -> None:
    bad = tmp_path / "2023.json"
    bad.write_text(content, encoding="utf-8")
    result = run("--lang", "en", "score", POLICY, FACTS, "--previous", str(bad))
    assert result.exit_code == 1
    assert f"error[E606]: {bad}: {reason}" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_previous_file() -> None:
    result = run("--lang", "en", "score", POLICY, FACTS, "--previous", "nowhere.json")
    assert result.exit_code == 1
    assert "error[E606]: nowhere.json: No such file or directory" in result.stderr


# --- the terminal: rich tables, the progress bar -------------------------------------------------


def test_rich_table_shows_the_same_cells_and_reads_no_markup(tmp_path: Path) -> None:
    report = load(POLICY).score_file(str(hostile_facts(tmp_path)))
    out = io.StringIO()
    render.rich_ranking(report, Console(file=out, width=250, color_system=None))
    text = out.getvalue()
    assert HOSTILE_NAME in text  # "[bold]" printed as written, not taken as style
    for rank, unit, index, band in EXAMPLE:
        line = next(line for line in text.splitlines() if f" {unit} " in line)
        assert line.split()[0] == str(rank)
        assert index in line and band in line


def test_a_terminal_gets_the_rich_table_and_a_pipe_the_plain_one() -> None:
    """A real pseudo-terminal: the same command prints rich's table there."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "LINES": "50", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cchc_dsl", "score", POLICY, FACTS],
        stdout=follower,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=60) == 0
    assert process.stderr is not None
    with process.stderr:
        assert process.stderr.read() == b""
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8")
    plain = ok("score", POLICY, FACTS)
    assert shown != plain
    assert "─" in shown  # rich's rule under the header; the plain table uses ---
    for _, unit, index, _ in EXAMPLE:
        assert unit in shown and index in shown


def test_progress_bar_appears_after_a_moment_and_only_then() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with render.ProgressBar(console, "Chấm điểm", delay=0) as bar:
        bar(1, 3)
        bar(2, 3)
    assert "Chấm điểm" in out.getvalue()
    quiet = io.StringIO()
    with render.ProgressBar(Console(file=quiet, force_terminal=True), "Chấm điểm", delay=60) as bar:
        bar(1, 3)
    assert quiet.getvalue() == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_off_with_quiet_or_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    with cli._progress(quiet=True) as bar:
        assert bar is None
    with cli._progress(quiet=False) as bar:
        assert bar is not None
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli._progress(quiet=False) as bar:
        assert bar is None


def test_scoring_reports_progress_unit_by_unit() -> None:
    seen: list[tuple[int, int]] = []
    load(POLICY).score_file(FACTS, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_writing_a_workbook_reports_progress_sheet_by_sheet() -> None:
    seen: list[tuple[int, int]] = []
    report = load(POLICY).score_file(FACTS)
    workbook.workbook_bytes(report, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
