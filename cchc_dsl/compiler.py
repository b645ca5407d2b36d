"""Stage 4: a checked `Policy` × a unit type → `scoring.Program`.

Runs only on a policy that passed `checks.run_checks`, so every name resolves and every leaf has a
rule; what it cannot settle without a unit (tags) is kept in each node's `Applicability`.
"""

from __future__ import annotations

from decimal import Decimal

from cchc_dsl import nodes as n
from cchc_dsl import scoring as s
from cchc_dsl.diagnostics import InternalError
from cchc_dsl.values import format_value

DEFAULT_CLAMP: tuple[s.Bound, s.Bound] = (Decimal(0), "max")


def compile_policy(policy: n.Policy, unit_type: str) -> s.Program:
    """Compile for one declared (non-tag) unit type."""
    declared = {d.name: d for d in policy.unit_types}
    if unit_type not in declared or declared[unit_type].is_tag:
        raise InternalError(f"compile_policy called with undeclared unit type {unit_type!r}")
    if policy.rounding is None:
        raise InternalError("compile_policy called on an unchecked policy (no rounding)")
    compiler = _Compiler(unit_type, {d.name for d in policy.unit_types if d.is_tag}, policy)
    nodes = tuple(c for c in (compiler.node(node) for node in policy.nodes) if c is not None)
    adjustments: list[s.ScoringAdjustment] = []
    groups: list[s.GroupCap] = []
    for item in policy.adjustments:
        if isinstance(item, n.AdjustmentGroup):
            groups.append(s.GroupCap(item.title, item.cap))
            members = [compiler.adjustment(m, len(groups) - 1) for m in item.members]
        else:
            members = [compiler.adjustment(item, None)]
        adjustments.extend(m for m in members if m is not None)
    return s.Program(
        metadata=policy.metadata,
        unit_type=unit_type,
        unit_type_title=declared[unit_type].title,
        nodes=nodes,
        adjustments=tuple(adjustments),
        groups=tuple(groups),
        inputs=policy.inputs,
        survey=policy.survey,
        clamp=_clamp(policy.clamp),
        rounding=policy.rounding,
        bands=_bands(policy, unit_type),
    )


def _clamp(clamp: n.Clamp | None) -> tuple[s.Bound, s.Bound]:
    if clamp is None:
        return DEFAULT_CLAMP

    def bound(value: n.Number | n.NodeMax | None) -> s.Bound:
        if value is None:
            return None
        return "max" if isinstance(value, n.NodeMax) else value.value

    return bound(clamp.low), bound(clamp.high)


def _bands(policy: n.Policy, unit_type: str) -> tuple[s.IRBand, ...]:
    for table in policy.bands:
        if not table.unit_types or unit_type in table.unit_types:
            return tuple(
                s.IRBand(band.name, step(band.interval, Decimal(0))) for band in table.bands
            )
    return ()


def step(interval: n.Interval, points: Decimal) -> s.IRStep:
    """An interval as the IR's step; percent bounds keep their fraction (95 % → 0.95)."""
    if interval.equal is not None:
        value = interval.equal.value
        return s.IRStep(points, value, True, value, True, text=f"= {_bound_text(interval.equal)}")
    low = interval.lower
    high = interval.upper
    words = []
    if low is not None:
        words.append(("from " if low.inclusive else "above ") + _bound_text(low.value))
    if high is not None:
        words.append(("to " if high.inclusive else "below ") + _bound_text(high.value))
    return s.IRStep(
        points,
        low.value.value if low else None,
        low.inclusive if low else True,
        high.value.value if high else None,
        high.inclusive if high else True,
        text=" ".join(words),
    )


def _bound_text(value: n.Number | n.DateValue) -> str:
    if isinstance(value, n.DateValue):
        return value.value.isoformat()
    return format_value(value.value, value.percent)


class _Compiler:
    def __init__(self, unit_type: str, tags: set[str], policy: n.Policy) -> None:
        self.unit_type = unit_type
        self.tags = tags
        self.input_types = {d.name: d.type for d in policy.inputs}

    def applicability(self, header: n.Header) -> s.Applicability | None:
        """None when the header rules the unit type out altogether."""
        if self.unit_type in header.excluded:
            return None
        only_tags: tuple[str, ...] = ()
        if header.only and self.unit_type not in header.only:
            only_tags = tuple(t for t in header.only if t in self.tags)
            if not only_tags:
                return None
        maxima = header.maxima
        default = next((e.points for e in maxima if not e.applies_to), None)
        typed = next((e.points for e in maxima if self.unit_type in e.applies_to), None)
        by_tag = [(tag, e.points) for e in maxima for tag in e.applies_to if tag in self.tags]
        return s.Applicability(
            max_default=typed if typed is not None else default,
            max_by_tag=tuple(by_tag),
            only_tags=only_tags,
            except_tags=tuple(t for t in header.excluded if t in self.tags),
        )

    def node(self, node: n.Node) -> s.ScoringNode | None:
        applicability = self.applicability(node.header)
        if applicability is None:
            return None
        children = tuple(c for c in (self.node(child) for child in node.children) if c is not None)
        if node.children and not children:
            return None  # every child is ruled out for this unit type
        rule = self.rule(node.rule) if node.rule is not None else None
        outcomes = tuple(self.outcome(clause) for clause in node.outcomes)
        return s.ScoringNode(
            id=node.id,
            title=node.title,
            kind=node.kind,
            applicability=applicability,
            children=children,
            rule=rule,
            outcomes=outcomes,
            evidence_required=node.evidence_required,
            citation=node.header.citation,
            reads=_reads(rule, outcomes),
            is_survey=isinstance(rule, s.SurveyRule),
            origin=node.span,
        )

    def adjustment(self, item: n.Adjustment, group: int | None) -> s.ScoringAdjustment | None:
        applicability = self.applicability(item.header)
        if applicability is None:
            return None
        rule = self.rule(item.rule)
        outcomes = tuple(self.outcome(clause) for clause in item.outcomes)
        target = item.target.node_id if item.target.kind == "node" else item.target.kind
        return s.ScoringAdjustment(
            id=item.id,
            title=item.title,
            kind=item.kind,
            applicability=applicability,
            target=target or "total",
            rule=rule,
            outcomes=outcomes,
            citation=item.header.citation,
            reads=_reads(rule, outcomes),
            group=group,
            origin=item.span,
        )

    def outcome(self, clause: n.OutcomeClause) -> s.IROutcome:
        condition = self.expr(clause.condition)
        effect = f" {clause.effect.value}" if clause.effect else ""
        text = f"when {s.show(condition)}: {clause.outcome.value}{effect}"
        return s.IROutcome(condition, clause.outcome, clause.effect, text)

    def rule(self, rule: n.Rule) -> s.IRRule:
        if isinstance(rule, n.YesNo):
            return s.YesNoRule(self.expr(rule.condition))
        if isinstance(rule, n.Proportional):
            return s.ProportionalRule(self.expr(rule.rate))
        if isinstance(rule, n.Steps):
            return s.StepRule(
                self.expr(rule.subject),
                tuple(step(st.interval, st.points) for st in rule.steps),
                rule.otherwise,
                rate=self.is_rate(rule.subject),
            )
        if isinstance(rule, n.Deadline):
            return s.DeadlineRule(
                self.expr(rule.subject),
                rule.due.value
                if isinstance(rule.due, n.DateValue)
                else s.DueDay(rule.due.day, rule.due.month, rule.due.years_after),
                rule.on_time,
                tuple((late.days, late.points) for late in rule.late),
                rule.otherwise,
            )
        if isinstance(rule, n.Judged):
            return s.JudgedRule(self.expr(rule.subject), rule.step)
        if isinstance(rule, n.PerItem):
            return s.PerItemRule(self.expr(rule.subject), rule.amount)
        if isinstance(rule, n.Survey):
            return s.SurveyRule(
                self.expr(rule.subject),
                tuple(step(st.interval, st.points) for st in rule.steps),
                rule.otherwise,
            )
        return s.FormulaRule(self.expr(rule.expr), self.expr(rule.low), self.expr(rule.high))

    def is_rate(self, expr: n.Expr) -> bool:
        if isinstance(expr, n.InputRef):
            return self.input_types.get(expr.name) in {n.InputType.PERCENT, n.InputType.SURVEY}
        if isinstance(expr, n.Number):
            return expr.percent
        return isinstance(expr, n.Binary) and expr.op == "/"

    def expr(self, expr: n.Expr) -> s.IRExpr:
        if isinstance(expr, n.Number):
            return s.Const(expr.value, expr.percent)
        if isinstance(expr, n.Boolean | n.DateValue):
            return s.Const(expr.value)
        if isinstance(expr, n.InputRef):
            return s.Ref(expr.name)
        if isinstance(expr, n.NodeMax):
            return s.NodeMaxRef()
        if isinstance(expr, n.HasTag):
            return s.TagRef(expr.name)
        if isinstance(expr, n.Unary):
            return s.Op("neg" if expr.op == "-" else "not", (self.expr(expr.operand),))
        if isinstance(expr, n.Call):
            return s.Op(expr.function, tuple(self.expr(arg) for arg in expr.args))
        return s.Op(expr.op, (self.expr(expr.left), self.expr(expr.right)))


def _reads(rule: s.IRRule | None, outcomes: tuple[s.IROutcome, ...]) -> tuple[str, ...]:
    names: list[str] = []
    for clause in outcomes:
        names.extend(s.refs(clause.condition))
    if rule is not None:
        for value in attrs_values(rule):
            names.extend(s.refs(value))
    return tuple(dict.fromkeys(names))


def attrs_values(rule: s.IRRule) -> list[s.IRExpr]:
    """The expressions a rule holds, whatever its shape."""
    import attrs

    return [
        getattr(rule, f.name)
        for f in attrs.fields(type(rule))
        if isinstance(getattr(rule, f.name), s.Const | s.Ref | s.NodeMaxRef | s.TagRef | s.Op)
    ]
