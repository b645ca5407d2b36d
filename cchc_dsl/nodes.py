"""The AST of a `.cchc` file: frozen, slotted attrs classes, tuples not lists.

Every node carries the `Span` it was read from; spans take no part in equality, so that two texts
meaning the same regulation (Vietnamese or English keywords, any layout) give equal trees.
Points are `Decimal` from the token text on; a percent literal is stored as its fraction (95 % is
0.95) with `percent=True` so that it prints back as written.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import TypeAlias

import attrs

from cchc_dsl.source import Span

NO_SPAN = Span("<none>", 0, 0, 0, 0)


def _span() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, repr=False, kw_only=True)


NameSpans: TypeAlias = tuple[tuple[str, Span], ...]


def located(names: Iterable[str], spans: NameSpans, fallback: Span) -> NameSpans:
    """`names` once each, with where each is written (`fallback` when no span was kept)."""
    where = dict(spans)
    return tuple((name, where.get(name, fallback)) for name in dict.fromkeys(names))


def _name_spans() -> NameSpans:
    """Where each unit type or tag name was written, for messages; not part of equality."""
    return attrs.field(default=(), eq=False, repr=False, kw_only=True)


# --- expressions -------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Number:
    value: Decimal
    percent: bool = False
    span: Span = _span()


@attrs.frozen(slots=True)
class Boolean:
    value: bool
    span: Span = _span()


@attrs.frozen(slots=True)
class DateValue:
    value: datetime.date
    span: Span = _span()


@attrs.frozen(slots=True)
class InputRef:
    name: str
    span: Span = _span()


@attrs.frozen(slots=True)
class HasTag:
    """`tag X` / `nhãn X` in a condition: whether the unit being scored carries tag X."""

    name: str
    span: Span = _span()


@attrs.frozen(slots=True)
class NodeMax:
    """`max` / `tối đa` inside a rule: the node's own maximum for the unit being scored."""

    span: Span = _span()


@attrs.frozen(slots=True)
class Unary:
    op: str  # "not" or "-"
    operand: Expr
    span: Span = _span()


@attrs.frozen(slots=True)
class Binary:
    op: str  # + - * / = != < <= > >= and or
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen(slots=True)
class Call:
    function: str  # "min" or "max"
    args: tuple[Expr, ...]
    span: Span = _span()


Expr: TypeAlias = Number | Boolean | DateValue | InputRef | HasTag | NodeMax | Unary | Binary | Call


# --- intervals: the bounds of steps and bands, each with its inclusivity written out -------------


@attrs.frozen(slots=True)
class Bound:
    value: Number | DateValue
    inclusive: bool
    span: Span = _span()


@attrs.frozen(slots=True)
class Interval:
    """`from`/`above` give the lower bound, `to`/`below` the upper; `equal` is a single value."""

    lower: Bound | None = None
    upper: Bound | None = None
    equal: Number | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class Step:
    interval: Interval
    points: Decimal
    span: Span = _span()


# --- leaf rules ----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class YesNo:
    """Full points when the condition holds, else 0."""

    condition: Expr
    span: Span = _span()


@attrs.frozen(slots=True)
class Proportional:
    """Points = rate × max; the rate must lie in [0, 100 %]."""

    rate: Expr
    span: Span = _span()


@attrs.frozen(slots=True)
class Steps:
    subject: Expr
    steps: tuple[Step, ...]
    otherwise: Decimal | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class LateStep:
    days: int
    points: Decimal
    span: Span = _span()


@attrs.frozen(slots=True)
class DayOfYear:
    """A date in the index year (or `years_after` it): 22/12, or 07/01 of the next year, so that
    one regulation serves every year it is in force."""

    day: int
    month: int
    years_after: int = 0
    span: Span = _span()


@attrs.frozen(slots=True)
class Deadline:
    """On or before `due` → `on_time`; late by at most N days → the first matching late step."""

    subject: Expr
    due: DateValue | DayOfYear
    on_time: Decimal
    late: tuple[LateStep, ...] = ()
    otherwise: Decimal | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class Judged:
    """The council's judgement: points in [0, max] in multiples of `step`."""

    subject: Expr
    step: Decimal
    span: Span = _span()


@attrs.frozen(slots=True)
class PerItem:
    """`amount` points per item, capped at the node's max."""

    subject: Expr
    amount: Decimal
    span: Span = _span()


@attrs.frozen(slots=True)
class Survey:
    """A survey result mapped to points: proportionally, or by a step table when one is given."""

    subject: Expr
    steps: tuple[Step, ...] = ()
    otherwise: Decimal | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class Formula:
    expr: Expr
    low: Expr
    high: Expr
    span: Span = _span()


Rule: TypeAlias = YesNo | Proportional | Steps | Deadline | Judged | PerItem | Survey | Formula


# --- outcomes ------------------------------------------------------------------------------------


class Outcome(enum.Enum):
    SCORED = "scored"
    NOT_APPLICABLE = "not_applicable"  # no task arose: full points, or out of the max
    NOT_DONE = "not_done"
    NO_EVIDENCE = "no_evidence"
    DOES_NOT_APPLY = "does_not_apply"  # `only`/`except` rule the unit out: not in its max
    SURVEY_MISSING = "survey_missing"  # no survey results: as the policy's survey block says


class NotApplicableEffect(enum.Enum):
    FULL = "full"  # the unit gets the node's max
    EXCLUDED = "excluded"  # the node leaves both the score and the max


@attrs.frozen(slots=True)
class OutcomeClause:
    """`when COND: OUTCOME`, tried in order before the rule."""

    condition: Expr
    outcome: Outcome
    effect: NotApplicableEffect | None = None
    span: Span = _span()


# --- the criteria tree ---------------------------------------------------------------------------


@attrs.frozen(slots=True)
class MaxEntry:
    """One `max` value; `applies_to` empty means the default for every unit type and tag."""

    points: Decimal
    applies_to: tuple[str, ...] = ()
    span: Span = _span()


class NodeKind(enum.Enum):
    FIELD = "field"
    CRITERION = "criterion"
    SUB_CRITERION = "sub_criterion"


@attrs.frozen(slots=True)
class Header:
    """What a node or an adjustment says about itself before its body."""

    maxima: tuple[MaxEntry, ...] = ()
    only: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    citation: str | None = None
    names: NameSpans = _name_spans()
    span: Span = _span()

    def referenced(self) -> NameSpans:
        """Every unit type or tag the header names, where it is written.

        `names` is for messages and not part of equality, so the names themselves come from
        only/except/max: two equal headers refer to the same things."""
        written = [*self.only, *self.excluded, *(t for e in self.maxima for t in e.applies_to)]
        return located(written, self.names, self.span)

    def applies(self, unit_type: str, tags: frozenset[str] = frozenset()) -> bool:
        """Whether a unit of `unit_type` carrying `tags` is scored on this node."""
        kinds = tags | {unit_type}
        if kinds & set(self.excluded):
            return False
        return not self.only or bool(kinds & set(self.only))

    def max_for(self, unit_type: str, tags: frozenset[str] = frozenset()) -> Decimal | None:
        """The max for such a unit: a tag's value, else the unit type's, else the default."""
        for entry in self.maxima:
            if tags & set(entry.applies_to):
                return entry.points
        for entry in self.maxima:
            if unit_type in entry.applies_to:
                return entry.points
        return next((e.points for e in self.maxima if not e.applies_to), None)


@attrs.frozen(slots=True)
class Node:
    kind: NodeKind
    id: str
    title: str
    header: Header
    children: tuple[Node, ...] = ()
    rule: Rule | None = None
    outcomes: tuple[OutcomeClause, ...] = ()
    evidence_required: bool = False
    notes: tuple[str, ...] = ()
    span: Span = _span()


class AdjustmentKind(enum.Enum):
    BONUS = "bonus"
    DEDUCTION = "deduction"


@attrs.frozen(slots=True)
class Target:
    """Where an adjustment applies: `total` (before the %), `index` (after it) or a node id."""

    kind: str  # "total" | "index" | "node"
    node_id: str | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class Adjustment:
    """A bonus or a deduction: a rule giving an amount in [0, max], added or taken at `target`."""

    kind: AdjustmentKind
    id: str
    title: str
    header: Header
    target: Target
    rule: Rule
    outcomes: tuple[OutcomeClause, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen(slots=True)
class AdjustmentGroup:
    """Adjustments of one kind whose sum is capped as a whole."""

    title: str
    cap: Decimal
    members: tuple[Adjustment, ...]
    span: Span = _span()


# --- declarations --------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class UnitTypeDecl:
    name: str
    title: str
    is_tag: bool = False
    span: Span = _span()


class InputType(enum.Enum):
    YES_NO = "yes_no"
    COUNT = "count"
    NUMBER = "number"
    PERCENT = "percent"
    DATE = "date"
    POINTS = "points"
    SURVEY = "survey"


@attrs.frozen(slots=True)
class InputDecl:
    name: str
    type: InputType
    title: str = ""
    low: Number | None = None
    high: Number | None = None
    default: Number | Boolean | DateValue | None = None
    optional: bool = False  # missing means the task was not done
    span: Span = _span()


class RoundingMode(enum.Enum):
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    DOWN = "down"
    UP = "up"


@attrs.frozen(slots=True)
class Rounding:
    mode: RoundingMode
    places: int
    span: Span = _span()


class MissingSurvey(enum.Enum):
    RESCALE = "rescale"  # the appraisal alone, scaled to the whole
    ZERO = "zero"  # survey points are 0, the max stays
    ERROR = "error"


@attrs.frozen(slots=True)
class SurveySpec:
    """The survey component: its weight on a scale (e.g. 30 of 100), and what a gap means."""

    missing: MissingSurvey
    weight: Decimal | None = None
    scale: Decimal | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class Clamp:
    """Bounds of the total; `None` is unbounded, `NodeMax` the unit's max."""

    low: Number | NodeMax | None
    high: Number | NodeMax | None
    span: Span = _span()


@attrs.frozen(slots=True)
class Band:
    name: str
    interval: Interval
    span: Span = _span()


@attrs.frozen(slots=True)
class BandTable:
    unit_types: tuple[str, ...]  # empty: every unit type
    bands: tuple[Band, ...]
    names: NameSpans = _name_spans()
    span: Span = _span()


class TieRule(enum.Enum):
    SHARED = "shared"  # 1, 2, 2, 4
    DENSE = "dense"  # 1, 2, 2, 3


@attrs.frozen(slots=True)
class Block:
    title: str
    members: tuple[str, ...]
    names: NameSpans = _name_spans()
    span: Span = _span()


@attrs.frozen(slots=True)
class Ranking:
    blocks: tuple[Block, ...] = ()  # empty: one block per unit type
    ties: TieRule = TieRule.SHARED
    span: Span = _span()


@attrs.frozen(slots=True)
class Metadata:
    title: str
    decision: str | None = None
    issued: datetime.date | None = None
    issuer: str | None = None
    based_on: tuple[str, ...] = ()
    effective: datetime.date | None = None
    until: datetime.date | None = None
    amended_by: tuple[str, ...] = ()  # decisions consolidated into this text, oldest first
    notes: tuple[str, ...] = ()  # what the file says about itself, e.g. which parts are modelled
    span: Span = _span()


@attrs.frozen(slots=True)
class Policy:
    metadata: Metadata
    unit_types: tuple[UnitTypeDecl, ...]
    inputs: tuple[InputDecl, ...]
    nodes: tuple[Node, ...]
    adjustments: tuple[Adjustment | AdjustmentGroup, ...] = ()
    survey: SurveySpec | None = None
    clamp: Clamp | None = None
    rounding: Rounding | None = None
    bands: tuple[BandTable, ...] = ()
    ranking: Ranking | None = None
    declared_total: Header | None = None  # `total max …`: what each unit type must add up to
    span: Span = _span()


def walk(nodes: tuple[Node, ...]) -> list[Node]:
    """Every node of a tree, parents before their children."""
    out: list[Node] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def all_adjustments(policy: Policy) -> list[Adjustment]:
    out: list[Adjustment] = []
    for item in policy.adjustments:
        out.extend(item.members if isinstance(item, AdjustmentGroup) else (item,))
    return out


# --- amendments --------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Placement:
    """Where an added or moved node goes: under a parent, after a sibling, under a new id."""

    under: str | None = None
    after: str | None = None
    new_id: str | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class Replace:
    item: Node | Adjustment
    span: Span = _span()


@attrs.frozen(slots=True)
class Add:
    item: Node | Adjustment
    placement: Placement = Placement()
    span: Span = _span()


@attrs.frozen(slots=True)
class Remove:
    ids: tuple[str, ...]
    id_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)
    span: Span = _span()


@attrs.frozen(slots=True)
class Change:
    """New header items for a node or an adjustment; those given replace their old values."""

    id: str
    header: Header
    target: Target | None = None
    span: Span = _span()


@attrs.frozen(slots=True)
class Move:
    id: str
    placement: Placement
    span: Span = _span()


Operation: TypeAlias = Replace | Add | Remove | Change | Move


@attrs.frozen(slots=True)
class Amendment:
    """A decision that changes an earlier one: its own dates, and what it changes, in order."""

    metadata: Metadata
    amends: str
    operations: tuple[Operation, ...] = ()
    unit_types: tuple[UnitTypeDecl, ...] = ()
    inputs: tuple[InputDecl, ...] = ()
    survey: SurveySpec | None = None
    clamp: Clamp | None = None
    rounding: Rounding | None = None
    bands: tuple[BandTable, ...] = ()
    ranking: Ranking | None = None
    declared_total: Header | None = None
    span: Span = _span()


Document: TypeAlias = Policy | Amendment
