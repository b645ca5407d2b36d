"""Bands: every index a unit can get falls in exactly one band, and band names are unique.

The index runs 0–100 % when the total is clamped to 0 .. max and nothing is added after the
percentage; bonuses over an unclamped total, or adjustments to the index, can take it beyond.
"""

from __future__ import annotations

from decimal import Decimal

from cchc_dsl import nodes as n
from cchc_dsl.checks import intervals as iv
from cchc_dsl.diagnostics import DiagnosticSink, Said, also
from cchc_dsl.wording import FIRST_HERE


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    values = index_range(policy)
    for table in policy.bands:
        _names(table, sink)
        ranges = [iv.of(band.interval) for band in table.bands]
        overlap = iv.first_overlap(ranges, values)
        if overlap is not None:
            i, j, value = overlap
            sink.report(
                "E330",
                table.bands[j].span,
                first=table.bands[i].name,
                second=table.bands[j].name,
                value=iv.show(value, "rate"),
                secondary=[also(table.bands[i].span, Said("also here", "cũng ở đây"))],
            )
        gap = iv.first_gap(ranges, values)
        if gap is None:
            continue
        if iv.inside(gap, ranges, values):
            sink.report("E331", table.span, value=iv.show(gap, "rate"), hint=_hint(gap))
        else:
            low = iv.show(values.low, "rate") if values.low is not None else "−∞"
            high = iv.show(values.high, "rate") if values.high is not None else "∞"
            sink.report("E332", table.span, value=iv.show(gap, "rate"), low=low, high=high)


def index_range(policy: n.Policy) -> iv.Range:
    """The index a unit can get, as a fraction (1 = 100 %)."""
    clamp = policy.clamp
    low: Decimal | None = Decimal(0)
    high: Decimal | None = Decimal(1)
    if clamp is not None:
        low = _fraction(clamp.low)
        high = _fraction(clamp.high)
    raises_index = any(a.target.kind == "index" for a in n.all_adjustments(policy))
    if raises_index and (clamp is None or clamp.high is None):
        high = None
    return iv.Range(low, True, high, True)


def _fraction(bound: n.Number | n.NodeMax | None) -> Decimal | None:
    """A clamp bound on points, as a share of the max: `max` is 1; other numbers are not known
    as a share without the unit's max, so they leave that end open."""
    if bound is None:
        return None
    if isinstance(bound, n.NodeMax):
        return Decimal(1)
    return Decimal(0) if bound.value == 0 else None


def _names(table: n.BandTable, sink: DiagnosticSink) -> None:
    seen: dict[str, n.Band] = {}
    for band in table.bands:
        if band.name in seen:
            sink.report(
                "E333",
                band.span,
                name=band.name,
                secondary=[also(seen[band.name].span, FIRST_HERE)],
            )
        seen.setdefault(band.name, band)


def _hint(gap: Decimal) -> Said:
    shown = iv.show(gap, "rate")
    return Said(
        f"make one of the neighbouring bands say «from {shown}» or «to {shown}»",
        f"sửa một trong hai mức liền kề thành «từ {shown}» hoặc «đến {shown}»",
    )
