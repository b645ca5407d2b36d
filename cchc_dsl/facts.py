"""Facts: the units of one assessment and the values they claim, read and checked against a policy.

Facts files are typed by hand or exported from spreadsheets, so every problem of a file is reported
in one run, each pointing at its place, and nothing is guessed: numbers are `Decimal` from the text
on, a percentage is stored as its fraction, an empty cell stays missing. Which inputs a unit needs
depends on its type, tags and rules, so missing values are the evaluator's business, not this one's.
JSON positions come from `json_source_map`, which is slow: it runs only when a position is wanted.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import functools
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import attrs
from json_source_map import calculate

from cchc_dsl import nodes
from cchc_dsl.diagnostics import DiagnosticSink, Said, also, did_you_mean, read_error
from cchc_dsl.nodes import InputDecl, InputType, Policy
from cchc_dsl.source import MAX_FACTS_BYTES, SourceFile, Span, deepest_bracket, read_bytes

Value: TypeAlias = bool | Decimal | datetime.date
Where: TypeAlias = tuple[str | int, ...]  # a path inside one unit's record, e.g. ("inputs", "x")
Locate: TypeAlias = Callable[[Where], Span | None]
_Values: TypeAlias = dict[str, Value]

_V = TypeVar("_V")
_UNIT_KEYS = ("unit", "id", "name", "unit_type", "tags", "inputs", "evidence")
# problems that leave a unit scoreable, without the values concerned
_VALUE_PROBLEMS = frozenset({"E402", "E404", "E405", "E410"})
_PARTS = ("self", "appraised")
_KNOWN_TEXTS = 10_000  # texts remembered per input; parse_value depends on the text alone
_PLAIN = (str, Decimal, bool, int, float, datetime.date)  # a value, not a self/appraised object
_FIXED_COLUMNS = ("unit", "id", "name", "unit_type", "tags")
_DIGITS = 28
YEARS = range(1900, 2201)  # index years, as `--year` takes them: the calendar's dates stay valid
_YES = frozenset({"yes", "true", "có", "x", "1"})
_NO = frozenset({"no", "false", "không", "0"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Vietnamese habit: a comma before the decimals, dots between groups of thousands
_VI_NUMBER = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|[+-]?\d+,\d+")
COMMA_HINT = Said(
    "write the decimals after a dot (78.84), or read the file with --locale vi",
    "viết phần thập phân sau dấu chấm (78.84), hoặc đọc tệp với --locale vi",
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4})")
_EXPECTED = {
    InputType.YES_NO: "yes or no (có/không, true/false, x, 1/0)",
    InputType.COUNT: "a whole number of at least 0",
    InputType.NUMBER: "a number",
    InputType.POINTS: "a number of points",
    InputType.PERCENT: "a percentage from 0 to 100, such as 85 or 85%",
    InputType.SURVEY: "a survey result from 0 to 100 %, such as 85 or 85%",
    InputType.DATE: "a date (YYYY-MM-DD or DD/MM/YYYY)",
}
_EXPECTED_VI = {
    InputType.YES_NO: "có hoặc không (có/không, true/false, x, 1/0)",
    InputType.COUNT: "một số nguyên không âm",
    InputType.NUMBER: "một số",
    InputType.POINTS: "một số điểm",
    InputType.PERCENT: "một tỷ lệ phần trăm từ 0 đến 100, như 85 hay 85%",
    InputType.SURVEY: "một kết quả khảo sát từ 0 đến 100 %, như 85 hay 85%",
    InputType.DATE: "một ngày (YYYY-MM-DD hoặc DD/MM/YYYY)",
}
_NO_SUCH_DAY = "there is no such day in the calendar"
_TOO_LONG = f"a number has at most {_DIGITS} digits"
_REASONS_VI = {
    _NO_SUCH_DAY: "không có ngày này trong lịch",
    _TOO_LONG: f"một số có nhiều nhất {_DIGITS} chữ số",
}


class _Frozen(Mapping[str, _V]):
    """A read-only dict that hashes, so that frozen facts stay hashable."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, _V] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> _V:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return repr(self._data)


def _freeze(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return data if isinstance(data, _Frozen) else _Frozen(data)


def _plain_dict(data: Mapping[str, _V]) -> Mapping[str, _V]:
    """The dict inside a `_Frozen`, to copy at C speed rather than key by key."""
    return data._data if isinstance(data, _Frozen) else data


class _LazySpans(Mapping[str, Span]):
    """Where each input value sits, looked up only when asked for."""

    __slots__ = ("_at", "_names")

    def __init__(self, names: tuple[str, ...], at: Locate) -> None:
        self._names, self._at = names, at  # a tuple, not a dict: 10,000 units keep one each

    def __getitem__(self, name: str) -> Span:
        if name not in self._names:
            raise KeyError(name)
        span = self._at(("inputs", name))
        if span is None:
            raise KeyError(name)
        return span

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@attrs.frozen(slots=True)
class UnitFacts:
    """One unit: what it claims (`self_values`) and what the appraisal council changed or gave."""

    id: str
    name: str
    unit_type: str
    tags: tuple[str, ...]
    self_values: Mapping[str, Value] = attrs.field(converter=_freeze)
    appraised_values: Mapping[str, Value] = attrs.field(converter=_freeze)
    evidence: Mapping[str, str] = attrs.field(converter=_freeze)
    span: Span | None = attrs.field(default=None, eq=False)  # the CSV row; None for JSON (slow)
    input_spans: Mapping[str, Span] = attrs.field(factory=_Frozen, eq=False)
    # inputs whose given value was reported as wrong: missing now, but not to be reported again
    rejected: frozenset[str] = attrs.field(default=frozenset(), eq=False)
    locate: Callable[[], Span | None] | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def has_appraisal(self) -> bool:
        return bool(self.appraised_values)

    @property
    def position(self) -> Span | None:
        """Where the unit stands in its file, found (for JSON, slowly) only when asked for."""
        if self.span is None and self.locate is not None:
            return self.locate()
        return self.span

    def values(self, appraised: bool) -> dict[str, Value]:
        """The self view is `self_values`; the appraised view overrides it by `appraised_values`."""
        own = _plain_dict(self.self_values)
        if appraised and self.appraised_values:
            return {**own, **_plain_dict(self.appraised_values)}
        return dict(own)


@attrs.frozen(slots=True)
class Facts:
    source: str  # the file name, or "<data>"
    units: tuple[UnitFacts, ...]
    year: int | None = None


class _RangeError(ValueError):
    def __init__(self, value: str, low: str, high: str) -> None:
        super().__init__(f"{value} is outside {low} .. {high}")
        self.value, self.low, self.high = value, low, high


class _Literal(str):
    """A value that was not text in the file, shown as written even under `!r`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str.__str__(self)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _key(key: object) -> str:
    return _nfc(key) if isinstance(key, str) else str(key)


def _shown(raw: object) -> object:
    """A value as a message quotes it; a long one (a 10,000-digit number) by its ends."""
    if isinstance(raw, bool):
        return _Literal(str(raw).lower())
    if isinstance(raw, Decimal | int | datetime.date):
        return _Literal(_ends(str(raw)))
    return _ends(raw) if isinstance(raw, str) else raw


def _ends(text: str, most: int = 60) -> str:
    if len(text) <= most:
        return text
    return f"{text[: most // 2]}…{text[-most // 4 :]} ({len(text):,} characters)"


def _show(number: Decimal, percent: bool) -> str:
    return f"{(number * 100).normalize():f}%" if percent else str(number)


def _bound(bound: nodes.Number | None, otherwise: str) -> str:
    return otherwise if bound is None else _show(bound.value, bound.percent)


def parse_value(text_or_value: object, decl: InputDecl, locale: str | None = None) -> Value:
    """The value of `decl`'s type for a CSV cell, a JSON value or a Python value.

    Under `locale` "vi" a number may be written the Vietnamese way: "78,84", "1.234,5".

    Raises `ValueError` with a short reason; the reason is `_EXPECTED[decl.type]` unless there is
    something more specific to say. A value outside its range raises the subclass `_RangeError`.
    """
    if isinstance(text_or_value, str):
        raw: object = (text_or_value if text_or_value.isascii() else _nfc(text_or_value)).strip()
    else:
        raw = text_or_value
    kind = decl.type
    if kind is InputType.COUNT or kind is InputType.NUMBER or kind is InputType.POINTS:
        number = _number(raw, False, kind, locale == "vi")
        if kind is InputType.COUNT:
            if number < 0 or number != number.to_integral_value():
                raise ValueError(_EXPECTED[kind])
            number = Decimal(int(number))
        return _in_range(number, decl, False)
    if kind is InputType.YES_NO:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, Decimal | int) and raw in (0, 1):
            return bool(raw == 1)
        key = raw.casefold() if isinstance(raw, str) else None
        if key in _YES or key in _NO:
            return key in _YES
        raise ValueError(_EXPECTED[kind])
    if kind is InputType.DATE:
        if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
            return raw
        match = _DATE.fullmatch(raw) if isinstance(raw, str) else None
        if match is None:
            raise ValueError(_EXPECTED[kind])
        year, month, day = match.group(1, 2, 3) if match.group(1) else match.group(6, 5, 4)
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(_NO_SUCH_DAY) from None
    number = _number(raw, True, kind, locale == "vi")  # a percentage or a survey result
    if not 0 <= number <= 100:
        raise _RangeError(f"{number}%", "0%", "100%")
    return _in_range(number / 100, decl, True)  # exact: at most 28 digits, shifted two places


def _in_range(number: Decimal, decl: InputDecl, percent: bool) -> Decimal:
    low, high = decl.low, decl.high
    if (low is not None and number < low.value) or (high is not None and number > high.value):
        raise _RangeError(_show(number, percent), _bound(low, "-∞"), _bound(high, "∞"))
    return number


def _number(raw: object, percent: bool, kind: InputType, decimal_comma: bool = False) -> Decimal:
    if isinstance(raw, str):
        text = raw.removesuffix("%").rstrip() if percent else raw
        if decimal_comma and _VI_NUMBER.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        if not _NUMBER.fullmatch(text):
            comma = _VI_NUMBER.fullmatch(text)
            raise ValueError(COMMA_HINT.en if comma else _EXPECTED[kind])
        if len(text) <= _DIGITS and "e" not in text and "E" not in text:
            return Decimal(text)  # finite, and too short to break the limits checked below
        number = Decimal(text)
    elif isinstance(raw, Decimal | int) and not isinstance(raw, bool):
        number = Decimal(raw)
    elif isinstance(raw, float):  # from Python records only: as the user wrote it
        number = Decimal(repr(raw))
    else:
        raise ValueError(_EXPECTED[kind])
    if not number.is_finite():
        raise ValueError(_EXPECTED[kind])
    if len(number.as_tuple().digits) > _DIGITS or not -_DIGITS <= number.adjusted() <= _DIGITS:
        raise ValueError(_TOO_LONG)
    return number


class UnitReader:
    """Checks unit records (JSON objects, CSV rows, Python dicts) against one policy.

    `_text` returns None for a value not given and "" for one already reported as not text.
    """

    def __init__(self, policy: Policy, sink: DiagnosticSink, locale: str | None = None) -> None:
        self.sink, self.report, self.locale = sink, sink.report, locale
        self.types = dict.fromkeys(t.name for t in policy.unit_types if not t.is_tag)
        self.tags = dict.fromkeys(t.name for t in policy.unit_types if t.is_tag)
        self.inputs = {decl.name: decl for decl in policy.inputs}
        self.node_ids = dict.fromkeys(node.id for node in nodes.walk(policy.nodes))
        self.seen: dict[str, Callable[[], Span | None]] = {}
        # by input: the texts read well, and their value
        self.parsed: dict[str, dict[str, Value]] = {name: {} for name in self.inputs}
        self.units: list[UnitFacts] = []

    def unit(self, raw: object, number: int, at: Locate | None, span: Span | None = None) -> None:
        """Read one unit record; keep it unless a problem other than a wrong value was found.

        A unit whose only problems are wrong or unknown values is kept without those values, so
        that scoring can still report what else it lacks in the same run.
        """
        locate: Locate = at or (lambda _: None)
        if not isinstance(raw, Mapping):
            self.report("E401", locate(()), message=f"unit #{number} is not an object")
            return
        before = len(self.sink)
        record = {_key(key): value for key, value in raw.items()}
        id_key = "id" if "id" in record and "unit" not in record else "unit"
        uid = self._text(record.get(id_key), f"#{number}", id_key, locate)
        label = uid or f"#{number}"
        if "unit" in record and "id" in record:
            self.report("E401", locate(("id",)), message=f"unit {label}: give «unit» or «id»")
        for key in [key for key in record if key not in _UNIT_KEYS]:
            hint = did_you_mean(key, _UNIT_KEYS)
            self.report("E401", locate((key,)), hint=hint, message=f"unit {label}: unknown «{key}»")
        if uid is None:
            self.report("E409", locate(()), unit=label, name="unit")
        elif uid in self.seen:
            first = self.seen[uid]()
            listed = Said("first listed here", "liệt kê lần đầu ở đây")
            first_place = (also(first, listed),) if first else ()
            self.report("E407", locate((id_key,)), secondary=first_place, unit=uid)
        elif uid:
            self.seen[uid] = functools.partial(locate, (id_key,))
        unit_type = self._text(record.get("unit_type"), label, "unit_type", locate)
        if unit_type is None:
            self.report("E409", locate(()), unit=label, name="unit_type")
        elif unit_type and unit_type not in self.types:
            is_tag = unit_type in self.tags
            hint = f"«{unit_type}» is a tag: list it in «tags»" if is_tag else None
            hint = hint or did_you_mean(unit_type, self.types)
            self.report("E406", locate(("unit_type",)), hint=hint, unit=label, name=unit_type)
        name = self._text(record.get("name"), label, "name", locate) or label
        tags = self._tags(record.get("tags"), label, locate)
        own, appraised, names, rejected = self._inputs(record.get("inputs"), label, locate)
        evidence = self._evidence(record.get("evidence"), label, locate)
        found = {d.code for d in list(self.sink)[before:]}
        if uid and unit_type and found <= _VALUE_PROBLEMS:
            spans = _LazySpans(names, locate) if at else _Frozen[Span]()
            where = functools.partial(locate, ()) if at else None
            unit = UnitFacts(
                uid, name, unit_type, tags, own, appraised, evidence, span, spans, rejected, where
            )
            self.units.append(unit)

    def _text(
        self, value: object, label: str, key: str, at: Locate, where: Where = ()
    ) -> str | None:
        if value is None or isinstance(value, str):
            return (_nfc(value).strip() or None) if value is not None else None
        self.report("E401", at(where or (key,)), message=f"unit {label}: «{key}» must be text")
        return ""

    def _mapping(self, raw: object, label: str, key: str, at: Locate) -> Mapping[object, object]:
        if raw is None or isinstance(raw, Mapping):
            return raw or {}
        self.report("E401", at((key,)), message=f"unit {label}: «{key}» must be an object")
        return {}

    def _tags(self, raw: object, label: str, at: Locate) -> tuple[str, ...]:
        if raw is None:
            return ()
        if isinstance(raw, str | Mapping) or not isinstance(raw, Iterable):
            self.report("E401", at(("tags",)), message=f"unit {label}: «tags» must be a list")
            return ()
        tags: dict[str, None] = {}
        for index, item in enumerate(raw):
            tag = self._text(item, label, "tags", at, ("tags", index))
            if tag and tag not in self.tags:
                hint = (
                    f"«{tag}» is a unit type: give it as unit_type" if tag in self.types else None
                )
                hint = hint or did_you_mean(tag, self.tags)
                self.report("E408", at(("tags", index)), hint=hint, unit=label, name=tag)
            elif tag:
                tags[tag] = None
        return tuple(tags)

    def _inputs(
        self, raw: object, label: str, at: Locate
    ) -> tuple[_Values, _Values, tuple[str, ...], frozenset[str]]:
        given: dict[str, _Values] = {"self": {}, "appraised": {}}
        own = given["self"]
        names: dict[str, None] = {}
        rejected: set[str] = set()
        for key, value in self._mapping(raw, label, "inputs", at).items():
            name = key if isinstance(key, str) and key.isascii() else _key(key)  # ASCII is NFC
            decl = self.inputs.get(name)
            if decl is None:
                close = difflib.get_close_matches(name, list(self.inputs), n=1, cutoff=0.6)
                hint = did_you_mean(name, self.inputs)
                self.report("E402", at(("inputs", name)), hint=hint, unit=label, name=name)
                rejected.update(close)  # its value was meant for this one: already reported
                continue
            names[name] = None
            if isinstance(value, _PLAIN) or not isinstance(value, Mapping):
                if value is not None:  # the common case, a value for the unit's own claim
                    parsed = self.parsed[name].get(value) if isinstance(value, str) else None
                    if parsed is None:
                        parsed = self._value(value, decl, label, name, at, ("inputs", name))
                    if parsed is not None:
                        own[name] = parsed
                    else:
                        rejected.add(name)
                continue
            path = ("inputs", name)
            if not value:
                message = f"unit {label}: input «{name}» gives neither «self» nor «appraised»"
                self.report("E401", at(path), message=message)
            for part_key, part_value in value.items():
                part = _key(part_key)
                where = (*path, part) if part else path
                if part and part not in _PARTS:
                    message = f"unit {label}: input «{name}» has an unknown key «{part}»"
                    hint = did_you_mean(part, _PARTS) or "give «self» and/or «appraised»"
                    self.report("E401", at(where), hint=hint, message=message)
                elif part_value is not None:
                    field = f"{name}.{part}" if part else name
                    parsed = self._value(part_value, decl, label, field, at, where)
                    if parsed is not None:
                        given[part or "self"][name] = parsed
                    else:
                        rejected.add(name)
        return given["self"], given["appraised"], tuple(names), frozenset(rejected)

    def _value(
        self, raw: object, decl: InputDecl, name: str, field: str, at: Locate, where: Where
    ) -> Value | None:
        if isinstance(raw, str):  # a column of a spreadsheet holds few distinct texts
            known = self.parsed[decl.name]
            value = known.get(raw)
            if value is None:
                value = self._value_of(raw, decl, name, field, at, where)
                if value is not None and len(known) < _KNOWN_TEXTS:
                    known[raw] = value
            return value
        return self._value_of(raw, decl, name, field, at, where)

    def _value_of(
        self, raw: object, decl: InputDecl, name: str, field: str, at: Locate, where: Where
    ) -> Value | None:
        try:
            return parse_value(raw, decl, self.locale)
        except _RangeError as error:
            low, high, value = error.low, error.high, error.value
            self.report("E405", at(where), unit=name, name=field, value=value, low=low, high=high)
        except ValueError as error:
            expected, reason, shown = _EXPECTED[decl.type], str(error), _shown(raw)
            hint: str | Said | None = None if reason == expected else reason
            hint = COMMA_HINT if reason == COMMA_HINT.en else hint
            if reason in _REASONS_VI:
                hint = Said(reason, _REASONS_VI[reason])
            self.report(
                "E404",
                at(where),
                hint=hint,
                unit=name,
                name=field,
                expected=Said(expected, _EXPECTED_VI[decl.type]),
                value=shown,
            )
        return None

    def _evidence(self, raw: object, label: str, at: Locate) -> dict[str, str]:
        evidence: dict[str, str] = {}
        for key, value in self._mapping(raw, label, "evidence", at).items():
            node_id = _key(key)
            if node_id not in self.node_ids:
                hint = did_you_mean(node_id, self.node_ids)
                self.report("E410", at(("evidence", node_id)), hint=hint, unit=label, name=node_id)
            elif text := self._text(value, label, f"evidence {node_id}", at, ("evidence", node_id)):
                evidence[node_id] = text
        return evidence

    def column(self, title: str, span: Span) -> Where | None:
        """What a CSV header cell names, as a record path; None after reporting a bad one."""
        if title in _FIXED_COLUMNS:
            return ("unit",) if title == "id" else (title,)
        if title.startswith("evidence."):
            node_id = title.removeprefix("evidence.")
            if node_id in self.node_ids:
                return ("evidence", node_id)
            hint = did_you_mean(node_id, self.node_ids)
            self.report("E410", span, hint=hint, unit="(header)", name=node_id)
            return None
        base, _, part = title.rpartition(".")
        if part in _PARTS and base in self.inputs:
            return ("inputs", base, part)
        if title in self.inputs:
            return ("inputs", title)
        # Any other column is a misspelt input or column: E402 with unit "(header)", once.
        known = [*_FIXED_COLUMNS, *self.inputs, *(f"{n}.{p}" for n in self.inputs for p in _PARTS)]
        self.report("E402", span, hint=did_you_mean(title, known), unit="(header)", name=title)
        return None


class _JsonMap:
    """JSON pointer → character range, built by `json_source_map` once, when first wanted."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self._ranges: dict[str, tuple[int, int]] | None = None

    def at(self, prefix: Where, where: Where = ()) -> Span | None:
        if self._ranges is None:
            self._ranges = {}
            try:  # keys appear in pointers as written: decode their escapes
                for pointer, entry in calculate(self.source.text).items():
                    key = _nfc(json.loads(f'"{pointer}"')) if "\\" in pointer else pointer
                    self._ranges[key] = (entry.value_start.position, entry.value_end.position)
            except Exception:  # a position is a convenience: never fail for want of one
                pass
        path = (*prefix, *where)
        while (hit := self._ranges.get("".join(f"/{step}" for step in path))) is None:
            if not path:
                return None
            path = path[:-1]
        return self.source.span(*hit)


def read_json(source: SourceFile, reader: UnitReader) -> int | None:
    """Read the units of a JSON file into `reader`; return the year it states."""
    try:
        doc = json.loads(
            source.text, parse_float=Decimal, parse_int=Decimal, parse_constant=Decimal
        )
    except json.JSONDecodeError as error:
        span = source.span(error.pos, min(error.pos + 1, len(source.text)))
        reader.sink.report("E401", span, message=f"invalid JSON: {error.msg}")
        return None
    except RecursionError:  # the decoder recurses once per bracket; a facts file nests 4 deep
        offset = deepest_bracket(source.text)
        span = source.span(offset, offset + 1)
        reader.sink.report("E401", span, message="invalid JSON: brackets nested too deeply")
        return None
    return read_document(doc, reader, _JsonMap(source).at)


def read_document(doc: object, reader: UnitReader, at: Callable[..., Span | None]) -> int | None:
    """Read a parsed JSON or YAML document (a list of units, or {year, units}) into `reader`.

    `at(prefix, where)` places a path of the document in its file; numbers are `Decimal`s already.
    """
    sink = reader.sink
    units, year = doc, None
    base: Where = ()
    if isinstance(doc, dict):
        for key in [key for key in doc if key not in ("year", "units")]:
            hint = did_you_mean(str(key), ("year", "units"))
            sink.report("E401", at((key,)), hint=hint, message=f"unknown key «{key}»")
        raw_year = doc.get("year")
        if isinstance(raw_year, Decimal) and raw_year in YEARS:
            year = int(raw_year)
        elif raw_year is not None:
            message = f"«year» must be a year from {YEARS[0]} to {YEARS[-1]}, such as 2024"
            sink.report("E401", at(("year",)), message=message)
        units, base = doc.get("units"), ("units",)
    if not isinstance(units, list):
        message = "a facts file is a list of units, or an object with a «units» list"
        sink.report("E401", at(base), message=message)
        return year
    for index, raw in enumerate(units):
        reader.unit(raw, index + 1, functools.partial(at, (*base, index)))
    return year


def cell_at(cells: dict[Where, Span], row: Span, where: Where) -> Span:
    """The span of the cell `where` names, else of its nearest parent given, else the row."""
    while where not in cells and where:
        where = where[:-1]
    return cells.get(where, row)


def _cell_at(
    columns: dict[Where, tuple[int, ...]], blank: tuple[int, ...], row: Span, where: Where
) -> Span:
    """The cell of a row that `where` names, else of its nearest parent given, else the row.

    Rows keep only their blank columns (the file's `columns` are shared), so that 10,000 units
    do not each keep a map of their cells for the rare problem found after reading.
    """
    while where:
        for column in columns.get(where, ()):
            if column not in blank:
                return Span(row.source, row.line, column, row.line, column + 1)
        where = where[:-1]
    return row


def _header_columns(used: list[tuple[int, Where]]) -> dict[Where, tuple[int, ...]]:
    """Each record path → the columns that can give it, in the order of preference."""
    columns: dict[Where, tuple[int, ...]] = {}
    for column, kind in used:
        columns[kind] = (column,)
    for column, kind in used:  # an input's own column first, then its self/appraised ones
        if kind[0] == "inputs" and len(kind) == 3:
            columns[kind[:2]] = (*columns.get(kind[:2], ()), column)
    return columns


def csv_delimiter(text: str) -> str:
    """The separator of a CSV text: a semicolon where its header row has more of them than
    commas, as Excel writes CSV under Vietnamese settings (whose decimal mark is the comma)."""
    first = next(iter(text.splitlines()), "")
    return ";" if first.count(";") > first.count(",") else ","


def csv_rows(text: str, name: str, sink: DiagnosticSink) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of a CSV text, each with the line it starts on."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    last = 0
    try:
        for cells in rows:
            line, last = last + 1, rows.line_num
            if any(cell.strip() for cell in cells):
                yield line, cells
    except csv.Error as error:
        span = Span(name, rows.line_num, 1, rows.line_num, 1)
        sink.report("E401", span, message=f"line {rows.line_num}: {error}")


def read_csv(source: SourceFile, reader: UnitReader) -> None:
    """Read the units of a CSV file into `reader`. Span columns count cells, not characters."""
    name, sink = source.name, reader.sink
    rows = csv_rows(source.text, name, sink)
    first = next(rows, None)
    if first is None:
        sink.report("E401", None, message=f"{name} has no header row")
        return
    line, header = first
    kinds: list[Where | None] = []
    seen: dict[Where, str] = {}
    for column, cell in enumerate(header, 1):
        title, span = cell.strip(), Span(name, line, column, line, column + 1)
        kind = reader.column(title, span) if title else None
        same = (*kind, "self") if kind and kind[0] == "inputs" and len(kind) == 2 else kind
        if not title:
            sink.report("E401", span, message=f"column {column} has no name")
        elif same in seen:
            sink.report("E401", span, message=f"column «{title}» repeats «{seen[same]}»")
            kind = None
        elif same is not None:
            seen[same] = title
        kinds.append(kind)
    used = [(column, kind) for column, kind in enumerate(kinds, 1) if kind is not None]
    columns = _header_columns(used)
    missing = [key for key in ("unit", "unit_type") if (key,) not in seen]
    for key in missing:
        sink.report("E409", Span(name, line, 1, line, 1), unit="(header)", name=key)
    for number, (line, cells) in enumerate(rows, 1):
        row_span = Span(name, line, 1, line, 1)
        if missing:
            continue  # the rows cannot be read, but their CSV syntax is still checked
        if len(cells) != len(header):
            message = f"line {line} has {len(cells)} cells, but the header has {len(header)}"
            sink.report("E401", row_span, message=message)
            continue
        record: dict[str, object] = {}
        plain: dict[str, str] = {}
        parts: dict[str, dict[str, str]] = {}
        evidence: dict[str, str] = {}
        blank: list[int] = []  # a cell's Span is made only when a problem names it
        for column, kind in used:
            text = cells[column - 1].strip()
            if not text:
                blank.append(column)
                continue
            if kind[0] == "evidence":
                evidence[str(kind[1])] = text
            elif kind[0] == "inputs":
                if len(kind) == 2:
                    plain[str(kind[1])] = text
                else:
                    parts.setdefault(str(kind[1]), {})[str(kind[2])] = text
            else:
                record[str(kind[0])] = re.split("[;,]", text) if kind == ("tags",) else text
        for input_name, text in plain.items():
            if input_name in parts:
                parts[input_name]["self"] = text
        record["inputs"], record["evidence"] = {**plain, **parts}, evidence
        at = functools.partial(_cell_at, columns, tuple(blank), row_span)
        reader.unit(record, number, at, row_span)


FACTS_SUFFIXES = (".json", ".csv")


def read_text(path: Path, sink: DiagnosticSink) -> SourceFile | None:
    """A UTF-8 facts file as text (a BOM dropped, NFC); None after reporting why it cannot be."""
    name = str(path)
    try:
        text = read_bytes(path, MAX_FACTS_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        sink.report("E106", None, path=name, reason=read_error(error))
        return None
    return SourceFile.from_text(text, name)  # drops a BOM, normalises to NFC


def load_facts(
    path: str | Path, policy: Policy, sink: DiagnosticSink, locale: str | None = None
) -> Facts:
    """Read a .json or .csv facts file: problems go to `sink`, the units read well come back."""
    path = Path(path)
    name, suffix = str(path), path.suffix.lower()
    if suffix not in FACTS_SUFFIXES:
        sink.report("E401", None, message=f"facts files are .json or .csv, not «{path.name}»")
        return Facts(name, ())
    source = read_text(path, sink)
    if source is None:
        return Facts(name, ())
    reader = UnitReader(policy, sink, locale)
    year = None
    if suffix == ".json":
        year = read_json(source, reader)
    else:
        read_csv(source, reader)
    return Facts(name, tuple(reader.units), year)


def facts_from_records(
    records: Iterable[Mapping[str, object]],
    policy: Policy,
    sink: DiagnosticSink,
    source: str = "<data>",
    year: int | None = None,
) -> Facts:
    """Facts from Python data shaped like the `units` list of a JSON facts file."""
    reader = UnitReader(policy, sink)
    for number, record in enumerate(records, 1):
        reader.unit(record, number, None)
    return Facts(source, tuple(reader.units), year)
