"""Facts from the files provinces already use: filled self-assessment workbooks, their CSV form,
YAML, and a folder of any of these, besides the JSON and CSV that `facts.py` reads.

In: a path and a checked policy. Out: the same `Facts` records as `facts.py`, built by its
`UnitReader`, so that every value is validated (and every problem worded) in one place. What this
module adds is the spreadsheet side: finding the form's header (merged cells and all), taking the
unit from the block above it, turning Excel's cell values (floats, date cells, serial numbers,
percent-formatted cells) into what `facts.parse_value` reads, and placing every problem at its
cell, `file:sheet!B12`. A workbook is checked as a zip before openpyxl opens it: a renamed text
file or a zip bomb is refused with a message. Files are only ever read.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import yaml

from cchc_dsl.diagnostics import DiagnosticSink, Said, read_error
from cchc_dsl.facts import (
    FACTS_SUFFIXES,
    Facts,
    UnitReader,
    Where,
    cell_at,
    csv_delimiter,
    csv_rows,
    read_csv,
    read_document,
    read_json,
    read_text,
)
from cchc_dsl.nodes import InputType, Policy
from cchc_dsl.source import SourceFile, Span

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = (*FACTS_SUFFIXES, ".yaml", ".yml", *WORKBOOK_SUFFIXES)
# What a workbook may unpack to, by its zip's own declaration: a filled form is well under 1 MB.
MAX_UNPACKED = 64 * 1024 * 1024
_HEADER_SEARCH = 40  # rows searched for the table's header
_EXCEL_SERIALS = (1, 2958465)  # 1900-01-01 .. 9999-12-31


def cell_name(row: int, column: int) -> str:
    """`B12` for row 12, column 2 (both 1-based)."""
    from openpyxl.utils.cell import get_column_letter  # openpyxl loads only for workbooks

    return f"{get_column_letter(column)}{row}"


@attrs.frozen(slots=True)
class CellSpan(Span):
    """A cell of a sheet: shown as `file:sheet!B12` (`file!B12` for a CSV form)."""

    sheet: str = ""
    in_text: ClassVar[bool] = False  # a cell, not a character: no caret under a CSV line

    def __str__(self) -> str:
        cell = cell_name(self.line, self.column)
        return f"{self.source}:{self.sheet}!{cell}" if self.sheet else f"{self.source}!{cell}"


# --- the form's layout, shared with forms.py which writes it ---------------------------------


@attrs.frozen(slots=True)
class Column:
    key: str
    group: str
    title: str
    width: int

    @property
    def label(self) -> str:
        """The header of the one-row (CSV) form; a workbook writes group and title in two rows."""
        return f"{self.group}: {self.title}"


CRITERION, INPUT, SELF, COUNCIL = "Tiêu chí", "Đầu vào", "Đơn vị tự đánh giá", "Hội đồng thẩm định"
COLUMNS = (
    Column("stt", CRITERION, "STT", 8),
    Column("title", CRITERION, "Nội dung", 44),
    Column("max", CRITERION, "Điểm tối đa", 9),
    Column("method", CRITERION, "Phương pháp chấm điểm", 40),
    Column("citation", CRITERION, "Căn cứ", 16),
    Column("input", INPUT, "Mã", 20),
    Column("input_title", INPUT, "Nội dung cần nhập", 34),
    Column("type", INPUT, "Kiểu", 12),
    Column("range", INPUT, "Giới hạn", 14),
    Column("self", SELF, "Giá trị", 14),
    Column("evidence", SELF, "Tài liệu kiểm chứng", 30),
    Column("explanation", SELF, "Giải trình", 30),
    Column("appraised", COUNCIL, "Giá trị", 14),
    Column("note", COUNCIL, "Ý kiến", 30),
)
GROUPS = tuple(dict.fromkeys(c.group for c in COLUMNS))
REQUIRED = ("stt", "input", "self")
# the unit: labels in the block above a workbook's table; columns of the CSV form
UNIT_FIELDS = (
    ("unit", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("unit_type", "Loại đơn vị"),
    ("tags", "Nhãn"),
)


def _norm(value: object) -> str:
    """A header as compared: NFC, case and spacing ignored, a trailing colon dropped."""
    text = unicodedata.normalize("NFC", str(value)) if value is not None else ""
    return " ".join(text.split()).casefold().rstrip(":").rstrip()


_COLUMN_KEYS = {_norm(c.label): c.key for c in COLUMNS}
# a title alone names its column where no other column has it ("STT", not "Giá trị")
_TITLES = [_norm(c.title) for c in COLUMNS]
_COLUMN_KEYS |= {t: c.key for t, c in zip(_TITLES, COLUMNS, strict=True) if _TITLES.count(t) == 1}
_UNIT_LABELS = {_norm(label): key for key, label in UNIT_FIELDS}


# --- a sheet as rows of values ----------------------------------------------------------------


@attrs.frozen(slots=True)
class _Grid:
    """One sheet (or a CSV form): non-blank rows with their 1-based numbers, and where a cell is."""

    source: str
    sheet: str  # "" for a CSV
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    percent_cells: frozenset[tuple[int, int]] = frozenset()  # (row, column) shown as a %

    def span(self, row: int, column: int) -> Span:
        return CellSpan(self.source, row, column, row, column + 1, sheet=self.sheet)

    def whole(self) -> Span:
        return CellSpan(self.source, 1, 1, 1, 2, sheet=self.sheet)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.sheet}" if self.sheet else self.source


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_grid(source: str, sheet: Any) -> _Grid:
    """The values of a worksheet; a merged range reads as its top-left value in every cell of
    the header rows (found later), and only there, so a merged evidence cell counts once."""
    rows: list[tuple[int, tuple[object, ...]]] = []
    percent: set[tuple[int, int]] = set()
    for cells in sheet.iter_rows():
        values = tuple(cell.value for cell in cells)
        if all(_blank(v) for v in values):
            continue  # blank and trailing rows, however formatted
        number = cells[0].row
        rows.append((number, values))
        for cell in cells:
            if isinstance(cell.value, int | float) and "%" in str(cell.number_format):
                percent.add((number, cell.column))
    merged = tuple((r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges)
    return _fill_merged(_Grid(source, sheet.title, tuple(rows), frozenset(percent)), merged)


def _fill_merged(grid: _Grid, merged: tuple[tuple[int, int, int, int], ...]) -> _Grid:
    """Spread each merged cell of the header and the block above it over its range."""
    header = _header_row(grid)
    if header is None or not merged:
        return grid
    # a merge that covers the first STT row (STT over two header rows, say) ends the header
    last = max([header, *(bottom for top, _, bottom, _ in merged if top <= header <= bottom)])
    values = {number: list(cells) for number, cells in grid.rows}
    for top, left, bottom, right in merged:
        if top > last or top not in values:
            continue
        first = values[top][left - 1] if left <= len(values[top]) else None
        for row in range(top, min(bottom, last) + 1):
            line = values.setdefault(row, [])
            line.extend([None] * (right - len(line)))
            for column in range(left, right + 1):
                line[column - 1] = first
    rows = tuple((number, tuple(values[number])) for number in sorted(values))
    return attrs.evolve(grid, rows=rows)


def _header_row(grid: _Grid) -> int | None:
    """The title row: the row whose cell says STT (alone, or as "Tiêu chí: STT"), or the last
    of consecutive rows that do (a merged STT over a two-row header)."""
    stt = {_norm("STT"), _norm(COLUMNS[0].label)}
    rows = grid.rows[:_HEADER_SEARCH]
    for index, (number, cells) in enumerate(rows):
        column = next((c for c, value in enumerate(cells) if _norm(value) in stt), None)
        if column is None:
            continue
        for later, cells_below in rows[index + 1 :]:
            below = cells_below[column] if column < len(cells_below) else None
            if later != number + 1 or _norm(below) not in stt:
                break
            number = later
        return number
    return None


# --- reading a form ------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _Layout:
    header: int  # the title row's number
    columns: Mapping[str, int]  # key → 1-based column
    unit_columns: Mapping[str, int]  # CSV form: the unit's own columns


def _layout(grid: _Grid, sink: DiagnosticSink) -> _Layout | None:
    """Where the form's columns are, or None (after reporting, if the sheet claims to be one)."""
    header = _header_row(grid)
    if header is None:
        if any(_norm(v) in _UNIT_LABELS for _, cells in grid.rows[:_HEADER_SEARCH] for v in cells):
            _not_a_form(
                grid,
                sink,
                grid.whole(),
                Said("no header row with «STT»", "không có dòng tiêu đề với «STT»"),
            )
        return None
    rows = dict(grid.rows)
    titles = rows[header]
    above = rows.get(header - 1, ())
    columns: dict[str, int] = {}
    units: dict[str, int] = {}
    for column, title in enumerate(titles, 1):
        group = above[column - 1] if column <= len(above) else None
        group_text = unicodedata.normalize("NFC", str(group)).strip() if group else ""
        label = f"{group_text}: {title}" if _norm(group_text) in map(_norm, GROUPS) else title
        key = _COLUMN_KEYS.get(_norm(label)) or _COLUMN_KEYS.get(_norm(title))
        if key is not None and key not in columns:
            columns[key] = column
        elif _norm(title) in _UNIT_LABELS:
            units.setdefault(_UNIT_LABELS[_norm(title)], column)
    missing = [c for c in COLUMNS if c.key in REQUIRED and c.key not in columns]
    if missing:
        names = ", ".join(f"«{c.label}»" for c in missing)
        reason = Said(f"no column {names}", f"thiếu cột {names}")
        _not_a_form(grid, sink, grid.span(header, 1), reason)
        return None
    return _Layout(header, columns, units)


def _not_a_form(grid: _Grid, sink: DiagnosticSink, span: Span, reason: Said) -> None:
    sink.report("E413", span, sheet=grid.where, reason=reason)


@attrs.frozen(slots=True)
class _Record:
    """One unit of a form, shaped like a JSON facts unit, with the cell of every value."""

    data: dict[str, Any]
    cells: dict[Where, Span]
    span: Span


class _FormReader:
    """Turns the rows of one form into unit records for `UnitReader`."""

    def __init__(self, grid: _Grid, layout: _Layout, policy: Policy, sink: DiagnosticSink) -> None:
        self.grid, self.layout, self.sink = grid, layout, sink
        self.types = {d.name: d.type for d in policy.inputs}

    def records(self) -> Iterator[_Record]:
        rows = [(n, cells) for n, cells in self.grid.rows if n > self.layout.header]
        if self.layout.unit_columns:
            yield from self._by_unit_column(rows)
            return
        record = self._unit_from_block()
        self._rows(record, rows)
        yield record

    def _cell(self, cells: tuple[object, ...], column: int | None) -> object:
        if column is None or column > len(cells):
            return None
        value = cells[column - 1]
        return None if _blank(value) else value

    def _unit_from_block(self) -> _Record:
        """The unit's id, name, type and tags, from the labelled cells above the table."""
        record = _Record({"inputs": {}, "evidence": {}}, {}, self.grid.whole())
        for number, cells in self.grid.rows:
            if number >= self.layout.header - 1:
                break
            for column, value in enumerate(cells, 1):
                key = _UNIT_LABELS.get(_norm(value))
                if key is None or key in record.data:
                    continue
                right = column + 1
                while right <= len(cells) and _norm(cells[right - 1]) == _norm(value):
                    right += 1  # the label's own merged cells
                self._unit_field(record, key, self._cell(cells, right), number, right)
        unit_span = record.cells.get(("unit",))
        return attrs.evolve(record, span=unit_span) if unit_span else record

    def _unit_field(self, record: _Record, key: str, value: object, row: int, column: int) -> None:
        span = self.grid.span(row, column)
        record.cells[(key,)] = span
        if value is None:
            return
        text = _text(value)
        record.data[key] = [t.strip() for t in re.split("[;,]", text)] if key == "tags" else text

    def _by_unit_column(self, rows: list[tuple[int, tuple[object, ...]]]) -> Iterator[_Record]:
        """The CSV form: every row names its unit; a unit's rows follow one another."""
        current: _Record | None = None
        unit_column = self.layout.unit_columns.get("unit")
        chunk: list[tuple[int, tuple[object, ...]]] = []
        for number, cells in rows:
            uid = self._cell(cells, unit_column)
            if current is None or (uid is not None and _text(uid) != current.data.get("unit")):
                if current is not None:
                    self._rows(current, chunk)
                    yield current
                current, chunk = (
                    _Record({"inputs": {}, "evidence": {}}, {}, self.grid.span(number, 1)),
                    [],
                )
                for key, column in self.layout.unit_columns.items():
                    self._unit_field(current, key, self._cell(cells, column), number, column)
            chunk.append((number, cells))
        if current is not None:
            self._rows(current, chunk)
            yield current

    def _rows(self, record: _Record, rows: list[tuple[int, tuple[object, ...]]]) -> None:
        columns = self.layout.columns
        node: str | None = None
        inputs: dict[str, dict[str, object] | None] = record.data["inputs"]
        evidence: dict[str, str] = record.data["evidence"]
        for number, cells in rows:
            stt = self._cell(cells, columns.get("stt"))
            node = _text(stt) if stt is not None else node
            name_value = self._cell(cells, columns.get("input"))
            if name_value is not None:
                self._input(record, inputs, _text(name_value), number, cells)
            else:
                self._stray_values(cells, number)
            proof = self._cell(cells, columns.get("evidence"))
            if proof is not None and node is not None:
                evidence[node] = "; ".join(filter(None, (evidence.get(node), _text(proof))))
                record.cells.setdefault(
                    ("evidence", node), self.grid.span(number, columns["evidence"])
                )

    def _input(
        self,
        record: _Record,
        inputs: dict[str, dict[str, object] | None],
        name: str,
        number: int,
        cells: tuple[object, ...],
    ) -> None:
        columns = self.layout.columns
        here = self.grid.span(number, columns["input"])
        if ("inputs", name) in record.cells:
            first = record.cells[("inputs", name)]
            unit = record.data.get("unit", "?")
            message = f"unit {unit}: input «{name}» is listed again (first at {first})"
            self.sink.report("E401", here, message=message)
            return
        record.cells[("inputs", name)] = here
        given: dict[str, object] = {}
        for part in ("self", "appraised"):
            column = columns.get(part)
            value = self._cell(cells, column)
            if value is None or column is None:
                continue
            record.cells[("inputs", name, part)] = self.grid.span(number, column)
            percent = (number, column) in self.grid.percent_cells
            given[part] = excel_value(value, self.types.get(name), percent)
        # an input left blank is still placed, so that "missing" points at the cell to fill
        if not given and columns.get("self") is not None:
            record.cells[("inputs", name)] = self.grid.span(number, columns["self"])
        inputs[name] = given or None

    def _stray_values(self, cells: tuple[object, ...], number: int) -> None:
        """A value typed on a row that names no input would be silently lost: say so."""
        for part in ("self", "appraised"):
            column = self.layout.columns.get(part)
            if column is not None and self._cell(cells, column) is not None:
                message = "a value on a row that names no input («Đầu vào: Mã») is not read"
                self.sink.report("E401", self.grid.span(number, column), message=message)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return unicodedata.normalize("NFC", str(value)).strip()


def excel_value(value: object, kind: InputType | None, percent: bool) -> object:
    """An Excel cell's value as `facts.parse_value` reads it: floats by their shortest text (as
    Excel shows them), a date cell or a serial number as a date where a date is wanted, a
    percent-formatted cell (stored as 0.85) as "85%"."""
    if isinstance(value, datetime.datetime):
        return value.date() if kind is InputType.DATE and value.time() == datetime.time() else value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    whole = number == number.to_integral_value()
    if kind is InputType.DATE and whole and _EXCEL_SERIALS[0] <= number <= _EXCEL_SERIALS[1]:
        from openpyxl.utils.datetime import from_excel

        return from_excel(int(number)).date()
    if percent and kind in (InputType.PERCENT, InputType.SURVEY):
        return f"{(number * 100).normalize():f}%"
    return number


# --- opening files -------------------------------------------------------------------------------


def _open_workbook(path: Path, sink: DiagnosticSink) -> Any:
    """The openpyxl workbook, once the file is known to be a zip of a sane declared size."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except OSError as error:
        sink.report("E106", None, path=name, reason=read_error(error))
        return None
    except zipfile.BadZipFile:
        reason = Said(
            "it is not a zip archive, as every .xlsx is (a text or .xls file renamed?)",
            "tệp không phải gói zip như mọi tệp .xlsx (tệp văn bản hoặc .xls bị đổi tên?)",
        )
        sink.report("E411", None, path=name, reason=reason)
        return None
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        sink.report("E412", None, path=name, size=unpacked, limit=MAX_UNPACKED)
        return None
    if not any(entry.filename == "xl/workbook.xml" for entry in entries):
        reason = Said(
            "the zip archive holds no xl/workbook.xml", "gói zip không có xl/workbook.xml"
        )
        sink.report("E411", None, path=name, reason=reason)
        return None
    import openpyxl

    try:
        with path.open("rb") as handle:
            data = handle.read()
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        reason = Said(
            f"openpyxl cannot read it ({type(error).__name__})",
            f"openpyxl không đọc được ({type(error).__name__})",
        )
        sink.report("E411", None, path=name, reason=reason)
        return None


def _workbook_grids(path: Path, sink: DiagnosticSink) -> list[_Grid] | None:
    book = _open_workbook(path, sink)
    if book is None:
        return None
    return [_sheet_grid(str(path), sheet) for sheet in book.worksheets]


def _csv_grid(source: SourceFile, sink: DiagnosticSink) -> _Grid:
    rows = tuple((line, tuple(cells)) for line, cells in csv_rows(source.text, source.name, sink))
    return _Grid(source.name, "", rows)


def _is_form_csv(source: SourceFile) -> bool:
    first = source.text.split("\n", 1)[0]
    header = next(csv.reader([first], delimiter=csv_delimiter(source.text)), [])
    return _norm(COLUMNS[0].label) in {_norm(cell) for cell in header}


def _read_grids(grids: list[_Grid], reader: UnitReader, policy: Policy) -> int:
    """Feed every form among `grids` to `reader`; how many forms there were."""
    forms = 0
    for grid in grids:
        layout = _layout(grid, reader.sink)
        if layout is None:
            continue
        forms += 1
        for record in _FormReader(grid, layout, policy, reader.sink).records():
            locate = functools.partial(cell_at, record.cells, record.span)
            reader.unit(record.data, len(reader.units) + 1, locate, record.span)
    return forms


def _read_yaml(source: SourceFile, reader: UnitReader) -> int | None:
    """YAML facts, shaped as JSON facts; numbers exact from their text, positions kept."""
    try:
        root = yaml.compose(source.text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        span = None
        if mark is not None:
            span = Span(source.name, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
        problem = getattr(error, "problem", None) or str(error)
        reader.sink.report("E401", span, message=f"invalid YAML: {problem}")
        return None
    places: dict[Where, Span] = {}
    doc = _yaml_value(root, (), places, source.name)

    def at(prefix: Where, where: Where = ()) -> Span | None:
        path = (*prefix, *where)
        while path not in places and path:
            path = path[:-1]
        return places.get(path)

    return read_document(doc, reader, at)


_YAML_INT = re.compile(r"[-+]?[0-9_]+")


def _yaml_value(node: Any, path: Where, places: dict[Where, Span], name: str) -> object:
    mark = node.start_mark if node is not None else None
    if mark is not None:
        places[path] = Span(name, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
    if isinstance(node, yaml.MappingNode):
        out: dict[object, object] = {}
        for key_node, value_node in node.value:
            key = _yaml_value(key_node, (), {}, name)
            step = key if isinstance(key, str | int) else str(key)
            out[key] = _yaml_value(value_node, (*path, step), places, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_value(item, (*path, i), places, name) for i, item in enumerate(node.value)]
    if node is None:
        return None
    tag, text = node.tag, node.value
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return text.casefold() in ("true", "yes", "on")
    if tag.endswith(":int") and _YAML_INT.fullmatch(text):
        return Decimal(text.replace("_", ""))
    if tag.endswith(":float"):
        try:
            return Decimal(text.replace("_", ""))
        except ArithmeticError:
            return text
    return text  # strings, dates (parse_value reads 2024-01-31), other numerals as written


def read_facts(
    path: str | Path, policy: Policy, sink: DiagnosticSink, locale: str | None = None
) -> Facts:
    """Facts from a JSON, CSV, YAML or workbook file, or from a folder of them (one reader for
    all, so that a unit listed in two files is reported). Problems go to `sink`."""
    path = Path(path)
    reader = UnitReader(policy, sink, locale)
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
        )
        if not files:
            message = f"the folder {path} holds no facts file ({', '.join(SUFFIXES)})"
            sink.report("E401", None, message=message)
        years = {_read_file(file, reader, policy) for file in files} - {None}
        return Facts(str(path), tuple(reader.units), years.pop() if len(years) == 1 else None)
    year = _read_file(path, reader, policy)
    return Facts(str(path), tuple(reader.units), year)


def _read_file(path: Path, reader: UnitReader, policy: Policy) -> int | None:
    suffix, sink = path.suffix.lower(), reader.sink
    if suffix == ".xls":
        reason = Said(
            "it is an Excel 97-2003 file: save it as .xlsx (File › Save As › Excel Workbook)",
            "đây là tệp Excel 97-2003: hãy lưu thành .xlsx (File › Save As › Excel Workbook)",
        )
        sink.report("E411", None, path=str(path), reason=reason)
        return None
    if suffix not in SUFFIXES:
        message = f"facts files are {', '.join(SUFFIXES)}, not «{path.name}»"
        sink.report("E401", None, message=message)
        return None
    if suffix in WORKBOOK_SUFFIXES:
        grids = _workbook_grids(path, sink)
        before = len(sink)
        if grids is not None and not _read_grids(grids, reader, policy) and len(sink) == before:
            reason = Said(
                "no sheet has the form's header (STT, Đầu vào: Mã, …)",
                "không trang nào có dòng tiêu đề của mẫu (STT, Đầu vào: Mã, …)",
            )
            sink.report("E413", None, sheet=str(path), reason=reason)
        return None
    source = read_text(path, sink)
    if source is None:
        return None
    if suffix == ".json":
        return read_json(source, reader)
    if suffix in (".yaml", ".yml"):
        return _read_yaml(source, reader)
    if _is_form_csv(source):
        _read_grids([_csv_grid(source, sink)], reader, policy)
    else:
        read_csv(source, reader)
    return None
