"""The compiled scoring tree: the IR the evaluator runs, one `Program` per unit type.

Nothing here is syntax. Unit-type applicability and maxima are resolved; what depends on a unit's
tags stays as small tables. Expressions are `Const`, `Ref`, `NodeMaxRef` and `Op`. Each node keeps
its `origin` span and citation so that a result can say where every point comes from.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from cchc_dsl import nodes as n
from cchc_dsl.source import Span
from cchc_dsl.values import format_value

Value: TypeAlias = bool | Decimal | datetime.date
Bound: TypeAlias = Decimal | Literal["max"] | None

# --- expressions -------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Const:
    value: Value
    percent: bool = False


@attrs.frozen(slots=True)
class Ref:
    name: str


@attrs.frozen(slots=True)
class NodeMaxRef:
    pass


@attrs.frozen(slots=True)
class TagRef:
    """Whether the unit carries a tag."""

    name: str


@attrs.frozen(slots=True)
class Op:
    op: str  # + - * / neg not and or = != < <= > >= min max
    args: tuple[IRExpr, ...]


IRExpr: TypeAlias = Const | Ref | NodeMaxRef | TagRef | Op


def refs(expr: IRExpr) -> tuple[str, ...]:
    """The inputs an expression reads, in first-read order."""
    if isinstance(expr, Ref):
        return (expr.name,)
    if isinstance(expr, Op):
        return tuple(dict.fromkeys(name for arg in expr.args for name in refs(arg)))
    return ()


def show(expr: IRExpr) -> str:
    """Expressions as a drafter wrote them, for explanations."""
    if isinstance(expr, Const):
        return format_value(expr.value, expr.percent)
    if isinstance(expr, Ref):
        return expr.name
    if isinstance(expr, NodeMaxRef):
        return "max"
    if isinstance(expr, TagRef):
        return f"tag {expr.name}"
    if expr.op in {"min", "max"}:
        return f"{expr.op}({', '.join(show(a) for a in expr.args)})"
    if expr.op == "neg":
        return f"-{show(expr.args[0])}"
    if expr.op == "not":
        return f"not {show(expr.args[0])}"
    left, right = (
        show(a) if not isinstance(a, Op) or a.op in {"min", "max", "neg"} else f"({show(a)})"
        for a in expr.args
    )
    return f"{left} {expr.op} {right}"


# --- rules -------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class IRStep:
    points: Decimal
    low: Value | None = None
    low_inclusive: bool = True
    high: Value | None = None
    high_inclusive: bool = True
    text: str = ""  # the bound as written, for explanations

    def contains(self, value: Value) -> bool:
        if self.low is not None:
            low = self.low
            if value < low or (value == low and not self.low_inclusive):  # type: ignore[operator]
                return False
        if self.high is not None:
            high = self.high
            if value > high or (value == high and not self.high_inclusive):  # type: ignore[operator]
                return False
        return True


@attrs.frozen(slots=True)
class YesNoRule:
    condition: IRExpr


@attrs.frozen(slots=True)
class ProportionalRule:
    rate: IRExpr


@attrs.frozen(slots=True)
class StepRule:
    subject: IRExpr
    steps: tuple[IRStep, ...]
    otherwise: Decimal | None
    rate: bool = False  # the subject is a rate: show it as a percentage


@attrs.frozen(slots=True)
class DueDay:
    """A day of the index year (or of a year after it), fixed once the year is known."""

    day: int
    month: int
    years_after: int = 0

    def on(self, year: int) -> datetime.date:
        return datetime.date(year + self.years_after, self.month, self.day)

    def __str__(self) -> str:
        after = " next_year" if self.years_after else ""
        return f"{self.day:02d}/{self.month:02d}{after}"


@attrs.frozen(slots=True)
class DeadlineRule:
    subject: IRExpr
    due: datetime.date | DueDay
    on_time: Decimal
    late: tuple[tuple[int, Decimal], ...]
    otherwise: Decimal | None


@attrs.frozen(slots=True)
class JudgedRule:
    subject: IRExpr
    step: Decimal


@attrs.frozen(slots=True)
class PerItemRule:
    subject: IRExpr
    amount: Decimal


@attrs.frozen(slots=True)
class SurveyRule:
    """Proportional to the survey rate, or by the step table when it has steps."""

    subject: IRExpr
    steps: tuple[IRStep, ...]
    otherwise: Decimal | None


@attrs.frozen(slots=True)
class FormulaRule:
    expr: IRExpr
    low: IRExpr
    high: IRExpr


IRRule: TypeAlias = (
    YesNoRule
    | ProportionalRule
    | StepRule
    | DeadlineRule
    | JudgedRule
    | PerItemRule
    | SurveyRule
    | FormulaRule
)


@attrs.frozen(slots=True)
class IROutcome:
    condition: IRExpr
    outcome: n.Outcome
    effect: n.NotApplicableEffect | None
    text: str


# --- the tree ----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Applicability:
    """What remains of `only`/`except`/`max … for` once the unit type is known: the tag part."""

    max_default: Decimal | None = None
    max_by_tag: tuple[tuple[str, Decimal], ...] = ()
    only_tags: tuple[str, ...] = ()  # non-empty: applies only to units with one of these tags
    except_tags: tuple[str, ...] = ()

    def applies(self, tags: frozenset[str]) -> bool:
        if self.only_tags and not tags.intersection(self.only_tags):
            return False
        return not tags.intersection(self.except_tags)


@attrs.frozen(slots=True)
class ScoringNode:
    id: str
    title: str
    kind: n.NodeKind
    applicability: Applicability
    children: tuple[ScoringNode, ...] = ()
    rule: IRRule | None = None
    outcomes: tuple[IROutcome, ...] = ()
    evidence_required: bool = False
    citation: str | None = None
    reads: tuple[str, ...] = ()
    is_survey: bool = False
    origin: Span = attrs.field(default=n.NO_SPAN, eq=False)


@attrs.frozen(slots=True)
class ScoringAdjustment:
    id: str
    title: str
    kind: n.AdjustmentKind
    applicability: Applicability
    target: str  # "total" | "index" | a node id
    rule: IRRule
    outcomes: tuple[IROutcome, ...] = ()
    citation: str | None = None
    reads: tuple[str, ...] = ()
    group: int | None = None  # index into Program.groups
    origin: Span = attrs.field(default=n.NO_SPAN, eq=False)


@attrs.frozen(slots=True)
class GroupCap:
    title: str
    cap: Decimal


@attrs.frozen(slots=True)
class IRBand:
    name: str
    step: IRStep  # points unused; the bounds are on the index in %


@attrs.frozen(slots=True)
class Program:
    """One regulation compiled for one unit type."""

    metadata: n.Metadata
    unit_type: str
    unit_type_title: str
    nodes: tuple[ScoringNode, ...]
    adjustments: tuple[ScoringAdjustment, ...]
    groups: tuple[GroupCap, ...]
    inputs: tuple[n.InputDecl, ...]
    survey: n.SurveySpec | None
    clamp: tuple[Bound, Bound]  # of the total: None unbounded, "max" the unit's max
    rounding: n.Rounding
    bands: tuple[IRBand, ...]
