"""Golden output of `cchc-dsl check`: what a drafter sees for each diagnostic a policy can trigger.

Each `tests/golden/check/bad/CODE-what.cchc` is a small regulation with one kind of mistake, and
`CODE-what.out` holds what `cchc-dsl check FILE` prints (stdout then stderr) and a final
`exit: N` line. `good/*.cchc` check clean. Create or bless with `pytest --update-golden`, then read
the diff. Paths are given relative to the repository root so that no machine path is recorded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_dsl.cli import app
from cchc_dsl.messages import MESSAGES

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "golden" / "check"
# a bad case is a .cchc file, or a folder of them (a regulation with its amendments)
BAD = sorted(p for p in (CASES / "bad").iterdir() if p.suffix == ".cchc" or p.is_dir())
GOOD = sorted((CASES / "good").glob("*.cchc"))
FORMAT_CASE = CASES / "bad" / "E204-duplicate-id.cchc"

# Codes of the reading and policy stages that no policy file can trigger, with the reason.
# (E106, "cannot read file", is covered by a file that is not UTF-8.)
UNTRIGGERABLE: dict[str, str] = {
    "E237": "raised when a year is picked (score/show --year), not by check; see test_versions",
}

CODE = re.compile(r"^(E\d{3})-")


def run_check(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["check", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return f"{result.stdout}{result.stderr}exit: {result.exit_code}\n"


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_policy(path: Path, monkeypatch: pytest.MonkeyPatch, golden) -> None:  # type: ignore[no-untyped-def]
    actual = run_check(monkeypatch, "--strict", relative(path))
    match = CODE.match(path.name)
    assert match, f"name a bad case after the code it shows: {path.name}"
    code = match.group(1)
    assert f"[{code}]: " in actual, actual
    assert actual.endswith("exit: 1\n")
    assert "internal error" not in actual
    golden(path.with_suffix(".out"), actual)


# English words a message, hint or label in Vietnamese has no business holding; quoted code
# («…», `…`, '…') and file paths are left out before looking.
ENGLISH = re.compile(r"\b(the|is|a|an|of|with|add|remove|must|cannot|needs|write|here|file)\b")
QUOTED = re.compile(r"«[^»]*»|`[^`]*`|'[^']*'|\S+\.cchc\S*|\S+/\S+")
SAID = re.compile(r"^(lỗi|cảnh báo|ghi chú)\[E\d+\]: |^ += |^ *\S* *\| +[\^-]+ ")


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_policy_is_told_in_vietnamese(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default language is Vietnamese: the words of each message, hint and label are, and
    not only the templates' own (the pieces filled in by the checks too)."""
    said = [
        line for line in run_check(monkeypatch, relative(path)).splitlines() if SAID.match(line)
    ]
    assert said, "no message found"
    english = [line for line in said if ENGLISH.search(QUOTED.sub("", line))]
    assert english == []


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_policy(path: Path, monkeypatch: pytest.MonkeyPatch, golden) -> None:  # type: ignore[no-untyped-def]
    actual = run_check(monkeypatch, relative(path))
    assert actual == "Đã kiểm tra 1 tệp: không thấy vấn đề nào\nexit: 0\n"
    golden(path.with_suffix(".out"), actual)


@pytest.mark.parametrize("output_format", ["gnu", "json"])
def test_other_formats(output_format: str, monkeypatch: pytest.MonkeyPatch, golden) -> None:  # type: ignore[no-untyped-def]
    actual = run_check(monkeypatch, "--format", output_format, relative(FORMAT_CASE))
    assert "E204" in actual
    assert actual.endswith("exit: 1\n")
    golden(CASES / "format" / f"{FORMAT_CASE.stem}.{output_format}.out", actual)


def test_every_reading_and_policy_code_has_a_bad_case() -> None:
    codes = {code for code in MESSAGES if re.fullmatch(r"E[123]\d\d", code)}
    covered = {m.group(1) for p in BAD if (m := CODE.match(p.name))}
    missing = codes - covered - set(UNTRIGGERABLE)
    assert not missing, f"add tests/golden/check/bad/CODE-….cchc for {sorted(missing)}"
    assert not (set(UNTRIGGERABLE) & covered), "a code listed as untriggerable has a case"


def test_every_bad_case_has_a_golden_file() -> None:
    # guards against a case that was added but never blessed (the golden fixture would fail too,
    # but this names them all at once)
    missing = [p.name for p in BAD + GOOD if not p.with_suffix(".out").exists()]
    assert not missing


def test_goldens_contain_no_machine_paths() -> None:
    for out in CASES.rglob("*.out"):
        text = out.read_text("utf-8")
        assert str(ROOT) not in text, out
