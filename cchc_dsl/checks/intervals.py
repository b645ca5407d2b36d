"""Intervals of exact values, for step tables and bands: where two overlap, where none covers a
value, and which can never be reached. Coverage only changes at bounds, so testing every bound
and a point between each pair of neighbouring bounds finds a witness whenever one exists."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import attrs

from cchc_dsl import nodes as n

ONE = Decimal(1)


@attrs.frozen(slots=True)
class Range:
    """Values between `low` and `high` (None: unbounded), each end in or out."""

    low: Decimal | None = None
    low_in: bool = True
    high: Decimal | None = None
    high_in: bool = True

    def holds(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_in)):
            return False
        return not (
            self.high is not None
            and (value > self.high or (value == self.high and not self.high_in))
        )

    def bounds(self) -> list[Decimal]:
        return [b for b in (self.low, self.high) if b is not None]


def number(value: n.Number | n.DateValue) -> Decimal:
    if isinstance(value, n.DateValue):
        return Decimal(value.value.toordinal())
    return value.value


def of(interval: n.Interval) -> Range:
    if interval.equal is not None:
        value = number(interval.equal)
        return Range(value, True, value, True)
    low, high = interval.lower, interval.upper
    return Range(
        number(low.value) if low else None,
        low.inclusive if low else True,
        number(high.value) if high else None,
        high.inclusive if high else True,
    )


def candidates(spans: Sequence[Range], domain: Range, whole: bool = False) -> list[Decimal]:
    """Every bound, a point between neighbouring bounds, and a point beyond each end: in the
    domain, and whole numbers only when `whole` (counts)."""
    bounds = sorted({b for s in (*spans, domain) for b in s.bounds()})
    points = list(bounds)
    points += [(a + b) / 2 for a, b in itertools.pairwise(bounds)]
    if bounds:
        points += [bounds[0] - ONE, bounds[-1] + ONE]
    else:
        points.append(Decimal(0))
    if whole:
        points = [
            p.to_integral_value(rounding=r) for p in points for r in (ROUND_FLOOR, ROUND_CEILING)
        ]
    return sorted(p for p in set(points) if domain.holds(p))


def first_gap(spans: Sequence[Range], domain: Range, whole: bool = False) -> Decimal | None:
    """A value of the domain that no span holds, or None."""
    return next(
        (p for p in candidates(spans, domain, whole) if not any(s.holds(p) for s in spans)),
        None,
    )


def first_overlap(
    spans: Sequence[Range], domain: Range, whole: bool = False, skip: Sequence[int] = ()
) -> tuple[int, int, Decimal] | None:
    """(i, j, value): the first pair of spans, in order, that both hold a value of the domain;
    a later span in `skip` (one found unreachable, say) is left out."""
    points = candidates(spans, domain, whole)
    for j, later in enumerate(spans):
        if j in skip:
            continue
        for i in range(j):
            hit = next((p for p in points if spans[i].holds(p) and later.holds(p)), None)
            if hit is not None:
                return i, j, hit
    return None


def unreachable(spans: Sequence[Range], domain: Range, whole: bool = False) -> list[int]:
    """Spans every value of which (in the domain) an earlier span already holds."""
    points = candidates(spans, domain, whole)
    out = []
    for j, later in enumerate(spans):
        own = [p for p in points if later.holds(p)]
        if own and all(any(spans[i].holds(p) for i in range(j)) for p in own):
            out.append(j)
    return out


def inside(value: Decimal, spans: Sequence[Range], domain: Range) -> bool:
    """Whether some span holds a value below `value` and some span one above it."""
    points = candidates(spans, domain)
    below = any(s.holds(p) for s in spans for p in points if p < value)
    above = any(s.holds(p) for s in spans for p in points if p > value)
    return below and above


def show(value: Decimal, kind: str) -> str:
    """A witness as the drafter would write it: 95%, a date, or a plain number."""
    if kind == "rate":
        text = format(value * 100, "f")
        return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
    if kind == "date":
        return datetime.date.fromordinal(int(value)).isoformat()
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
