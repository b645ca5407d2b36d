"""What scoring returns: per node the points, the max, the outcome and why; per unit the totals.

Values are exact `Decimal`s; only `Evaluation.index_rounded` is rounded, by the policy's rule.
These are plain frozen data, safe to share between threads and to serialise.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from cchc_dsl.nodes import AdjustmentKind, NodeKind, NotApplicableEffect, Outcome
from cchc_dsl.scoring import Value


@attrs.frozen(slots=True)
class NodeResult:
    id: str
    title: str
    kind: NodeKind
    points: Decimal
    max: Decimal
    outcome: Outcome
    effect: NotApplicableEffect | None = None
    rule: str = ""  # the rule, or the outcome clause, that decided
    detail: str = ""  # how it decided, with the values it read
    inputs: tuple[tuple[str, Value | None], ...] = ()
    citation: str | None = None
    evidence: str | None = None
    children: tuple[NodeResult, ...] = ()
    adjustments: tuple[AdjustmentResult, ...] = ()
    survey: bool = False

    def walk(self) -> list[NodeResult]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@attrs.frozen(slots=True)
class AdjustmentResult:
    id: str
    title: str
    kind: AdjustmentKind
    amount: Decimal  # what was added (bonus) or taken (deduction), after every cap; ≥ 0
    raw: Decimal  # what the rule gave before the group cap
    cap: Decimal
    target: str
    outcome: Outcome
    rule: str = ""
    detail: str = ""
    inputs: tuple[tuple[str, Value | None], ...] = ()
    citation: str | None = None

    @property
    def signed(self) -> Decimal:
        return self.amount if self.kind is AdjustmentKind.BONUS else -self.amount


@attrs.frozen(slots=True)
class Evaluation:
    """One unit scored from one view of its facts (self-assessed or appraised)."""

    nodes: tuple[NodeResult, ...]
    adjustments: tuple[AdjustmentResult, ...]
    appraisal_points: Decimal
    appraisal_max: Decimal
    survey_points: Decimal
    survey_max: Decimal
    survey_status: str  # "none" (no survey in the policy), "present", "missing: rescale|zero"
    points: Decimal  # the total after composite, adjustments and clamp
    max: Decimal
    index: Decimal  # exact, in %
    index_rounded: Decimal
    band: str | None
    steps: tuple[str, ...] = ()  # the arithmetic from the tree's sum to the index, in order

    def node(self, node_id: str) -> NodeResult:
        for top in self.nodes:
            for result in top.walk():
                if result.id == node_id:
                    return result
        raise KeyError(node_id)

    def leaves(self) -> list[NodeResult]:
        return [r for top in self.nodes for r in top.walk() if not r.children]


@attrs.frozen(slots=True)
class Difference:
    """A criterion where the council's appraisal differs from the unit's self-assessment."""

    node_id: str
    title: str
    self_points: Decimal
    appraised_points: Decimal

    @property
    def change(self) -> Decimal:
        return self.appraised_points - self.self_points


@attrs.frozen(slots=True)
class UnitResult:
    unit: str
    name: str
    unit_type: str
    tags: tuple[str, ...]
    official: Evaluation  # the appraised view; equal to the self view when nothing was appraised
    self_assessed: Evaluation | None = None
    block: str = ""
    rank: int = 0

    def differences(self) -> tuple[Difference, ...]:
        if self.self_assessed is None:
            return ()
        mine = {r.id: r for r in self.self_assessed.leaves()}
        out = []
        for result in self.official.leaves():
            claimed = mine.get(result.id)
            if claimed is not None and claimed.points != result.points:
                out.append(Difference(result.id, result.title, claimed.points, result.points))
        return tuple(out)
