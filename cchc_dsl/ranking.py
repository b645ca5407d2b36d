"""Stage 6: rank scored units within their blocks, ties stated, whatever order they came in.

Units are ranked on the index as the policy rounds it, since that is the figure published and
compared; two units with the same rounded index share a rank.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from cchc_dsl import nodes as n
from cchc_dsl.results import UnitResult


@attrs.frozen(slots=True)
class RankedBlock:
    title: str
    units: tuple[UnitResult, ...]


def blocks_of(policy: n.Policy) -> list[tuple[str, frozenset[str]]]:
    """(title, unit types and tags) per block; by default one block per unit type."""
    if policy.ranking is not None and policy.ranking.blocks:
        return [(b.title, frozenset(b.members)) for b in policy.ranking.blocks]
    return [(d.title, frozenset({d.name})) for d in policy.unit_types if not d.is_tag]


def rank(units: list[UnitResult], policy: n.Policy) -> tuple[RankedBlock, ...]:
    ties = policy.ranking.ties if policy.ranking is not None else n.TieRule.SHARED
    placed: set[str] = set()
    out: list[RankedBlock] = []
    for title, members in blocks_of(policy):
        chosen = [
            u
            for u in units
            if u.unit not in placed and (u.unit_type in members or members.intersection(u.tags))
        ]
        placed.update(u.unit for u in chosen)
        if chosen:
            out.append(RankedBlock(title, _ranked(chosen, title, ties)))
    rest = [u for u in units if u.unit not in placed]
    if rest:
        out.append(RankedBlock("", _ranked(rest, "", ties)))
    return tuple(out)


def _ranked(units: list[UnitResult], title: str, ties: n.TieRule) -> tuple[UnitResult, ...]:
    ordered = sorted(units, key=lambda u: (-u.official.index_rounded, u.unit))
    out: list[UnitResult] = []
    rank_now = 0
    previous = None
    for position, unit in enumerate(ordered, start=1):
        if unit.official.index_rounded != previous:
            rank_now = position if ties is n.TieRule.SHARED else rank_now + 1
            previous = unit.official.index_rounded
        out.append(attrs.evolve(unit, block=title, rank=rank_now))
    return tuple(out)


def place(index: Decimal, others: list[Decimal], ties: n.TieRule) -> int:
    """The rank a unit with rounded `index` takes among `others` (their rounded indices), as
    `rank` would give it: a what-if question moves one unit while the rest stay put."""
    above = [other for other in others if other > index]
    return 1 + (len(above) if ties is n.TieRule.SHARED else len(set(above)))
