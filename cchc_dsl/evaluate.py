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
from typing import Any, NoReturn

import attrs

from cchc_dsl import scoring as s
from cchc_dsl.diagnostics import DiagnosticSink, InternalError
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
from cchc_dsl.values import format_value, short

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
        return _UnitRun(program, unit, unit.values(appraised), sink, year).run()


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
        run = _UnitRun(program, unit, values, DiagnosticSink(), year)
        run.survey_leaves = [n for n in run._applicable(program.nodes) if n.is_survey]
        run.survey_missing = run._survey_is_missing()
        result = run.leaf(node, run.max_of(node.applicability, node.id))
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
        program: s.Program,
        unit: UnitFacts,
        values: Mapping[str, s.Value],
        sink: DiagnosticSink,
        year: int | None,
    ) -> None:
        self.program = program
        self.year = year
        self.unit = unit
        self.values = values
        self.sink = sink
        self.tags = frozenset(unit.tags)
        self.decls: dict[str, InputDecl] = {d.name: d for d in program.inputs}
        self.failed = False
        self.reported_missing: set[str] = set()
        self.survey_missing = False
        self.node_reads: tuple[str, ...] = ()  # the inputs of the node being scored

    # --- the whole unit -----------------------------------------------------------------------

    def run(self) -> Evaluation | None:
        self.survey_leaves = [n for n in self._applicable(self.program.nodes) if n.is_survey]
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

    def _applicable(self, nodes: tuple[s.ScoringNode, ...]) -> list[s.ScoringNode]:
        """Every node that applies to this unit's tags, parents before children."""
        out: list[s.ScoringNode] = []
        for node in nodes:
            if node.applicability.applies(self.tags):
                out.append(node)
                out.extend(self._applicable(node.children))
        return out

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
        if not node.applicability.applies(self.tags):
            return self._ruled_out(node)
        adjustments = tuple(by_target.get(node.id, ()))
        if node.rule is not None:
            result = self.leaf(node, self.max_of(node.applicability, node.id))
        else:
            children = tuple(
                r for r in (self.node(child, by_target) for child in node.children) if r is not None
            )
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

    def leaf(self, node: s.ScoringNode, maximum: Decimal) -> NodeResult:
        reads: dict[str, s.Value | None] = {}
        evidence = self.unit.evidence.get(node.id)
        points, max_, outcome, effect, rule, detail = self._decide(node, maximum, reads, evidence)
        return NodeResult(
            id=node.id,
            title=node.title,
            kind=node.kind,
            points=points,
            max=max_,
            outcome=outcome,
            effect=effect,
            rule=rule,
            detail=detail,
            inputs=tuple(reads.items()),
            citation=node.citation,
            evidence=evidence,
            survey=node.is_survey,
        )

    def _decide(
        self,
        node: s.ScoringNode,
        maximum: Decimal,
        reads: dict[str, s.Value | None],
        evidence: str | None,
    ) -> _Decision:
        if node.is_survey and self.survey_missing:
            survey = self.program.survey
            if survey is not None and survey.missing is MissingSurvey.ZERO:
                why = "counted as 0 by the policy"
                return ZERO, maximum, Outcome.SURVEY_MISSING, None, "survey missing", why
            why = "left out of the score and the max; the appraisal is rescaled"
            return ZERO, ZERO, Outcome.SURVEY_MISSING, None, "survey missing", why
        label = f"{node.kind.value} {node.id}"
        assert node.rule is not None
        decided = self._apply(node.outcomes, node.rule, node.reads, maximum, reads, label)
        if decided is None:
            return ZERO, maximum, SCORED, None, "", ""
        points, _, outcome, _, rule, detail = decided
        if outcome is SCORED and node.evidence_required and points > 0 and not evidence:
            detail += f"; no evidence given, so 0 of {_fmt(points)}"
            return ZERO, maximum, Outcome.NO_EVIDENCE, None, rule, detail
        return decided

    def _apply(
        self,
        outcomes: tuple[s.IROutcome, ...],
        rule: s.IRRule,
        names: tuple[str, ...],
        maximum: Decimal,
        reads: dict[str, s.Value | None],
        label: str,
    ) -> _Decision | None:
        """Outcome clauses, else the rule limited to [0, max]; None when the unit lacks a value."""
        self.node_reads = names
        try:
            decided = self._outcome(outcomes, reads, maximum, label)
            if decided is not None:
                return decided
            points, text, detail = self.rule(rule, maximum, reads, label)
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
        clauses: tuple[s.IROutcome, ...],
        reads: dict[str, s.Value | None],
        maximum: Decimal,
        label: str,
    ) -> _Decision | None:
        for clause in clauses:
            if self.value(clause.condition, reads, maximum, label) is not True:
                continue
            if clause.outcome is Outcome.NOT_APPLICABLE:
                if clause.effect is NotApplicableEffect.FULL:
                    why = "no task arose: full points"
                    return maximum, maximum, clause.outcome, clause.effect, clause.text, why
                why = "left out of score and max"
                return ZERO, ZERO, clause.outcome, clause.effect, clause.text, why
            return ZERO, maximum, clause.outcome, None, clause.text, "0 points"
        return None

    # --- rules --------------------------------------------------------------------------------

    def rule(
        self,
        rule: s.IRRule,
        maximum: Decimal,
        reads: dict[str, s.Value | None],
        label: str,
    ) -> tuple[Decimal, str, str]:
        """(points, the rule as written, how it decided)."""

        def get(expr: s.IRExpr) -> s.Value:
            return self.value(expr, reads, maximum, label)

        if isinstance(rule, s.YesNoRule):
            holds = get(rule.condition) is True
            text = f"yes_no {s.show(rule.condition)}"
            return (maximum if holds else ZERO), text, "yes: full points" if holds else "no: 0"
        if isinstance(rule, s.ProportionalRule):
            rate = self.number(get(rule.rate))
            if not 0 <= rate <= 1:
                self.sink.report(
                    "E502", self.unit.position, unit=self.unit.id, node=label, rate=_pct(rate)
                )
                raise _Failed
            points = rate * maximum
            return points, f"proportional {s.show(rule.rate)}", f"{_pct(rate)} × {_fmt(maximum)}"
        if isinstance(rule, s.StepRule | s.SurveyRule):
            value = get(rule.subject)
            is_rate = isinstance(rule, s.SurveyRule) or rule.rate
            shown = _pct(value) if is_rate and isinstance(value, Decimal) else format_value(value)
            keyword = "survey" if isinstance(rule, s.SurveyRule) else "steps"
            text = f"{keyword} {s.show(rule.subject)}"
            if isinstance(rule, s.SurveyRule) and not rule.steps:
                rate = self.number(value)
                return rate * maximum, text, f"{shown} × {_fmt(maximum)}"
            for step in rule.steps:
                if step.contains(value):
                    return step.points, text, f"{shown}: {step.text} → {_fmt(step.points)}"
            if rule.otherwise is not None:
                return rule.otherwise, text, f"{shown}: otherwise → {_fmt(rule.otherwise)}"
            self._no_step(label, shown)
        if isinstance(rule, s.DeadlineRule):
            day = get(rule.subject)
            if not isinstance(day, datetime.date):
                raise InternalError("deadline on a non-date; checks should forbid")
            due = self._due(rule.due, label)
            text = f"deadline {s.show(rule.subject)} by {due.isoformat()}"
            if day <= due:
                return rule.on_time, text, f"{day.isoformat()}: on time → {_fmt(rule.on_time)}"
            late = (day - due).days
            for days, points in rule.late:
                if late <= days:
                    detail = (
                        f"{day.isoformat()}: {late} days late (at most {days}) → {_fmt(points)}"
                    )
                    return points, text, detail
            if rule.otherwise is not None:
                detail = f"{day.isoformat()}: {late} days late → {_fmt(rule.otherwise)}"
                return rule.otherwise, text, detail
            self._no_step(label, f"{late} days late")
        if isinstance(rule, s.JudgedRule):
            given = self.number(get(rule.subject))
            on_scale = 0 <= given <= maximum and (given / rule.step) % 1 == 0
            if not on_scale:
                self.sink.report(
                    "E503",
                    self.unit.input_spans.get(s.show(rule.subject), self.unit.position),
                    unit=self.unit.id,
                    node=label,
                    value=_fmt(given),
                    max=_fmt(maximum),
                    step=_fmt(rule.step),
                )
                raise _Failed
            return given, f"judged {s.show(rule.subject)} step {_fmt(rule.step)}", "as judged"
        if isinstance(rule, s.PerItemRule):
            count = self.number(get(rule.subject))
            points = count * rule.amount
            text = f"per_item {s.show(rule.subject)}: {_fmt(rule.amount)}"
            return points, text, f"{_fmt(count)} × {_fmt(rule.amount)} = {_fmt(points)}"
        if isinstance(rule, s.FormulaRule):
            value = self.number(get(rule.expr))
            low, high = self.number(get(rule.low)), self.number(get(rule.high))
            clamped = min(max(value, low), high)
            detail = f"= {_fmt(value)}"
            if clamped != value:
                detail += f", clamped to {_fmt(low)} .. {_fmt(high)}: {_fmt(clamped)}"
            return clamped, f"formula {s.show(rule.expr)}", detail
        raise InternalError(f"no evaluation for {type(rule).__name__}")

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
        reads: dict[str, s.Value | None] = {}
        label = f"{item.kind.value} {item.id}"
        decided = self._apply(item.outcomes, item.rule, item.reads, cap, reads, label)
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

    def number(self, value: s.Value) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, Decimal):
            raise InternalError(f"expected a number, got {value!r}; checks should forbid")
        return value

    def value(
        self,
        expr: s.IRExpr,
        reads: dict[str, s.Value | None],
        maximum: Decimal,
        label: str,
    ) -> s.Value:
        if isinstance(expr, s.Const):
            return expr.value
        if isinstance(expr, s.NodeMaxRef):
            return maximum
        if isinstance(expr, s.TagRef):
            return expr.name in self.tags
        if isinstance(expr, s.Ref):
            return self.read(expr.name, reads)
        args = expr.args
        op = expr.op
        if op == "and":
            return self.value(args[0], reads, maximum, label) is True and (
                self.value(args[1], reads, maximum, label) is True
            )
        if op == "or":
            return self.value(args[0], reads, maximum, label) is True or (
                self.value(args[1], reads, maximum, label) is True
            )
        values = [self.value(a, reads, maximum, label) for a in args]
        if op == "not":
            return values[0] is not True
        if op == "neg":
            return -self.number(values[0])
        if op in {"min", "max"}:
            numbers = [self.number(v) for v in values]
            return min(numbers) if op == "min" else max(numbers)
        left, right = values
        if op == "=":
            return left == right
        if op == "!=":
            return left != right
        if op in {"<", "<=", ">", ">="}:
            return bool(_COMPARE[op](left, right))
        a, b = self.number(left), self.number(right)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            self.sink.report("E501", self.unit.position, unit=self.unit.id, node=label)
            raise _Failed
        return a / b

    def read(self, name: str, reads: dict[str, s.Value | None]) -> s.Value:
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
                    hint="give the value, or declare a default for it in the policy",
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


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SCORED = Outcome.SCORED
EXCLUDED = NotApplicableEffect.EXCLUDED
# how a leaf was decided: points, max, outcome, effect, the rule or clause, how
_Decision = tuple[Decimal, Decimal, Outcome, NotApplicableEffect | None, str, str]


def _fmt(value: Decimal) -> str:
    return short(value)


def _pct(value: s.Value) -> str:
    if not isinstance(value, Decimal):
        return str(value)
    return f"{_fmt(value * 100)}%"


def _signed(result: AdjustmentResult) -> str:
    sign = "+" if result.kind is AdjustmentKind.BONUS else "−"
    return f"{sign}{_fmt(result.amount)}"
