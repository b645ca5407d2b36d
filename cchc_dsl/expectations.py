"""Worked test cases of a shipped policy: figures computed by hand, checked against the engine.

A province folder ships `tests/*.toml` files. Each case names a unit (or one of its nodes), the
figures an official worked out from the regulation, and a note of that arithmetic and its source,
so that a change to the engine or to a regulation that moves a published figure fails with the
hand calculation beside it. `cchc-dsl test` and the pytest suite both run them. Prints nothing.

Every decimal is written as a TOML string: a TOML float is binary, so it is refused (E702) before
it can turn 0.1 into 0.1000000000000000055. A quotient that never terminates (5 ÷ 7 × 100) is
written with its first digits and an ellipsis, "71.428…": the engine's value must begin with them.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from pathlib import Path

import attrs

from cchc_dsl.api import load
from cchc_dsl.diagnostics import (
    CchcError,
    Diagnostic,
    DiagnosticSink,
    did_you_mean,
    make,
    read_error,
)
from cchc_dsl.nodes import Outcome
from cchc_dsl.results import AdjustmentResult, Evaluation, NodeResult, UnitResult
from cchc_dsl.source import SourceFile, Span, deepest_bracket
from cchc_dsl.values import format_value

TOP_KEYS = ("policy", "facts", "year", "title", "case")
CASE_KEYS = ("unit", "node", "view", "note")
UNIT_CHECKS = ("points", "max", "index", "band", "rank", "block")
NODE_CHECKS = ("points", "max", "outcome")
DECIMAL_KEYS = frozenset({"points", "max", "index"})
VIEWS = ("official", "self_assessed")
OUTCOMES = tuple(o.value for o in Outcome)
NO_SUCH_UNIT = "(no such unit)"
NO_SUCH_NODE = "(no such node)"


@attrs.frozen(slots=True)
class CaseResult:
    """One worked case run: what differed, as (key, expected as written, actual)."""

    file: str
    number: int  # 1-based, in the order of the file's [[case]] tables
    unit: str
    node: str | None
    view: str
    mismatches: tuple[tuple[str, str, str], ...]
    note: str

    @property
    def passed(self) -> bool:
        return not self.mismatches


@attrs.frozen(slots=True)
class FileResult:
    file: str
    title: str
    chosen: str  # which regulation the policy loader picked (empty for a single .cchc file)
    cases: tuple[CaseResult, ...]

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(c for c in self.cases if not c.passed)


# --- reading a case file -------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _TomlFloat:
    """A TOML float kept as its text: read as a binary float it would already be inexact."""

    text: str


@attrs.frozen(slots=True)
class _Check:
    key: str
    text: str  # as the file writes it, for the report
    value: Decimal | int | str
    prefix: bool = False  # written "71.428…": the actual value begins with these digits


@attrs.frozen(slots=True)
class _Case:
    number: int
    unit: str
    node: str | None
    view: str
    note: str
    checks: tuple[_Check, ...]


@attrs.frozen(slots=True)
class _CaseFile:
    policy: Path
    facts: Path
    year: int | None
    title: str
    cases: tuple[_Case, ...]


_TABLE = re.compile(r"\s*\[\[?\s*[\w\"']")
_CASE_HEADER = re.compile(r"\s*\[\[\s*(case|\"case\"|'case')\s*\]\]")
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


class _Locator:
    """Best-effort spans for keys: tomllib gives values but not where they were written."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.lines = source.text.split("\n")
        self.tables = [i for i, line in enumerate(self.lines) if _TABLE.match(line)]
        self.cases = [i for i in self.tables if _CASE_HEADER.match(self.lines[i])]

    def top(self, key: str) -> Span | None:
        end = self.tables[0] if self.tables else len(self.lines)
        return self._key(key, 0, end)

    def case(self, number: int, key: str | None = None) -> Span | None:
        if not 1 <= number <= len(self.cases):
            return None
        header = self.cases[number - 1]
        if key is not None:
            end = next((i for i in self.tables if i > header), len(self.lines))
            found = self._key(key, header + 1, end)
            if found is not None:
                return found
        return self._line(header, 0)

    def at(self, line: int, column: int) -> Span:
        """The span of a 1-based (line, column), clamped to the text."""
        starts = self.source.line_starts
        line = min(max(line, 1), len(starts))
        offset = min(starts[line - 1] + max(column, 1) - 1, len(self.source.text))
        return self.source.span(offset, min(offset + 1, len(self.source.text)))

    def end(self) -> Span:
        size = len(self.source.text)
        return self.source.span(size, size)

    def _key(self, key: str, start: int, end: int) -> Span | None:
        pattern = re.compile(
            rf"\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*="
        )
        for i in range(start, end):
            match = pattern.match(self.lines[i])
            if match:
                return self._line(i, len(self.lines[i]) - len(self.lines[i].lstrip()))
        return None

    def _line(self, index: int, column: int) -> Span:
        start = self.source.line_starts[index] + column
        return self.source.span(start, self.source.line_starts[index] + len(self.lines[index]))


def _read(path: Path) -> _CaseFile:
    """Parse and validate a case file; every problem of the file in one `CchcError`."""
    try:
        source = SourceFile.read(path)
    except (OSError, UnicodeDecodeError) as error:
        raise CchcError((make("E106", path=str(path), reason=read_error(error)),)) from None
    where = _Locator(source)
    try:
        data = tomllib.loads(source.text, parse_float=_TomlFloat)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _POSITION.search(message)
        span = where.end()
        if position:
            span = where.at(int(position.group(1)), int(position.group(2)))
            message = message[: position.start()]
        elif at_end := _AT_END.search(message):
            message = message[: at_end.start()]
        raise CchcError((make("E701", span, message=f"not valid TOML: {message}"),)) from None
    except RecursionError:  # tomllib recurses once per bracket; a case file nests 2 deep
        offset = deepest_bracket(source.text)
        span = source.span(offset, offset + 1)
        message = "not valid TOML: brackets nested too deeply"
        raise CchcError((make("E701", span, message=message),)) from None
    sink = DiagnosticSink()
    case_file = _Reader(path, where, sink).file(data)
    sink.raise_if_errors()
    assert case_file is not None
    return case_file


class _Reader:
    """Checks a parsed case file key by key, reporting into a sink and never stopping early."""

    def __init__(self, path: Path, where: _Locator, sink: DiagnosticSink) -> None:
        self.path = path
        self.where = where
        self.sink = sink

    def error(self, span: Span | None, message: str, hint: str | None = None) -> None:
        self.sink.report("E701", span, hint=hint, message=message)

    def file(self, data: Mapping[str, object]) -> _CaseFile | None:
        for key in data:
            if key not in TOP_KEYS:
                hint = did_you_mean(key, TOP_KEYS)
                self.error(self.where.top(key), f"unknown key «{key}» in a test file", hint)
        policy = self.path_of(data, "policy", "the .cchc file or province folder")
        facts = self.path_of(data, "facts", "the facts file (.json or .csv)")
        year = data.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            self.error(self.where.top("year"), "year must be a whole number, as in year = 2024")
            year = None
        title = data.get("title", "")
        if not isinstance(title, str):
            self.error(self.where.top("title"), 'title must be a string, as in title = "…"')
            title = ""
        cases = self.cases(data.get("case"))
        if policy is None or facts is None or cases is None:
            return None
        return _CaseFile(policy, facts, year, title, cases)

    def path_of(self, data: Mapping[str, object], key: str, what: str) -> Path | None:
        value = data.get(key)
        span = self.where.top(key)
        if value is None:
            self.error(None, f'no {key} = "…": name {what}, relative to this file')
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(span, f'{key} must be a path written as a string, as in {key} = "…"')
            return None
        path = Path(os.path.normpath(self.path.parent / value))
        if not path.exists():
            self.sink.report("E106", span, path=str(path), reason="no such file or folder")
            return None
        return path

    def cases(self, value: object) -> tuple[_Case, ...] | None:
        if value is None:
            self.error(None, "no [[case]] tables: a test file needs at least one worked case")
            return None
        if not isinstance(value, list) or not value:
            self.error(self.where.top("case"), "cases are written as [[case]] tables")
            return None
        cases = [self.case(number, table) for number, table in enumerate(value, 1)]
        return tuple(c for c in cases if c is not None)

    def case(self, number: int, table: object) -> _Case | None:
        if not isinstance(table, dict):
            self.error(self.where.case(number), f"case #{number} is not a [[case]] table")
            return None
        before = len(self.sink)
        is_node = "node" in table
        allowed = CASE_KEYS + (NODE_CHECKS if is_node else UNIT_CHECKS)
        for key in table:
            if key not in allowed:
                self.misplaced(number, key)
        misplaced = len(self.sink) > before
        unit = self.text(number, table, "unit", required=True)
        node = self.text(number, table, "node", required=True) if is_node else None
        view = self.text(number, table, "view") or "official"
        if view not in VIEWS:
            self.error(
                self.where.case(number, "view"),
                f"case #{number}: view is «official» or «self_assessed», not «{view}»",
                did_you_mean(view, VIEWS),
            )
        note = self.text(number, table, "note")
        if note is None and "note" not in table:
            self.error(
                self.where.case(number),
                f"case #{number} has no note: a worked case must say where its numbers come from"
                " (the arithmetic and the article of the regulation)",
            )
        checkable = [key for key in allowed if key not in CASE_KEYS and key in table]
        if not checkable and not misplaced:  # else a misspelt key has said so already
            self.error(self.where.case(number), f"case #{number} checks nothing")
        if view == "self_assessed":
            for key in ("rank", "block"):
                if key in checkable:
                    self.error(
                        self.where.case(number, key),
                        f"case #{number}: {key} comes from the official ranking;"
                        " a self_assessed case cannot check it",
                    )
        checks = [self.check(number, key, table[key]) for key in checkable]
        if len(self.sink) > before or unit is None or note is None:
            return None
        return _Case(number, unit, node, view, note, tuple(c for c in checks if c is not None))

    def misplaced(self, number: int, key: str) -> None:
        span = self.where.case(number, key)
        if key in UNIT_CHECKS:
            self.error(span, f"case #{number}: {key} is a unit total, not checked on a node")
        elif key in NODE_CHECKS:
            self.error(span, f'case #{number}: {key} is checked on a node; add node = "…"')
        else:
            hint = did_you_mean(key, CASE_KEYS + UNIT_CHECKS + NODE_CHECKS)
            self.error(span, f"case #{number}: unknown key «{key}»", hint)

    def text(
        self, number: int, table: Mapping[str, object], key: str, required: bool = False
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.error(self.where.case(number), f'case #{number} has no {key} = "…"')
            return None
        if isinstance(value, str) and value.strip():
            return unicodedata.normalize("NFC", value.strip())
        self.error(
            self.where.case(number, key),
            f'case #{number}: {key} must be a non-empty string, as in {key} = "…"',
        )
        return None

    def check(self, number: int, key: str, value: object) -> _Check | None:
        if key in CASE_KEYS:
            return None
        span = self.where.case(number, key)
        if key in DECIMAL_KEYS:
            return self.decimal(number, key, value, span)
        if key == "rank":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                self.error(span, f"case #{number}: rank must be a whole number ≥ 1, as in rank = 4")
                return None
            return _Check(key, str(value), value)
        if not isinstance(value, str):
            self.error(span, f'case #{number}: {key} must be a string, as in {key} = "…"')
            return None
        text = unicodedata.normalize("NFC", value.strip())
        if key == "outcome" and text not in OUTCOMES:
            choices = ", ".join(OUTCOMES)
            hint = did_you_mean(text, OUTCOMES) or f"an outcome is one of {choices}"
            self.error(span, f"case #{number}: unknown outcome «{text}»", hint)
            return None
        return _Check(key, text, text)

    def decimal(self, number: int, key: str, value: object, span: Span | None) -> _Check | None:
        if isinstance(value, _TomlFloat) or (
            isinstance(value, int) and not isinstance(value, bool)
        ):
            written = value.text if isinstance(value, _TomlFloat) else str(value)
            self.sink.report("E702", span, field=key, value=written)
            return None
        if not isinstance(value, str):
            self.error(span, f'case #{number}: {key} must be a decimal string, as in {key} = "8.5"')
            return None
        text = value.strip()
        prefix = text.endswith(("…", "..."))
        try:
            parsed = Decimal(text.rstrip(".…"))
        except InvalidOperation:
            parsed = None
        if parsed is None or not parsed.is_finite():
            hint = "the decimal point is «.»" if "," in text else None
            self.error(span, f"case #{number}: {key} = «{text}» is not a decimal number", hint)
            return None
        return _Check(key, text, parsed, prefix)


# --- running -------------------------------------------------------------------------------------


def find_case_files(paths: Iterable[str | Path]) -> list[Path]:
    """Case files: a file named on its own, or every `tests/*.toml` under a folder (sorted).

    Hidden folders are skipped. A path that does not exist raises `CchcError` (E106).
    """
    found: list[Path] = []
    seen: set[Path] = set()
    missing: list[Diagnostic] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*.toml")
                if p.parent.name == "tests"
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            missing.append(make("E106", path=str(path), reason="no such file or folder"))
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    if missing:
        raise CchcError(tuple(missing))
    return found


def run_file(path: Path) -> FileResult:
    """Run every case of one file; `CchcError` if the file, its policy or its facts is wrong."""
    case_file = _read(path)
    policy = load(case_file.policy, year=case_file.year)
    report = policy.score_file(case_file.facts)
    units = {u.unit: u for u in report.units}
    cases = tuple(
        CaseResult(
            file=str(path),
            number=case.number,
            unit=case.unit,
            node=case.node,
            view=case.view,
            mismatches=_compare(case, units.get(case.unit)),
            note=case.note,
        )
        for case in case_file.cases
    )
    return FileResult(str(path), case_file.title, policy.chosen, cases)


def run_all(paths: Iterable[str | Path]) -> tuple[list[FileResult], list[Diagnostic]]:
    """Run every case file found under `paths`; a file that cannot run gives diagnostics instead,
    and the others still run."""
    results: list[FileResult] = []
    diagnostics: list[Diagnostic] = []
    files: list[Path] = []
    for given in paths:
        try:
            files.extend(f for f in find_case_files([given]) if f not in files)
        except CchcError as error:
            diagnostics.extend(error.diagnostics)
    for path in files:
        try:
            results.append(run_file(path))
        except CchcError as error:
            diagnostics.extend(error.diagnostics)
    return results, diagnostics


def _compare(case: _Case, unit: UnitResult | None) -> tuple[tuple[str, str, str], ...]:
    if unit is None:
        return (("unit", case.unit, NO_SUCH_UNIT),)
    view = unit.official
    if case.view == "self_assessed" and unit.self_assessed is not None:
        view = unit.self_assessed  # without an appraisal the two views are the same
    if case.node is None:
        actual = {c.key: _unit_value(c.key, unit, view) for c in case.checks}
    else:
        adjustment = next((a for a in view.adjustments if a.id == case.node), None)
        try:
            node: NodeResult | AdjustmentResult = adjustment or view.node(case.node)
        except KeyError:
            return (("node", case.node, NO_SUCH_NODE),)
        actual = {c.key: _node_value(c.key, node) for c in case.checks}
    return tuple(
        (c.key, c.text, actual[c.key][1]) for c in case.checks if not _equal(c, actual[c.key][0])
    )


_Actual = tuple[Decimal | int | str | None, str]  # (value to compare, text to report)


def _unit_value(key: str, unit: UnitResult, view: Evaluation) -> _Actual:
    if key == "points":
        return view.points, format_value(view.points)
    if key == "max":
        return view.max, format_value(view.max)
    if key == "index":
        # the published figure: compared as written, "88.00" and not "88"
        shown = format(view.index_rounded, "f")
        return shown, shown
    if key == "band":
        return view.band, view.band or "(no band)"
    if key == "rank":
        return unit.rank, str(unit.rank)
    return unit.block, unit.block or "(no block)"


def _node_value(key: str, node: NodeResult | AdjustmentResult) -> _Actual:
    """A criterion's points and max; a bonus's or deduction's signed amount and cap."""
    if isinstance(node, AdjustmentResult):
        points, maximum = node.signed, node.cap
    else:
        points, maximum = node.points, node.max
    if key == "points":
        return points, format_value(points)
    if key == "max":
        return maximum, format_value(maximum)
    return node.outcome.value, node.outcome.value


def _equal(check: _Check, actual: Decimal | int | str | None) -> bool:
    if check.prefix:  # the digits written, then more: a quotient that does not terminate
        assert isinstance(check.value, Decimal)
        if not isinstance(actual, Decimal):
            return False
        places = Decimal(1).scaleb(check.value.as_tuple().exponent)  # type: ignore[arg-type]
        cut = actual.quantize(places, rounding=ROUND_DOWN)
        return cut == check.value and cut != actual
    if check.key == "index":
        assert isinstance(check.value, Decimal)
        return format(check.value, "f") == actual
    return check.value == actual


# --- the report ----------------------------------------------------------------------------------


def report_text(results: list[FileResult]) -> str:
    """Per file a summary, per failed case what differed with its worked note; totals last."""
    if not results:
        return "no worked-case files (tests/*.toml) found\n"
    lines: list[str] = []
    passed = failed = 0
    for result in results:
        bad = result.failed
        passed += len(result.cases) - len(bad)
        failed += len(bad)
        count = f"{len(result.cases)} case" + ("" if len(result.cases) == 1 else "s")
        state = f"{len(bad)} failed" if bad else "all passed"
        chosen = f" (regulation: {result.chosen})" if result.chosen else ""
        lines.append(f"{result.file}: {count}, {state}{chosen}")
        for case in bad:
            lines.append(f"FAIL {result.file} case #{case.number} ({_which(case)}): " + _diff(case))
            lines.extend(f"    {line}".rstrip() for line in case.note.splitlines())
    lines.append(f"{passed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def _which(case: CaseResult) -> str:
    parts = [case.unit]
    if case.node is not None:
        parts.append(f"node {case.node}")
    if case.view != "official":
        parts.append(case.view)
    return ", ".join(parts)


def _diff(case: CaseResult) -> str:
    return "; ".join(f"{key} expected {want}, got {got}" for key, want, got in case.mismatches)
