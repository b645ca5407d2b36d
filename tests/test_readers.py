"""Reading facts back from spreadsheets: Vietnamese habits work or are refused clearly, each
problem at its cell, and hostile files are refused before they are opened.

Most tests fill the example's form for Sở Tư pháp (units.json: so_tp) and change one thing.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import PatternFill
from openpyxl.utils.datetime import to_excel
from typer.testing import CliRunner

from cchc_dsl import forms, reports
from cchc_dsl.api import CompiledPolicy, load
from cchc_dsl.cli import app
from cchc_dsl.diagnostics import CchcError, Diagnostic
from cchc_dsl.nodes import InputType
from cchc_dsl.readers import COLUMNS, MAX_UNPACKED, UNIT_FIELDS
from tests import strategies
from tests.formfill import columns, fill

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies/example/mau.cchc"
FACTS = ROOT / "policies/example/units.json"


@pytest.fixture(scope="module")
def compiled() -> CompiledPolicy:
    return load(POLICY)


def unit_record(unit_id: str = "so_tp") -> dict[str, Any]:
    doc = json.loads(FACTS.read_text(encoding="utf-8"), parse_float=Decimal)
    return next(u for u in doc["units"] if u["unit"] == unit_id)


def form(compiled: CompiledPolicy, unit: dict[str, Any] | None = None) -> Any:
    """The example's form for one unit, filled from units.json; the workbook, open."""
    unit = unit or unit_record()
    facts = compiled.facts([unit])
    data = forms.template_workbook(compiled, "so", forms.form_units(facts.units, "so"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    fill(book.worksheets[0], unit)
    return book


def row_of(sheet: Any, name: str) -> int:
    header, at = columns(sheet)
    for row in range(header + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=at["input"]).value == name:
            return row
    raise AssertionError(name)


def self_cell(sheet: Any, name: str) -> Any:
    return sheet.cell(row=row_of(sheet, name), column=columns(sheet)[1]["self"])


def save(book: Any, path: Path) -> Path:
    book.save(path)
    return path


def problems(compiled: CompiledPolicy, path: Path, locale: str | None = None) -> list[Diagnostic]:
    with pytest.raises(CchcError) as caught:
        compiled.score_file(path, locale=locale)
    return list(caught.value.errors)


def one_problem(
    compiled: CompiledPolicy, path: Path, code: str, locale: str | None = None
) -> tuple[Diagnostic, str]:
    """The one error reading `path` gives, of `code`, and where it says it is."""
    (problem,) = problems(compiled, path, locale)
    assert problem.code == code, problem.one_line()
    return problem, str(problem.span)


def typed(compiled: CompiledPolicy, tmp_path: Path, name: str, value: object) -> tuple[Path, Any]:
    """The example's form for so_tp with `value` typed as the unit's value of input `name`."""
    book = form(compiled)
    cell = self_cell(book.worksheets[0], name)
    cell.value = value
    return save(book, tmp_path / "so_tp.xlsx"), cell


def json_result(compiled: CompiledPolicy, unit_id: str = "so_tp") -> dict[str, object]:
    report = compiled.score_file(FACTS)
    return reports.unit_dict(report.unit(unit_id))


def same_scores(got: dict[str, object], want: dict[str, object]) -> bool:
    keep = ("points", "max", "index", "band", "nodes", "adjustments")
    return {k: got[k] for k in keep} == {k: want[k] for k in keep}


# --- numbers -------------------------------------------------------------------------------------


def test_comma_decimal_needs_the_vietnamese_locale(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    path, cell = typed(compiled, tmp_path, "dvc_truc_tuyen", "78,84")  # 78.84 %, as text
    problem, where = one_problem(compiled, path, "E404")
    assert where == f"{path}:so_tp!{cell.coordinate}"
    assert problem.hint is not None and "--locale vi" in problem.hint
    # under --locale vi: 3.2 = 78.84 % × 10 = 7.884 (mau.cchc: theo tỷ lệ dvc_truc_tuyen, max 10)
    report = compiled.score_file(path, locale="vi")
    assert report.unit("so_tp").official.node("3.2").points == Decimal("7.884")


def test_comma_decimal_and_thousands_in_csv_facts_under_vi(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        'unit,unit_type,van_ban_dien_tu,van_ban_di,dvc_truc_tuyen\nso_a,so,450,"1.000","78,84%"\n',
        encoding="utf-8",
    )
    from cchc_dsl.diagnostics import DiagnosticSink
    from cchc_dsl.readers import read_facts

    sink = DiagnosticSink()
    facts = read_facts(path, compiled.policy, sink, locale="vi")
    assert list(sink) == []
    values = facts.units[0].self_values
    # "1.000" is a thousand under vi; "78,84%" is 78.84 %, stored as its fraction
    assert values["van_ban_di"] == Decimal(1000)
    assert values["dvc_truc_tuyen"] == Decimal("0.7884")
    sink = DiagnosticSink()
    read_facts(path, compiled.policy, sink)
    assert [d.code for d in sink] == ["E404"]  # "78,84%" without --locale (1.000 is 1: a count)


def test_semicolon_csv_as_excel_saves_it_under_vietnamese_settings(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    text = _csv_form(compiled, [unit_record()])
    rows = list(csv.reader(io.StringIO(text)))
    at = rows[0].index("Đầu vào: Mã")
    for row in rows:
        if row[at] == "dvc_truc_tuyen":
            row[at + 4] = "78,84"  # the unit's value: 78.84 %
    path = tmp_path / "so_tp.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    assert path.read_text(encoding="utf-8-sig").startswith("Mã đơn vị;Tên đơn vị;")
    result = compiled.score_file(path, locale="vi").unit("so_tp").official
    # 3.2 = 78.84 % × 10 = 7.884 (mau.cchc: theo tỷ lệ dvc_truc_tuyen, max 10)
    assert result.node("3.2").points == Decimal("7.884")


def test_text_in_a_number_cell_names_its_cell(compiled: CompiledPolicy, tmp_path: Path) -> None:
    path, cell = typed(compiled, tmp_path, "bao_cao_dung_han", "đủ")
    problem, where = one_problem(compiled, path, "E404")
    assert where == f"{path}:so_tp!J{cell.row}"
    assert "bao_cao_dung_han" in problem.message and "'đủ'" in problem.message


def test_percent_formatted_cells_read_as_typed(compiled: CompiledPolicy, tmp_path: Path) -> None:
    book = form(compiled)
    cell = self_cell(book.worksheets[0], "dvc_truc_tuyen")
    cell.value, cell.number_format = 0.85, "0%"  # typed "85%" into a cell Excel formats as %
    path = save(book, tmp_path / "so_tp.xlsx")
    assert same_scores(
        json_result(compiled), reports.unit_dict(compiled.score_file(path).unit("so_tp"))
    )


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2024, 1, 20),  # a date cell
        to_excel(datetime.date(2024, 1, 20)),  # the serial number 45311
        "20/01/2024",  # text, as Vietnamese documents write dates
    ],
)
def test_excel_dates(compiled: CompiledPolicy, tmp_path: Path, value: object) -> None:
    path, _ = typed(compiled, tmp_path, "ke_hoach_ngay", value)
    result = compiled.score_file(path).unit("so_tp").official.node("1.1")
    # 1.1: plan 20/01/2024 on or before 31/01/2024, evidence given → 4 (mau.cchc)
    assert result.points == Decimal(4)
    assert dict(result.inputs)["ke_hoach_ngay"] == datetime.date(2024, 1, 20)


def test_a_date_in_a_number_cell_is_refused(compiled: CompiledPolicy, tmp_path: Path) -> None:
    path, cell = typed(compiled, tmp_path, "sang_kien", datetime.datetime(2024, 3, 1))
    _problem, where = one_problem(compiled, path, "E404")
    assert where.endswith(f"!{cell.coordinate}")


# --- text: BOM, NFD, merged headers, trailing rows ----------------------------------------------


def test_csv_form_with_a_bom_reads_back(compiled: CompiledPolicy, tmp_path: Path) -> None:
    unit = unit_record()
    units = forms.form_units(compiled.facts([unit]).units, "so")
    rows = list(csv.reader(io.StringIO(forms.template_csv(compiled, "so", units))))
    header = rows[0]
    at = {c.key: header.index(c.label) for c in COLUMNS}
    for row in rows[1:]:
        value = unit["inputs"].get(row[at["input"]])
        if isinstance(value, dict):
            row[at["self"]], row[at["appraised"]] = str(value["self"]), str(value["appraised"])
        elif value is not None:
            row[at["self"]] = str(value)
        row[at["evidence"]] = unit["evidence"].get(row[at["stt"]], "")
    path = tmp_path / "so_tp.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # Excel's "CSV UTF-8"
        csv.writer(handle).writerows(rows)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    got = reports.unit_dict(compiled.score_file(path).unit("so_tp"))
    assert same_scores(got, json_result(compiled))


def test_decomposed_unicode_names_and_headers(compiled: CompiledPolicy, tmp_path: Path) -> None:
    book = form(compiled)
    sheet = book.worksheets[0]
    nfd = {}
    for row in sheet.iter_rows(max_row=columns(sheet)[0]):
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "s":
                cell.value = nfd[cell.coordinate] = unicodedata.normalize("NFD", cell.value)
    assert nfd["D4"] != "Sở Tư pháp" and nfd["A3"] != "Mã đơn vị"  # really decomposed
    path = save(book, tmp_path / "so_tp.xlsx")
    result = compiled.score_file(path).unit("so_tp")
    assert result.name == "Sở Tư pháp"  # NFC again
    assert same_scores(reports.unit_dict(result), json_result(compiled))


def hand_made_sheet(book: Any, unit: dict[str, Any]) -> Any:
    """A sheet a province might make itself: two-row header with STT merged down, groups
    merged across, labels merged over two cells, only the columns it needs, and 3.1's STT
    merged down over its two input rows."""
    sheet = book.active
    sheet.title = "Sở Tư pháp"
    for row, (label, value) in enumerate(
        [("Mã đơn vị", unit["unit"]), ("Loại đơn vị", unit["unit_type"])], 1
    ):
        sheet.cell(row=row, column=1, value=label)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row=row, column=3, value=value)
    sheet["A4"], sheet["B4"], sheet["D4"] = "STT", "Đầu vào", "Đơn vị tự đánh giá"
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:C4")
    sheet.merge_cells("D4:E4")
    sheet["F4"] = "Hội đồng thẩm định"
    sheet["B5"], sheet["C5"], sheet["D5"], sheet["E5"], sheet["F5"] = (
        "Mã",
        "Nội dung cần nhập",
        "Giá trị",
        "Tài liệu kiểm chứng",
        "Giá trị",
    )
    row = 6
    node_of = {"ke_hoach_ngay": "1.1", "tthc_dung_han": "3.1", "tthc_tiep_nhan": None}
    for name, value in unit["inputs"].items():
        node = node_of.get(name, "")
        if node:
            sheet.cell(row=row, column=1, value=node)
        if node == "3.1":
            sheet.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
        sheet.cell(row=row, column=2, value=name)
        parts = value if isinstance(value, dict) else {"self": value}
        for part, part_value in parts.items():
            column = 4 if part == "self" else 6
            sheet.cell(row=row, column=column, value=str(part_value))
        if node in unit["evidence"]:
            sheet.cell(row=row, column=5, value=unit["evidence"][node])
        row += 1
    return sheet


def test_merged_header_cells_in_a_hand_made_sheet(compiled: CompiledPolicy, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    unit = unit_record()
    order = ["ke_hoach_ngay", "tthc_dung_han", "tthc_tiep_nhan"]
    unit["inputs"] = {k: unit["inputs"][k] for k in order} | {
        k: v for k, v in unit["inputs"].items() if k not in order
    }
    hand_made_sheet(book, unit)
    path = save(book, tmp_path / "tu-lam.xlsx")
    result = compiled.score_file(path).unit("so_tp")
    assert same_scores(reports.unit_dict(result), json_result(compiled))


def test_trailing_empty_formatted_rows_are_ignored(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    book = form(compiled)
    sheet = book.worksheets[0]
    grey = PatternFill("solid", fgColor="EEEEEE")
    for row in range(sheet.max_row + 1, sheet.max_row + 400):
        for column in range(1, len(COLUMNS) + 1):
            sheet.cell(row=row, column=column).fill = grey
        sheet.cell(row=row, column=10).value = "   "  # a space someone typed and left
    path = save(book, tmp_path / "so_tp.xlsx")
    got = reports.unit_dict(compiled.score_file(path).unit("so_tp"))
    assert same_scores(got, json_result(compiled))


# --- evidence ------------------------------------------------------------------------------------


def test_a_claim_without_required_evidence_scores_0_and_is_listed(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    unit = unit_record()
    unit["evidence"] = {}
    path = save(form(compiled, unit), tmp_path / "so_tp.xlsx")
    report = compiled.score_file(path)
    # 1.1 «cần minh chứng»: the plan of 20/01/2024 earns 4, but without evidence scores 0
    assert report.unit("so_tp").official.node("1.1").points == 0
    table = reports.table(report)
    assert "Không có tài liệu kiểm chứng (tính 0 điểm):" in table
    assert "so_tp  1.1 Ban hành Kế hoạch CCHC năm: 0 / 4" in table


# --- files that are not forms --------------------------------------------------------------------


def test_a_renamed_text_file_is_refused(compiled: CompiledPolicy, tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(FACTS.read_bytes())
    before = path.read_bytes()
    problem, _ = one_problem(compiled, path, "E411")
    assert problem.message.startswith(f"{path} is not an Excel workbook (.xlsx)")
    assert "renamed" in problem.message
    assert path.read_bytes() == before


def test_a_zip_that_is_no_workbook_is_refused(compiled: CompiledPolicy, tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    problem, _ = one_problem(compiled, path, "E411")
    assert "xl/workbook.xml" in problem.message


def test_a_zip_bomb_is_refused_before_it_is_opened(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b"\0" * (1 << 20)
            for _ in range(MAX_UNPACKED // len(block) + 1):
                entry.write(block)
    assert path.stat().st_size < MAX_UNPACKED // 100  # small on disk, huge unpacked
    problem, _ = one_problem(compiled, path, "E412")
    assert f"more than the {MAX_UNPACKED}" in problem.message


def test_a_workbook_without_a_form_is_refused(compiled: CompiledPolicy, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "Bảng tổng hợp"
    path = save(book, tmp_path / "tong-hop.xlsx")
    problem, _ = one_problem(compiled, path, "E413")
    assert str(path) in problem.message


def test_a_sheet_missing_a_column_is_named(compiled: CompiledPolicy, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "so_tp"
    sheet["A1"], sheet["D1"] = "Mã đơn vị", "so_tp"
    sheet["A3"], sheet["B3"] = "STT", "Nội dung"
    path = save(book, tmp_path / "thieu-cot.xlsx")
    problem, where = one_problem(compiled, path, "E413")
    assert where == f"{path}:so_tp!A3"
    assert "«Đầu vào: Mã»" in problem.message and "«Đơn vị tự đánh giá: Giá trị»" in problem.message


def test_an_input_listed_twice_is_refused(compiled: CompiledPolicy, tmp_path: Path) -> None:
    book = form(compiled)
    sheet = book.worksheets[0]
    _header, at = columns(sheet)
    last = sheet.max_row + 1
    sheet.cell(row=last, column=at["input"], value="sang_kien")
    sheet.cell(row=last, column=at["self"], value=1)
    path = save(book, tmp_path / "so_tp.xlsx")
    problem, _ = one_problem(compiled, path, "E401")
    assert "«sang_kien» is listed again" in problem.message
    assert str(problem.span) == f"{path}:so_tp!F{last}"


def test_a_unit_in_two_files_of_a_folder(compiled: CompiledPolicy, tmp_path: Path) -> None:
    save(form(compiled), tmp_path / "a.xlsx")
    save(form(compiled), tmp_path / "b.xlsx")
    problem, _ = one_problem(compiled, tmp_path, "E407")
    assert "so_tp" in problem.message


def test_the_unit_block_is_required(compiled: CompiledPolicy, tmp_path: Path) -> None:
    book = form(compiled)
    book.worksheets[0]["D3"] = None  # the unit's id left blank
    path = save(book, tmp_path / "so_tp.xlsx")
    _problem, where = one_problem(compiled, path, "E409")
    assert where == f"{path}:so_tp!D3"
    assert UNIT_FIELDS[0] == ("unit", book.worksheets[0]["A3"].value)


# --- YAML ---------------------------------------------------------------------------------------


def test_yaml_facts_score_as_the_json(compiled: CompiledPolicy, tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(
        """\
year: 2024
units:
  - unit: so_tp
    name: Sở Tư pháp
    unit_type: so
    inputs:
      ke_hoach_ngay: 2024-01-20
      bao_cao_dung_han: 4
      tuyen_truyen: {self: 5, appraised: 4.5}
      vb_qppl_kiem_tra: có
      tthc_dung_han: 980
      tthc_tiep_nhan: 1000
      dvc_truc_tuyen: 85%
      sang_kien: 3
      vi_tri_viec_lam: yes
      tiet_kiem_chi: 12%
      van_ban_dien_tu: 450
      van_ban_di: 500
      hai_long: 90%
      ky_luat: 0
    evidence:
      "1.1": Kế hoạch số 05/KH-STP ngày 20/01/2024
""",
        encoding="utf-8",
    )
    got = reports.unit_dict(compiled.score_file(path).unit("so_tp"))
    assert same_scores(got, json_result(compiled))


def test_yaml_problems_have_their_line(compiled: CompiledPolicy, tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(
        "- unit: so_tp\n  unit_type: so\n  inputs:\n    sang_kien: nhiều\n", encoding="utf-8"
    )
    problem = next(p for p in problems(compiled, path) if p.code != "E403")  # and the rest
    assert problem.code == "E404" and problem.span is not None
    assert (problem.span.line, problem.span.column) == (4, 16)
    path.write_text("- unit: [so_tp\n", encoding="utf-8")
    problem, _ = one_problem(compiled, path, "E401")
    assert problem.message.startswith("invalid YAML")


# --- the command line ----------------------------------------------------------------------------


def test_score_a_filled_form_from_the_command_line(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    path, _ = typed(compiled, tmp_path, "dvc_truc_tuyen", "85,0")
    before = path.read_bytes()
    runner = CliRunner()
    refused = runner.invoke(app, ["--lang", "en", "score", str(POLICY), str(path)])
    assert refused.exit_code == 1
    assert f"--> {path}:so_tp!J" in refused.stderr and "--locale vi" in refused.stderr
    done = runner.invoke(app, ["score", str(POLICY), str(path), "--locale", "vi", "-f", "csv"])
    assert done.exit_code == 0, done.stderr
    assert "so_tp" in done.stdout
    assert path.read_bytes() == before


def test_a_value_left_blank_is_missing_at_its_row(compiled: CompiledPolicy, tmp_path: Path) -> None:
    path, cell = typed(compiled, tmp_path, "sang_kien", None)
    problem, where = one_problem(compiled, path, "E403")
    assert "«sang_kien» is missing" in problem.message
    # the cell to fill (the unit's value, column J), not the input's name or the unit's id
    assert where == f"{path}:so_tp!{cell.column_letter}{cell.row}" == f"{path}:so_tp!J{cell.row}"


def test_an_old_xls_file_is_told_to_be_saved_as_xlsx(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    path = tmp_path / "so_tp.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 header
    problem, _ = one_problem(compiled, path, "E411")
    assert "save it as .xlsx" in problem.message


# --- invariants ----------------------------------------------------------------------------------


def _seen(units: Any) -> list[tuple[object, ...]]:
    """What a unit's facts say, spans (which differ by format) left out."""
    return [
        (
            u.id,
            u.name,
            u.unit_type,
            u.tags,
            *map(dict, (u.self_values, u.appraised_values, u.evidence)),
        )
        for u in units
    ]


def _csv_form(compiled: CompiledPolicy, records: list[dict[str, Any]]) -> str:
    """The CSV form of `records`, filled as a spreadsheet would hold the values: as text."""
    units = [forms.FormUnit(r["unit"], r["name"], tuple(r.get("tags", ()))) for r in records]
    rows = list(csv.reader(io.StringIO(forms.template_csv(compiled, "so", units))))
    at = {c.key: rows[0].index(c.label) for c in COLUMNS}
    unit_column = rows[0].index(UNIT_FIELDS[0][1])
    by_id = {r["unit"]: r for r in records}
    for row in rows[1:]:
        record = by_id[row[unit_column]]
        value = record["inputs"].get(row[at["input"]])
        parts = value if isinstance(value, dict) else {"self": value}
        for part, part_value in parts.items():
            if part_value is not None:
                row[at[part]] = str(part_value)
        row[at["evidence"]] = record["evidence"].get(row[at["stt"]], "")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@given(records=strategies.units(load(POLICY), max_size=4))
def test_a_csv_form_reads_back_the_facts_it_was_filled_with(
    compiled: CompiledPolicy, tmp_path_factory: pytest.TempPathFactory, records: list[Any]
) -> None:
    for record in records:
        record["unit_type"] = "so"  # the example's one unit type
    path = tmp_path_factory.mktemp("forms") / "so.csv"
    path.write_text(_csv_form(compiled, records), encoding="utf-8")
    assert _seen(compiled.facts(records).units) == _seen(compiled.read_facts(path).units)


@settings(max_examples=8)
@given(records=strategies.units(load(POLICY), max_size=2))
def test_a_workbook_reads_back_the_facts_it_was_filled_with(
    compiled: CompiledPolicy, tmp_path_factory: pytest.TempPathFactory, records: list[Any]
) -> None:
    for record in records:
        record["unit_type"] = "so"
    units = forms.form_units(compiled.facts(records).units, "so")
    book = openpyxl.load_workbook(io.BytesIO(forms.template_workbook(compiled, "so", units)))
    for sheet, record in zip(book.worksheets, records, strict=True):
        fill(sheet, record, dates_as_text=False)  # numbers as Excel numbers, dates as date cells
    path = save(book, tmp_path_factory.mktemp("forms") / "so.xlsx")
    assert _seen(compiled.facts(records).units) == _seen(compiled.read_facts(path).units)


def test_a_csv_form_problem_is_shown_by_its_cell_without_a_caret(
    compiled: CompiledPolicy, tmp_path: Path
) -> None:
    record = unit_record()
    record["inputs"]["sang_kien"] = "nhiều"
    path = tmp_path / "so_tp.csv"
    path.write_text(_csv_form(compiled, [record]), encoding="utf-8")
    _, where = one_problem(compiled, path, "E404")
    # the 14th cell, «Đơn vị tự đánh giá: Giá trị»: the unit's 4, the criterion's 5, the input's 4
    assert where.startswith(f"{path}!N")
    result = CliRunner().invoke(app, ["--lang", "en", "score", str(POLICY), str(path)])
    assert f"--> {where}\n" in result.stderr
    assert "^" not in result.stderr  # a caret would count cells as characters


@given(
    number=st.decimals(allow_nan=False, allow_infinity=False, places=4).filter(
        lambda d: len(d.normalize().as_tuple().digits) <= 15 and abs(d) < Decimal("1e11")
    )
)
def test_a_number_excel_stores_as_a_double_reads_back_exactly(number: Decimal) -> None:
    """Excel keeps 15 significant digits in a double; the shortest text of that double is the
    number typed, so no float error reaches a score."""
    from cchc_dsl.readers import excel_value

    assert excel_value(float(number), InputType.NUMBER, percent=False) == number
