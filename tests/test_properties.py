"""Invariants over random units (hypothesis): bounds per node, exact sums, order-free ranking."""

from __future__ import annotations

import random
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_dsl.api import CompiledPolicy, load_policy
from cchc_dsl.evaluate import CONTEXT
from cchc_dsl.results import NodeResult
from tests.strategies import Record, renamings, units

ROOT = Path(__file__).resolve().parent.parent
POLICIES = {
    "example": load_policy(ROOT / "policies/example/mau.cchc"),
    "constructs": load_policy(ROOT / "tests/data/constructs.en.cchc"),
}


def _check_node(node: NodeResult) -> None:
    with localcontext(CONTEXT):  # the engine's arithmetic: 60 significant digits
        _check_sums(node)


def _check_sums(node: NodeResult) -> None:
    adjusted = sum((a.signed for a in node.adjustments), Decimal(0))
    if node.children:
        # a parent is the exact sum of its children plus its own adjustments, and so is its max
        assert node.points == sum((c.points for c in node.children), Decimal(0)) + adjusted
        assert node.max == sum((c.max for c in node.children), Decimal(0))
        for child in node.children:
            _check_sums(child)
    if not node.adjustments:
        # without an adjustment aimed at it, no node leaves [0, max]
        assert Decimal(0) <= node.points <= node.max, node


@pytest.mark.parametrize("name", sorted(POLICIES))
@given(data=st.data())
def test_points_stay_within_bounds_and_parents_sum(name: str, data: st.DataObject) -> None:
    policy = POLICIES[name]
    records = data.draw(units(policy))
    report = policy.score(policy.facts(records))
    for unit in report.units:
        for evaluation in filter(None, (unit.official, unit.self_assessed)):
            for node in evaluation.nodes:
                _check_node(node)
            for adjustment in evaluation.adjustments:
                assert Decimal(0) <= adjustment.amount <= adjustment.cap
            # both example policies clamp the total to [0, max] and, when a deduction aims at
            # the index, clamp that as well: the index never leaves 0..100
            assert Decimal(0) <= evaluation.index <= 100


@pytest.mark.parametrize("name", sorted(POLICIES))
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_ranking_does_not_depend_on_unit_order(name: str, data: st.DataObject, seed: int) -> None:
    policy = POLICIES[name]
    records: list[Record] = data.draw(units(policy, max_size=8))
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    first = _ranks(policy, records)
    assert _ranks(policy, shuffled) == first


def _ranks(policy: CompiledPolicy, records: list[Record]) -> dict[str, tuple[str, int, str]]:
    report = policy.score(policy.facts(records))
    return {u.unit: (u.block, u.rank, str(u.official.index_rounded)) for u in report.units}


@pytest.mark.parametrize("name", sorted(POLICIES))
@given(data=st.data())
def test_results_do_not_depend_on_unit_ids_or_names(name: str, data: st.DataObject) -> None:
    """A unit's points, index, band and rank are the same whatever it and the others are called:
    ids and names are labels, never inputs (ties are shared, so no order between them shows)."""
    policy = POLICIES[name]
    records: list[Record] = data.draw(units(policy, max_size=6))
    new_ids = data.draw(renamings([str(r["unit"]) for r in records]))
    renamed = [
        {**r, "unit": new_ids[str(r["unit"])], "name": f"Tên {i}"} for i, r in enumerate(records)
    ]
    before = _results(policy, records)
    after = _results(policy, renamed)
    assert {old: after[new] for old, new in new_ids.items()} == before


def _results(policy: CompiledPolicy, records: list[Record]) -> dict[str, tuple[object, ...]]:
    report = policy.score(policy.facts(records))
    return {
        u.unit: (u.block, u.rank, u.official.points, u.official.index, u.official.band)
        for u in report.units
    }
