"""What a unit would need to score higher: `cchc-dsl whatif POLICY FACTS --unit U`.

In: a compiled policy, the scored facts and one unit. Out: every point the unit lost, criterion
by criterion, each with the input changes that would win points back (read off the rule itself:
the next step's bound, the rate to full points, the yes/no flip, the due date, the judged points
or items, the clause that made it "not done"); and, for a target band or rank, the smallest set
of such changes: fewest criteria, then fewest points, the other units staying as they are.

Every candidate change is scored by the evaluator (`evaluate.score_leaf`), so no rule is
inverted by guesswork: a change is offered only if scoring confirms the points it promises.

The search. A leaf's gain reaches the total through sums only (a parent is the sum of its
children and of the adjustments aimed at it), so the gains of criteria that read different
inputs add up, within two parts: the appraisal and the survey, each scaled by its weight. The
index is then a non-decreasing function of the weighted sum (clamp, adjustments on the total or
the index, the one rounding: `evaluate.totals`), so a target is met exactly when the weighted sum
is large enough. Hence (1) the fewest criteria is the smallest k whose k best single gains
reach the target (no k-set can do better than the k largest), and (2) among k-sets, the fewest
points is a DP over the criteria by number of changes, with states (appraisal gain, survey
gain), kept only below the points of the k best (a feasible answer). The chosen set is then
scored again as a whole, with its input changes applied, and the figures shown are that run's.
`tests/test_whatif.py` checks the plan against a brute force over every subset of options.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

import attrs

from cchc_dsl import nodes as n
from cchc_dsl import scoring as s
from cchc_dsl.annex import interval_text
from cchc_dsl.api import CompiledPolicy
from cchc_dsl.diagnostics import CchcError, make
from cchc_dsl.evaluate import CONTEXT, score_leaf, totals
from cchc_dsl.facts import Facts, UnitFacts
from cchc_dsl.ranking import place
from cchc_dsl.results import AdjustmentResult, Evaluation, NodeResult, UnitResult
from cchc_dsl.values import fold, format_value, short

ZERO = Decimal(0)
ONE = Decimal(1)
_MAX_LEVELS = 400  # judged points or items offered per criterion, beyond which a table is noise
_ASSUMED_EVIDENCE = "(giả định: bổ sung tài liệu kiểm chứng)"


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


@attrs.frozen(slots=True)
class Target:
    band: str | None = None
    rank: int | None = None

    def describe(self) -> str:
        if self.band is not None:
            return f"xếp loại «{self.band}» trở lên"
        return f"hạng {self.rank} trở lên"


@attrs.frozen(slots=True)
class Standing:
    """Where a unit stands: its total, index, band and rank in its block."""

    points: Decimal
    max: Decimal
    index: Decimal  # rounded as the policy says
    band: str | None
    rank: int


@attrs.frozen(slots=True)
class Plan:
    target: Target
    reached: bool
    changes: tuple[Option, ...]  # empty when the unit already meets the target, or cannot
    after: Standing  # with the changes (or, when unreachable, with every change offered)
    verified: bool  # the whole unit scored again with the changes gives what the search expected
    proven: bool = True  # False: the search for fewest points stopped at its budget

    @property
    def gain(self) -> Decimal:
        return sum((o.effect for o in self.changes), ZERO)


@attrs.frozen(slots=True)
class WhatIf:
    policy: str
    unit: UnitResult
    block: str
    block_size: int
    ties: n.TieRule
    now: Standing
    losses: tuple[Loss, ...]
    plan: Plan | None


def what_if(
    compiled: CompiledPolicy, facts: Facts, unit_id: str, target: Target | None = None
) -> WhatIf:
    """The points `unit_id` lost and how to recover them; with `target`, the smallest plan."""
    with decimal.localcontext(CONTEXT):  # gains add up as exactly as the evaluator's sums
        return _what_if(compiled, facts, unit_id, target)


def _what_if(compiled: CompiledPolicy, facts: Facts, unit_id: str, target: Target | None) -> WhatIf:
    report = compiled.score(facts)
    try:
        result = report.unit(unit_id)
    except KeyError:
        raise CchcError((make("E602", unit=unit_id),)) from None
    unit = next(u for u in facts.units if u.id == unit_id)
    program = compiled.program(unit.unit_type)
    year = facts.year if facts.year is not None else compiled.year
    if target is not None and target.band is not None:
        target = attrs.evolve(target, band=_band_name(program, target.band))
    ties = compiled.policy.ranking.ties if compiled.policy.ranking else n.TieRule.SHARED
    block = next(b for b in report.blocks if any(u.unit == unit_id for u in b.units))
    others = [u.official.index_rounded for u in block.units if u.unit != unit_id]
    words = _step_words(compiled.policy.nodes)
    losses = tuple(_losses(program, unit, result.official, year, words))
    search = _Search(program, result.official, others, ties)
    plan = None
    if target is not None:
        plan = search.plan(losses, target)
        if plan.changes or not plan.reached:
            plan = _verified(compiled, unit, plan, search, year)
    now = search.standing(ZERO, ZERO)
    return WhatIf(compiled.name, result, block.title, len(block.units), ties, now, losses, plan)


def _band_name(program: s.Program, asked: str) -> str:
    """The band as the policy spells it; case, diacritics and spacing forgiven."""
    for band in program.bands:
        if fold(band.name) == fold(asked):
            return band.name
    names = ", ".join(f"«{b.name}»" for b in program.bands) or "(none)"
    message = f"--target-band «{asked}»: the bands for {program.unit_type} are {names}"
    raise CchcError((make("E603", message=message),))


# --- losses and the changes that recover them ---------------------------------------------------


def _step_words(tree: tuple[n.Node, ...]) -> dict[str, tuple[str, ...]]:
    """Each step table's bounds in the annex's words («từ 95% đến dưới 100%»), by node id."""
    out: dict[str, tuple[str, ...]] = {}
    for node in tree:
        if isinstance(node.rule, n.Steps | n.Survey):
            out[node.id] = tuple(interval_text(step.interval) for step in node.rule.steps)
        out.update(_step_words(node.children))
    return out


def _losses(
    program: s.Program,
    unit: UnitFacts,
    official: Evaluation,
    year: int | None,
    words: Mapping[str, tuple[str, ...]],
) -> Iterator[Loss]:
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
            unit = attrs.evolve(unit, evidence={**unit.evidence, self.node.id: _ASSUMED_EVIDENCE})
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
            items = min(int(-(-maximum // rule.amount)), _MAX_LEVELS)
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


# --- the search -----------------------------------------------------------------------------


class _Search:
    """The unit's total as a function of its gains: `evaluate.totals` on the two parts."""

    def __init__(
        self, program: s.Program, official: Evaluation, others: list[Decimal], ties: n.TieRule
    ) -> None:
        self.program = program
        self.official = official
        self.others = others
        self.ties = ties
        by_target: dict[str, list[AdjustmentResult]] = {}
        for result in official.adjustments:
            by_target.setdefault(result.target, []).append(result)
        self.by_target = by_target
        self.weights = self._weights()

    def _weights(self) -> tuple[Decimal, Decimal]:
        """What a point of each part is worth on the total; only their ratio orders gains."""
        survey, official = self.program.survey, self.official
        composite = survey is not None and survey.weight is not None and survey.scale is not None
        if not composite or official.survey_status != "present" or not official.survey_max:
            return ONE, ONE
        assert survey is not None and survey.weight is not None and survey.scale is not None
        with decimal.localcontext(CONTEXT):
            appraisal = (survey.scale - survey.weight) / official.appraisal_max
            return appraisal, survey.weight / official.survey_max

    def evaluation(self, appraisal_gain: Decimal, survey_gain: Decimal) -> Evaluation:
        official = self.official
        parts = (
            _part("appraisal", official.appraisal_points + appraisal_gain, official.appraisal_max),
            attrs.evolve(
                _part("survey", official.survey_points + survey_gain, official.survey_max),
                survey=True,
            ),
        )
        result = totals(self.program, parts, (), self.by_target, official.survey_status)
        assert result is not None, "a scored unit has a non-zero maximum"
        return result

    def standing(self, appraisal_gain: Decimal, survey_gain: Decimal) -> Standing:
        result = self.evaluation(appraisal_gain, survey_gain)
        return self.standing_of(result)

    def standing_of(self, result: Evaluation) -> Standing:
        rank = place(result.index_rounded, self.others, self.ties)
        return Standing(result.points, result.max, result.index_rounded, result.band, rank)

    def meets(self, standing: Standing, target: Target) -> bool:
        if target.rank is not None:
            return standing.rank <= target.rank
        order = _band_order(self.program)
        return standing.band is not None and order[standing.band] >= order[str(target.band)]

    def plan(self, losses: tuple[Loss, ...], target: Target) -> Plan:
        now = self.standing(ZERO, ZERO)
        if self.meets(now, target):
            return Plan(target, True, (), now, True)
        choices = [
            useful for loss in losses if (useful := tuple(o for o in loss.options if o.effect > 0))
        ]
        best = sorted(
            (max(options, key=self._weighted) for options in choices),
            key=self._weighted,
            reverse=True,
        )
        for k in range(1, len(best) + 1):
            standing = self.standing(*_gains(best[:k]))
            if self.meets(standing, target):
                return self._fewest_points(choices, k, best[:k], target)
        return Plan(target, False, (), self.standing(*_gains(best)), True)

    def _weighted(self, option: Option) -> Decimal:
        with decimal.localcontext(CONTEXT):
            appraisal, survey = option.parts
            return appraisal * self.weights[0] + survey * self.weights[1]

    def _meets_weight(self, weight: Decimal, target: Target) -> bool:
        """Whether a weighted gain meets the target: the total grows with it alone."""
        with decimal.localcontext(CONTEXT):
            return self.meets(self.standing(weight / self.weights[0], ZERO), target)

    def _missing_weight(self, top: list[Option], target: Target) -> Decimal:
        """A weighted gain that still misses the target, as close to the threshold as bisection
        gets: a state that cannot pass it even with the best criteria left is dropped."""
        low, high = ZERO, sum((self._weighted(o) for o in top), ZERO)
        with decimal.localcontext(CONTEXT):
            for _ in range(_BISECTIONS):
                middle = (low + high) / 2
                if self._meets_weight(middle, target):
                    high = middle
                else:
                    low = middle
        return low

    def _first_meeting(self, frontier: list[_State], target: Target) -> _State | None:
        """On a frontier the weight rises with the points, so the states that meet the target
        are a tail of it: bisection finds its first, the one with the fewest points."""
        low, high = 0, len(frontier)
        while low < high:
            middle = (low + high) // 2
            state = frontier[middle]
            if self.meets(self.standing(state.appraisal, state.survey), target):
                high = middle
            else:
                low = middle + 1
        return frontier[low] if low < len(frontier) else None

    def _fewest_points(
        self, choices: list[tuple[Option, ...]], k: int, top: list[Option], target: Target
    ) -> Plan:
        """Among sets of k criteria, the one that meets the target with the fewest points.

        A DP over the criteria, best single gain first, by number of changes j. Its states form
        a Pareto frontier per j: by points gained ascending, the weighted gain strictly rising
        (a state with more points and no more weight can only lead to worse answers). A state
        is dropped when even the best k − j criteria left cannot lift it past a weight known to
        miss the target, or when it has more points than a k-set known to meet it. Beyond
        `_BUDGET` steps the search stops and says so, keeping the best k-set found so far."""
        items = sorted(
            (
                sorted(
                    ((o.effect, self._weighted(o), o) for o in options),
                    key=_first,
                )
                for options in choices
            ),
            key=lambda steps: max(w for _, w, _ in steps),
            reverse=True,
        )
        best_weights = [max(w for _, w, _ in steps) for steps in items]
        prefix = [ZERO]
        for weight in best_weights:
            prefix.append(prefix[-1] + weight)

        def rest(start: int, count: int) -> Decimal:
            return prefix[min(start + count, len(items))] - prefix[start]

        missing = self._missing_weight(top, target)
        chosen = _State.of(top, self._weighted)
        frontiers: list[list[_State]] = [[_State(ZERO, ZERO, ZERO, ZERO, ())]]
        frontiers += [[] for _ in range(k)]
        work = 0
        proven = True
        with decimal.localcontext(CONTEXT):
            for i, steps in enumerate(items):
                for j in range(k - 1, -1, -1):
                    left = rest(i + 1, k - j - 1)
                    grown = [
                        state.plus(gain, weight, option)
                        for state in frontiers[j]
                        for gain, weight, option in steps
                        if state.raw + gain <= chosen.raw and state.weight + weight + left > missing
                    ]
                    work += len(frontiers[j]) * len(steps)
                    if grown:
                        frontiers[j + 1] = _pareto([*frontiers[j + 1], *grown])
                found = self._first_meeting(frontiers[k], target)
                if found is not None and found.raw < chosen.raw:
                    chosen = found
                for j in range(1, k):
                    frontiers[j] = [
                        state
                        for state in frontiers[j]
                        if state.raw < chosen.raw and state.weight + rest(i + 1, k - j) > missing
                    ]
                if work > _BUDGET:
                    proven = False
                    break
        order = {id(o): i for i, options in enumerate(choices) for o in options}
        changes = tuple(sorted(chosen.path, key=lambda o: order[id(o)]))
        after = self.standing(chosen.appraisal, chosen.survey)
        return Plan(target, True, changes, after, True, proven)


_BISECTIONS = 200  # halvings of the weight interval: far below a point's last decimal
_BUDGET = 2_000_000  # state extensions; a plan of many changes over many criteria may need more


@attrs.frozen(slots=True)
class _State:
    raw: Decimal  # points gained
    weight: Decimal  # the same, each part at its weight on the total
    appraisal: Decimal
    survey: Decimal
    path: tuple[Option, ...]

    @classmethod
    def of(cls, options: list[Option], weighted: Callable[[Option], Decimal]) -> _State:
        state = cls(ZERO, ZERO, ZERO, ZERO, ())
        for option in options:
            state = state.plus(option.effect, weighted(option), option)
        return state

    def plus(self, gain: Decimal, weight: Decimal, option: Option) -> _State:
        appraisal, survey = option.parts
        return _State(
            self.raw + gain,
            self.weight + weight,
            self.appraisal + appraisal,
            self.survey + survey,
            (*self.path, option),
        )


def _pareto(states: list[_State]) -> list[_State]:
    """Fewest points for each weight: by points, keeping only states that weigh more than every
    cheaper one (among equals, the one found first)."""
    out: list[_State] = []
    for state in sorted(states, key=lambda s: (s.raw, -s.weight)):
        if not out or state.weight > out[-1].weight:
            out.append(state)
    return out


def _part(name: str, points: Decimal, maximum: Decimal) -> NodeResult:
    return NodeResult(name, name, n.NodeKind.FIELD, points, maximum, n.Outcome.SCORED)


def _gains(options: list[Option] | tuple[Option, ...]) -> tuple[Decimal, Decimal]:
    appraisal = sum((o.parts[0] for o in options), ZERO)
    return appraisal, sum((o.parts[1] for o in options), ZERO)


def _first(item: tuple[Decimal, Decimal, Option]) -> Decimal:
    return item[0]


def _signed(value: Decimal) -> str:
    return f"+{short(value)}" if value >= 0 else f"−{short(-value)}"


def _band_order(program: s.Program) -> dict[str, int]:
    """Bands from the lowest to the highest, by their lower bound on the index."""

    def low(band: s.IRBand) -> tuple[int, s.Value]:
        bound = band.step.low
        return (0, ZERO) if bound is None else (1, bound)

    ordered = sorted(program.bands, key=low)
    return {band.name: i for i, band in enumerate(ordered)}


def _verified(
    compiled: CompiledPolicy, unit: UnitFacts, plan: Plan, search: _Search, year: int | None
) -> Plan:
    """The whole unit scored again with the plan's changes: the figures a user can check."""
    options = plan.changes if plan.reached else ()
    changes: dict[str, s.Value] = {}
    evidence = dict(unit.evidence)
    for option in options:
        changes.update(option.values)
        if option.evidence:
            evidence[option.node_id] = _ASSUMED_EVIDENCE
    if not options:
        return plan
    if unit.has_appraisal:
        changed = attrs.evolve(
            unit, appraised_values={**unit.appraised_values, **changes}, evidence=evidence
        )
    else:
        changed = attrs.evolve(unit, self_values={**unit.self_values, **changes}, evidence=evidence)
    result = compiled.score_unit(changed, year)
    standing = search.standing_of(result.official)
    shown = (standing.index, standing.band, standing.rank)  # what a user reads and checks
    expected = (plan.after.index, plan.after.band, plan.after.rank)
    return attrs.evolve(plan, after=standing, verified=shown == expected)


# --- text -----------------------------------------------------------------------------------


def whatif_text(answer: WhatIf) -> str:
    unit, now = answer.unit, answer.now
    lines = [
        f"{unit.name} ({unit.unit}) — {answer.policy}",
        f"Hiện tại: {_standing(now, answer)}",
        "",
    ]
    lost = sum((loss.lost for loss in answer.losses), ZERO)
    lines.append(f"Điểm bị mất: {len(answer.losses)} tiêu chí, {short(lost)} điểm")
    for loss in answer.losses:
        why = f"{loss.rule}: {loss.detail}" if loss.detail else loss.rule
        lines.append(
            f"  {loss.node_id} {loss.title}: {short(loss.points)} / {short(loss.max)}"
            f" (mất {short(loss.lost)}; {_OUTCOME_WORDS[loss.outcome]}; {why})"
        )
        if not loss.options:
            lines.append("      không có thay đổi đầu vào nào lấy lại được điểm")
        for option in loss.options:
            lines.append(f"      {option.change}: +{short(option.gain)} → {short(option.after)}")
    plan = answer.plan
    if plan is not None:
        lines.extend(["", f"Mục tiêu: {plan.target.describe()}"])
        lines.extend(_plan_lines(plan, answer))
    return "\n".join(lines) + "\n"


def _plan_lines(plan: Plan, answer: WhatIf) -> list[str]:
    if plan.reached and not plan.changes:
        return ["  đã đạt, không cần thay đổi"]
    if not plan.reached:
        best = _standing(plan.after, answer)
        return [f"  không thể đạt: lấy lại mọi điểm có thể, đơn vị chỉ đạt {best}"]
    lines = [
        f"  ít thay đổi nhất: {len(plan.changes)} tiêu chí, +{short(plan.gain)} điểm",
        *(f"    {o.node_id} {o.title}: {o.change}: +{short(o.effect)}" for o in plan.changes),
        f"  sau thay đổi: {_standing(plan.after, answer)}",
    ]
    if not plan.proven:
        lines.append(
            "  lưu ý: số tiêu chí là ít nhất; tìm phương án ít điểm nhất dừng ở giới hạn"
            " tính toán, đây là phương án ít điểm nhất tìm được"
        )
    if not plan.verified:
        lines.append(
            "  lưu ý: chấm lại cả đơn vị cho kết quả khác dự tính"
            " (các thay đổi dùng chung đầu vào); con số trên là của lần chấm lại"
        )
    return lines


def _standing(standing: Standing, answer: WhatIf) -> str:
    tie = "đồng hạng chung" if answer.ties is n.TieRule.SHARED else "đồng hạng liền"
    block = f" {answer.block}" if answer.block else ""
    return (
        f"{short(standing.points)} / {short(standing.max)} điểm, chỉ số {standing.index} %,"
        f" xếp loại {standing.band or '(không có)'},"
        f" hạng {standing.rank}/{answer.block_size}{block} ({tie})"
    )


_OUTCOME_WORDS = {
    n.Outcome.SCORED: "chấm theo quy tắc",
    n.Outcome.NOT_APPLICABLE: "không phát sinh",
    n.Outcome.NOT_DONE: "chưa thực hiện",
    n.Outcome.NO_EVIDENCE: "thiếu minh chứng",
    n.Outcome.DOES_NOT_APPLY: "không áp dụng",
    n.Outcome.SURVEY_MISSING: "thiếu kết quả khảo sát",
}
