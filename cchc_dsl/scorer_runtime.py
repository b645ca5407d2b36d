"""The fixed part of every scorer that `codegen.generate_module` writes, kept here as real code.

`codegen` copies everything below the `# --- runtime ---` line verbatim into each generated
module, so that ruff and mypy check it once, and each generated module stays standalone: it
imports only the standard library. The policy-specific part (tables, one function per node, one
per unit type) is generated and calls into this. The semantics mirror `facts.parse_value`,
`evaluate` and `ranking` exactly; `tests/test_differential.py` holds them to it.
"""

from __future__ import annotations

# --- runtime ---
import datetime as _dt
import decimal as _decimal
import re as _re
import unicodedata as _ud
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_D = _decimal.Decimal
_ZERO = _D(0)
_HUNDRED = _D(100)
_CONTEXT = _decimal.Context(
    prec=60,
    rounding=_decimal.ROUND_HALF_EVEN,
    traps=[_decimal.InvalidOperation, _decimal.DivisionByZero, _decimal.Overflow],
)
_ARITHMETIC = (ZeroDivisionError, _decimal.InvalidOperation)
_UNIT_KEYS = ("unit", "id", "name", "unit_type", "tags", "inputs", "evidence")
_PARTS = ("self", "appraised")
_DIGITS = 28
_LARGEST = 10**_DIGITS
_YES = frozenset({"yes", "true", "có", "x", "1"})
_NO = frozenset({"no", "false", "không", "0"})
_NUMBER = _re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = _re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4})")
_EXPECTED = {
    "yes_no": "yes or no (có/không, true/false, x, 1/0)",
    "count": "a whole number of at least 0",
    "number": "a number",
    "points": "a number of points",
    "percent": "a percentage from 0 to 100, such as 85 or 85%",
    "survey": "a survey result from 0 to 100 %, such as 85 or 85%",
    "date": "a date (YYYY-MM-DD or DD/MM/YYYY)",
}

Value = bool | _decimal.Decimal | _dt.date
# (points, max, outcome, effect) of one criterion
Leaf = tuple[_decimal.Decimal, _decimal.Decimal, str, str | None]
# per input: (type, low, high, optional)
InputSpec = tuple[str, _decimal.Decimal | None, _decimal.Decimal | None, bool]


class FactsError(ValueError):
    """Facts this policy refuses: `unit` names the unit, `field` the input, node or key."""

    def __init__(self, unit: str, field: str, message: str) -> None:
        super().__init__(f"unit {unit}: {field}: {message}")
        self.unit = unit
        self.field = field
        self.message = message


class _Refused(Exception):  # noqa: N818 - turned into FactsError
    """A unit's facts break a rule; the unit's id is added where the unit is known."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message


class _State:
    """One view of one unit: strict (the official view) stops at a missing input; the
    self-assessed view only notes it, as the interpreter leaves an input to the council."""

    __slots__ = ("failed", "optional", "strict", "year")

    def __init__(self, year: int | None, strict: bool, optional: frozenset[str]) -> None:
        self.year = year
        self.strict = strict
        self.optional = optional
        self.failed = False


class _Unit:
    __slots__ = ("appraised", "evidence", "id", "name", "own", "tags", "unit_type")

    def __init__(
        self,
        uid: str,
        name: str,
        unit_type: str,
        tags: tuple[str, ...],
        own: dict[str, Value],
        appraised: dict[str, Value],
        evidence: dict[str, str],
    ) -> None:
        self.id, self.name, self.unit_type, self.tags = uid, name, unit_type, tags
        self.own, self.appraised, self.evidence = own, appraised, evidence


class _Spec:
    """What the generated part declares about its policy."""

    __slots__ = ("blocks", "defaults", "inputs", "node_ids", "scorers", "tags", "ties", "year")

    def __init__(
        self,
        inputs: dict[str, InputSpec],
        defaults: dict[str, Value],
        scorers: dict[str, Callable[..., dict[str, Any] | None]],
        tags: tuple[str, ...],
        node_ids: tuple[str, ...],
        blocks: tuple[tuple[str, tuple[str, ...]], ...],
        ties: str,
        year: int | None,
    ) -> None:
        self.inputs, self.defaults, self.scorers = inputs, defaults, scorers
        self.tags, self.node_ids = frozenset(tags), frozenset(node_ids)
        self.blocks = tuple((title, frozenset(members)) for title, members in blocks)
        self.ties, self.year = ties, year


# --- reading facts ------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return text if text.isascii() else _ud.normalize("NFC", text)


_SCALARS = (str, int, float, _D, _dt.date)


def _is_mapping(value: object) -> bool:
    """isinstance(value, Mapping), without the ABC's cost for the common plain values."""
    return isinstance(value, dict) or (
        not isinstance(value, _SCALARS) and isinstance(value, Mapping)
    )


def _parse(raw: object, kind: str, low: _D | None, high: _D | None) -> Value:
    """A value of the input's type, or ValueError saying what was expected."""
    if isinstance(raw, str):
        raw = _nfc(raw).strip()
    expected = _EXPECTED[kind]
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, _D | int) and raw in (0, 1):
            return bool(raw == 1)
        key = raw.casefold() if isinstance(raw, str) else None
        if key in _YES or key in _NO:
            return key in _YES
        raise ValueError(f"expected {expected}, got {raw!r}")
    if kind == "date":
        if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
            return raw
        match = _DATE.fullmatch(raw) if isinstance(raw, str) else None
        if match is None:
            raise ValueError(f"expected {expected}, got {raw!r}")
        year, month, day = match.group(1, 2, 3) if match.group(1) else match.group(6, 5, 4)
        try:
            return _dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"there is no such day in the calendar: {raw!r}") from None
    percent = kind in ("percent", "survey")
    number = _number(raw, percent, expected)
    if kind == "count":
        if number < 0 or number != number.to_integral_value():
            raise ValueError(f"expected {expected}, got {raw!r}")
        number = _D(int(number))
    if percent:
        if not 0 <= number <= 100:
            raise ValueError(f"{number}% is outside 0% .. 100%")
        number = number / 100
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{raw!r} is outside {low} .. {high}")
    return number


def _number(raw: object, percent: bool, expected: str) -> _D:
    if isinstance(raw, str):
        text = raw.removesuffix("%").rstrip() if percent else raw
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"expected {expected} (with a dot as the decimal mark), got {raw!r}")
        number = _D(text)
    elif isinstance(raw, _D | int) and not isinstance(raw, bool):
        number = _D(raw)
    elif isinstance(raw, float):
        number = _D(repr(raw))
    else:
        raise ValueError(f"expected {expected}, got {raw!r}")
    if not number.is_finite():
        raise ValueError(f"expected {expected}, got {raw!r}")
    if len(number.as_tuple().digits) > _DIGITS or not -_DIGITS <= number.adjusted() <= _DIGITS:
        raise ValueError(f"a number has at most {_DIGITS} digits")
    return number


def _text(value: object, unit: str, field: str) -> str | None:
    """Text stripped and NFC-normalised; None when not given or empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FactsError(unit, field, "must be text")
    return _nfc(value).strip() or None


def _key(key: object) -> str:
    return _nfc(key) if isinstance(key, str) else str(key)


def _mapping(raw: object, unit: str, field: str) -> Mapping[object, object]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise FactsError(unit, field, "must be an object")
    return raw


def _read(facts: object, spec: _Spec) -> tuple[int | None, list[_Unit]]:
    """The year and the units of a facts document: a dict {"year", "units"} or a units list."""
    units, year = facts, None
    if isinstance(facts, Mapping):
        for key in facts:
            if key not in ("year", "units"):
                raise FactsError("(file)", str(key), "unknown key: give «year» and «units»")
        raw_year = facts.get("year")
        if isinstance(raw_year, _D | int) and not isinstance(raw_year, bool):
            if raw_year != int(raw_year):
                raise FactsError("(file)", "year", "must be a year such as 2024")
            year = int(raw_year)
        elif raw_year is not None:
            raise FactsError("(file)", "year", "must be a year such as 2024")
        units = facts.get("units")
    if not isinstance(units, list | tuple):
        raise FactsError("(file)", "units", "a facts file is a list of units")
    seen: set[str] = set()
    return year, [_read_unit(raw, number, spec, seen) for number, raw in enumerate(units, 1)]


def _read_unit(raw: object, number: int, spec: _Spec, seen: set[str]) -> _Unit:
    label = f"#{number}"
    if not isinstance(raw, Mapping):
        raise FactsError(label, "unit", "a unit is an object")
    record = {_key(key): value for key, value in raw.items()}
    id_key = "id" if "id" in record and "unit" not in record else "unit"
    uid = _text(record.get(id_key), label, id_key)
    label = uid or label
    if "unit" in record and "id" in record:
        raise FactsError(label, "id", "give «unit» or «id», not both")
    for key in record:
        if key not in _UNIT_KEYS:
            raise FactsError(label, key, "unknown key")
    if uid is None:
        raise FactsError(label, "unit", "the unit has no id")
    if uid in seen:
        raise FactsError(uid, id_key, "the unit is listed twice")
    seen.add(uid)
    unit_type = _text(record.get("unit_type"), label, "unit_type")
    if unit_type is None:
        raise FactsError(label, "unit_type", "not given")
    if unit_type not in spec.scorers:
        raise FactsError(label, "unit_type", f"unknown unit type {unit_type!r}")
    name = _text(record.get("name"), label, "name") or label
    own, appraised = _inputs(record.get("inputs"), label, spec)
    return _Unit(
        uid,
        name,
        unit_type,
        _tags(record.get("tags"), label, spec),
        own,
        appraised,
        _evidence(record.get("evidence"), label, spec),
    )


def _tags(raw: object, label: str, spec: _Spec) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str | Mapping) or not isinstance(raw, Iterable):
        raise FactsError(label, "tags", "must be a list")
    tags: dict[str, None] = {}
    for item in raw:
        tag = _text(item, label, "tags")
        if tag and tag not in spec.tags:
            raise FactsError(label, "tags", f"unknown tag {tag!r}")
        if tag:
            tags[tag] = None
    return tuple(tags)


def _inputs(raw: object, label: str, spec: _Spec) -> tuple[dict[str, Value], dict[str, Value]]:
    own: dict[str, Value] = {}
    appraised: dict[str, Value] = {}
    for key, value in _mapping(raw, label, "inputs").items():
        name = key if isinstance(key, str) and key.isascii() else _key(key)
        decl = spec.inputs.get(name)
        if decl is None:
            raise FactsError(label, name, "unknown input")
        if not _is_mapping(value):
            if value is not None:
                own[name] = _value(value, decl, label, name)
            continue
        if not value:
            raise FactsError(label, name, "gives neither «self» nor «appraised»")
        for part_key, part_value in value.items():  # type: ignore[attr-defined]
            part = _key(part_key)
            field = f"{name}.{part}" if part else name
            if part and part not in _PARTS:
                raise FactsError(label, field, "give «self» and/or «appraised»")
            if part_value is not None:
                value_of = _value(part_value, decl, label, field)
                (appraised if part == "appraised" else own)[name] = value_of
    return own, appraised


def _value(raw: object, decl: InputSpec, label: str, field: str) -> Value:
    kind, low, high, _ = decl
    if (
        kind == "count"
        and isinstance(raw, int)
        and not isinstance(raw, bool)
        and 0 <= raw < _LARGEST
    ):
        number = _D(raw)  # the common case, as `_parse` would read it
        if (low is None or number >= low) and (high is None or number <= high):
            return number
    try:
        return _parse(raw, kind, low, high)
    except ValueError as error:
        raise FactsError(label, field, str(error)) from None


def _evidence(raw: object, label: str, spec: _Spec) -> dict[str, str]:
    evidence: dict[str, str] = {}
    for key, value in _mapping(raw, label, "evidence").items():
        node_id = _key(key)
        if node_id not in spec.node_ids:
            raise FactsError(label, f"evidence {node_id}", "no criterion has this id")
        text = _text(value, label, f"evidence {node_id}")
        if text:
            evidence[node_id] = text
    return evidence


# --- helpers the generated criteria call ----------------------------------------------------------


def _absent(error: KeyError, maximum: _D, state: _State) -> Leaf:
    """An input not given: optional means not done; otherwise the unit cannot be scored."""
    name = str(error.args[0])
    if name in state.optional:
        return _ZERO, maximum, "not_done", None
    if state.strict:
        raise _Refused(name, "no value given, and the policy declares no default")
    state.failed = True
    return _ZERO, maximum, "scored", None


def _max_for(
    tags: frozenset[str], by_tag: tuple[tuple[str, _D], ...], default: _D, node: str
) -> _D:
    """A node's max when it depends on the unit's tags; two tags with different maxima clash."""
    found = {value for tag, value in by_tag if tag in tags}
    if len(found) > 1:
        raise _Refused(node, "the unit's tags give this criterion different maxima")
    return found.pop() if found else default


def _due(state: _State, day: int, month: int, years_after: int, node: str) -> _dt.date:
    if state.year is None:
        raise _Refused(node, "the deadline is a day of the index year: give «year» in the facts")
    return _dt.date(state.year + years_after, month, day)


def _no_step(node: str, value: object) -> _Refused:
    return _Refused(node, f"no step and no «otherwise» covers {value}")


def _contains(value: Any, low: Any, low_inclusive: bool, high: Any, high_inclusive: bool) -> bool:
    if low is not None and (value < low or (value == low and not low_inclusive)):
        return False
    return not (high is not None and (value > high or (value == high and not high_inclusive)))


def _clamp(value: _D, low: _D | None, high: _D | None) -> _D:
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


# (survey weight and scale or None, clamp low, clamp high, rounding exponent, rounding mode,
#  bands as (name, low, low inclusive, high, high inclusive))
Finish = tuple[
    tuple[_D, _D] | None,
    _D | str | None,
    _D | str | None,
    _D,
    str,
    tuple[tuple[str, Any, bool, Any, bool], ...],
]


def _finish(
    nodes: dict[str, Any],
    adjustments: dict[str, Any],
    sums: tuple[_D, _D, _D, _D],
    status: str,
    on_total: list[_D],
    on_index: list[_D],
    finish: Finish,
) -> dict[str, Any]:
    """From the tree's sums to the rounded index and band, as `evaluate._totals` does."""
    tree_points, tree_max, survey_points, survey_max = sums
    composite, low_bound, high_bound, exponent, mode, bands = finish
    appraisal_points = tree_points - survey_points
    appraisal_max = tree_max - survey_max
    points, maximum = tree_points, tree_max
    if composite is not None:
        weight, scale = composite
        if appraisal_max == 0 or (status == "present" and survey_max == 0):
            raise _Refused("max", "every criterion is excluded, so the maximum is 0")
        if status == "present":
            points = appraisal_points * (scale - weight) / appraisal_max
            points += survey_points * weight / survey_max
        elif status in ("missing: rescale", "none"):
            points = appraisal_points * scale / appraisal_max
        else:
            points = appraisal_points * (scale - weight) / appraisal_max
        maximum = scale
    if maximum == 0:
        raise _Refused("max", "every criterion is excluded, so the maximum is 0")
    for signed in on_total:
        points += signed
    low = maximum if low_bound == "max" else low_bound
    high = maximum if high_bound == "max" else high_bound
    assert not isinstance(low, str) and not isinstance(high, str)
    points = _clamp(points, low, high)
    index = points * _HUNDRED / maximum
    for signed in on_index:
        index += signed
    index = _clamp(
        index,
        None if low is None else low * _HUNDRED / maximum,
        None if high is None else high * _HUNDRED / maximum,
    )
    rounded = index.quantize(exponent, rounding=mode, context=_CONTEXT)
    fraction = rounded / _HUNDRED
    band = next((band[0] for band in bands if _contains(fraction, *band[1:])), None)
    return {
        "nodes": nodes,
        "adjustments": adjustments,
        "appraisal_points": appraisal_points,
        "appraisal_max": appraisal_max,
        "survey_points": survey_points,
        "survey_max": survey_max,
        "survey_status": status,
        "points": points,
        "max": maximum,
        "index": index,
        "index_rounded": rounded,
        "band": band,
    }


# --- scoring and ranking --------------------------------------------------------------------------


def _score(facts: object, spec: _Spec) -> dict[str, Any]:
    year, units = _read(facts, spec)
    if year is None:
        year = spec.year
    optional = frozenset(name for name, decl in spec.inputs.items() if decl[3])
    with _decimal.localcontext(_CONTEXT):
        results = [_score_unit(unit, spec, year, optional) for unit in units]
    return _rank(results, spec)


def _score_unit(
    unit: _Unit, spec: _Spec, year: int | None, optional: frozenset[str]
) -> dict[str, Any]:
    scorer = spec.scorers[unit.unit_type]
    tags = frozenset(unit.tags)
    given = {**unit.own, **unit.appraised}
    try:
        official = scorer(
            {**spec.defaults, **given}, given, tags, unit.evidence, _State(year, True, optional)
        )
        mine = None
        if unit.appraised:
            mine = scorer(
                {**spec.defaults, **unit.own},
                unit.own,
                tags,
                unit.evidence,
                _State(year, False, optional),
            )
    except _Refused as refused:
        raise FactsError(unit.id, refused.field, refused.message) from None
    return {
        "unit": unit.id,
        "name": unit.name,
        "unit_type": unit.unit_type,
        "tags": unit.tags,
        "block": "",
        "rank": 0,
        "official": official,
        "self_assessed": mine,
    }


def _rank(results: list[dict[str, Any]], spec: _Spec) -> dict[str, Any]:
    """Blocks in the policy's order, units by rounded index then id; ties as the policy says."""
    placed: set[str] = set()
    blocks: list[tuple[str, list[dict[str, Any]]]] = []
    for title, members in spec.blocks:
        chosen = [
            r
            for r in results
            if r["unit"] not in placed
            and (r["unit_type"] in members or members.intersection(r["tags"]))
        ]
        placed.update(r["unit"] for r in chosen)
        if chosen:
            blocks.append((title, chosen))
    rest = [r for r in results if r["unit"] not in placed]
    if rest:
        blocks.append(("", rest))
    ranked: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    for title, chosen in blocks:
        ordered = sorted(chosen, key=lambda r: (-r["official"]["index_rounded"], r["unit"]))
        rank, previous = 0, None
        for position, result in enumerate(ordered, start=1):
            index = result["official"]["index_rounded"]
            if index != previous:
                rank = position if spec.ties == "shared" else rank + 1
                previous = index
            result["block"], result["rank"] = title, rank
            ranked.append(result)
        listed.append({"title": title, "units": [r["unit"] for r in ordered]})
    return {"blocks": listed, "units": ranked}
