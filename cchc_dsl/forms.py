"""The self-assessment form (phiếu tự đánh giá) of one unit type, generated from the regulation.

In: a compiled policy, a unit type and, optionally, the units to pre-fill. Out: an .xlsx workbook
(one sheet per unit, or one file per unit) or a CSV with the same columns. The rows are the
annex's (`annex.annex_rows`), each node followed by one row per input its rule reads, where the
unit types its value, its evidence and explanation, and the council its own value and note. The
layout is locked and formula-free: only the cells to fill are unlocked, and each input cell
validates its declared type and range. `readers.py` reads the filled form back.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from cchc_dsl import nodes as n
from cchc_dsl.annex import annex_rows, date_text
from cchc_dsl.api import CompiledPolicy
from cchc_dsl.facts import UnitFacts
from cchc_dsl.readers import COLUMNS, GROUPS, UNIT_FIELDS
from cchc_dsl.values import format_value

TYPE_WORDS = {
    n.InputType.YES_NO: "có/không",
    n.InputType.COUNT: "số đếm",
    n.InputType.NUMBER: "số",
    n.InputType.POINTS: "điểm",
    n.InputType.PERCENT: "tỷ lệ (%)",
    n.InputType.SURVEY: "khảo sát (%)",
    n.InputType.DATE: "ngày (dd/mm/yyyy)",
}
_RATES = (n.InputType.PERCENT, n.InputType.SURVEY)
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_INPUT_KEYS = ("self", "appraised")
INSTRUCTIONS = (
    "Đơn vị nhập giá trị tự đánh giá, tài liệu kiểm chứng (số, ký hiệu văn bản hoặc đường dẫn) và"
    " giải trình vào các ô nền vàng; Hội đồng thẩm định nhập giá trị thẩm định và ý kiến. Tỷ lệ"
    " nhập theo % (85 là 85%); ngày nhập dd/mm/yyyy; có/không chọn trong danh sách."
)


@attrs.frozen(slots=True)
class FormRow:
    """One line of the form: a node or adjustment (its annex columns), or one input it reads."""

    stt: str
    level: int
    kind: str
    title: str
    max: str
    method: str
    citation: str
    input: n.InputDecl | None
    evidence: bool  # whether the unit gives evidence here: the first line of a leaf criterion

    @property
    def is_item(self) -> bool:
        """The node's own line (the first of its lines), not a further input of it."""
        return bool(self.stt)


def form_rows(compiled: CompiledPolicy, unit_type: str) -> tuple[FormRow, ...]:
    """The annex rows of `unit_type`, each input on the line of the first item that reads it."""
    program = compiled.program(unit_type)
    reads: dict[str, tuple[str, ...]] = {a.id: a.reads for a in program.adjustments}
    leaves: set[str] = set()
    stack = list(program.nodes)
    while stack:
        node = stack.pop()
        reads[node.id] = node.reads
        stack.extend(node.children)
        if not node.children:
            leaves.add(node.id)
    declared = {d.name: d for d in compiled.policy.inputs}
    placed: set[str] = set()
    rows: list[FormRow] = []
    for row in annex_rows(compiled.policy, unit_type):
        # in the order the regulation declares its inputs, as a drafter reads them
        names = [r for r in declared if r in reads.get(row.stt, ()) and r not in placed]
        placed.update(names)
        notes = f"ghi chú: {'; '.join(row.notes)}" if row.notes else ""
        method = f"{row.method} ({notes})" if row.method and notes else row.method or notes
        first = names[0] if names else None
        rows.append(
            FormRow(
                row.stt,
                row.level,
                row.kind,
                row.title,
                row.maxima[0][1],
                method,
                row.citation,
                declared[first] if first else None,
                row.stt in leaves,
            )
        )
        rows.extend(
            FormRow("", row.level, row.kind, "", "", "", "", declared[name], False)
            for name in names[1:]
        )
    return tuple(rows)


def typed_bounds(decl: n.InputDecl) -> tuple[Decimal | None, Decimal | None]:
    """The bounds of a value as it is typed: a rate in % (0 .. 100 unless narrowed), a count
    from 0; None where the policy sets none."""
    rate = decl.type in _RATES
    scale = Decimal(100) if rate else Decimal(1)
    low = decl.low.value * scale if decl.low else None
    high = decl.high.value * scale if decl.high else None
    if rate or decl.type is n.InputType.COUNT:
        low = Decimal(0) if low is None else low
    if rate:
        high = Decimal(100) if high is None else high
    return low, high


def range_text(decl: n.InputDecl) -> str:
    """The range as the form states it: "0 .. 100 (%)" for a rate, "≥ 0" for a count."""
    if decl.type in (n.InputType.YES_NO, n.InputType.DATE):
        return ""
    low, high = typed_bounds(decl)
    if low is not None and high is not None:
        rate = " (%)" if decl.type in _RATES else ""
        return f"{format_value(low)} .. {format_value(high)}{rate}"
    if low is not None:
        return f"≥ {format_value(low)}"
    return f"≤ {format_value(high)}" if high is not None else ""


def type_text(decl: n.InputDecl) -> str:
    """The input's type, and what a blank cell means when it is not an error."""
    words = TYPE_WORDS[decl.type]
    if decl.default is not None:
        default = decl.default
        if isinstance(default, n.DateValue):
            shown = date_text(default.value)
        else:
            shown = format_value(default.value, isinstance(default, n.Number) and default.percent)
        return f"{words}; để trống: {shown}"
    return f"{words}; để trống: chưa thực hiện" if decl.optional else words


def _cells(row: FormRow) -> dict[str, str]:
    """The fixed text of a line, by column key."""
    decl = row.input
    return {
        "stt": row.stt,
        "title": row.title,
        "max": row.max,
        "method": row.method,
        "citation": row.citation,
        "input": decl.name if decl else "",
        "input_title": (decl.title or decl.name) if decl else "",
        "type": type_text(decl) if decl else "",
        "range": range_text(decl) if decl else "",
    }


@attrs.frozen(slots=True)
class FormUnit:
    """A unit the form is for; a blank one (no units given) leaves id and name to fill."""

    id: str = ""
    name: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def of(cls, unit: UnitFacts) -> FormUnit:
        return cls(unit.id, unit.name, unit.tags)


def form_units(units: Sequence[UnitFacts], unit_type: str) -> tuple[FormUnit, ...]:
    """The units of `unit_type` to pre-fill, in their file's order; one blank unit if none."""
    chosen = tuple(FormUnit.of(u) for u in units if u.unit_type == unit_type)
    return chosen or (FormUnit(),)


# --- CSV ----------------------------------------------------------------------------------------


def template_csv(compiled: CompiledPolicy, unit_type: str, units: Sequence[FormUnit]) -> str:
    """The form as CSV: the unit's columns, then the workbook's columns, on every line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*(label for _, label in UNIT_FIELDS), *(c.label for c in COLUMNS)])
    rows = form_rows(compiled, unit_type)
    for unit in units:
        known = list(_unit_values(unit, unit_type))
        for row in rows:
            cells = {key: _csv_text(text) for key, text in _cells(row).items()}
            writer.writerow([*known, *(cells.get(c.key, "") for c in COLUMNS)])
    return out.getvalue()


def _csv_text(text: str) -> str:
    """Text a spreadsheet would take for a formula ("= 100%: 15") is quoted as Excel quotes it."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


# --- the workbook --------------------------------------------------------------------------------

_FILL = "FFF2CC"  # the pale yellow of cells to fill
_HEAD = "D9E1F2"
_FIRST_ROW = 10  # the first line of the table; rows 8 and 9 are its two-row header
_UNIT_ROWS = {key: 3 + offset for offset, (key, _) in enumerate(UNIT_FIELDS)}  # rows 3 to 6
_UNIT_COLUMN = 4  # the unit's values, right of their labels (merged over A:C)


def _unit_values(unit: FormUnit, unit_type: str) -> tuple[str, str, str, str]:
    """The unit's id, name, type and tags, in the order of `UNIT_FIELDS`."""
    return unit.id, unit.name, unit_type, ", ".join(unit.tags)


def template_workbook(compiled: CompiledPolicy, unit_type: str, units: Sequence[FormUnit]) -> bytes:
    """The .xlsx form with one sheet per unit, as bytes (the caller writes them atomically)."""
    out = io.BytesIO()
    template_book(compiled, unit_type, units).save(out)
    return out.getvalue()


def template_book(compiled: CompiledPolicy, unit_type: str, units: Sequence[FormUnit]) -> Any:
    """The form as an openpyxl `Workbook`, for a program that fills it before saving."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    rows = form_rows(compiled, unit_type)
    names: set[str] = set()
    first = book.create_sheet(_sheet_title(units[0].id or unit_type, names))
    _write_sheet(first, compiled, unit_type, units[0], rows)
    for unit in units[1:]:
        _copy_sheet(book, first, unit, _sheet_title(unit.id or unit_type, names))
    return book


def _copy_sheet(book: Any, first: Any, unit: FormUnit, title: str) -> None:
    """Another unit's sheet: the first one copied (styling cell by cell is slow), with what a
    copy leaves out — validations, protection, frozen panes — and this unit's own cells."""
    sheet = book.copy_worksheet(first)
    sheet.title = title
    for check in first.data_validations.dataValidation:
        sheet.add_data_validation(copy.deepcopy(check))
    sheet.protection = copy.copy(first.protection)
    sheet.freeze_panes = first.freeze_panes
    for (key, _), value in zip(UNIT_FIELDS, _unit_values(unit, ""), strict=True):
        if key != "unit_type":
            sheet.cell(row=_UNIT_ROWS[key], column=_UNIT_COLUMN).value = value or None


def _sheet_title(wanted: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = _SHEET_NAME.sub("_", wanted)[:31] or "phieu"
    title, number = base, 1
    while title.casefold() in taken:
        number += 1
        title = f"{base[: 31 - len(str(number)) - 1]}_{number}"
    taken.add(title.casefold())
    return title


def _write_sheet(
    sheet: Any, compiled: CompiledPolicy, unit_type: str, unit: FormUnit, rows: Sequence[FormRow]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    fill = PatternFill("solid", fgColor=_FILL)
    head = PatternFill("solid", fgColor=_HEAD)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    last = len(COLUMNS)
    meta = compiled.policy.metadata
    program = compiled.program(unit_type)

    def put(row: int, column: int, value: object, editable: bool = False) -> Any:
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # "= 100%: 15" is text, not a formula
        cell.alignment = wrap
        if editable:
            cell.protection = Protection(locked=False)
            cell.fill = fill
        return cell

    put(1, 1, meta.title).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    issued = f" ngày {date_text(meta.issued)}" if meta.issued else ""
    subtitle = f"Phiếu tự đánh giá, chấm điểm — {program.unit_type_title}"
    put(2, 1, f"{subtitle} — theo {meta.decision}{issued}" if meta.decision else subtitle)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    given = bool(unit.id)
    editable = {"unit": not given, "name": True, "unit_type": False, "tags": not given}
    for (key, label), value in zip(UNIT_FIELDS, _unit_values(unit, unit_type), strict=True):
        row = _UNIT_ROWS[key]
        put(row, 1, label).font = bold
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=_UNIT_COLUMN - 1)
        put(row, _UNIT_COLUMN, value or None, editable[key])
    put(_UNIT_ROWS["unit_type"], _UNIT_COLUMN + 1, program.unit_type_title)
    put(7, 1, INSTRUCTIONS).font = Font(italic=True)
    sheet.merge_cells(start_row=7, start_column=1, end_row=7, end_column=last)
    sheet.row_dimensions[7].height = 45
    _write_header(sheet, put, head, bold)
    _write_rows(sheet, put, rows)
    for column, spec in enumerate(COLUMNS, 1):
        sheet.column_dimensions[_letter(column)].width = spec.width
    sheet.freeze_panes = sheet.cell(row=_FIRST_ROW, column=3)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column is not changing the layout
    sheet.protection.formatRows = False


def _letter(column: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(column)


def _write_header(sheet: Any, put: Any, head: Any, bold: Any) -> None:
    """Two rows: each group merged over its columns, then the columns' titles."""
    top, titles = _FIRST_ROW - 2, _FIRST_ROW - 1
    for group in GROUPS:
        columns = [i for i, c in enumerate(COLUMNS, 1) if c.group == group]
        put(top, columns[0], group)
        sheet.merge_cells(
            start_row=top, start_column=columns[0], end_row=top, end_column=columns[-1]
        )
    for column, spec in enumerate(COLUMNS, 1):
        put(titles, column, spec.title)
        for row in (top, titles):
            sheet.cell(row=row, column=column).fill = head
            sheet.cell(row=row, column=column).font = bold


def _write_rows(sheet: Any, put: Any, rows: Sequence[FormRow]) -> None:
    from openpyxl.styles import Alignment, Font

    position = {c.key: i for i, c in enumerate(COLUMNS, 1)}
    checks = _Validations(sheet)
    for number, row in enumerate(rows, _FIRST_ROW):
        for key, text in _cells(row).items():
            if text:
                put(number, position[key], text)
        title = sheet.cell(row=number, column=position["title"])
        title.alignment = Alignment(wrap_text=True, vertical="top", indent=row.level)
        if row.is_item and row.level == 0:
            for key in ("stt", "title", "max"):
                sheet.cell(row=number, column=position[key]).font = Font(bold=True)
        if row.input is not None:
            for key in _INPUT_KEYS:
                cell = put(number, position[key], None, editable=True)
                checks.add(cell, row.input)
            put(number, position["note"], None, editable=True)
        if row.evidence:
            for key in ("evidence", "explanation", "note"):
                put(number, position[key], None, editable=True)


class _Validations:
    """One data validation per kind of input, each listing the cells it checks."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.made: dict[_Check, Any] = {}

    def add(self, cell: Any, decl: n.InputDecl) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        check = _check(decl)
        if check not in self.made:
            made = DataValidation(
                type=check.kind,
                operator=None if check.kind == "list" else "between",
                formula1=check.low,
                formula2=check.high,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Giá trị không hợp lệ",
                error=check.error,
            )
            self.made[check] = made
            self.sheet.add_data_validation(made)
        self.made[check].add(cell)
        if decl.type is n.InputType.DATE:
            cell.number_format = "DD/MM/YYYY"


@attrs.frozen(slots=True)
class _Check:
    kind: Literal["list", "date", "whole", "decimal"]
    low: str
    high: str | None
    error: str


_YES_NO = _Check("list", '"có,không"', None, "Chọn có hoặc không")
_DATE = _Check("date", "1", "2958465", "Nhập một ngày, từ 01/01/1900 đến 31/12/9999")
_UNBOUNDED = Decimal("1e15")


def _check(decl: n.InputDecl) -> _Check:
    """What Excel checks as a value is typed: the list có/không, a date, a number in range."""
    if decl.type is n.InputType.YES_NO:
        return _YES_NO
    if decl.type is n.InputType.DATE:
        return _DATE
    low, high = typed_bounds(decl)
    low_text = format_value(-_UNBOUNDED if low is None else low)
    high_text = format_value(_UNBOUNDED if high is None else high)
    whole = decl.type is n.InputType.COUNT
    what = "một số nguyên" if whole else "một số"
    error = f"Nhập {what}" + (
        "" if (low, high) == (None, None) else f" từ {low_text} đến {high_text}"
    )
    return _Check("whole" if whole else "decimal", low_text, high_text, error)


def unit_files(units: Sequence[FormUnit], suffix: str) -> Iterator[tuple[FormUnit, str]]:
    """Each unit with the file name of its own form: its id, made safe and unique."""
    taken: set[str] = set()
    for unit in units:
        base = re.sub(r"[^\w.-]", "_", unit.id or "phieu") or "phieu"
        name, number = base, 1
        while name.casefold() in taken:
            number += 1
            name = f"{base}_{number}"
        taken.add(name.casefold())
        yield unit, f"{name}{suffix}"


def templates(
    compiled: CompiledPolicy,
    unit_type: str,
    units: Sequence[UnitFacts] = (),
    *,
    csv_format: bool = False,
    one_file_per_unit: bool = False,
) -> list[tuple[str, bytes]]:
    """The forms to write: one (name "", the whole form) or, per unit, (file name, its form)."""
    chosen = form_units(units, unit_type)

    def render(part: Sequence[FormUnit]) -> bytes:
        if csv_format:
            return template_csv(compiled, unit_type, part).encode("utf-8")
        return template_workbook(compiled, unit_type, part)

    if not one_file_per_unit:
        return [("", render(chosen))]
    suffix = ".csv" if csv_format else ".xlsx"
    return [(name, render((unit,))) for unit, name in unit_files(chosen, suffix)]
