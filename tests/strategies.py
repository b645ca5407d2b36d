"""Hypothesis strategies: random units for a compiled policy, with values each input accepts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import strategies as st

from cchc_dsl.api import CompiledPolicy
from cchc_dsl.nodes import InputDecl, InputType

Record = dict[str, object]


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with at most `places` decimals, drawn as exact integers."""
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda i: Decimal(i) / scale)


def value_for(decl: InputDecl) -> st.SearchStrategy[object]:
    """A value of the input's type within its declared range, as a facts file would give it."""
    low = int(decl.low.value) if decl.low is not None else 0
    high = int(decl.high.value) if decl.high is not None else 1000
    if decl.type is InputType.YES_NO:
        return st.sampled_from(["có", "không", True, False])
    if decl.type is InputType.COUNT:
        return st.integers(low, high)
    if decl.type in {InputType.PERCENT, InputType.SURVEY}:
        return decimals(0, 100, 2).map(lambda d: f"{d}%")
    if decl.type is InputType.DATE:
        start = datetime.date(2023, 12, 1)
        return st.integers(0, 120).map(lambda d: (start + datetime.timedelta(days=d)).isoformat())
    if decl.type is InputType.POINTS:  # judged points: quarter steps within the declared range
        top = high if decl.high is not None else 2
        return st.integers(low * 4, top * 4).map(lambda q: str(Decimal(q) / 4))
    return decimals(low, high, 3).map(str)


@st.composite
def unit_record(draw: st.DrawFn, policy: CompiledPolicy, unit_id: str) -> Record:
    ast = policy.policy
    types = [d.name for d in ast.unit_types if not d.is_tag]
    tags = [d.name for d in ast.unit_types if d.is_tag]
    inputs: dict[str, object] = {}
    for decl in ast.inputs:
        # optional and defaulted inputs may be left out; a survey may be missing as a whole
        may_skip = decl.optional or decl.default is not None or decl.type is InputType.SURVEY
        if may_skip and draw(st.booleans()):
            continue
        value = draw(value_for(decl))
        if decl.type is not InputType.SURVEY and draw(st.integers(0, 4)) == 0:
            value = {"self": draw(value_for(decl)), "appraised": value}
        inputs[decl.name] = value
    leaves = [n.id for n in _leaves(ast.nodes)]
    evidence = {
        node_id: f"Văn bản số {i}/KH" for i, node_id in enumerate(leaves) if draw(st.booleans())
    }
    return {
        "unit": unit_id,
        "name": f"Đơn vị {unit_id}",
        "unit_type": draw(st.sampled_from(types)),
        "tags": draw(st.lists(st.sampled_from(tags), unique=True, max_size=1)) if tags else [],
        "inputs": inputs,
        "evidence": evidence,
    }


def units(policy: CompiledPolicy, max_size: int = 6) -> st.SearchStrategy[list[Record]]:
    return st.integers(1, max_size).flatmap(
        lambda size: st.tuples(*(unit_record(policy, f"u{i}") for i in range(size))).map(list)
    )


def _leaves(tree: tuple) -> list:  # type: ignore[type-arg]
    out = []
    for node in tree:
        out.extend(_leaves(node.children) if node.children else [node])
    return out
