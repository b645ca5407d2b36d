"""The command line: `cchc-dsl score` and `cchc-dsl check`, their outputs and their exit codes.

Commands run in-process through typer's CliRunner from the repository root, with relative paths,
so that outputs (and golden files) hold no machine paths. Two tests start real processes: one
through `python -m cchc_dsl`, one through the installed `cchc-dsl` console script.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import Result

from cchc_dsl import __version__, reports
from cchc_dsl.api import CompiledPolicy
from tests.cli_helpers import ok, run

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "score"

POLICY = "policies/example/mau.cchc"
FACTS = "policies/example/units.json"
FACTS_CSV = "tests/data/cli/units.csv"
DATA = "tests/data/cli"
GOOD = f"{DATA}/good.cchc"
SYNTAX_ERROR = f"{DATA}/syntax-error.cchc"
UNKNOWN_INPUT = f"{DATA}/unknown-input.cchc"
BAD_VALUES = f"{DATA}/bad-values.json"
BAD_JSON = f"{DATA}/syntax-error.json"

# The example worked out by hand: rank, id, name, max, points, index, band.
EXPECTED_TABLE = [
    ("1", "thanh_tra", "Thanh tra tỉnh", "92.00", "87.00", "94.57", "Tốt"),
    ("2", "so_tp", "Sở Tư pháp", "100.00", "88.00", "88.00", "Tốt"),
    ("2", "so_xd", "Sở Xây dựng", "100.00", "88.00", "88.00", "Tốt"),
    ("4", "so_nv", "Sở Nội vụ", "70.00", "54.00", "77.14", "Khá"),
    ("5", "so_tc", "Sở Tài chính", "100.00", "32.75", "32.75", "Kém"),
]
TABLE_HEADERS = ["Hạng", "Mã đơn vị", "Đơn vị", "Điểm tối đa", "Điểm đạt", "Chỉ số (%)", "Xếp loại"]

ALL_FIELDS = ["1", "2", "3", "4", "5", "6", "7"]

# Keys whose values are decimals in the JSON report: always strings there, never numbers.
DECIMAL_KEYS = frozenset({"points", "max", "index", "index_exact", "amount", "cap", "change"})
# The only integers a score report may hold.
INT_KEYS = frozenset({"rank", "places"})


# --- helpers --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _input_files() -> dict[Path, str]:
    files = [*sorted((ROOT / "policies/example").iterdir()), *sorted((ROOT / DATA).iterdir())]
    return {path: _digest(path) for path in files if path.is_file()}


@pytest.fixture(autouse=True)
def inputs_untouched() -> Iterator[None]:
    """No command may modify (or add files among) the policies and facts it reads."""
    before = _input_files()
    yield
    assert _input_files() == before


def fails(code: int, *args: str) -> Result:
    result = run(*args)
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result


def table_rows(text: str) -> list[tuple[str, ...]]:
    """The data rows of the ranked table: cells are separated by two spaces or more."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    assert re.split(r"\s{2,}", lines[rule - 1].strip()) == TABLE_HEADERS
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        rows.append(tuple(re.split(r"\s{2,}", line.strip())))
    return rows


def walk(value: object, key: str | None = None) -> Iterator[tuple[str | None, object]]:
    yield key, value
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from walk(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child, key)


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error[")]


# --- score: the shipped example -------------------------------------------------------------------


def test_score_table_lists_the_units_in_rank_order(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS)
    assert out.startswith("Chỉ số CCHC của các sở, ban, ngành tỉnh Mẫu (ví dụ) (01/QĐ-UBND)\n")
    assert "Sở, ban, ngành (5 đơn vị)" in out
    assert table_rows(out) == EXPECTED_TABLE
    golden(GOLDEN / "example-table.out", out)


def test_score_table_is_the_default_format() -> None:
    assert ok("score", POLICY, FACTS, "--format", "table") == ok("score", POLICY, FACTS)


def test_score_json_has_the_documented_shape(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS, "--format", "json")
    doc = json.loads(out)
    assert {"format", "policy", "facts", "units"} <= set(doc)
    assert doc["format"] == "cchc-dsl/score/1"
    policy = doc["policy"]
    assert policy["title"] == "Chỉ số CCHC của các sở, ban, ngành tỉnh Mẫu (ví dụ)"
    assert policy["decision"] == "01/QĐ-UBND"
    assert policy["issued"] == "2024-01-15"
    assert policy["effective"] == "2024-01-15"
    assert policy["rounding"] == {"mode": "half_up", "places": 2}
    assert policy["file"] == POLICY
    assert doc["facts"] == FACTS

    units = doc["units"]
    assert [
        (str(u["rank"]), u["unit"], u["name"], u["max"], u["points"], u["index"], u["band"])
        for u in units
    ] == [
        ("1", "thanh_tra", "Thanh tra tỉnh", "92", "87", "94.57", "Tốt"),
        ("2", "so_tp", "Sở Tư pháp", "100", "88", "88.00", "Tốt"),
        ("2", "so_xd", "Sở Xây dựng", "100", "88", "88.00", "Tốt"),
        ("4", "so_nv", "Sở Nội vụ", "70", "54", "77.14", "Khá"),
        ("5", "so_tc", "Sở Tài chính", "100", "32.75", "32.75", "Kém"),
    ]
    node_keys = {"id", "title", "points", "max", "outcome", "rule", "detail", "inputs"}
    node_keys |= {"citation", "children"}
    unit_keys = {"unit", "name", "unit_type", "points", "max", "index", "band", "rank", "nodes"}
    for unit in units:
        assert unit_keys <= set(unit)
        assert unit["unit_type"] == "so"
        assert isinstance(unit["rank"], int)
        assert [n["id"] for n in unit["nodes"]] == ALL_FIELDS
        if unit["unit"] == "thanh_tra":
            # field 2 does not apply to units tagged dac_thu: listed, 0 of 0, and why
            field_2 = unit["nodes"][1]
            assert (field_2["points"], field_2["max"]) == ("0", "0")
            assert field_2["children"][0]["outcome"] == "does_not_apply"
            assert field_2["children"][0]["effect"] is None
            assert field_2["children"][0]["rule"] == "except dac_thu"
        stack = list(unit["nodes"])
        while stack:
            node = stack.pop()
            assert node_keys <= set(node), node["id"]
            assert isinstance(node["inputs"], dict)
            stack.extend(node["children"])
    # the appraisal council changed one score of so_tp: its self-assessment is kept beside it
    so_tp = next(u for u in units if u["unit"] == "so_tp")
    assert so_tp["differences"] == [
        {
            "node": "1.3",
            "title": "Tuyên truyền CCHC",
            "self_assessed": "5",
            "appraised": "4.5",
            "change": "-0.5",
        }
    ]
    golden(GOLDEN / "example.json", out)


def test_score_json_writes_every_decimal_as_a_string() -> None:
    doc = json.loads(ok("score", POLICY, FACTS, "--format", "json"))
    seen = 0
    for key, value in walk(doc):
        assert not isinstance(value, float), (key, value)
        if isinstance(value, int) and not isinstance(value, bool):
            assert key in INT_KEYS, (key, value)
        if key in DECIMAL_KEYS and not isinstance(value, dict | list):
            assert isinstance(value, str), (key, value)
            Decimal(value)  # parses as an exact decimal
            seen += 1
    assert seen > 100  # the walk did reach the nodes
    # input values that are numbers are strings too
    inputs = [v for k, v in walk(doc) if k == "inputs" and isinstance(v, dict)]
    values = [value for mapping in inputs for value in mapping.values()]
    assert values
    assert all(v is None or isinstance(v, bool | str) for v in values)


def test_score_csv(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "block",
        "rank",
        "unit",
        "name",
        "unit_type",
        "max",
        "points",
        "index",
        "band",
    ]
    assert [(r[1], r[2], r[3], r[5], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("1", "thanh_tra", "Thanh tra tỉnh", "92", "87", "94.57", "Tốt"),
        ("2", "so_tp", "Sở Tư pháp", "100", "88", "88.00", "Tốt"),
        ("2", "so_xd", "Sở Xây dựng", "100", "88", "88.00", "Tốt"),
        ("4", "so_nv", "Sở Nội vụ", "70", "54", "77.14", "Khá"),
        ("5", "so_tc", "Sở Tài chính", "100", "32.75", "32.75", "Kém"),
    ]
    assert {r[0] for r in rows[1:]} == {"Sở, ban, ngành"}
    golden(GOLDEN / "example.csv", out)


def test_score_one_unit_type() -> None:
    out = ok("score", POLICY, FACTS, "--unit-type", "so")
    assert table_rows(out) == EXPECTED_TABLE  # every unit of the example is a sở
    assert ok("score", POLICY, FACTS, "-t", "so") == out


def test_score_unknown_unit_type_lists_the_unit_types() -> None:
    result = fails(1, "--lang", "en", "score", POLICY, FACTS, "--unit-type", "nope")
    assert result.stdout == ""
    assert "E603" in result.stderr
    assert "--unit-type nope: the policy's unit types are so" in result.stderr


def test_score_explain_one_unit(golden) -> None:  # type: ignore[no-untyped-def]
    out = ok("score", POLICY, FACTS, "--explain", "so_nv")
    lines = out.splitlines()
    assert lines[0] == "Sở Nội vụ (so_nv) — Sở, ban, ngành"
    assert "Chỉ số: 77.14 % — Khá — hạng 4/5 trong khối «Sở, ban, ngành»" in lines
    assert "Điểm: 54 / 70" in lines
    assert "  index = 54 / 70 × 100 = 77.1428571428… %" in lines
    assert "  rounded half_up to 2 places: 77.14 %" in lines
    golden(GOLDEN / "example-explain-so_nv.out", out)


def test_score_explain_an_unknown_unit() -> None:
    result = fails(1, "--lang", "en", "score", POLICY, FACTS, "--explain", "nobody")
    assert result.stdout == ""
    assert "E602" in result.stderr
    assert "no unit with id «nobody»" in result.stderr


# --- score: the same units from a CSV facts file --------------------------------------------------


def test_csv_facts_rank_like_json_facts() -> None:
    from_csv = ok("score", POLICY, FACTS_CSV)
    assert table_rows(from_csv) == EXPECTED_TABLE
    assert from_csv == ok("score", POLICY, FACTS)


def test_csv_facts_score_like_json_facts() -> None:
    from_csv = json.loads(ok("score", POLICY, FACTS_CSV, "--format", "json"))
    from_json = json.loads(ok("score", POLICY, FACTS, "--format", "json"))
    assert from_csv["facts"] == FACTS_CSV
    assert from_csv["policy"] == from_json["policy"]
    assert from_csv["units"] == from_json["units"]


def test_csv_facts_explain_like_json_facts() -> None:
    for unit in ("so_tp", "so_nv", "thanh_tra"):
        assert ok("score", POLICY, FACTS_CSV, "-e", unit) == ok("score", POLICY, FACTS, "-e", unit)


# --- score --output -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_output_writes_the_file_and_nothing_on_stdout(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"result.{fmt}"
    result = run("score", POLICY, FACTS, "--format", fmt, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == ""
    written = target.read_bytes().decode("utf-8")
    assert written == ok("score", POLICY, FACTS, "--format", fmt)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_output_replaces_an_existing_file_with_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old content that is longer than nothing\n" * 200, encoding="utf-8")
    assert ok("score", POLICY, FACTS, "-e", "so_tc", "-o", str(target), "--force") == ""
    assert target.read_text(encoding="utf-8") == ok("score", POLICY, FACTS, "-e", "so_tc")


@pytest.mark.parametrize(
    "target", [POLICY, FACTS, f"./{FACTS}", f"policies/../{POLICY}", str(ROOT / FACTS)]
)
def test_output_never_overwrites_an_input(target: str) -> None:
    victim = ROOT / target
    before = victim.read_bytes()
    result = fails(1, "--lang", "en", "score", POLICY, FACTS, "-f", "json", "-o", target)
    assert victim.read_bytes() == before
    assert result.stdout == ""
    assert "E601" in result.stderr
    assert "it is one of this command's inputs" in result.stderr


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.txt"
    result = fails(1, "--lang", "en", "score", POLICY, FACTS, "--output", str(target))
    assert result.stdout == ""
    expected = f"error[E601]: cannot write {target}: the folder {target.parent} does not exist"
    assert expected in result.stderr
    assert not target.parent.exists()


def test_output_onto_a_folder(tmp_path: Path) -> None:
    result = fails(1, "--lang", "en", "score", POLICY, FACTS, "--output", str(tmp_path))
    assert f"cannot write {tmp_path}" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- score: wrong input ---------------------------------------------------------------------------


def test_policy_with_a_syntax_error() -> None:
    result = fails(1, "--lang", "en", "score", SYNTAX_ERROR, FACTS)
    assert result.stdout == ""
    assert "error[E102]: unexpected «{»" in result.stderr
    assert f"--> {SYNTAX_ERROR}:13:58" in result.stderr
    assert "1 error(s), 0 warning(s)" in result.stderr


def test_policy_with_an_unknown_input() -> None:
    result = fails(1, "--lang", "en", "score", UNKNOWN_INPUT, FACTS)
    assert result.stdout == ""
    assert "error[E201]: unknown input «co_ke_hoach_nam»" in result.stderr
    assert f"--> {UNKNOWN_INPUT}:15:14" in result.stderr
    assert "did you mean «co_ke_hoach»?" in result.stderr


def test_missing_policy_file() -> None:
    result = fails(1, "--lang", "en", "score", "policies/example/khong-co.cchc", FACTS)
    assert result.stdout == ""
    assert "error[E106]: cannot read policies/example/khong-co.cchc" in result.stderr


def test_missing_facts_file() -> None:
    result = fails(1, "--lang", "en", "score", POLICY, "policies/example/khong-co.json")
    assert "error[E106]: cannot read policies/example/khong-co.json" in result.stderr


def test_facts_problems_are_all_listed_at_once() -> None:
    result = fails(1, "--lang", "en", "score", POLICY, BAD_VALUES)
    assert result.stdout == ""
    errors = error_lines(result.stderr)
    assert errors == [
        "error[E404]: unit so_a: input «sang_kien» expects a whole number of at least 0,"
        " got 'nhiều'",
        "error[E402]: unit so_a: unknown input «khong_co_input»",
        "error[E405]: unit so_b: input «dvc_truc_tuyen» = 150% is outside 0% .. 100%",
        "error[E406]: unit huyen_c: unknown unit type «huyen»",
        "error[E405]: unit so_d: input «bao_cao_dung_han» = 9 is outside 0 .. 4",
    ]
    # each error points at the value concerned: found here by searching the file's text
    lines = (ROOT / BAD_VALUES).read_text(encoding="utf-8").splitlines()
    # (text to find, how far the reported value starts after it)
    places = [('"khong_co_input": ', 18), ('"nhiều"', 0), ('"150%"', 0), ('"huyen"', 0)]
    places.append(('"bao_cao_dung_han": 9', 20))
    for needle, offset in places:
        number, line = next((i, t) for i, t in enumerate(lines, 1) if needle in t)
        column = line.index(needle) + 1 + offset
        assert f"--> {BAD_VALUES}:{number}:{column}" in result.stderr, needle
    assert "5 error(s), 0 warning(s)" in result.stderr


def test_facts_problems_are_said_in_vietnamese_by_default() -> None:
    result = fails(1, "score", POLICY, BAD_VALUES)
    assert (
        "lỗi[E404]: đơn vị so_a: đầu vào «sang_kien» nhận 'nhiều', không đúng kiểu"
        " (cần: một số nguyên không âm)"
    ) in result.stderr


def test_wrong_values_and_missing_inputs_are_listed_in_one_run(tmp_path: Path) -> None:
    # so_x gives a wrong value for one input and leaves two others out: all three are reported,
    # and the wrong value is not reported a second time as missing
    units = json.loads((ROOT / FACTS).read_text(encoding="utf-8"))
    unit = units["units"][0]
    unit["unit"] = "so_x"
    unit["inputs"]["sang_kien"] = "nhiều"
    del unit["inputs"]["vi_tri_viec_lam"]
    del unit["inputs"]["tiet_kiem_chi"]
    facts = tmp_path / "units.json"
    facts.write_text(json.dumps({"units": [unit]}, ensure_ascii=False), encoding="utf-8")
    result = fails(1, "--lang", "en", "score", POLICY, str(facts))
    assert error_lines(result.stderr) == [
        "error[E404]: unit so_x: input «sang_kien» expects a whole number of at least 0,"
        " got 'nhiều'",
        "error[E403]: unit so_x: input «vi_tri_viec_lam» is missing",
        "error[E403]: unit so_x: input «tiet_kiem_chi» is missing",
    ]
    # a missing input points at the unit's object in the file
    assert f"--> {facts}:1:12" in result.stderr


def test_facts_json_syntax_error() -> None:
    result = fails(1, "--lang", "en", "score", POLICY, BAD_JSON)
    assert "error[E401]: invalid JSON" in result.stderr
    assert f"--> {BAD_JSON}:4:21" in result.stderr


def test_facts_file_with_an_unknown_extension(tmp_path: Path) -> None:
    facts = tmp_path / "units.txt"
    shutil.copyfile(ROOT / FACTS, facts)
    before = facts.read_bytes()
    result = fails(1, "--lang", "en", "score", POLICY, str(facts))
    expected = (
        "error[E401]: facts files are .json, .csv, .yaml, .yml, .xlsx, .xlsm, not «units.txt»"
    )
    assert expected in result.stderr
    assert facts.read_bytes() == before


# --- usage errors and internal errors -------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["score", POLICY, FACTS, "--bogus"],
        ["score", POLICY],
        ["score"],
        ["score", POLICY, FACTS, "--format", "xml"],
        ["score", POLICY, FACTS, "--explain"],
        ["check"],
        ["check", GOOD, "--format", "xml"],
        ["nosuchcommand"],
        ["--bogus", "score", POLICY, FACTS],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = fails(2, *args)
    assert result.stdout == ""
    assert "Error" in result.stderr


def _boom(*args: object, **kwargs: object) -> str:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("target", "name"), [(reports, "table"), (CompiledPolicy, "score_file")], ids=["table", "score"]
)
def test_internal_error_exits_70_without_traceback(
    monkeypatch: pytest.MonkeyPatch, target: object, name: str
) -> None:
    monkeypatch.setattr(target, name, _boom)
    result = fails(70, "score", POLICY, FACTS)
    assert result.stdout == ""
    assert result.stderr == (
        f"internal error in cchc-dsl while processing {POLICY}, {FACTS};"
        " please report it with this input.\n"
        "run again with --debug to see the traceback\n"
    )


def test_internal_error_with_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports, "table", _boom)
    result = run("--debug", "score", POLICY, FACTS)
    assert result.exit_code == 70
    assert "internal error" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: boom" in result.stderr
    # --debug does not stick to the next command
    assert "Traceback" not in fails(70, "score", POLICY, FACTS).stderr


def test_internal_error_in_check(monkeypatch: pytest.MonkeyPatch) -> None:
    import cchc_dsl.api

    monkeypatch.setattr(cchc_dsl.api, "check_source", _boom)
    result = fails(70, "check", GOOD)
    assert "internal error in cchc-dsl while processing tests/data/cli/good.cchc" in result.stderr


# --- check ----------------------------------------------------------------------------------------


def test_check_a_good_file() -> None:
    assert ok("check", GOOD) == "Đã kiểm tra 1 tệp: không thấy vấn đề nào\n"
    assert ok("check", GOOD, POLICY) == "Đã kiểm tra 2 tệp: không thấy vấn đề nào\n"
    assert ok("--lang", "en", "check", GOOD) == "1 file(s) checked: no problems found\n"


def test_check_a_bad_file() -> None:
    result = fails(1, "--lang", "en", "check", UNKNOWN_INPUT)
    assert result.stdout == ""
    assert "error[E201]: unknown input «co_ke_hoach_nam»" in result.stderr
    assert f"--> {UNKNOWN_INPUT}:15:14" in result.stderr


def test_messages_are_in_vietnamese_by_default() -> None:
    result = fails(1, "check", UNKNOWN_INPUT)
    assert "lỗi[E201]: đầu vào «co_ke_hoach_nam» chưa được khai báo" in result.stderr
    assert "= gợi ý: có phải là «co_ke_hoach»?" in result.stderr
    assert "1 lỗi, 0 cảnh báo" in result.stderr
    assert "Đã kiểm tra 1 tệp, 1 tệp có vấn đề" in result.stderr
    doc = json.loads(fails(1, "check", UNKNOWN_INPUT, "--format", "json").stdout)
    [diagnostic] = doc["diagnostics"]
    assert diagnostic["message"] == "đầu vào «co_ke_hoach_nam» chưa được khai báo"
    assert diagnostic["message_en"] == "unknown input «co_ke_hoach_nam»"


def test_check_a_good_and_a_bad_file() -> None:
    result = fails(1, "check", GOOD, UNKNOWN_INPUT)
    assert f"--> {UNKNOWN_INPUT}:15:14" in result.stderr
    assert "no problems found" not in result.output
    listed = json.loads(fails(1, "check", GOOD, UNKNOWN_INPUT, "--format", "json").stdout)
    assert listed["files"] == [GOOD, UNKNOWN_INPUT]


def test_check_reports_every_file() -> None:
    result = fails(
        1, "--lang", "en", "check", SYNTAX_ERROR, GOOD, UNKNOWN_INPUT, "policies/khong-co.cchc"
    )
    assert f"--> {SYNTAX_ERROR}:13:58" in result.stderr
    assert f"--> {UNKNOWN_INPUT}:15:14" in result.stderr
    assert "error[E106]: cannot read policies/khong-co.cchc" in result.stderr
    assert "3 error(s), 0 warning(s)" in result.stderr


def test_check_gnu_format() -> None:
    result = fails(1, "--lang", "en", "check", GOOD, UNKNOWN_INPUT, SYNTAX_ERROR, "--format", "gnu")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{UNKNOWN_INPUT}:15:14: error E201: unknown input «co_ke_hoach_nam»"
    assert lines[1].startswith(f"{SYNTAX_ERROR}:13:58: error E102: unexpected «{{»")
    assert len(lines) == 2
    for line in lines:
        assert re.match(r"^[^:]+:\d+:\d+: error E\d{3}: \S", line), line
    assert ok("check", GOOD, "--format", "gnu") == ""


def test_check_json_format() -> None:
    result = fails(1, "--lang", "en", "check", GOOD, UNKNOWN_INPUT, "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["files"] == [GOOD, UNKNOWN_INPUT]
    [diagnostic] = doc["diagnostics"]
    assert diagnostic["code"] == "E201"
    assert diagnostic["severity"] == "error"
    assert diagnostic["message"] == "unknown input «co_ke_hoach_nam»"
    label = diagnostic["labels"][0]
    assert (label["file"], label["line"], label["column"]) == (UNKNOWN_INPUT, 15, 14)
    assert json.loads(ok("check", GOOD, "--format", "json"))["diagnostics"] == []


# --- version and help -----------------------------------------------------------------------------


def test_version() -> None:
    assert ok("--version") == f"cchc-dsl {__version__}\n"


def test_help_lists_the_commands() -> None:
    out = ok("--help")
    assert "score" in out
    assert "check" in out
    assert "--version" in out
    for command in ("score", "check"):
        assert "--format" in ok(command, "--help")


# --- real processes -------------------------------------------------------------------------------


def test_python_dash_m_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cchc_dsl", "--version"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == f"cchc-dsl {__version__}\n"


def test_console_script_scores_the_example() -> None:
    """The README's first command, through the installed script."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    script = shutil.which("cchc-dsl", path=search)
    if script is None:
        pytest.skip("the cchc-dsl console script is not installed")
    done = subprocess.run(
        [script, "score", POLICY, FACTS],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    expected = (GOLDEN / "example-table.out").read_text(encoding="utf-8")
    assert done.stdout.decode("utf-8") == expected
