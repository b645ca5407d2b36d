"""Hostile and broken inputs: each gets a clear message with its code, exit 1, no traceback, no
hang, and is left as it was. docs/adversarial.md lists them, one row per test here.

Commands run in-process (typer's CliRunner) with messages in English, so that a test reads the
words a user reads; the files are made in tmp by each test.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_dsl import parser
from cchc_dsl.api import load_policy, load_policy_text
from cchc_dsl.cli import app
from cchc_dsl.diagnostics import CchcError
from cchc_dsl.source import MAX_FACTS_BYTES, MAX_POLICY_BYTES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "policies" / "example" / "mau.cchc"
UNITS = ROOT / "policies" / "example" / "units.json"
UNITS_CSV = ROOT / "tests" / "data" / "cli" / "units.csv"
MAU = EXAMPLE.read_text(encoding="utf-8")
MAU_HEAD = MAU.split("lĩnh vực 1")[0]  # metadata, unit types and inputs; no criteria

# A small regulation whose criteria the deep-nesting tests replace.
SMALL = """quy định "Sâu"
làm tròn nửa_lên 2
loại đơn vị { so "Sở" }
đầu vào { a: có_không "A"; x: số "X" trong 0 .. 10 }
"""


def run(*args: str | Path) -> tuple[int, str]:
    """`cchc-dsl --lang en ARGS`: the exit code and everything printed. The input files must
    come out as they went in, and nothing may look like a crash."""
    files = [Path(a) for a in args if isinstance(a, Path) and Path(a).is_file()]
    before = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    result = CliRunner().invoke(app, ["--lang", "en", *map(str, args)])
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output and "internal error" not in output, output
    assert [hashlib.sha256(f.read_bytes()).hexdigest() for f in files] == before
    return result.exit_code, output


def written(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def check(tmp_path: Path, content: str | bytes, name: str = "policy.cchc") -> tuple[int, str]:
    return run("check", written(tmp_path / name, content))


def score(tmp_path: Path, facts: str | bytes, name: str = "units.json") -> tuple[int, str]:
    return run("score", EXAMPLE, written(tmp_path / name, facts))


def example_units(**inputs: object) -> dict[str, object]:
    """The example's facts with the first unit's inputs changed."""
    document = json.loads(UNITS.read_text(encoding="utf-8"))
    document["units"][0]["inputs"].update(inputs)
    return dict(document)


def units_json(**inputs: object) -> str:
    return json.dumps(example_units(**inputs), ensure_ascii=False)


# --- files that are not text, or not UTF-8 ----------------------------------------------------


def test_empty_policy(tmp_path: Path) -> None:
    code, out = check(tmp_path, "")
    assert code == 1
    assert "[E211]: the regulation has no title" in out
    assert "[E218]: the regulation declares no unit types" in out


def test_empty_facts(tmp_path: Path) -> None:
    code, out = score(tmp_path, "")
    assert (code, "[E401]: invalid JSON: Expecting value") == (1, out.splitlines()[0][5:])
    code, out = score(tmp_path, "", "units.csv")
    assert code == 1 and "[E401]: " in out and "units.csv has no header row" in out


def test_binary_policy(tmp_path: Path) -> None:
    code, out = check(tmp_path, bytes(range(256)))
    assert code == 1
    assert (
        "[E106]: cannot read" in out and "it is not UTF-8 text (line 2, byte 128)" in out
    )  # byte 10 is a line break


def test_binary_facts(tmp_path: Path) -> None:
    code, out = score(tmp_path, b'{"units": []}\n\x89PNG\r\n')
    assert code == 1 and "[E106]: " in out and "it is not UTF-8 text (line 2, byte 14)" in out


def test_nul_characters_in_a_policy(tmp_path: Path) -> None:
    code, out = check(tmp_path, MAU.replace("\nquyết định", "\n\x00quyết định", 1))
    assert code == 1 and "[E101]: unexpected character '\\x00'" in out


@pytest.mark.parametrize("what", ["policy", "facts"])
def test_utf16(tmp_path: Path, what: str) -> None:
    if what == "policy":
        code, out = check(tmp_path, MAU.encode("utf-16"))
    else:
        code, out = score(tmp_path, UNITS.read_text(encoding="utf-8").encode("utf-16"))
    assert code == 1 and "[E106]: " in out and "it is UTF-16 text, not UTF-8" in out


@pytest.mark.parametrize("what", ["policy", "facts"])
def test_windows_1258(tmp_path: Path, what: str) -> None:
    """Vietnamese saved in the Windows code page: "Ví dụ" is V, í (0xED in CP1258) …"""
    if what == "policy":
        code, out = check(tmp_path, MAU.encode("cp1258", errors="replace"))
        where = "line 1, byte 3"  # "# Ví dụ": the í
    else:
        text = UNITS_CSV.read_text(encoding="utf-8").encode("cp1258", errors="replace")
        code, out = score(tmp_path, text, "u.csv")
        where = "line 2, byte"  # the first unit's name, "Sở Tư pháp"
    assert code == 1 and "[E106]: " in out and f"it is not UTF-8 text ({where}" in out
    assert "save it as UTF-8" in out


# --- sizes ---------------------------------------------------------------------------------------


def test_50_mb_policy_is_refused_at_once(tmp_path: Path) -> None:
    """A 50 MB policy is refused before it is read: checking costs about 1.3 s per MB."""
    path = tmp_path / "big.cchc"
    with path.open("w", encoding="utf-8") as file:
        while file.tell() < 50 * 1024 * 1024:
            file.write(MAU * 100)
    start = time.perf_counter()
    code, out = run("check", path)
    assert time.perf_counter() - start < 2
    assert code == 1 and "[E106]: " in out and "it is larger than the limit of 2 MB" in out


def test_facts_over_the_limit_are_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    with path.open("wb") as file:
        file.truncate(MAX_FACTS_BYTES + 1)  # sparse: nothing is written, nothing need be read
    code, out = run("score", EXAMPLE, path)
    assert code == 1 and "[E106]: " in out and "it is larger than the limit of 256 MB" in out


def test_a_policy_at_the_size_limit_is_read(tmp_path: Path) -> None:
    """The limit refuses only what is over it: 2 MB of comments and the example still check."""
    padding = "# " + "x" * 97 + "\n"
    text = MAU + padding * ((MAX_POLICY_BYTES - len(MAU.encode())) // len(padding))
    assert len(text.encode()) <= MAX_POLICY_BYTES
    code, out = check(tmp_path, text)
    assert (code, out) == (0, "1 file(s) checked: no problems found\n")


# --- nesting -------------------------------------------------------------------------------------


def criterion(rule: str) -> str:
    return f'tiêu chí 1 "C" tối đa 10 {{\n  {rule}\n}}\n'


def deep(kind: str, depth: int) -> str:
    """A regulation nested `depth` levels deep in one way."""
    if kind == "fields":
        opened = "".join(f'lĩnh vực f{i} "F" tối đa 10 {{\n' for i in range(depth))
        return SMALL + opened + criterion("có/không a") + "}\n" * depth
    rule = {
        "not": "có/không " + "không " * depth + "a",
        "and": "có/không a" + " và a" * depth,
        "minus": "công thức " + "-" * depth + "x giới hạn 0 .. tối đa",
        "sum": "công thức x" + " + x" * depth + " giới hạn 0 .. tối đa",
        "calls": "công thức " + "tối thiểu(x, " * depth + "x" + ")" * depth + " giới hạn 0 .. 10",
        "parentheses": "công thức " + "(" * depth + "x" + ")" * depth + " giới hạn 0 .. tối đa",
    }[kind]
    return SMALL + criterion(rule)


@pytest.mark.parametrize("kind", ["fields", "not", "and", "minus", "sum", "calls"])
def test_10000_levels_of_nesting(tmp_path: Path, kind: str) -> None:
    code, out = check(tmp_path, deep(kind, 10_000))
    assert code == 1 and "[E108]: the text nests more than 100 levels deep here" in out
    assert out.count("[E108]") == 1
    assert "policy.cchc:" in out


def test_10000_parentheses_are_read(tmp_path: Path) -> None:
    """Parentheses nest nothing in the tree: (((x))) is x, so 10,000 of them are read and scored."""
    policy = load_policy_text(deep("parentheses", 10_000))
    facts = policy.facts([{"unit": "u", "name": "U", "unit_type": "so", "inputs": {"x": "7"}}])
    assert policy.score(facts).unit("u").official.points == 7  # x = 7, within 0 .. max 10


@pytest.mark.parametrize("kind", ["fields", "not", "and", "minus", "sum", "calls"])
def test_nesting_within_the_limit_is_scored(kind: str) -> None:
    """Just under the limit, every stage runs: check, compile, score, every report. Run with
    200 frames already in use, as in a deep caller, to show the margin."""
    depth = parser.MAX_NESTING - 8  # the criterion and its rule take the other levels
    policy = load_policy_text(deep(kind, depth))
    records = [{"unit": "u", "name": "U", "unit_type": "so", "inputs": {"a": "có", "x": "3"}}]
    report = within_frames(200, lambda: policy.score(policy.facts(records)))
    points = report.unit("u").official.points
    # not^n a: a = có, an even depth keeps it true → 10; and-chain of có → 10; -^n x: even → 3;
    # x + x·n summed → 3(n + 1) clamped to max 10; min(x, …, x) → 3; a field holds its criterion
    expected = {"fields": 10, "not": 10, "and": 10, "minus": 3, "sum": 10, "calls": 3}[kind]
    assert depth % 2 == 0 and points == Decimal(expected)
    from cchc_dsl import annex, reports

    for render in (reports.to_json, reports.table, reports.csv_text):
        assert within_frames(200, lambda render=render: render(report))
    assert within_frames(200, lambda: reports.explanation(report, "u"))
    assert within_frames(200, lambda: annex.annex_json(policy.policy, None))


def within_frames(frames: int, call: Callable[[], object]) -> object:
    return call() if frames == 0 else within_frames(frames - 1, call)


def test_deeply_nested_json_facts(tmp_path: Path) -> None:
    code, out = score(tmp_path, '{"units": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert code == 1 and "[E401]: invalid JSON: brackets nested too deeply" in out
    assert "units.json:1:100010" in out  # the 100,000th "[", after the 10 characters '{"units": '


def test_deeply_nested_toml_cases(tmp_path: Path) -> None:
    case = tmp_path / "tests" / "deep.toml"
    case.parent.mkdir()
    case.write_text(f'policy = "{EXAMPLE}"\nx = ' + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    code, out = run("test", case)
    assert code == 1 and "[E701]: not valid TOML: brackets nested too deeply" in out
    assert "deep.toml:2:5004" in out


def test_a_long_line_is_shown_cut_around_the_error(tmp_path: Path) -> None:
    """A generated policy on one line of megabytes: each message shows 160 characters of it."""
    line = MAU_HEAD.replace("\n", " ") + " lĩnh vực 1 " * 10_000 + " @"
    code, out = check(tmp_path, line)
    assert code == 1 and max(len(text) for text in out.splitlines()) < 200
    assert "…" in out


# --- numbers and dates ---------------------------------------------------------------------------


def test_a_number_of_10000_digits_in_a_policy(tmp_path: Path) -> None:
    code, out = check(tmp_path, MAU.replace("tổng tối đa 100", "tổng tối đa " + "9" * 10_000))
    assert code == 1 and "[E105]: the number '" in out and "has more than 28 digits" in out


def test_a_number_of_10000_digits_in_facts(tmp_path: Path) -> None:
    code, out = score(tmp_path, units_json(tuyen_truyen="1" + "0" * 10_000))
    assert code == 1 and "[E404]: unit so_tp: input «tuyen_truyen» expects" in out
    assert "a number has at most 28 digits" in out
    # the number is quoted by its ends, not as 10,001 characters on one line
    assert "1" + "0" * 29 + "…" + "0" * 15 + " (10,001 characters)" in out
    assert max(len(line) for line in out.splitlines()) < 400


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "-5", "1e999999999"])
def test_nan_infinity_and_negative_in_facts(tmp_path: Path, value: str) -> None:
    """Bare NaN and Infinity are what Python's json writes; a count of -5 is out of its type."""
    text = units_json().replace('"tthc_dung_han": 980', f'"tthc_dung_han": {value}')
    code, out = score(tmp_path, text)
    assert code == 1
    assert "[E404]: unit so_tp: input «tthc_dung_han» expects a whole number of at least 0" in out


@pytest.mark.parametrize(
    ("maximum", "message"),
    [
        ("NaN", "[E221]: a max is a number of points, not «NaN»"),
        ("Infinity", "[E221]: a max is a number of points, not «Infinity»"),
        ("-5", "[E102]: unexpected «-»; expected a name or a number"),
        ("1e5", "[E102]: unexpected «e5»"),
    ],
)
def test_nan_infinity_and_negative_maxima(tmp_path: Path, maximum: str, message: str) -> None:
    code, out = check(tmp_path, MAU.replace("tối đa 4 nguồn", f"tối đa {maximum} nguồn", 1))
    assert code == 1 and message in out


@pytest.mark.parametrize("day", ["31/02/2024", "2023-02-29", "29/02/2023", "31/02"])
def test_impossible_dates_in_a_policy(tmp_path: Path, day: str) -> None:
    code, out = check(tmp_path, MAU.replace("chậm nhất 2024-01-31", f"chậm nhất {day}", 1))
    assert code == 1 and f"[E104]: '{day}' is not a valid date" in out


def test_29_february_of_a_leap_year_is_a_date(tmp_path: Path) -> None:
    code, _ = check(tmp_path, MAU.replace("chậm nhất 2024-01-31", "chậm nhất 29/02/2024", 1))
    assert code == 0


@pytest.mark.parametrize("day", ["31/02/2024", "2023-02-29", "2024-13-01"])
def test_impossible_dates_in_facts(tmp_path: Path, day: str) -> None:
    code, out = score(tmp_path, units_json(ke_hoach_ngay=day))
    assert code == 1 and f"got '{day}'" in out and "there is no such day in the calendar" in out


@pytest.mark.parametrize("year", ["0", "9999", "1e30", "2024.5", '"2024"'])
def test_a_facts_year_out_of_range(tmp_path: Path, year: str) -> None:
    text = units_json().replace('"year": 2024', f'"year": {year}')
    code, out = score(tmp_path, text)
    assert code == 1 and "[E401]: «year» must be a year from 1900 to 2200" in out


# --- units and columns ---------------------------------------------------------------------------


def test_duplicate_units(tmp_path: Path) -> None:
    document = example_units()
    units = document["units"]
    assert isinstance(units, list)
    units.append(units[0])
    code, out = score(tmp_path, json.dumps(document, ensure_ascii=False))
    assert code == 1 and "[E407]: the unit id so_tp appears twice" in out


def test_facts_for_another_unit_type(tmp_path: Path) -> None:
    """Units of a district (huyen) under a regulation of departments only."""
    document = example_units()
    units = document["units"]
    assert isinstance(units, list)
    for unit in units:
        unit["unit_type"] = "huyen"
    code, out = score(tmp_path, json.dumps(document, ensure_ascii=False))
    assert code == 1 and "[E406]: unit so_tp: unknown unit type «huyen»" in out
    code, out = run("score", EXAMPLE, UNITS, "--unit-type", "huyen")
    assert code == 1 and "huyen" in out


def test_a_csv_without_a_required_column(tmp_path: Path) -> None:
    rows = UNITS_CSV.read_text(encoding="utf-8").splitlines()
    without_unit = "\n".join(row.split(",", 1)[1] for row in rows)
    code, out = score(tmp_path, without_unit, "units.csv")
    assert code == 1 and "[E409]: unit (header): missing «unit»" in out


def test_a_csv_without_an_input_column(tmp_path: Path) -> None:
    """Without the column of `tthc_tiep_nhan`, every unit lacks it when it is scored."""
    rows = [row.split(",") for row in UNITS_CSV.read_text(encoding="utf-8").splitlines()]
    column = rows[0].index("tthc_tiep_nhan")
    text = "\n".join(",".join(row[:column] + row[column + 1 :]) for row in rows)
    code, out = score(tmp_path, text, "units.csv")
    assert code == 1 and "[E403]: unit so_tp: " in out and "«tthc_tiep_nhan»" in out


def test_a_csv_with_an_extra_column(tmp_path: Path) -> None:
    rows = UNITS_CSV.read_text(encoding="utf-8").splitlines()
    text = "\n".join([rows[0] + ",ghi_chu", *(row + ",x" for row in rows[1:])])
    code, out = score(tmp_path, text, "units.csv")
    assert code == 1 and "[E402]: unit (header): unknown input «ghi_chu»" in out
    assert re.search(r"units\.csv:1:\d+", out)


def test_a_csv_row_with_a_cell_too_many(tmp_path: Path) -> None:
    rows = UNITS_CSV.read_text(encoding="utf-8").splitlines()
    code, out = score(tmp_path, "\n".join([rows[0], rows[1] + ",x"]), "units.csv")
    assert code == 1 and "[E401]: line 2 has 21 cells, but the header has 20" in out


# --- a policy is data ----------------------------------------------------------------------------

HOSTILE = """quy định "__import__('os').system('touch {marker}')"
quyết định "{{{{7*7}}}} ${{7*7}} `touch {marker}`"
ban hành 2024-01-15
làm tròn nửa_lên 2
căn cứ "/etc/passwd", "../../../../etc/shadow", "file:///etc/hosts"
loại đơn vị {{ so "eval('1+1')" }}
đầu vào {{
  __import__: số "open('/etc/passwd').read()" trong 0 .. 10
  __builtins__: có_không "exec(compile('x', 'f', 'exec'))"
}}
tiêu chí 1 "$(touch {marker})" tối đa 10 nguồn "{marker}" {{
  công thức __import__ * 1 giới hạn 0 .. tối đa
}}
tiêu chí 2 "import os" tối đa 10 {{ có/không __builtins__ }}
xếp loại {{ "__class__.__mro__" từ 0% }}
"""

WATCHED = ("exec", "compile", "open", "os.system", "subprocess.Popen", "os.exec", "os.spawn",
           "os.posix_spawn", "socket.connect", "import", "pickle.find_class", "os.listdir",
           "os.scandir", "shutil")  # fmt: skip


def test_a_policy_is_data_nothing_in_it_is_run(tmp_path: Path) -> None:
    """Names and texts that are Python, shell, template or path syntax are read as names and
    texts: while the policy is compiled and its units scored and reported, Python's audit hooks
    see no code compiled or run, no file opened, no process started, no module imported."""
    from cchc_dsl import annex, reports

    marker = tmp_path / "pwned"
    text = HOSTILE.format(marker=marker)
    records = [
        {"unit": "__import__", "name": "exec('x')", "unit_type": "so",
         "inputs": {"__import__": "7", "__builtins__": "có"},
         "evidence": {"1": "/etc/passwd"}},
    ]  # fmt: skip

    def everything() -> list[str]:
        policy = load_policy_text(text, str(tmp_path / "hostile.cchc"))
        report = policy.score(policy.facts(records))
        outputs = [reports.to_json(report), reports.table(report), reports.csv_text(report)]
        return [
            *outputs,
            reports.explanation(report, "__import__"),
            annex.annex_text(policy.policy),
        ]

    everything()  # once, so that lazy imports and Lark's cached parser are in place
    seen: list[tuple[str, object]] = []
    hook_on = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if hook_on[0] and event.startswith(WATCHED):
            seen.append((event, args[:1]))

    sys.addaudithook(hook)  # cannot be removed: it switches itself off below
    try:
        outputs = everything()
    finally:
        hook_on[0] = False
    assert seen == []
    assert not marker.exists()
    assert "__import__('os').system" in outputs[0]  # the title, kept as text
    assert '"points": "17"' in outputs[0].replace(" ", "").replace('":"', '": "')  # 7 + 10


def test_paths_in_a_policy_are_not_read(tmp_path: Path) -> None:
    """`căn cứ "/etc/passwd"` is a citation: checking does not look at the file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    policy = MAU.replace('căn cứ "876/QĐ-BNV"', f'căn cứ "{secret}"')
    code, out = run("show", written(tmp_path / "p.cchc", policy))
    assert code == 0 and "TOP SECRET" not in out


def test_every_error_is_a_cchc_error(tmp_path: Path) -> None:
    """The Python API raises `CchcError` for each of the inputs above, nothing else."""
    path = written(tmp_path / "deep.cchc", deep("sum", 10_000))
    with pytest.raises(CchcError) as error:
        load_policy(path)
    assert [d.code for d in error.value.diagnostics] == ["E108"]


# --- the catalogue -------------------------------------------------------------------------------

CATALOGUE = ROOT / "docs" / "adversarial.md"
ROW_TEST = re.compile(r"`(tests/\w+\.py)::(\w+)`")


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name[:5] == "test_"}


def test_the_catalogue_names_existing_tests() -> None:
    """Each row of docs/adversarial.md names a test that exists, and each test here has a row."""
    lines = CATALOGUE.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("|") and "`tests/" in line]
    named = [match.groups() for row in rows for match in [ROW_TEST.search(row)] if match]
    assert len(named) == len(rows), "a row without a test"
    for file, name in named:
        assert name in defined_tests(ROOT / file), f"{file}::{name} does not exist"
    here = defined_tests(Path(__file__)) - {"test_the_catalogue_names_existing_tests"}
    assert here <= {name for _, name in named}, "a test of this file without its row"
