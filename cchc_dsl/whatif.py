"""What a unit would need to score higher: `cchc-dsl whatif POLICY FACTS --unit U`.

In: a compiled policy, the facts and one unit. Out: every point the unit lost with the ways back
(`recovery`), and, for a target band or rank, the smallest set of those changes: fewest
criteria, then fewest points, the other units staying as they were scored.

The search. A leaf's gain reaches the total through sums only (a parent is the sum of its
children and of the adjustments aimed at it), so gains add up within two parts, the appraisal
and the survey, each at its weight; the index is then a non-decreasing function of the weighted
sum (the composite, adjustments on total and index, the clamp, the one rounding:
`evaluate.totals`, reused). So (1) the fewest criteria is the smallest k whose k best single
gains reach the target, since no k-set weighs more; (2) among k-sets, the fewest points is a DP
over the criteria by number of changes, pruned without loss (`_Search._fewest_points`). The plan
is then scored again as a whole unit with its input changes applied, and that run's figures are
shown. `tests/test_whatif.py` checks plans against a brute force over every combination.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

import attrs

from cchc_dsl import nodes as n
from cchc_dsl import scoring as s
from cchc_dsl.api import CompiledPolicy
from cchc_dsl.diagnostics import CchcError, Said, make
from cchc_dsl.evaluate import CONTEXT, totals
from cchc_dsl.facts import Facts, UnitFacts
from cchc_dsl.ranking import place
from cchc_dsl.recovery import ASSUMED_EVIDENCE, Loss, Option, losses
from cchc_dsl.results import AdjustmentResult, Evaluation, NodeResult, UnitResult
from cchc_dsl.values import fold, short

ZERO = Decimal(0)
ONE = Decimal(1)


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
    lost = tuple(losses(compiled.policy, program, unit, result.official, year))
    search = _Search(program, result.official, others, ties)
    plan = None
    if target is not None:
        plan = search.plan(lost, target)
        if plan.changes or not plan.reached:
            plan = _verified(compiled, unit, plan, search, year)
    now = search.standing(ZERO, ZERO)
    return WhatIf(compiled.name, result, block.title, len(block.units), ties, now, lost, plan)


def _band_name(program: s.Program, asked: str) -> str:
    """The band as the policy spells it; case, diacritics and spacing forgiven."""
    for band in program.bands:
        if fold(band.name) == fold(asked):
            return band.name
    names = ", ".join(f"«{b.name}»" for b in program.bands)
    message = Said(
        f"--target-band «{asked}»: the bands for {program.unit_type} are {names or '(none)'}",
        f"--target-band «{asked}»: các mức xếp loại của {program.unit_type} là"
        f" {names or '(không có)'}",
    )
    raise CchcError((make("E603", message=message),))


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
            evidence[option.node_id] = ASSUMED_EVIDENCE
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
