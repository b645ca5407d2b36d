"""Filling a generated form as a unit does: by the column titles, cell by cell, with openpyxl."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TITLES = {"Mã": "input", "Tài liệu kiểm chứng": "evidence", "Giải trình": "why"}


def columns(sheet: Any) -> tuple[int, dict[str, int]]:
    """The header row and where each column is, found by its title as a person would."""
    for row in sheet.iter_rows(max_row=20):
        titles = [str(c.value or "") for c in row]
        if "STT" in titles:
            found: dict[str, int] = {}
            for column, title in enumerate(titles, 1):
                if title == "Giá trị":  # the unit's value, then the council's
                    found.setdefault("self" if "self" not in found else "appraised", column)
                elif title in _TITLES:
                    found.setdefault(_TITLES[title], column)
                elif title == "STT":
                    found["stt"] = column
            return row[0].row, found
    raise AssertionError("no header row")


def excel_value(value: object, dates_as_text: bool) -> object:
    """What a person types into Excel for a JSON value: 85 for "85%", a date cell for a date."""
    if isinstance(value, str):
        if value.endswith("%"):
            return Decimal(value[:-1])
        if match := _DMY.fullmatch(value):
            day, month, year = map(int, match.groups())
            return value if dates_as_text else datetime.date(year, month, day)
        try:
            return value if dates_as_text else datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, Decimal):
        return float(value)  # what Excel stores
    return value


def fill(sheet: Any, unit: dict[str, Any], dates_as_text: bool = False) -> None:
    """Type a JSON unit's values, evidence and the council's values into its sheet."""
    header, at = columns(sheet)
    inputs = unit.get("inputs", {})
    evidence = dict(unit.get("evidence", {}))
    for row in range(header + 1, sheet.max_row + 1):
        name = sheet.cell(row=row, column=at["input"]).value
        if name in inputs:
            given = inputs[name]
            parts = given if isinstance(given, dict) else {"self": given}
            for part, value in parts.items():
                sheet.cell(row=row, column=at[part]).value = excel_value(value, dates_as_text)
        stt = sheet.cell(row=row, column=at["stt"]).value
        if stt in evidence:
            sheet.cell(row=row, column=at["evidence"]).value = evidence.pop(stt)
