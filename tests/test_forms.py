"""The self-assessment form: generated for every shipped unit type, filled as a unit would fill it
(with openpyxl, cell by cell), read back to the same scores as the shipped JSON facts give.

The hand-computed totals come from each province's worked cases (`policies/*/tests/*.toml`),
where every figure is worked out from the regulation's text; each test quotes the arithmetic.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from cchc_dsl import forms, reports
from cchc_dsl.api import CompiledPolicy, ScoreReport, load
from cchc_dsl.cli import app
from tests.formfill import columns, fill

ROOT = Path(__file__).resolve().parent.parent

# (policy, year, JSON facts): every shipped province folder and the example
SHIPPED = [
    ("policies/example/mau.cchc", None, "policies/example/units.json"),
    ("policies/tayninh", 2020, "policies/tayninh/units-2020.json"),
    ("policies/hanoi", 2021, "policies/hanoi/units-2021.json"),
    ("policies/cantho", 2018, "policies/cantho/units-2018.json"),
    ("policies/cantho", 2019, "policies/cantho/units-2019.json"),
]


def _load(policy: str, year: int | None) -> CompiledPolicy:
    return load(ROOT / policy, year=year)


def _json_units(facts: str) -> list[dict[str, Any]]:
    doc = json.loads((ROOT / facts).read_text(encoding="utf-8"), parse_float=Decimal)
    return list(doc["units"] if isinstance(doc, dict) else doc)


def filled_workbook(
    compiled: CompiledPolicy, unit_type: str, units: list[dict[str, Any]], tmp_path: Path
) -> Path:
    chosen = [u for u in units if u["unit_type"] == unit_type]
    facts = compiled.facts(chosen)
    book = forms.template_book(compiled, unit_type, forms.form_units(facts.units, unit_type))
    for sheet, unit in zip(book.worksheets, chosen, strict=True):
        assert sheet["D3"].value == unit["unit"]
        fill(sheet, unit, dates_as_text=len(unit["unit"]) % 2 == 0)  # both habits
    path = tmp_path / f"{unit_type}.xlsx"
    book.save(path)
    return path


def by_unit(report: ScoreReport) -> dict[str, dict[str, object]]:
    return {u.unit: reports.unit_dict(u) for u in report.units}


# --- every shipped unit type, against its JSON facts ---------------------------------------------


@pytest.mark.parametrize(("policy", "year", "facts"), SHIPPED)
def test_filled_forms_score_as_the_json_facts(
    policy: str, year: int | None, facts: str, tmp_path: Path
) -> None:
    compiled = _load(policy, year)
    units = _json_units(facts)
    expected = by_unit(compiled.score_file(ROOT / facts))
    for unit_type in compiled.unit_types:
        path = filled_workbook(compiled, unit_type, units, tmp_path)
        got = by_unit(compiled.score_file(path))
        wanted = {k: v for k, v in expected.items() if v["unit_type"] == unit_type}
        assert got.keys() == wanted.keys()
        for unit_id, result in got.items():
            mine, theirs = dict(result), dict(wanted[unit_id])
            # ranks are within the file: the JSON ranks every type, the form one type
            for key in ("rank",):
                mine.pop(key), theirs.pop(key)
            assert mine == theirs, unit_id


@pytest.mark.parametrize(("policy", "year", "facts"), SHIPPED)
def test_a_form_for_every_unit_type_with_a_row_per_input(
    policy: str, year: int | None, facts: str
) -> None:
    compiled = _load(policy, year)
    for unit_type in compiled.unit_types:
        rows = forms.form_rows(compiled, unit_type)
        program = compiled.program(unit_type)
        read = {name for a in program.adjustments for name in a.reads}
        stack = list(program.nodes)
        while stack:
            node = stack.pop()
            read.update(node.reads)
            stack.extend(node.children)
        placed = [row.input.name for row in rows if row.input is not None]
        assert sorted(placed) == sorted(read)  # each input once, every input a rule reads


# --- hand-computed totals, one unit per province -------------------------------------------------

HAND = [
    # Tây Ninh 2020, Sở Nội vụ (policies/tayninh/tests/2020.toml, case so_noi_vu):
    # LV1 10 + LV2 9.75 + LV3 14.5 + LV4 10.75 + LV5 16 + LV6 7 + LV7 13.99 + LV8 11.5 = 93.49;
    # D1 (rank 35 in 22–42) − 1 → 92.49 of 100 → 92.49 % Tốt.
    (
        "policies/tayninh",
        2020,
        "policies/tayninh/units-2020.json",
        "so_noi_vu",
        {"1": "10", "2": "9.75", "3": "14.5", "4": "10.75", "5": "16", "6": "7", "7": "13.99"},
        ("92.49", "100", "92.49", "Tốt"),
    ),
    # Hà Nội 2021, Sở Nội vụ (policies/hanoi/tests/2021.toml, case so_noi_vu): appraisal
    # F1 10 + F2 6.75 + F3 12.5 + F4 6 + F5 8.9 + F6 5.75 + F7 11.11 + F8 6.75 = 67.76; survey
    # 27.14; 67.76 ÷ 70 × 70 + 27.14 ÷ 30 × 30 = 94.90 → Tốt. A field holds survey criteria
    # too, so criteria are checked: 1.1.1 plan 15/01 ≤ 31/01 → 1; 1.5 2/4 = 50 % ≥ 30 % → 1.5;
    # 3.3.1 1250/1250 → 4; 7.1 5096/5200 = 98 % × 2 = 1.96; 7.2.1 62 % ≥ 50 % → 3.
    (
        "policies/hanoi",
        2021,
        "policies/hanoi/units-2021.json",
        "so_noi_vu",
        {"1.1.1": "1", "1.5": "1.5", "3.3.1": "4", "7.1": "1.96", "7.2.1": "3"},
        ("94.90", "100", "94.90", "Tốt"),
    ),
    # Cần Thơ 2019, Sở Nội vụ (policies/cantho/tests/2019.toml, case so_noi_vu): max 100 − 2
    # (6.4 excluded) = 98; F1 10, F2 9.75, F3 14.7, F4 11, F5 15.5 (appraised 4.5), F6 5,
    # F7 11.85, F8 14.69 = 92.49; bonus 5 × 0.5 capped at 2 → 94.49; 94.49 / 98 = 96.42 %.
    (
        "policies/cantho",
        2019,
        "policies/cantho/units-2019.json",
        "so_noi_vu",
        {"1": "10", "2": "9.75", "3": "14.7", "4": "11", "5": "15.5", "6": "5", "7": "11.85"},
        ("94.49", "98", "96.42", "Xuất sắc"),
    ),
]


@pytest.mark.parametrize(("policy", "year", "facts", "unit", "fields", "total"), HAND)
def test_hand_computed_unit_of_each_province(
    policy: str,
    year: int,
    facts: str,
    unit: str,
    fields: dict[str, str],
    total: tuple[str, str, str, str],
    tmp_path: Path,
) -> None:
    compiled = _load(policy, year)
    record = next(u for u in _json_units(facts) if u["unit"] == unit)
    path = filled_workbook(compiled, record["unit_type"], [record], tmp_path)
    result = compiled.score_file(path).unit(unit).official
    for field, points in fields.items():
        assert result.node(field).points == Decimal(points), field
    assert (result.points, result.max, result.index_rounded, result.band) == (
        Decimal(total[0]),
        Decimal(total[1]),
        Decimal(total[2]),
        total[3],
    )


def test_example_filled_by_hand(tmp_path: Path) -> None:
    """Sở Tư pháp of the example policy (mau.cchc), filled with new values and scored by hand:
    1.1 plan 25/01/2024 ≤ 31/01 with evidence → 4; 1.2 3 reports ≠ 4 → 0; 1.3 judged 4.25
    (self 4.75); 2.1 có → 8; 3.1 960/1000 = 96 % (95–<100) → 10; 3.2 78.84 % × 10 = 7.884;
    4.1 không → 0; 4.2 5 × 2 = 10, capped at 8; 5.1 6.5 % (5–<10) → 5; 6.1 90/100 × 10 = 9;
    7.1 survey 91.5 % × 20 = 18.3; D1 1 × 1 = 1.
    Total 4 + 0 + 4.25 + 8 + 10 + 7.884 + 0 + 8 + 5 + 9 + 18.3 − 1 = 73.434 of 100 → Khá.
    Self view: 4.75 for 1.3 → 73.934."""
    compiled = _load("policies/example/mau.cchc", None)
    unit = {
        "unit": "so_tp",
        "name": "Sở Tư pháp",
        "unit_type": "so",
        "inputs": {
            "ke_hoach_ngay": "2024-01-25",
            "bao_cao_dung_han": 3,
            "tuyen_truyen": {"self": Decimal("4.75"), "appraised": Decimal("4.25")},
            "vb_qppl_kiem_tra": "có",
            "tthc_dung_han": 960,
            "tthc_tiep_nhan": 1000,
            "dvc_truc_tuyen": "78.84%",
            "sang_kien": 5,
            "vi_tri_viec_lam": "không",
            "tiet_kiem_chi": "6.5%",
            "van_ban_dien_tu": 90,
            "van_ban_di": 100,
            "hai_long": "91.5%",
            "ky_luat": 1,
        },
        "evidence": {"1.1": "Kế hoạch số 07/KH-STP ngày 25/01/2024"},
    }
    path = filled_workbook(compiled, "so", [unit], tmp_path)
    result = compiled.score_file(path).unit("so_tp")
    official = result.official
    expected = {"1.1": "4", "1.2": "0", "1.3": "4.25", "3.2": "7.884", "4.2": "8", "7.1": "18.3"}
    for node, points in expected.items():
        assert official.node(node).points == Decimal(points), node
    assert (official.points, official.band) == (Decimal("73.434"), "Khá")
    assert result.self_assessed is not None
    assert result.self_assessed.points == Decimal("73.934")


# --- the layout ----------------------------------------------------------------------------------


def _example_sheet() -> Any:
    compiled = _load("policies/example/mau.cchc", None)
    data = forms.template_workbook(compiled, "so", forms.form_units((), "so"))
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def test_only_the_cells_to_fill_are_unlocked_and_there_are_no_formulas() -> None:
    sheet = _example_sheet()
    assert sheet.protection.sheet
    header, at = columns(sheet)
    unlocked = {
        (c.row, c.column) for row in sheet.iter_rows() for c in row if not c.protection.locked
    }
    # the blank form: the unit's id, name and tags are to fill; its type is fixed
    assert {(3, 4), (4, 4), (6, 4)} <= unlocked and (5, 4) not in unlocked
    for row, column in unlocked - {(3, 4), (4, 4), (6, 4)}:
        assert row > header
        if column in (at["self"], at["appraised"]):
            assert sheet.cell(row=row, column=at["input"]).value  # a value only where an input is
    stt_of_unlocked_evidence = {
        sheet.cell(row=r, column=at["stt"]).value for r, c in unlocked if c == at["evidence"]
    }
    assert stt_of_unlocked_evidence == {"1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "4.1", "4.2"} | {
        "5.1",
        "6.1",
        "7.1",
    }  # the criteria (leaves); not the fields, not the deduction
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    # a method that starts with "=" (a step "= 100%: 15") stays text
    assert any(str(c.value).startswith("=") for row in sheet.iter_rows() for c in row)


def test_inputs_are_validated_by_type_and_declared_range() -> None:
    sheet = _example_sheet()
    _header, at = columns(sheet)
    rule_of = {}
    for check in sheet.data_validations.dataValidation:
        for cell_range in check.sqref.ranges:
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                name = sheet.cell(row=row, column=at["input"]).value
                rule_of[name] = (check.type, check.formula1, check.formula2)
    assert rule_of["vb_qppl_kiem_tra"] == ("list", '"có,không"', None)
    assert rule_of["bao_cao_dung_han"] == ("whole", "0", "4")  # số_đếm trong 0 .. 4
    assert rule_of["tuyen_truyen"] == ("decimal", "0", "5")  # điểm trong 0 .. 5
    assert rule_of["dvc_truc_tuyen"] == ("decimal", "0", "100")  # a rate, typed in %
    assert rule_of["ke_hoach_ngay"][0] == "date"


def test_rows_follow_the_annex() -> None:
    sheet = _example_sheet()
    header, at = columns(sheet)
    stts = [sheet.cell(row=r, column=at["stt"]).value for r in range(header + 1, sheet.max_row + 1)]
    assert [s for s in stts if s] == [
        *("1", "1.1", "1.2", "1.3", "2", "2.1", "3", "3.1", "3.2", "4", "4.1", "4.2"),
        *("5", "5.1", "6", "6.1", "7", "7.1", "D1"),
    ]
    row_31 = header + 1 + stts.index("3.1")
    # 3.1 reads two inputs: one per line, the second on a line of its own
    assert sheet.cell(row=row_31, column=at["input"]).value == "tthc_dung_han"
    assert sheet.cell(row=row_31 + 1, column=at["input"]).value == "tthc_tiep_nhan"
    assert sheet.cell(row=row_31 + 1, column=at["stt"]).value is None
    assert sheet.cell(row=row_31, column=3).value == "15"  # max for a sở


# --- the command ---------------------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_template_command_one_sheet_per_unit(tmp_path: Path) -> None:
    out = tmp_path / "so.xlsx"
    units = ROOT / "policies/example/units.json"
    before = units.read_bytes()
    result = run(
        "template", "policies/example/mau.cchc", "-t", "so", "--units", str(units), "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["so_tp", "so_nv", "so_tc", "thanh_tra", "so_xd"]
    assert book["thanh_tra"]["D4"].value == "Thanh tra tỉnh"
    assert book["thanh_tra"]["D6"].value == "dac_thu"
    assert units.read_bytes() == before


def test_template_command_one_file_per_unit_and_csv(tmp_path: Path) -> None:
    units = str(ROOT / "policies/example/units.json")
    args = ("template", "policies/example/mau.cchc", "-t", "so", "--units", units)
    result = run(*args, "--one-file-per-unit", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "so_nv.xlsx",
        "so_tc.xlsx",
        "so_tp.xlsx",
        "so_xd.xlsx",
        "thanh_tra.xlsx",
    ]
    result = run(*args, "-f", "csv", "-o", str(tmp_path / "so.csv"))
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "so.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header[:5] == ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Nhãn", "Tiêu chí: STT"]
    assert "Đơn vị tự đánh giá: Tài liệu kiểm chứng" in header


def test_template_command_refuses_an_unknown_unit_type(tmp_path: Path) -> None:
    result = run(
        "--lang",
        "en",
        "template",
        "policies/example/mau.cchc",
        "-t",
        "huyen",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert result.exit_code == 1
    assert "E603" in result.stderr and "so" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_filled_folder_of_forms_scores_like_one_file(tmp_path: Path) -> None:
    compiled = _load("policies/example/mau.cchc", None)
    units = _json_units("policies/example/units.json")
    folder = tmp_path / "forms"
    folder.mkdir()
    for unit in units:
        single = filled_workbook(compiled, "so", [unit], tmp_path)
        single.rename(folder / f"{unit['unit']}.xlsx")
    one = filled_workbook(compiled, "so", units, tmp_path)
    assert by_unit(compiled.score_file(folder)) == by_unit(compiled.score_file(one))


def test_template_of_a_province_folder_for_a_year(tmp_path: Path) -> None:
    out = tmp_path / "xa.xlsx"
    result = run("template", "policies/cantho", "--year", "2019", "-t", "xa", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "2429/QĐ-UBND" in result.stderr  # the regulation the folder gave, as amended
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.title == "xa" and sheet["D5"].value == "xa" and sheet["D3"].value is None
    _header, at = columns(sheet)
    stts = {sheet.cell(row=r, column=at["stt"]).value for r in range(1, sheet.max_row + 1)}
    # 2429/QĐ-UBND (as modelled) removed 3.1.1 and split 3.3 into 3.3.1 + 3.3.2 (2019.toml)
    assert "3.1.1" not in stts and "3.3.1" in stts


def test_csv_form_of_the_example_matches_golden(golden, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "so.csv"
    result = run("template", "policies/example/mau.cchc", "-t", "so", "-f", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    golden(ROOT / "tests/golden/forms/mau-so.csv", out.read_text(encoding="utf-8"))


def test_template_never_writes_over_its_input_or_into_a_missing_folder(tmp_path: Path) -> None:
    units = tmp_path / "units.json"
    units.write_bytes((ROOT / "policies/example/units.json").read_bytes())
    before = units.read_bytes()
    args = ("--lang", "en", "template", "policies/example/mau.cchc", "-t", "so")
    result = run(*args, "--units", str(units), "-o", str(units))
    assert result.exit_code == 1 and "E601" in result.stderr
    assert "it is one of this command's inputs" in result.stderr
    assert units.read_bytes() == before
    result = run(*args, "--one-file-per-unit", "-o", str(tmp_path / "missing"))
    assert result.exit_code == 1 and "--output is an existing folder" in result.stderr


def test_template_replaces_an_existing_form_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "phieu.xlsx"
    target.write_bytes(b"a form a unit has filled already")
    args = ("template", "policies/example/mau.cchc", "-t", "so", "-o", str(target))
    refused = run("--lang", "en", *args)
    assert refused.exit_code == 1
    assert f"error[E604]: {target} already exists; add --force to replace it" in refused.stderr
    assert target.read_bytes() == b"a form a unit has filled already"
    assert run(*args, "--force").exit_code == 0
    assert openpyxl.load_workbook(target).sheetnames  # the new form
