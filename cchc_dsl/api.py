"""The Python API an embedding system calls: load a policy once, score many units. Prints nothing.

Every user error raises `CchcError` carrying all the diagnostics of the stage that found them;
anything else that escapes is a bug. The functions read like the pipeline they run.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import attrs

from cchc_dsl.builder import build_document
from cchc_dsl.checks import run_checks
from cchc_dsl.compiler import compile_policy
from cchc_dsl.diagnostics import (
    CchcError,
    Diagnostic,
    DiagnosticSink,
    Said,
    Severity,
    make,
    read_error,
)
from cchc_dsl.evaluate import evaluate
from cchc_dsl.facts import Facts, UnitFacts, facts_from_records
from cchc_dsl.ir_json import IRDocument, dump_ir, ir_from_text, read_ir
from cchc_dsl.nodes import Amendment, Outcome, Policy
from cchc_dsl.parser import parse
from cchc_dsl.ranking import RankedBlock, rank
from cchc_dsl.readers import read_facts
from cchc_dsl.results import Evaluation, UnitResult
from cchc_dsl.scoring import Program
from cchc_dsl.source import SourceFile
from cchc_dsl.versions import every_version, in_force, index_year_end, read_folder, timeline

Progress = Callable[[int, int], None]  # (units scored, units in the batch)


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
    """A checked regulation with its scoring program for each unit type. Immutable, shareable.

    Loaded from a compiled IR (`from_ir`), `policy` is an outline: what reading facts, ranking
    and reports use (metadata, unit types, inputs, criteria ids and titles); no rules, and
    `compiled_from` names the file or folder the IR was compiled from."""

    policy: Policy
    name: str  # the file or folder it was loaded from
    programs: Mapping[str, Program] = attrs.field(eq=False, repr=False)
    warnings: tuple[Diagnostic, ...] = attrs.field(eq=False, default=())
    chosen: str = attrs.field(eq=False, default="")  # which documents, when picked from a folder
    year: int | None = attrs.field(eq=False, default=None)  # the index year it was loaded for
    compiled_from: str | None = attrs.field(eq=False, default=None)

    @property
    def from_ir(self) -> bool:
        return self.compiled_from is not None

    @property
    def unit_types(self) -> tuple[str, ...]:
        return tuple(self.programs)

    def program(self, unit_type: str) -> Program:
        return self.programs[unit_type]

    def source_policy(self, command: str) -> Policy:
        """The whole regulation as read from its text, for `command`; an IR has none (E804)."""
        if self.from_ir:
            raise CchcError((make("E804", command=command, path=self.name),))
        return self.policy

    def to_ir(self) -> str:
        """The JSON IR (docs/ir.md): what another system needs to score as this policy does."""
        source = self.name if self.compiled_from is None else self.compiled_from
        return dump_ir(
            self.policy, self.programs, source=source, chosen=self.chosen, year=self.year
        )

    @_collector_paused()
    def read_facts(self, path: str | Path, locale: str | None = None) -> Facts:
        """Units from a JSON, CSV, YAML or filled-workbook file, or a folder of them; with
        `locale="vi"` numbers may be written 78,84."""
        sink = DiagnosticSink()
        facts = read_facts(path, self.policy, sink, locale)
        sink.raise_if_errors()
        return facts

    @_collector_paused()
    def score_file(
        self,
        path: str | Path,
        unit_type: str | None = None,
        progress: Progress | None = None,
        locale: str | None = None,
        *,
        details: bool = True,
    ) -> ScoreReport:
        """Read a facts file and score it; every problem of the file and of its units in one error.

        Units whose only problems are wrong values are still scored, so that what else they lack
        is reported in the same run; any problem at all raises `CchcError`. `details=False` keeps
        of each unit only its totals, index, band and steps (no result per criterion): a ranking
        of 10,000 units then holds a few MiB of results instead of hundreds.
        """
        sink = DiagnosticSink()
        facts = read_facts(path, self.policy, sink, locale)
        return self._score_all(facts, unit_type, sink, progress, details)

    @_collector_paused()
    def facts(self, records: Iterable[Mapping[str, object]], year: int | None = None) -> Facts:
        """Facts from Python data shaped like a JSON facts file's `units` list."""
        sink = DiagnosticSink()
        facts = facts_from_records(records, self.policy, sink, year=year)
        sink.raise_if_errors()
        return facts

    @_collector_paused()
    def score(
        self,
        facts: Facts,
        unit_type: str | None = None,
        progress: Progress | None = None,
        *,
        details: bool = True,
    ) -> ScoreReport:
        """Score and rank every unit (or those of one unit type); all problems in one error.
        `progress(done, total)` is called after each unit, for a caller that shows a bar;
        `details=False`: see `score_file`."""
        return self._score_all(facts, unit_type, DiagnosticSink(), progress, details)

    def _score_all(
        self,
        facts: Facts,
        unit_type: str | None,
        sink: DiagnosticSink,
        progress: Progress | None = None,
        details: bool = True,
    ) -> ScoreReport:
        units = [u for u in facts.units if unit_type is None or u.unit_type == unit_type]
        year = facts.year if facts.year is not None else self.year
        results = []
        for done, unit in enumerate(units, 1):
            result = self._score(unit, sink, year)
            if result is not None:
                results.append(result if details else _totals_only(result))
            if progress is not None:
                progress(done, len(units))
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
    """A unit's totals, index and band, and of its criteria only those that lost their points
    for want of required evidence (listed under every ranking table), as leaves."""
    mine = result.self_assessed
    unproven = tuple(n for n in result.official.leaves() if n.outcome is Outcome.NO_EVIDENCE)
    return attrs.evolve(
        result,
        official=attrs.evolve(result.official, nodes=unproven, adjustments=()),
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
    end of index `year`, or on `as_of` (the latest text without either), with its amendments;
    or from a compiled IR (`.json`, see `load_ir`)."""
    path = Path(path)
    if path.suffix.lower() == ".json" and not path.is_dir():
        return load_ir(path, year=year, as_of=as_of)
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
def load_ir(
    path: str | Path, *, year: int | None = None, as_of: datetime.date | None = None
) -> CompiledPolicy:
    """A policy from its JSON IR (`CompiledPolicy.to_ir`): scores exactly as the policy it was
    compiled from. It holds one version for one year: another `year`, or any `as_of`, is E805."""
    return _from_ir(read_ir(path), str(path), year, as_of)


@_collector_paused()
def load_ir_text(text: str, name: str = "<string>", *, year: int | None = None) -> CompiledPolicy:
    """A policy from IR text held in memory (a database row, an HTTP body), as `load_ir`."""
    return _from_ir(ir_from_text(text, name), name, year, None)


def _from_ir(
    document: IRDocument, name: str, year: int | None, as_of: datetime.date | None
) -> CompiledPolicy:
    compiled_for = Said(
        f"index year {document.year}" if document.year else "the text it was compiled from",
        f"năm đánh giá {document.year}" if document.year else "văn bản đã dùng khi biên dịch",
    )
    if as_of is not None:
        asked = Said(
            "compile the folder again with --as-of", "hãy biên dịch lại thư mục với --as-of"
        )
        raise CchcError((make("E805", path=name, compiled=compiled_for, asked=asked),))
    if year is not None and document.year is not None and year != document.year:
        asked = Said(f"compile it again with --year {year}", f"hãy biên dịch lại với --year {year}")
        raise CchcError((make("E805", path=name, compiled=compiled_for, asked=asked),))
    programs = {program.unit_type: program for program in document.programs}
    return CompiledPolicy(
        document.policy,
        name,
        programs,
        chosen=document.chosen,
        year=document.year if document.year is not None else year,
        compiled_from=document.source,
    )


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
def check_path(path: str | Path, texts: Mapping[Path, str] | None = None) -> tuple[Diagnostic, ...]:
    """Every problem of a `.cchc` file, or of a province folder: each regulation alone and after
    each of its amendments, and the folder's dates and references; of a compiled IR (`.json`),
    whether it reads. `texts` (resolved path → text) stands for files being edited and not
    saved, as an editor has them."""
    path = Path(path)
    if path.suffix.lower() == ".json" and not path.is_dir():
        try:
            read_ir(path)
        except CchcError as error:
            return error.diagnostics
        return ()
    if not path.is_dir():
        edited = (texts or {}).get(path.resolve())
        if edited is not None:
            return check_source(SourceFile.from_text(edited, str(path)))[1]
        try:
            source = SourceFile.read(path)
        except (OSError, UnicodeDecodeError) as error:
            return (make("E106", path=str(path), reason=read_error(error)),)
        return check_source(source)[1]
    sink = DiagnosticSink()
    folder = read_folder(path, sink, texts)
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
