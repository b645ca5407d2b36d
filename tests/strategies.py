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


# --- small policies for the what-if search: a brute force over every change stays cheap ---------

_WHATIF_HEAD = """quy định "Thử tìm kiếm"
làm tròn nửa_lên 2
loại đơn vị {{ so "Sở" }}
đầu vào {{
{inputs}
}}
lĩnh vực 1 "Thẩm định" tối đa {appraisal_max} {{
{appraisal}
}}
"""
_WHATIF_TAIL = """
tổng giới hạn 0 .. tối đa
xếp loại {{ "Đạt" từ {band}%; "Chưa đạt" dưới {band}% }}
xếp hạng {{ đồng hạng {ties} }}
"""


@st.composite
def whatif_case(draw: st.DrawFn) -> tuple[str, list[Record]]:
    """A policy of 1–4 criteria (yes/no, steps over a rate, per item, judged; with a survey part
    or not, a deduction or not) and three units under it, the first one asked about."""
    inputs: list[str] = []
    criteria: list[str] = []
    maxima: list[Decimal] = []
    values: list[dict[str, st.SearchStrategy[object]]] = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["yes_no", "steps", "per_item", "judged"]))
        top = Decimal(draw(st.integers(1, 12))) / 2
        name = f"x{i}"
        if kind == "yes_no":
            inputs.append(f'  {name}: có_không "X{i}"')
            rule = f"có/không {name}"
            values.append({name: st.booleans()})
        elif kind == "steps":
            inputs.append(f'  {name}: tỷ_lệ "X{i}"')
            low = draw(st.integers(10, 60))
            rule = (
                f"theo mức {name} {{ từ {low + 30}%: {top}; trên {low}% đến dưới {low + 30}%:"
                f" {top / 2}; còn lại: 0 }}"
            )
            values.append({name: decimals(0, 100, 0).map(lambda d: f"{d}%")})
        elif kind == "per_item":
            inputs.append(f'  {name}: số_đếm "X{i}"')
            rule = f"mỗi {name}: {top / 2}"
            values.append({name: st.integers(0, 3)})
        else:
            inputs.append(f'  {name}: điểm "X{i}"')
            rule = f"chấm điểm {name} bước {top / 2}"
            values.append({name: st.integers(0, 2).map(lambda q, t=top: str(t / 2 * q))})
        criteria.append(f'  tiêu chí 1.{i + 1} "Tiêu chí {i}" tối đa {top} {{ {rule} }}')
        maxima.append(top)
    text = _WHATIF_HEAD.format(
        inputs="\n".join(inputs), appraisal_max=sum(maxima), appraisal="\n".join(criteria)
    )
    survey = draw(st.booleans())
    extra: dict[str, st.SearchStrategy[object]] = {}
    if survey:
        text += (
            'lĩnh vực 2 "Khảo sát" tối đa 10 {\n'
            '  tiêu chí 2.1 "Hài lòng" tối đa 10 { khảo sát hl }\n}\n'
            "khảo sát { trọng số 30 trên 100; khi thiếu quy_đổi }\n"
        )
        text = text.replace("đầu vào {\n", 'đầu vào {\n  hl: khảo_sát "Hài lòng"\n')
        extra["hl"] = decimals(0, 100, 0).map(lambda d: f"{d}%")
    if draw(st.booleans()):
        text += 'điểm trừ D1 "Kỷ luật" tối đa 2 { mỗi kl: 1 }\n'
        text = text.replace("đầu vào {\n", 'đầu vào {\n  kl: số_đếm "Kỷ luật" mặc định 0\n')
        extra["kl"] = st.integers(0, 2)
    text += _WHATIF_TAIL.format(
        band=draw(st.integers(30, 100)), ties=draw(st.sampled_from(["chung", "liền_kề"]))
    )
    records = []
    for u in range(3):
        drawn = {name: draw(strategy) for v in values for name, strategy in v.items()}
        drawn.update({name: draw(strategy) for name, strategy in extra.items()})
        records.append({"unit": f"u{u}", "name": f"Đơn vị {u}", "unit_type": "so", "inputs": drawn})
    return text, records
