"""The ranking as a published-style Excel workbook (`score --format xlsx`).

One sheet per ranking block (rank, unit, max, points, %, band; with `--previous`, last year's
index and rank beside them), a sheet of band counts, and one sheet per unit with its
point-by-point explanation. Numbers are written as the exact decimals they are and shown with
the policy's places; every text from a policy or facts file is written as text, never as a
formula, whatever it starts with.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cchc_dsl.api import Progress, ScoreReport
from cchc_dsl.history import YearOverYear
from cchc_dsl.reports import (
    EXPLANATION_HEADERS,
    NO_BAND,
    NUMERIC_COLUMNS,
    band_table,
    explanation_rows,
    gone_lines,
    policy_line,
    ranking_blocks,
)
from cchc_dsl.results import UnitResult

Cell = str | int | Decimal | None
_BOLD = Font(bold=True)
_NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\]")
_DECIMALS = {3, 4, 5, 7, 8}  # max, points, index; last year's index and the change


class _Sheet:
    """A write-only worksheet (streamed: a sheet per unit stays fast for hundreds of units),
    filled row by row; a text stays a text even when it starts with '='."""

    def __init__(self, book: Workbook, title: str, widths: list[int], freeze: str) -> None:
        self.sheet = book.create_sheet(title)
        for column, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(column)].width = width
        self.sheet.freeze_panes = freeze

    def write(
        self,
        values: Iterable[Cell],
        *,
        bold: bool = False,
        formats: Mapping[int, str] | None = None,
        indent: int = 0,
    ) -> None:
        row: list[object] = []
        for column, value in enumerate(values):
            styled = bold or (formats and column in formats) or (indent and column < 2)
            if value == "" or (not styled and not _looks_like_formula(value)):
                row.append(None if value == "" else value)
                continue
            cell = WriteOnlyCell(self.sheet)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
            if bold:
                cell.font = _BOLD
            if formats and column in formats:
                cell.number_format = formats[column]
            if indent and column < 2:
                cell.alignment = Alignment(indent=indent)
            row.append(cell)
        self.sheet.append(row)


def _looks_like_formula(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith("=")


_RANKING_WIDTHS = [7, 24, 44, 12, 12, 12, 14, 14, 12, 12, 14]
_UNIT_WIDTHS = [10, 44, 10, 10, 22, 28, 44, 36, 36, 20]


def workbook_bytes(
    report: ScoreReport, history: YearOverYear | None = None, progress: Progress | None = None
) -> bytes:
    """The workbook's bytes; `progress(done, total)` after each unit's sheet, the slow part."""
    book = Workbook(write_only=True)
    names: set[str] = set()
    decimals = "0." + "0" * _places(report) if _places(report) else "0"
    formats = dict.fromkeys(_DECIMALS, decimals)
    for block in ranking_blocks(report, history):
        sheet = _Sheet(book, _sheet_name(block.title, names), _RANKING_WIDTHS, "A4")
        sheet.write([policy_line(report)], bold=True)
        sheet.write([f"{block.title} ({len(block.rows)} đơn vị)"])
        sheet.write(block.headers, bold=True)
        for row in block.rows:
            numbers = (_number(c) if i in NUMERIC_COLUMNS else c for i, c in enumerate(row))
            sheet.write(numbers, formats=formats)
    headers, rows = band_table(report)
    counts = _Sheet(book, _sheet_name("Xếp loại", names), [24] + [16] * len(headers), "B2")
    counts.write(headers, bold=True)
    for band, *per_block in rows:
        counts.write([band, *(int(n) for n in per_block)])
    gone = gone_lines(history)
    if gone:
        sheet = _Sheet(book, _sheet_name("Không còn năm nay", names), [100], "A2")
        for line in gone:
            sheet.write([line.strip()])
    for done, unit in enumerate(report.units, 1):
        _unit_sheet(_Sheet(book, _sheet_name(unit.unit, names), _UNIT_WIDTHS, "A8"), report, unit)
        if progress is not None:
            progress(done, len(report.units))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _unit_sheet(sheet: _Sheet, report: ScoreReport, unit: UnitResult) -> None:
    """Seven lines of heading (frozen above the table), the explanation, the index's arithmetic."""
    e = unit.official
    sheet.write([f"{unit.name} ({unit.unit})"], bold=True)
    sheet.write([policy_line(report)])
    sheet.write(["Chỉ số (%)", e.index_rounded, e.band or NO_BAND])
    sheet.write(["Điểm đạt / tối đa", e.points, e.max])
    sheet.write(["Hạng", unit.rank, unit.block])
    sheet.write([])
    sheet.write(EXPLANATION_HEADERS, bold=True)
    for row in explanation_rows(report, unit):
        sheet.write(row.cells(lambda number: number), indent=row.depth)
    sheet.write([])
    sheet.write(["Tính chỉ số"], bold=True)
    for step in e.steps:
        sheet.write([step])


def _number(text: str) -> Decimal | str:
    """A ranking cell back to its exact number, or the text as it is ("mới", "↑2", "")."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def _places(report: ScoreReport) -> int:
    rounding = report.policy.policy.rounding
    return rounding.places if rounding is not None else 2


def _sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\, no quote at either end, not
    "History"), unique in the workbook whatever the case."""
    base = _NOT_IN_NAMES.sub(" ", title).strip(" '") or "Khối"
    name = base[:31].rstrip(" '")
    number = 2
    while name.lower() in taken or name.lower() == "history":  # Excel keeps "History" for itself
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name
