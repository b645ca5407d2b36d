"""What each lost point would take: the input changes that win a criterion's points back.

In: a scoring program, one unit's facts and its official evaluation. Out: per criterion below
its max, a `Loss` with its `Option`s, read off the rule itself: the next step's bound, the rate
to full points, the yes/no flip, the due date or a late step, the judged points or items, the
evidence to supply, the clause that made it "not done". Every candidate is scored by the
evaluator (`evaluate.score_leaf`) before it is offered, so no rule is inverted by guesswork, and
so are the other criteria that read a changed input: an option carries what it moves there.
`whatif` searches these options for the fewest that reach a target.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from cchc_dsl import nodes as n
from cchc_dsl import scoring as s
from cchc_dsl.annex import interval_text
from cchc_dsl.evaluate import CONTEXT, score_leaf
from cchc_dsl.facts import UnitFacts
from cchc_dsl.results import Evaluation, NodeResult
from cchc_dsl.values import format_value, short

ZERO = Decimal(0)
ONE = Decimal(1)
_MAX_LEVELS = 400  # judged points or items offered per criterion, beyond which a table is noise
ASSUMED_EVIDENCE = "(giả định: bổ sung tài liệu kiểm chứng)"


@attrs.frozen(slots=True)
class Option:
    """One way to win back points on one criterion, confirmed by scoring it."""

    node_id: str
    title: str
    change: str  # what to change, in the facts' terms and the rule's words
    values: tuple[tuple[str, s.Value], ...]  # the inputs it sets
    evidence: bool  # it also supplies the missing evidence
    before: Decimal
    after: Decimal
    survey: bool = False
    # other criteria the changed inputs move too: (id, points gained or lost, in the survey)
    side: tuple[tuple[str, Decimal, bool], ...] = ()

    @property
    def gain(self) -> Decimal:
        """On this criterion."""
        return self.after - self.before

    @property
    def parts(self) -> tuple[Decimal, Decimal]:
        """On the whole tree, side effects included: (appraisal, survey)."""
        effects = [(self.gain, self.survey), *((d, survey) for _, d, survey in self.side)]
        appraisal = sum((d for d, survey in effects if not survey), ZERO)
        return appraisal, sum((d for d, survey in effects if survey), ZERO)

    @property
    def effect(self) -> Decimal:
        return sum(self.parts, ZERO)


@attrs.frozen(slots=True)
class Loss:
    """A criterion where the unit got less than its max."""

    node_id: str
    title: str
    points: Decimal
    max: Decimal
    outcome: n.Outcome
    rule: str
    detail: str
    options: tuple[Option, ...]  # by points after, lowest first

    @property
    def lost(self) -> Decimal:
        return self.max - self.points


def _step_words(tree: tuple[n.Node, ...]) -> dict[str, tuple[str, ...]]:
    """Each step table's bounds in the annex's words («từ 95% đến dưới 100%»), by node id."""
    out: dict[str, tuple[str, ...]] = {}
    for node in tree:
        if isinstance(node.rule, n.Steps | n.Survey):
            out[node.id] = tuple(interval_text(step.interval) for step in node.rule.steps)
        out.update(_step_words(node.children))
    return out


def losses(
    policy: n.Policy, program: s.Program, unit: UnitFacts, official: Evaluation, year: int | None
) -> Iterator[Loss]:
    """Every criterion where the unit got less than its max, with the ways back."""
    words = _step_words(policy.nodes)
    nodes = {node.id: node for node in _walk(program.nodes)}
    values = unit.values(appraised=True)
    decls = {d.name: d for d in program.inputs}
    readers: dict[str, list[tuple[s.ScoringNode, NodeResult]]] = {}
    for leaf in official.leaves():
        if leaf.outcome not in (n.Outcome.DOES_NOT_APPLY, n.Outcome.SURVEY_MISSING):
            for name in nodes[leaf.id].reads:
                readers.setdefault(name, []).append((nodes[leaf.id], leaf))
    for leaf in official.leaves():
        if leaf.points >= leaf.max:
            continue
        node = nodes[leaf.id]
        steps = words.get(leaf.id, ())
        options = _Options(program, node, leaf, unit, values, decls, year, steps, readers).all()
        yield Loss(
            leaf.id,
            leaf.title,
            leaf.points,
            leaf.max,
            leaf.outcome,
            leaf.rule,
            leaf.detail,
            options,
        )


def _walk(tree: tuple[s.ScoringNode, ...]) -> Iterator[s.ScoringNode]:
    for node in tree:
        yield node
        yield from _walk(node.children)


_Candidate = tuple[dict[str, s.Value], str]  # the inputs to set, and why (the rule's words)


@attrs.define
class _Options:
    """The candidate changes of one leaf, each scored; per reachable points, the smallest."""

    program: s.Program
    node: s.ScoringNode
    leaf: NodeResult
    unit: UnitFacts
    values: Mapping[str, s.Value]
    decls: Mapping[str, n.InputDecl]
    year: int | None
    step_words: tuple[str, ...]  # the steps' bounds as the annex words them
    readers: Mapping[str, list[tuple[s.ScoringNode, NodeResult]]]  # the leaves reading an input

    def all(self) -> tuple[Option, ...]:
        candidates = list(self._rule(self.leaf.max))
        for clause in self.node.outcomes:
            if clause.outcome is n.Outcome.NOT_DONE:
                why = f"hết trường hợp «{clause.text}»"
                for escape in self._make(clause.condition, False):
                    candidates.append((escape, why))
                    candidates.extend(
                        ({**escape, **c}, f"{why}; {w}") for c, w in self._rule(self.leaf.max)
                    )
        best: dict[Decimal, tuple[Decimal, Option]] = {}
        for changes, why in candidates:
            for evidence in (False, True) if self.node.evidence_required else (False,):
                option = self._scored(changes, why, evidence)
                if option is None:
                    continue
                cost = self._distance(changes) + (1 if evidence else 0)
                if option.after not in best or cost < best[option.after][0]:
                    best[option.after] = (cost, option)
        if self.leaf.outcome is n.Outcome.NO_EVIDENCE:
            option = self._scored({}, "", True)
            if option is not None:
                best[option.after] = (ZERO, option)
        return tuple(best[p][1] for p in sorted(best))

    def _scored(self, changes: dict[str, s.Value], why: str, evidence: bool) -> Option | None:
        unit = self.unit
        if evidence:
            unit = attrs.evolve(unit, evidence={**unit.evidence, self.node.id: ASSUMED_EVIDENCE})
        result = score_leaf(self.program, self.node, unit, {**self.values, **changes}, self.year)
        if result is None or result.points <= self.leaf.points:
            return None
        parts = [self._shown(name, value) for name, value in changes.items()]
        if evidence:
            parts.append("bổ sung tài liệu kiểm chứng")
        text = ", ".join(parts)
        if why:
            text = f"{text} ({why})" if text else why
        side = self._side_effects(changes)
        if side:
            moved = ", ".join(f"{node_id} {_signed(delta)}" for node_id, delta, _ in side)
            text += f" (kéo theo {moved})"
        return Option(
            self.node.id,
            self.node.title,
            text,
            tuple(changes.items()),
            evidence,
            self.leaf.points,
            result.points,
            self.node.is_survey,
            side,
        )

    def _side_effects(
        self, changes: Mapping[str, s.Value]
    ) -> tuple[tuple[str, Decimal, bool], ...]:
        """Other criteria that read a changed input, scored again with it."""
        seen = {self.node.id}
        out = []
        for name in changes:
            for node, leaf in self.readers.get(name, ()):
                if node.id in seen:
                    continue
                seen.add(node.id)
                values = {**self.values, **changes}
                result = score_leaf(self.program, node, self.unit, values, self.year)
                if result is not None and result.points != leaf.points:
                    out.append((node.id, result.points - leaf.points, node.is_survey))
        return tuple(out)

    def _shown(self, name: str, value: s.Value) -> str:
        old = self.values.get(name)
        return f"{name} {self._text(name, old)} → {self._text(name, value)}"

    def _text(self, name: str, value: s.Value | None) -> str:
        if value is None:
            return "(chưa có)"
        decl = self.decls.get(name)
        percent = decl is not None and decl.type in (n.InputType.PERCENT, n.InputType.SURVEY)
        return format_value(value, percent)

    def _distance(self, changes: Mapping[str, s.Value]) -> Decimal:
        """How far the changes move the inputs: the smallest move is the one offered."""
        total = ZERO
        for name, value in changes.items():
            old = self.values.get(name)
            if isinstance(value, datetime.date) and isinstance(old, datetime.date):
                total += abs((value - old).days)
            elif isinstance(value, Decimal) and isinstance(old, Decimal):
                total += abs(value - old)
            elif old is not None:
                total += ONE
        return total

    # --- candidates from the rule ----------------------------------------------------------

    def _rule(self, maximum: Decimal) -> Iterator[_Candidate]:
        rule = self.node.rule
        if isinstance(rule, s.YesNoRule):
            for changes in self._make(rule.condition, True):
                yield changes, "đạt"
        elif isinstance(rule, s.ProportionalRule) or (
            isinstance(rule, s.SurveyRule) and not rule.steps
        ):
            subject = rule.rate if isinstance(rule, s.ProportionalRule) else rule.subject
            yield from self._reach(subject, ONE, up=True, strict=False, why="tỷ lệ 100%")
        elif isinstance(rule, s.StepRule | s.SurveyRule):
            for i, step in enumerate(rule.steps):
                bounds = self.step_words[i] if i < len(self.step_words) else step.text
                why = f"mức «{bounds}»: {short(step.points)} điểm"
                if step.low is not None:
                    yield from self._reach(
                        rule.subject, step.low, True, not step.low_inclusive, why
                    )
                if step.high is not None:
                    strict = not step.high_inclusive
                    yield from self._reach(rule.subject, step.high, False, strict, why)
        elif isinstance(rule, s.DeadlineRule):
            yield from self._deadline(rule)
        elif isinstance(rule, s.JudgedRule):
            levels = min(int(maximum / rule.step), _MAX_LEVELS)
            for i in range(1, levels + 1):
                why = "Hội đồng chấm"
                yield from self._reach(rule.subject, rule.step * i, True, False, why)
        elif isinstance(rule, s.PerItemRule):
            whole = (maximum / rule.amount).to_integral_value(decimal.ROUND_CEILING)
            items = min(int(whole), _MAX_LEVELS)  # the last item may fill the max only in part
            for i in range(1, items + 1):
                why = f"{short(rule.amount)} điểm mỗi mục"
                yield from self._reach(rule.subject, Decimal(i), True, False, why)
        elif isinstance(rule, s.FormulaRule) and isinstance(rule.high, s.NodeMaxRef | s.Const):
            high = maximum if isinstance(rule.high, s.NodeMaxRef) else rule.high.value
            if isinstance(high, Decimal):
                yield from self._reach(rule.expr, high, True, False, "công thức đạt tối đa")

    def _deadline(self, rule: s.DeadlineRule) -> Iterator[_Candidate]:
        due = rule.due
        if isinstance(due, s.DueDay):
            if self.year is None:
                return
            due = due.on(self.year)
        yield from self._reach(rule.subject, due, False, False, f"đúng hạn, chậm nhất {due}")
        for days, _ in rule.late:
            late = due + datetime.timedelta(days=days)
            why = f"trễ không quá {days} ngày, chậm nhất {late}"
            yield from self._reach(rule.subject, late, False, False, why)

    def _reach(
        self, expr: s.IRExpr, target: s.Value, up: bool, strict: bool, why: str
    ) -> Iterator[_Candidate]:
        changes = self._assign(expr, target, up, strict)
        if changes is not None:
            yield changes, why

    def _make(self, expr: s.IRExpr, want: bool) -> list[dict[str, s.Value]]:
        """Input changes that make a condition `want`; each is scored before it is offered."""
        if isinstance(expr, s.Ref):
            decl = self.decls.get(expr.name)
            return [{expr.name: want}] if decl and decl.type is n.InputType.YES_NO else []
        if not isinstance(expr, s.Op):
            return []
        if expr.op == "not":
            return self._make(expr.args[0], not want)
        if expr.op in {"and", "or"}:
            left, right = (self._make(a, want) for a in expr.args)
            if (expr.op == "and") == want:  # both must hold
                return [{**a, **b} for a in left[:1] for b in right[:1]]
            return left + right
        if expr.op not in _FLIP or len(expr.args) != 2:
            return []
        op = expr.op if want else _FLIP[expr.op]
        subject, bound = expr.args
        if not isinstance(bound, s.Const):
            return []
        value = bound.value
        if isinstance(value, bool):
            if op in {"=", "!="}:
                return self._make(subject, value == (op == "="))
            return []
        if op == "!=":
            return []
        up = op in {">", ">=", "="}
        changes = self._assign(subject, value, up, strict=op in {">", "<"})
        return [] if changes is None else [changes]

    def _assign(
        self, expr: s.IRExpr, target: s.Value, up: bool, strict: bool
    ) -> dict[str, s.Value] | None:
        """Inputs that bring `expr` to `target` (past it when `strict`), or None when the
        expression is not one a single input change can steer."""
        if isinstance(expr, s.Ref):
            value = self._input_value(expr.name, target, up, strict)
            return None if value is None else {expr.name: value}
        if not isinstance(expr, s.Op) or len(expr.args) != 2 or isinstance(target, bool):
            return None
        if isinstance(target, datetime.date):
            return None
        left, right = expr.args
        with decimal.localcontext(CONTEXT):
            if expr.op == "/":
                divisor = self._known(right)
                if divisor is None or divisor <= 0:
                    return None
                return self._assign(left, target * divisor, up, strict)
            if expr.op == "*":
                factor, other = (self._known(right), left)
                if factor is None:
                    factor, other = self._known(left), right
                if factor is None or factor <= 0:
                    return None
                return self._assign(other, target / factor, up, strict)
            if expr.op in {"+", "-"}:
                addend = self._known(right)
                if addend is None:
                    return None
                shifted = target - addend if expr.op == "+" else target + addend
                return self._assign(left, shifted, up, strict)
        return None

    def _known(self, expr: s.IRExpr) -> Decimal | None:
        """A constant, or an input the unit gave, that the change leaves alone."""
        value: object = None
        if isinstance(expr, s.Const):
            value = expr.value
        elif isinstance(expr, s.Ref):
            value = self.values.get(expr.name)
        return value if isinstance(value, Decimal) else None

    def _input_value(self, name: str, target: s.Value, up: bool, strict: bool) -> s.Value | None:
        decl = self.decls.get(name)
        if decl is None or isinstance(target, bool):
            return None
        if isinstance(target, datetime.date):
            if decl.type is not n.InputType.DATE:
                return None
            return target + datetime.timedelta(days=(1 if up else -1) if strict else 0)
        if decl.type in (n.InputType.DATE, n.InputType.YES_NO):
            return None
        quantum = _QUANTUM.get(decl.type, Decimal("0.01"))
        rounding = decimal.ROUND_CEILING if up else decimal.ROUND_FLOOR
        value = target.quantize(quantum, rounding=rounding, context=CONTEXT)
        if strict and value == target:
            value += quantum if up else -quantum
        low = decl.low.value if decl.low is not None else ZERO
        high = decl.high.value if decl.high is not None else None
        if decl.type in (n.InputType.PERCENT, n.InputType.SURVEY):
            high = ONE if high is None else high
        if value < low or (high is not None and value > high):
            return None
        return value.normalize() if value == value.to_integral_value() else value


_FLIP = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_QUANTUM = {
    n.InputType.COUNT: ONE,
    n.InputType.PERCENT: Decimal("0.0001"),  # 0.01 %
    n.InputType.SURVEY: Decimal("0.0001"),
}


def _signed(value: Decimal) -> str:
    return f"+{short(value)}" if value >= 0 else f"−{short(-value)}"
