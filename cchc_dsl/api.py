"""The Python API an embedding system calls: load a policy once, score many units. Prints nothing.

Every user error raises `CchcError` carrying all the diagnostics of the stage that found them;
anything else that escapes is a bug. The functions read like the pipeline they run.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import attrs

from cchc_dsl.builder import build_document
from cchc_dsl.checks import run_checks
from cchc_dsl.compiler import compile_policy
from cchc_dsl.diagnostics import CchcError, Diagnostic, DiagnosticSink, Severity, make, read_error
from cchc_dsl.evaluate import evaluate
from cchc_dsl.facts import Facts, UnitFacts, facts_from_records, load_facts
from cchc_dsl.nodes import Amendment, Policy
from cchc_dsl.parser import parse
from cchc_dsl.ranking import RankedBlock, rank
from cchc_dsl.results import Evaluation, UnitResult
from cchc_dsl.scoring import Program
from cchc_dsl.source import SourceFile
from cchc_dsl.versions import every_version, in_force, index_year_end, read_folder, timeline


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading a policy makes a Lark tree and token per word, then a node per construct, and
    no reference cycles; Python's cyclic collector would walk them all again and again as they
    grow (a fifth of checking 2,000 criteria, bench/check_bench.py), so it waits until the
    policy is read. Facts and results are the same: a unit's facts, a result per criterion per
    unit, no cycles; the collector took two fifths of scoring 10,000 units (bench/run.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@attrs.frozen(slots=True)
class CompiledPolicy:
    """A checked regulation with its scoring program for each unit type. Immutable, shareable."""

    policy: Policy
    name: str  # the file or folder it was loaded from
    programs: Mapping[str, Program] = attrs.field(eq=False, repr=False)
    warnings: tuple[Diagnostic, ...] = attrs.field(eq=False, default=())
    chosen: str = attrs.field(eq=False, default="")  # which documents, when picked from a folder
    year: int | None = attrs.field(eq=False, default=None)  # the index year it was loaded for

    @property
    def unit_types(self) -> tuple[str, ...]:
        return tuple(self.programs)

    def program(self, unit_type: str) -> Program:
        return self.programs[unit_type]

    @_collector_paused()
    def read_facts(self, path: str | Path) -> Facts:
        sink = DiagnosticSink()
        facts = load_facts(path, self.policy, sink)
        sink.raise_if_errors()
        return facts

    @_collector_paused()
    def score_file(
        self, path: str | Path, unit_type: str | None = None, *, details: bool = True
    ) -> ScoreReport:
        """Read a facts file and score it; every problem of the file and of its units in one error.

        Units whose only problems are wrong values are still scored, so that what else they lack
        is reported in the same run; any problem at all raises `CchcError`. `details=False` keeps
        of each unit only its totals, index, band and steps (no result per criterion): a ranking
        of 10,000 units then holds a few MiB of results instead of hundreds.
        """
        sink = DiagnosticSink()
        facts = load_facts(path, self.policy, sink)
        return self._score_all(facts, unit_type, sink, details)

    @_collector_paused()
    def facts(self, records: Iterable[Mapping[str, object]], year: int | None = None) -> Facts:
        """Facts from Python data shaped like a JSON facts file's `units` list."""
        sink = DiagnosticSink()
        facts = facts_from_records(records, self.policy, sink, year=year)
        sink.raise_if_errors()
        return facts

    @_collector_paused()
    def score(
        self, facts: Facts, unit_type: str | None = None, *, details: bool = True
    ) -> ScoreReport:
        """Score and rank every unit (or those of one unit type); all problems in one error.
        `details=False`: see `score_file`."""
        return self._score_all(facts, unit_type, DiagnosticSink(), details)

    def _score_all(
        self, facts: Facts, unit_type: str | None, sink: DiagnosticSink, details: bool
    ) -> ScoreReport:
        units = [u for u in facts.units if unit_type is None or u.unit_type == unit_type]
        year = facts.year if facts.year is not None else self.year
        results = []
        for unit in units:
            result = self._score(unit, sink, year)
            if result is not None:
                results.append(result if details else _totals_only(result))
        sink.raise_if_errors()
        return ScoreReport(self, facts.source, rank(results, self.policy))

    def score_unit(self, unit: UnitFacts, year: int | None = None) -> UnitResult:
        sink = DiagnosticSink()
        result = self._score(unit, sink, year if year is not None else self.year)
        sink.raise_if_errors()
        assert result is not None
        return result

    def _score(self, unit: UnitFacts, sink: DiagnosticSink, year: int | None) -> UnitResult | None:
        program = self.programs[unit.unit_type]
        official = evaluate(program, unit, sink, appraised=True, year=year)
        if official is None:
            return None
        mine = self._self_assessed(program, unit, sink, year) if unit.has_appraisal else None
        return UnitResult(
            unit=unit.id,
            name=unit.name,
            unit_type=unit.unit_type,
            tags=unit.tags,
            official=official,
            self_assessed=mine,
        )

    @staticmethod
    def _self_assessed(
        program: Program, unit: UnitFacts, sink: DiagnosticSink, year: int | None
    ) -> Evaluation | None:
        """The unit's own claims, scored apart where the council changed something. A claim the
        rules refuse (points off the scale, say) is reported; an input the unit left to the
        council (given only as appraised) is not a fault of the claim."""
        own = DiagnosticSink()
        mine = evaluate(program, unit, own, appraised=False, year=year)
        for diagnostic in own:
            if diagnostic.code != "E403" and diagnostic not in sink:
                sink.add(diagnostic)
        return mine


def _totals_only(result: UnitResult) -> UnitResult:
    mine = result.self_assessed
    return attrs.evolve(
        result,
        official=attrs.evolve(result.official, nodes=(), adjustments=()),
        self_assessed=None if mine is None else attrs.evolve(mine, nodes=(), adjustments=()),
    )


@attrs.frozen(slots=True)
class ScoreReport:
    """Ranked results of one facts batch under one policy."""

    policy: CompiledPolicy
    facts_source: str
    blocks: tuple[RankedBlock, ...]

    @property
    def units(self) -> tuple[UnitResult, ...]:
        return tuple(u for block in self.blocks for u in block.units)

    def unit(self, unit_id: str) -> UnitResult:
        for result in self.units:
            if result.unit == unit_id:
                return result
        raise KeyError(unit_id)


@_collector_paused()
def load(
    path: str | Path, *, year: int | None = None, as_of: datetime.date | None = None
) -> CompiledPolicy:
    """A policy from a `.cchc` file, or from a province folder: the regulation in force at the
    end of index `year`, or on `as_of` (the latest text without either), with its amendments."""
    path = Path(path)
    if not path.is_dir():
        return attrs.evolve(load_policy(path), year=year)
    sink = DiagnosticSink()
    folder = read_folder(path, sink)
    sink.raise_if_errors()
    version = in_force(folder, index_year_end(year) if year else as_of, sink)
    sink.raise_if_errors()
    assert version is not None
    run_checks(version.policy, sink)
    compiled = _compiled(version.policy, str(path), tuple(sink), version.describe())
    return attrs.evolve(compiled, year=year)


@_collector_paused()
def load_policy(path: str | Path) -> CompiledPolicy:
    sink = DiagnosticSink()
    try:
        source = SourceFile.read(path)
    except (OSError, UnicodeDecodeError) as error:
        sink.report("E106", None, path=str(path), reason=read_error(error))
        sink.raise_if_errors()
        raise  # pragma: no cover - raise_if_errors always raises here
    return compile_source(source)


def load_policy_text(text: str, name: str = "<string>") -> CompiledPolicy:
    return compile_source(SourceFile.from_text(text, name))


@_collector_paused()
def check_source(source: SourceFile) -> tuple[Policy | None, tuple[Diagnostic, ...]]:
    """Parse, build and check; the diagnostics of every stage reached, errors or not."""
    sink = DiagnosticSink()
    tree = parse(source, sink)
    if tree is None:
        return None, tuple(sink)
    document = build_document(tree, source, sink)
    if isinstance(document, Amendment):
        sink.report(
            "E235",
            document.metadata.span,
            message="this is an amendment: it is read with the regulation it amends",
            hint="give the province folder that holds both, e.g. policies/cantho",
        )
        return None, tuple(sink)
    run_checks(document, sink)
    return document, tuple(sink)


@_collector_paused()
def check_path(path: str | Path) -> tuple[Diagnostic, ...]:
    """Every problem of a `.cchc` file, or of a province folder: each regulation alone and after
    each of its amendments, and the folder's dates and references."""
    path = Path(path)
    if not path.is_dir():
        try:
            source = SourceFile.read(path)
        except (OSError, UnicodeDecodeError) as error:
            return (make("E106", path=str(path), reason=read_error(error)),)
        return check_source(source)[1]
    sink = DiagnosticSink()
    folder = read_folder(path, sink)
    timeline(folder, sink)
    for version in every_version(folder, sink):
        run_checks(version.policy, sink)
    return tuple(dict.fromkeys(sink))  # a base's problem shows once, not once per version


def compile_source(source: SourceFile) -> CompiledPolicy:
    policy, diagnostics = check_source(source)
    if policy is None or any(d.severity is Severity.ERROR for d in diagnostics):
        raise CchcError(diagnostics)
    return _compiled(policy, source.name, diagnostics, "")


def _compiled(
    policy: Policy, name: str, diagnostics: tuple[Diagnostic, ...], chosen: str
) -> CompiledPolicy:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise CchcError(diagnostics)
    programs = {d.name: compile_policy(policy, d.name) for d in policy.unit_types if not d.is_tag}
    return CompiledPolicy(policy, name, programs, diagnostics, chosen)
