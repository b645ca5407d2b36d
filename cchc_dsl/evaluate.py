"""Stage 5: `Program` × one unit's facts → `Evaluation`, every point with its reason.

Arithmetic runs in a Decimal context of 60 significant digits that traps every inexact-looking
accident (invalid operations, overflow): +, − and × are exact, and a quotient is exact whenever it
terminates within 60 digits. Rounding happens once, on the index, as the policy declares.
A missing input, a zero denominator with no declared outcome, or a value a rule cannot place is
reported for the unit (all of them, not just the first) and the unit gets no result.
"""

from __future__ import annotations

import datetime
import decimal
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import NoReturn, TypeAlias

import attrs

from cchc_dsl import scoring as s
from cchc_dsl.diagnostics import DiagnosticSink, InternalError, Said
from cchc_dsl.facts import UnitFacts
from cchc_dsl.nodes import (
    AdjustmentKind,
    InputDecl,
    MissingSurvey,
    NotApplicableEffect,
    Outcome,
    RoundingMode,
)
from cchc_dsl.results import AdjustmentResult, Evaluation, NodeResult
from cchc_dsl.values import COMPARISONS, format_value, short

CONTEXT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
ROUNDING = {
    RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    RoundingMode.DOWN: decimal.ROUND_DOWN,
    RoundingMode.UP: decimal.ROUND_UP,
}
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def round_index(value: Decimal, program: s.Program) -> Decimal:
    exponent = Decimal(1).scaleb(-program.rounding.places)
    return value.quantize(exponent, rounding=ROUNDING[program.rounding.mode], context=CONTEXT)


def evaluate(
    program: s.Program,
    unit: UnitFacts,
    sink: DiagnosticSink,
    *,
    appraised: bool = True,
    year: int | None = None,
) -> Evaluation | None:
    """Score one unit of index `year`; None (diagnostics in `sink`) when its facts fall short."""
    with decimal.localcontext(CONTEXT):
        return _UnitRun(_plan(program), unit, unit.values(appraised), sink, year).run()


def totals(
    program: s.Program,
    nodes: tuple[NodeResult, ...],
    adjustments: tuple[AdjustmentResult, ...],
    by_target: Mapping[str, list[AdjustmentResult]],
    status: str,
) -> Evaluation | None:
    """From the scored tree to the index and band: the survey composite, the adjustments on the
    total and the index, the clamp and the one rounding. `status` is the survey's ("none",
    "present", "missing: rescale|zero"); None when the maximum is 0 and there is no index.
    Public so that a what-if question reuses this arithmetic rather than repeating it."""
    with decimal.localcontext(CONTEXT):
        tree_points = sum((r.points for r in nodes), ZERO)
        tree_max = sum((r.max for r in nodes), ZERO)
        survey_leaves = [r for top in nodes for r in top.walk() if r.survey and not r.children]
        survey_points = sum((r.points for r in survey_leaves), ZERO)
        survey_max = sum((r.max for r in survey_leaves), ZERO)
        appraisal_points = tree_points - survey_points
        appraisal_max = tree_max - survey_max
        steps = [f"criteria: {_fmt(tree_points)} / {_fmt(tree_max)}"]
        points, maximum = tree_points, tree_max
        survey = program.survey
        if survey is not None and survey.weight is not None and survey.scale is not None:
            if appraisal_max == 0 or (status == "present" and survey_max == 0):
                return None
            scale, weight = survey.scale, survey.weight
            if status == "present":
                points = appraisal_points * (scale - weight) / appraisal_max
                points += survey_points * weight / survey_max
                steps.append(
                    f"appraisal {_fmt(appraisal_points)}/{_fmt(appraisal_max)}"
                    f" × {_fmt(scale - weight)}"
                    f" + survey {_fmt(survey_points)}/{_fmt(survey_max)} × {_fmt(weight)}"
                    f" = {_fmt(points)}"
                )
            elif status in {"missing: rescale", "none"}:
                points = appraisal_points * scale / appraisal_max
                why = "no survey criterion applies" if status == "none" else "survey missing"
                steps.append(
                    f"{why}, appraisal rescaled: {_fmt(appraisal_points)}"
                    f"/{_fmt(appraisal_max)} × {_fmt(scale)} = {_fmt(points)}"
                )
            else:
                points = appraisal_points * (scale - weight) / appraisal_max
                steps.append(f"survey missing, counted 0: appraisal part = {_fmt(points)}")
            maximum = scale
        if maximum == 0:
            return None
        for result in by_target.get("total", []):
            points += result.signed
            steps.append(f"{result.kind.value} {result.id}: {_signed(result)}")
        low, high = (_bound(b, maximum) for b in program.clamp)
        points = _clamp(points, low, high, steps, "total")
        index = points * HUNDRED / maximum
        for result in by_target.get("index", []):
            index += result.signed
            steps.append(f"{result.kind.value} {result.id} on the index: {_signed(result)}")
        index = _clamp(
            index,
            None if low is None else low * HUNDRED / maximum,
            None if high is None else high * HUNDRED / maximum,
            steps,
            "index",
        )
        steps.append(f"index = {_fmt(points)} / {_fmt(maximum)} × 100 = {_fmt(index)} %")
        rounded = round_index(index, program)
        mode = program.rounding
        steps.append(f"rounded {mode.mode.value} to {mode.places} places: {rounded} %")
        band = next((b.name for b in program.bands if b.step.contains(rounded / HUNDRED)), None)
        return Evaluation(
            nodes=nodes,
            adjustments=adjustments,
            appraisal_points=appraisal_points,
            appraisal_max=appraisal_max,
            survey_points=survey_points,
            survey_max=survey_max,
            survey_status=status,
            points=points,
            max=maximum,
            index=index,
            index_rounded=rounded,
            band=band,
            steps=tuple(steps),
        )


def _bound(bound: s.Bound, maximum: Decimal) -> Decimal | None:
    return maximum if bound == "max" else bound


def _clamp(
    value: Decimal, low: Decimal | None, high: Decimal | None, steps: list[str], what: str
) -> Decimal:
    if low is not None and value < low:
        steps.append(f"{what} {_fmt(value)} raised to the floor {_fmt(low)}")
        return low
    if high is not None and value > high:
        steps.append(f"{what} {_fmt(value)} lowered to the ceiling {_fmt(high)}")
        return high
    return value


def score_leaf(
    program: s.Program,
    node: s.ScoringNode,
    unit: UnitFacts,
    values: Mapping[str, s.Value],
    year: int | None = None,
) -> NodeResult | None:
    """One leaf of `unit` scored as if its values were `values`: the what-if questions ask this
    once per candidate change, and the whole unit need not be scored again for each. None when
    the values fall short (a missing input, a zero denominator)."""
    with decimal.localcontext(CONTEXT):
        run = _UnitRun(_plan(program), unit, values, DiagnosticSink(), year)
        run.survey_leaves = run.plan.survey_leaves(run.tags)
        run.survey_missing = run._survey_is_missing()
        scored = run.items[id(node)]
        maximum = scored.fixed_max
        if maximum is None:
            maximum = run.max_of(node.applicability, node.id)
        result = run.leaf(node, scored, maximum)
        return None if run.failed else result


class _Stop(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Ends the scoring of one node; carries what to record."""


class _NotDone(_Stop):
    def __init__(self, name: str) -> None:
        self.name = name


class _Failed(_Stop):
    """A problem already reported to the sink."""


class _UnitRun:
    def __init__(
        self,
        plan: _Plan,
        unit: UnitFacts,
        values: Mapping[str, s.Value],
        sink: DiagnosticSink,
        year: int | None,
    ) -> None:
        self.plan = plan
        self.items = plan.items
        self.program = plan.program
        self.year = year
        self.unit = unit
        self.values = values
        self.sink = sink
        self.tags = frozenset(unit.tags)
        self.evidence = dict(unit.evidence)
        self.decls = plan.decls
        self.failed = False
        self.reported_missing: set[str] = set()
        self.survey_missing = False
        self.node_reads: tuple[str, ...] = ()  # the inputs of the node being scored

    # --- the whole unit -----------------------------------------------------------------------

    def run(self) -> Evaluation | None:
        self.survey_leaves = self.plan.survey_leaves(self.tags)
        self.survey_missing = self._survey_is_missing()
        adjustments = self._adjustments()
        by_target: dict[str, list[AdjustmentResult]] = {}
        for result in adjustments:
            by_target.setdefault(result.target, []).append(result)
        tops = [self.node(node, by_target) for node in self.program.nodes]
        nodes = tuple(r for r in tops if r is not None)
        if self.failed:
            return None
        return self._totals(nodes, tuple(adjustments), by_target)

    def _survey_is_missing(self) -> bool:
        survey = self.program.survey
        if survey is None:
            return False
        names = {name for node in self.survey_leaves for name in node.reads}
        if not names or any(name in self.values for name in names):
            return False
        if survey.missing is MissingSurvey.ERROR:
            self.sink.report("E504", self.unit.position, unit=self.unit.id)
            self.failed = True
        return True

    def _totals(
        self,
        nodes: tuple[NodeResult, ...],
        adjustments: tuple[AdjustmentResult, ...],
        by_target: dict[str, list[AdjustmentResult]],
    ) -> Evaluation | None:
        status = "none"  # the policy has no survey, or none of its survey criteria apply here
        if self.program.survey is not None and self.survey_leaves:
            survey = self.program.survey
            status = f"missing: {survey.missing.value}" if self.survey_missing else "present"
        result = totals(self.program, nodes, adjustments, by_target, status)
        if result is None:
            self._zero_max()
        return result

    def _zero_max(self) -> None:
        self.failed = True
        self.sink.report(
            "E506",
            self.unit.position,
            unit=self.unit.id,
            message="every criterion is excluded, so the maximum is 0 and there is no index",
        )

    # --- nodes --------------------------------------------------------------------------------

    def node(
        self, node: s.ScoringNode, by_target: dict[str, list[AdjustmentResult]]
    ) -> NodeResult | None:
        scored = self.items[id(node)]
        if not (scored.everywhere or node.applicability.applies(self.tags)):
            return self._ruled_out(node)
        adjustments = tuple(by_target.get(node.id, ())) if by_target else ()
        if node.rule is not None:
            maximum = scored.fixed_max
            if maximum is None:
                maximum = self.max_of(node.applicability, node.id)
            result = self.leaf(node, scored, maximum)
        else:
            # a node scores None only when no sub-criterion of it applies; results are truthy
            children = tuple(filter(None, [self.node(c, by_target) for c in node.children]))
            if not children:
                return None
            result = NodeResult(
                id=node.id,
                title=node.title,
                kind=node.kind,
                points=sum((c.points for c in children), ZERO),
                max=sum((c.max for c in children), ZERO),
                outcome=Outcome.SCORED,
                rule="sum of its sub-criteria",
                citation=node.citation,
                children=children,
            )
        if adjustments:
            total = sum((a.signed for a in adjustments), ZERO)
            detail = ", ".join(f"{a.id} {_signed(a)}" for a in adjustments)
            result = attrs.evolve(
                result,
                points=result.points + total,
                adjustments=adjustments,
                detail=f"{result.detail}; adjusted by {detail}".lstrip("; "),
            )
        return result

    def _ruled_out(self, node: s.ScoringNode) -> NodeResult:
        """A node that the unit's tags rule out: listed, worth 0 of 0, with the reason."""
        rule = node.applicability
        reason = (
            f"except {', '.join(rule.except_tags)}"
            if self.tags.intersection(rule.except_tags)
            else f"only {', '.join(rule.only_tags)}"
        )
        return NodeResult(
            id=node.id,
            title=node.title,
            kind=node.kind,
            points=ZERO,
            max=ZERO,
            outcome=Outcome.DOES_NOT_APPLY,
            rule=reason,
            detail="does not apply to this unit: left out of the score and the max",
            citation=node.citation,
        )

    def max_of(self, applicability: s.Applicability, node_id: str) -> Decimal:
        by_tag = {value for tag, value in applicability.max_by_tag if tag in self.tags}
        if len(by_tag) > 1:
            tags = ", ".join(sorted(t for t, _ in applicability.max_by_tag if t in self.tags))
            self.sink.report("E505", self.unit.position, unit=self.unit.id, node=node_id, tags=tags)
            self.failed = True
            return ZERO
        if by_tag:
            return by_tag.pop()
        if applicability.max_default is None:
            raise InternalError(f"{node_id} has no max for {self.unit.id}; checks should forbid")
        return applicability.max_default

    def leaf(self, node: s.ScoringNode, scored: _Scored, maximum: Decimal) -> NodeResult:
        """The hot path of scoring: one result per criterion per unit, arguments by position."""
        reads: _Reads = {}
        evidence = self.evidence.get(node.id) if self.evidence else None
        if node.is_survey and self.survey_missing:
            decided: _Decision | None = self._survey_missing(maximum)
        else:
            decided = self._apply(scored, maximum, reads)
        if decided is None:
            decided = ZERO, maximum, SCORED, None, "", ""
        points, max_, outcome, effect, rule, detail = decided
        if outcome is SCORED and node.evidence_required and points > 0 and not evidence:
            detail += f"; no evidence given, so 0 of {_fmt(points)}"
            points, outcome = ZERO, Outcome.NO_EVIDENCE
        return NodeResult(
            node.id,
            node.title,
            node.kind,
            points,
            max_,
            outcome,
            effect,
            rule,
            detail,
            tuple(reads.items()),
            node.citation,
            evidence,
            (),
            (),
            node.is_survey,
        )

    def _survey_missing(self, maximum: Decimal) -> _Decision:
        survey = self.program.survey
        if survey is not None and survey.missing is MissingSurvey.ZERO:
            why = "counted as 0 by the policy"
            return ZERO, maximum, Outcome.SURVEY_MISSING, None, "survey missing", why
        why = "left out of the score and the max; the appraisal is rescaled"
        return ZERO, ZERO, Outcome.SURVEY_MISSING, None, "survey missing", why

    def _apply(self, scored: _Scored, maximum: Decimal, reads: _Reads) -> _Decision | None:
        """Outcome clauses, else the rule limited to [0, max]; None when the unit lacks a value."""
        self.node_reads = scored.reads
        try:
            if scored.outcomes:
                decided = self._outcome(scored.outcomes, reads, maximum, scored.label)
                if decided is not None:
                    return decided
            points, text, detail = scored.rule(self, maximum, reads, scored.label)
        except _NotDone as stop:
            why = "the input is optional: not given means not done, 0 points"
            return ZERO, maximum, Outcome.NOT_DONE, None, f"«{stop.name}» not given", why
        except _Failed:
            self.failed = True
            return None
        if points > maximum or points < 0:
            limit = maximum if points > maximum else ZERO
            detail += f"; {_fmt(points)} limited to {_fmt(limit)}"
            points = limit
        return points, maximum, SCORED, None, text, detail

    def _outcome(
        self,
        clauses: tuple[tuple[_Expr, s.IROutcome], ...],
        reads: _Reads,
        maximum: Decimal,
        label: str,
    ) -> _Decision | None:
        for condition, clause in clauses:
            if condition(self, reads, maximum, label) is not True:
                continue
            if clause.outcome is Outcome.NOT_APPLICABLE:
                if clause.effect is NotApplicableEffect.FULL:
                    why = "no task arose: full points"
                    return maximum, maximum, clause.outcome, clause.effect, clause.text, why
                why = "left out of score and max"
                return ZERO, ZERO, clause.outcome, clause.effect, clause.text, why
            return ZERO, maximum, clause.outcome, None, clause.text, "0 points"
        return None

    # --- rules (compiled once per program: see _rule) ----------------------------------------

    def _due(self, due: datetime.date | s.DueDay, label: str) -> datetime.date:
        if isinstance(due, datetime.date):
            return due
        if self.year is None:
            self.sink.report(
                "E508",
                self.unit.position,
                unit=self.unit.id,
                node=label,
                day=str(due),
                hint='give the index year: "year": 2024 in the facts file, or --year',
            )
            raise _Failed
        return due.on(self.year)

    def _no_step(self, label: str, shown: str) -> NoReturn:
        self.sink.report(
            "E507",
            self.unit.position,
            unit=self.unit.id,
            node=label,
            value=shown,
        )
        raise _Failed

    # --- adjustments --------------------------------------------------------------------------

    def _adjustments(self) -> list[AdjustmentResult]:
        results: list[AdjustmentResult] = []
        used: dict[int, Decimal] = {}
        for item in self.program.adjustments:
            if not item.applicability.applies(self.tags):
                continue
            cap = self.max_of(item.applicability, item.id)
            result = self.adjustment(item, cap)
            if result is None:
                continue
            if item.group is not None:
                group = self.program.groups[item.group]
                room = group.cap - used.get(item.group, ZERO)
                if result.amount > room:
                    result = attrs.evolve(
                        result,
                        amount=max(room, ZERO),
                        detail=f"{result.detail}; group «{group.title}»"
                        f" capped at {_fmt(group.cap)}",
                    )
                used[item.group] = used.get(item.group, ZERO) + result.amount
            results.append(result)
        return results

    def adjustment(self, item: s.ScoringAdjustment, cap: Decimal) -> AdjustmentResult | None:
        reads: _Reads = {}
        decided = self._apply(self.plan.items[id(item)], cap, reads)
        if decided is None:
            return None
        points, _, outcome, _, rule_text, detail = decided
        amount = points if outcome is SCORED else ZERO  # an outcome clause means nothing to add
        return AdjustmentResult(
            id=item.id,
            title=item.title,
            kind=item.kind,
            amount=amount,
            raw=amount,
            cap=cap,
            target=item.target,
            outcome=outcome,
            rule=rule_text,
            detail=detail,
            inputs=tuple(reads.items()),
            citation=item.citation,
        )

    # --- values -------------------------------------------------------------------------------

    def read(self, name: str, reads: _Reads) -> s.Value:
        if name in self.values:
            reads[name] = self.values[name]
            return self.values[name]
        decl = self.decls[name]
        if decl.default is not None:
            reads[name] = decl.default.value
            return decl.default.value
        reads[name] = None
        if decl.optional and name not in self.unit.rejected:
            raise _NotDone(name)
        # the node stops here: name every input it lacks, not only the first it met
        for missing in (name, *self.node_reads):
            if self._lacks(missing) and missing not in self.reported_missing:
                self.reported_missing.add(missing)
                self.sink.report(
                    "E403",
                    self.unit.input_spans.get(missing) or self.unit.position,  # a form's cell
                    unit=self.unit.id,
                    name=missing,
                    hint=Said(
                        "give the value, or declare a default for it in the policy",
                        "hãy cho giá trị, hoặc khai báo giá trị mặc định trong quy định",
                    ),
                )
        raise _Failed

    def _lacks(self, name: str) -> bool:
        """Missing, needed, and not already reported as a wrong value by the facts reader."""
        decl = self.decls[name]
        return (
            name not in self.values
            and decl.default is None
            and not decl.optional
            and name not in self.unit.rejected
        )


# --- the program, compiled once ------------------------------------------------------------------
#
# Scoring 10,000 units runs the same few hundred rules 10,000 times. What does not depend on the
# unit (rule texts, labels, whether a node's applicability or max needs the unit's tags, the
# expressions as Python closures instead of a walk over `IRExpr`) is worked out once per
# `Program` and kept beside it, since `scoring.py` is shared IR and stays as it is.

_Reads: TypeAlias = dict[str, s.Value | None]  # the inputs a node read, in the order it read them
_Expr: TypeAlias = Callable[[_UnitRun, _Reads, Decimal, str], s.Value]  # run, reads, max, label
_Rule: TypeAlias = Callable[[_UnitRun, Decimal, _Reads, str], tuple[Decimal, str, str]]


class _Scored:
    """A node or an adjustment with what does not depend on the unit worked out."""

    __slots__ = ("everywhere", "fixed_max", "label", "outcomes", "reads", "rule")

    def __init__(self, item: s.ScoringNode | s.ScoringAdjustment) -> None:
        applicability = item.applicability
        self.everywhere = not applicability.only_tags and not applicability.except_tags
        self.fixed_max = None if applicability.max_by_tag else applicability.max_default
        self.label = f"{item.kind.value} {item.id}"
        self.outcomes = tuple((_expr(c.condition), c) for c in item.outcomes)
        self.rule = _no_rule if item.rule is None else _rule(item.rule)
        self.reads = item.reads


class _Plan:
    """A program with its nodes and adjustments compiled; built on first use, then shared."""

    def __init__(self, program: s.Program) -> None:
        self.program = program
        self.decls: dict[str, InputDecl] = {d.name: d for d in program.inputs}
        every = _walk(program.nodes)
        # keyed by identity: the plan holds the program, so no id is reused while it lives
        self.items = {id(node): _Scored(node) for node in every}
        self.items.update((id(item), _Scored(item)) for item in program.adjustments)
        self.has_survey = any(node.is_survey for node in every)
        self._survey_leaves: dict[frozenset[str], list[s.ScoringNode]] = {}

    def survey_leaves(self, tags: frozenset[str]) -> list[s.ScoringNode]:
        """The survey nodes that apply to a unit with these tags (a handful of tag sets recur)."""
        found = self._survey_leaves.get(tags)
        if found is None:
            applicable = _applicable(self.program.nodes, tags)
            found = self._survey_leaves[tags] = [n for n in applicable if n.is_survey]
        return found


_PLANS: dict[int, _Plan] = {}
_PLANS_KEPT = 64  # programs alive at once in one process: a few policies × unit types


def _plan(program: s.Program) -> _Plan:
    plan = _PLANS.get(id(program))
    if plan is None or plan.program is not program:
        if len(_PLANS) >= _PLANS_KEPT:
            _PLANS.clear()
        plan = _PLANS[id(program)] = _Plan(program)
    return plan


def _walk(nodes: tuple[s.ScoringNode, ...]) -> list[s.ScoringNode]:
    out: list[s.ScoringNode] = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node.children))
    return out


def _applicable(nodes: tuple[s.ScoringNode, ...], tags: frozenset[str]) -> list[s.ScoringNode]:
    """Every node that applies to a unit with these tags, parents before children."""
    out: list[s.ScoringNode] = []
    for node in nodes:
        if node.applicability.applies(tags):
            out.append(node)
            out.extend(_applicable(node.children, tags))
    return out


def _survey_results(nodes: tuple[NodeResult, ...]) -> list[NodeResult]:
    """The survey leaves among the results, in tree order."""
    out: list[NodeResult] = []
    pending = list(reversed(nodes))
    while pending:
        result = pending.pop()
        if result.children:
            pending.extend(reversed(result.children))
        elif result.survey:
            out.append(result)
    return out


def _number(value: s.Value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise InternalError(f"expected a number, got {value!r}; checks should forbid")
    return value


def _expr(expr: s.IRExpr) -> _Expr:
    """The expression as a closure over its compiled arguments."""
    if isinstance(expr, s.Const):
        constant = expr.value
        return lambda run, reads, maximum, label: constant
    if isinstance(expr, s.NodeMaxRef):
        return lambda run, reads, maximum, label: maximum
    if isinstance(expr, s.TagRef):
        tag = expr.name
        return lambda run, reads, maximum, label: tag in run.tags
    if isinstance(expr, s.Ref):
        name = expr.name

        def ref(run: _UnitRun, reads: _Reads, maximum: Decimal, label: str) -> s.Value:
            values = run.values
            if name in values:
                value = reads[name] = values[name]
                return value
            return run.read(name, reads)  # a default, an optional input, or a problem

        return ref
    args = tuple(_expr(a) for a in expr.args)
    op = expr.op
    if op in ("not", "neg"):
        (only,) = args
        if op == "not":
            return lambda run, reads, maximum, label: only(run, reads, maximum, label) is not True
        return lambda run, reads, maximum, label: -_number(only(run, reads, maximum, label))
    if op in ("min", "max"):
        pick = min if op == "min" else max

        def extreme(run: _UnitRun, reads: _Reads, maximum: Decimal, label: str) -> s.Value:
            values = [a(run, reads, maximum, label) for a in args]
            return pick([_number(v) for v in values])

        return extreme
    first, second = args
    if op == "and":
        return lambda run, reads, maximum, label: (
            first(run, reads, maximum, label) is True and second(run, reads, maximum, label) is True
        )
    if op == "or":
        return lambda run, reads, maximum, label: (
            first(run, reads, maximum, label) is True or second(run, reads, maximum, label) is True
        )
    if op in COMPARISONS:
        compare = COMPARISONS[op]
        return lambda run, reads, maximum, label: bool(
            compare(first(run, reads, maximum, label), second(run, reads, maximum, label))
        )
    if op in _ARITHMETIC:
        arithmetic = _ARITHMETIC[op]

        def calculate(run: _UnitRun, reads: _Reads, maximum: Decimal, label: str) -> s.Value:
            left, right = first(run, reads, maximum, label), second(run, reads, maximum, label)
            return arithmetic(_number(left), _number(right))

        return calculate
    if op != "/":
        raise InternalError(f"no evaluation for the operator {op!r}")

    def divide(run: _UnitRun, reads: _Reads, maximum: Decimal, label: str) -> s.Value:
        left, right = first(run, reads, maximum, label), second(run, reads, maximum, label)
        a, b = _number(left), _number(right)
        if b == 0:
            run.sink.report("E501", run.unit.position, unit=run.unit.id, node=label)
            raise _Failed
        return a / b

    return divide


def _no_rule(
    run: _UnitRun, maximum: Decimal, reads: _Reads, label: str
) -> tuple[Decimal, str, str]:
    raise InternalError(f"{label} has no rule")


def _rule(rule: s.IRRule) -> _Rule:
    """The rule as a function of (run, max, reads, label) → (points, the rule as written, how it
    decided); the text of the rule is written once here, not once per unit."""
    if isinstance(rule, s.YesNoRule):
        condition, text = _expr(rule.condition), f"yes_no {s.show(rule.condition)}"

        def yes_no(run: _UnitRun, maximum: Decimal, reads: _Reads, label: str) -> _Scoring:
            if condition(run, reads, maximum, label) is True:
                return maximum, text, "yes: full points"
            return ZERO, text, "no: 0"

        return yes_no
    if isinstance(rule, s.ProportionalRule):
        rate_of, text = _expr(rule.rate), f"proportional {s.show(rule.rate)}"

        def proportional(run: _UnitRun, maximum: Decimal, reads: _Reads, label: str) -> _Scoring:
            rate = _number(rate_of(run, reads, maximum, label))
            if not 0 <= rate <= 1:
                unit = run.unit
                run.sink.report("E502", unit.position, unit=unit.id, node=label, rate=_pct(rate))
                raise _Failed
            return rate * maximum, text, f"{_pct(rate)} × {_fmt(maximum)}"

        return proportional
    if isinstance(rule, s.StepRule | s.SurveyRule):
        return _by_steps(rule)
    if isinstance(rule, s.DeadlineRule):
        return _deadline(rule)
    if isinstance(rule, s.JudgedRule):
        return _judged(rule)
    if isinstance(rule, s.PerItemRule):
        count_of, amount = _expr(rule.subject), rule.amount
        text = f"per_item {s.show(rule.subject)}: {_fmt(amount)}"

        def per_item(run: _UnitRun, maximum: Decimal, reads: _Reads, label: str) -> _Scoring:
            count = _number(count_of(run, reads, maximum, label))
            points = count * amount
            return points, text, f"{_fmt(count)} × {_fmt(amount)} = {_fmt(points)}"

        return per_item
    if isinstance(rule, s.FormulaRule):
        return _formula(rule)
    raise InternalError(f"no evaluation for {type(rule).__name__}")


def _by_steps(rule: s.StepRule | s.SurveyRule) -> _Rule:
    subject = _expr(rule.subject)
    is_survey = isinstance(rule, s.SurveyRule)
    is_rate = is_survey or (isinstance(rule, s.StepRule) and rule.rate)
    text = f"{'survey' if is_survey else 'steps'} {s.show(rule.subject)}"
    proportional = is_survey and not rule.steps
    steps, otherwise = rule.steps, rule.otherwise

    def by_steps(run: _UnitRun, maximum: Decimal, reads: _Reads, label: str) -> _Scoring:
        value = subject(run, reads, maximum, label)
        shown = _pct(value) if is_rate and isinstance(value, Decimal) else format_value(value)
        if proportional:
            return _number(value) * maximum, text, f"{shown} × {_fmt(maximum)}"
        for step in steps:
            if step.contains(value):
                return step.points, text, f"{shown}: {step.text} → {_fmt(step.points)}"
        if otherwise is not None:
            return otherwise, text, f"{shown}: otherwise → {_fmt(otherwise)}"
        run._no_step(label, shown)

    return by_steps


def _deadline(rule: s.DeadlineRule) -> _Rule:
    subject, written = _expr(rule.subject), s.show(rule.subject)

    def deadline(run: _UnitRun, maximum: Decimal, reads: _Reads, label: str) -> _Scoring:
        day = subject(run, reads, maximum, label)
        if not isinstance(day, datetime.date):
            raise InternalError("deadline on a non-date; checks should forbid")
        due = run._due(rule.due, label)
        text = f"deadline {written} by {due.isoformat()}"
        if day <= due:
            return rule.on_time, text, f"{day.isoformat()}: on time → {_fmt(rule.on_time)}"
        late = (day - due).days
        for days, points in rule.late:
            if late <= days:
                detail = f"{day.isoformat()}: {late} days late (at most {days}) → {_fmt(points)}"
                return points, text, detail
        if rule.otherwise is not None:
            detail = f"{day.isoformat()}: {late} days late → {_fmt(rule.otherwise)}"
            return rule.otherwise, text, detail
        run._no_step(label, f"{late} days late")

    return deadline


def _judged(rule: s.JudgedRule) -> _Rule:
    subject, written, step = _expr(rule.subject), s.show(rule.subject), rule.step
    text = f"judged {written} step {_fmt(step)}"

    def judged(run: _UnitRun, maximum: Decimal, reads: _Reads, label: str) -> _Scoring:
        given = _number(subject(run, reads, maximum, label))
        if not (0 <= given <= maximum and (given / step) % 1 == 0):
            unit = run.unit
            run.sink.report(
                "E503",
                unit.input_spans.get(written, unit.position),
                unit=unit.id,
                node=label,
                value=_fmt(given),
                max=_fmt(maximum),
                step=_fmt(step),
            )
            raise _Failed
        return given, text, "as judged"

    return judged


def _formula(rule: s.FormulaRule) -> _Rule:
    value_of, low_of, high_of = _expr(rule.expr), _expr(rule.low), _expr(rule.high)
    text = f"formula {s.show(rule.expr)}"

    def formula(run: _UnitRun, maximum: Decimal, reads: _Reads, label: str) -> _Scoring:
        value = _number(value_of(run, reads, maximum, label))
        low = _number(low_of(run, reads, maximum, label))
        high = _number(high_of(run, reads, maximum, label))
        clamped = min(max(value, low), high)
        detail = f"= {_fmt(value)}"
        if clamped != value:
            detail += f", clamped to {_fmt(low)} .. {_fmt(high)}: {_fmt(clamped)}"
        return clamped, text, detail

    return formula


_ARITHMETIC: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}
SCORED = Outcome.SCORED
EXCLUDED = NotApplicableEffect.EXCLUDED
# how a leaf was decided: points, max, outcome, effect, the rule or clause, how
_Decision = tuple[Decimal, Decimal, Outcome, NotApplicableEffect | None, str, str]
_Scoring = tuple[Decimal, str, str]  # what a rule gives: points, the rule as written, how


_fmt = short


def _pct(value: s.Value) -> str:
    if not isinstance(value, Decimal):
        return str(value)
    return f"{short(value * 100)}%"


def _signed(result: AdjustmentResult) -> str:
    sign = "+" if result.kind is AdjustmentKind.BONUS else "−"
    return f"{sign}{_fmt(result.amount)}"
