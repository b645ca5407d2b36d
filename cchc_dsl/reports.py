"""Stage 7: results → what people read: the ranked table, CSV, JSON, a unit's full explanation.

Exact values go out exactly (JSON decimals are strings); the only rounding is the policy's own,
applied to the index and to points *for display* in tables, never before a sum.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from json.encoder import encode_basestring

from tabulate import tabulate

from cchc_dsl.api import ScoreReport
from cchc_dsl.evaluate import ROUNDING
from cchc_dsl.nodes import InputType
from cchc_dsl.results import AdjustmentResult, Evaluation, NodeResult, UnitResult
from cchc_dsl.scoring import Value
from cchc_dsl.values import format_value, short

JSON_FORMAT = "cchc-dsl/score/1"

OUTCOME_WORDS = {
    "scored": "chấm điểm",
    "not_applicable": "không phát sinh",
    "not_done": "chưa thực hiện",
    "no_evidence": "không có minh chứng",
    "does_not_apply": "không áp dụng cho đơn vị này",
    "survey_missing": "thiếu kết quả khảo sát",
}
TABLE_HEADERS = ("Hạng", "Mã đơn vị", "Đơn vị", "Điểm tối đa", "Điểm đạt", "Chỉ số (%)", "Xếp loại")


def display_points(value: Decimal, report: ScoreReport) -> str:
    """Points rounded as the policy rounds, for tables only."""
    rounding = report.policy.policy.rounding
    assert rounding is not None
    exponent = Decimal(1).scaleb(-rounding.places)
    return str(value.quantize(exponent, rounding=ROUNDING[rounding.mode]))


def exact(value: Decimal) -> str:
    return format_value(value)


# --- the ranked table --------------------------------------------------------------------------


def table(report: ScoreReport) -> str:
    parts: list[str] = [_policy_line(report)]
    for block in report.blocks:
        rows = [
            (
                u.rank,
                u.unit,
                u.name,
                display_points(u.official.max, report),
                display_points(u.official.points, report),
                str(u.official.index_rounded),
                u.official.band or "",
            )
            for u in block.units
        ]
        title = block.title or "Khác"
        parts.append(f"\n{title} ({len(rows)} đơn vị)")
        parts.append(tabulate(rows, headers=TABLE_HEADERS, disable_numparse=True, colalign=_ALIGN))
    return "\n".join(parts) + "\n"


_ALIGN = ("right", "left", "left", "right", "right", "right", "left")


def _policy_line(report: ScoreReport) -> str:
    meta = report.policy.policy.metadata
    decision = f" ({meta.decision})" if meta.decision else ""
    return f"{meta.title}{decision}"


def csv_text(report: ScoreReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["block", "rank", "unit", "name", "unit_type", "max", "points", "index", "band"]
    )
    for unit in report.units:
        e = unit.official
        writer.writerow(
            [
                unit.block,
                unit.rank,
                unit.unit,
                unit.name,
                unit.unit_type,
                exact(e.max),
                exact(e.points),
                str(e.index_rounded),
                e.band or "",
            ]
        )
    return out.getvalue()


# --- JSON --------------------------------------------------------------------------------------


def to_json(report: ScoreReport) -> str:
    return dumps_indented(report_dict(report)) + "\n"


def dumps_indented(value: object) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, the same text 2.5× as fast.

    With `indent`, the standard library encodes in pure Python, a generator per level; a report
    of 10,000 units has 1.5 million nodes' fields. Anything but str keys, str, int, float, bool,
    None, lists and dicts goes to `json.dumps` itself, which gives its usual answer or error.
    """
    out: list[str] = []
    try:
        _write_json(value, out, "\n")
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(out)


class _NotPlain(Exception):  # noqa: N818 - a signal to fall back, not an error
    pass


def _write_json(value: object, out: list[str], newline: str) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None or isinstance(value, bool):
        out.append("null" if value is None else "true" if value else "false")
    elif isinstance(value, dict):
        inner, opening = newline + "  ", "{"
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotPlain
            out.append(f"{opening}{inner}{encode_basestring(key)}: ")
            opening = ","
            _write_json(item, out, inner)
        out.append("{}" if opening == "{" else newline + "}")
    elif isinstance(value, list):
        inner, opening = newline + "  ", "["
        for item in value:
            out.append(opening + inner)
            opening = ","
            _write_json(item, out, inner)
        out.append("[]" if opening == "[" else newline + "]")
    elif type(value) in (int, float):
        out.append(json.dumps(value))
    else:
        raise _NotPlain


def report_dict(report: ScoreReport) -> dict[str, object]:
    policy = report.policy.policy
    meta = policy.metadata
    rounding = policy.rounding
    assert rounding is not None
    return {
        "format": JSON_FORMAT,
        "policy": {
            "file": report.policy.name,
            "title": meta.title,
            "decision": meta.decision,
            "issued": _date(meta.issued),
            "issuer": meta.issuer,
            "based_on": list(meta.based_on),
            "effective": _date(meta.effective),
            "until": _date(meta.until),
            "amended_by": list(meta.amended_by),
            "notes": list(meta.notes),
            "rounding": {"mode": rounding.mode.value, "places": rounding.places},
        },
        "facts": report.facts_source,
        "units": [unit_dict(u) for u in report.units],
    }


def unit_dict(unit: UnitResult) -> dict[str, object]:
    e = unit.official
    out: dict[str, object] = {
        "unit": unit.unit,
        "name": unit.name,
        "unit_type": unit.unit_type,
        "tags": list(unit.tags),
        "block": unit.block,
        "rank": unit.rank,
        "points": exact(e.points),
        "max": exact(e.max),
        "index": str(e.index_rounded),
        "index_exact": exact(e.index),
        "band": e.band,
    }
    out.update(_evaluation_parts(e))
    if unit.self_assessed is not None:
        mine = unit.self_assessed
        out["self_assessed"] = {
            "points": exact(mine.points),
            "max": exact(mine.max),
            "index": str(mine.index_rounded),
            "band": mine.band,
        }
        out["differences"] = [
            {
                "node": d.node_id,
                "title": d.title,
                "self_assessed": exact(d.self_points),
                "appraised": exact(d.appraised_points),
                "change": exact(d.change),
            }
            for d in unit.differences()
        ]
    else:
        out["self_assessed"] = None
        out["differences"] = []
    return out


def _evaluation_parts(e: Evaluation) -> dict[str, object]:
    return {
        "appraisal": {"points": exact(e.appraisal_points), "max": exact(e.appraisal_max)},
        "survey": {
            "status": e.survey_status,
            "points": exact(e.survey_points),
            "max": exact(e.survey_max),
        },
        "steps": list(e.steps),
        "nodes": [_node_dict(n) for n in e.nodes],
        "adjustments": [_adjustment_dict(a) for a in e.adjustments],
    }


def _node_dict(node: NodeResult) -> dict[str, object]:
    return {
        "id": node.id,
        "title": node.title,
        "kind": node.kind.value,
        "points": exact(node.points),
        "max": exact(node.max),
        "outcome": node.outcome.value,
        "effect": node.effect.value if node.effect else None,
        "rule": node.rule,
        "detail": node.detail,
        "inputs": {name: _json_value(value) for name, value in node.inputs},
        "citation": node.citation,
        "evidence": node.evidence,
        "adjustments": [a.id for a in node.adjustments],
        "children": [_node_dict(c) for c in node.children],
    }


def _adjustment_dict(item: AdjustmentResult) -> dict[str, object]:
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind.value,
        "amount": exact(item.signed),
        "cap": exact(item.cap),
        "target": item.target,
        "outcome": item.outcome.value,
        "rule": item.rule,
        "detail": item.detail,
        "inputs": {name: _json_value(value) for name, value in item.inputs},
        "citation": item.citation,
    }


def _json_value(value: Value | None) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return exact(value)
    return value.isoformat()


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


# --- one unit, point by point ------------------------------------------------------------------


def explanation(report: ScoreReport, unit_id: str) -> str:
    unit = report.unit(unit_id)
    e = unit.official
    block_size = next(len(b.units) for b in report.blocks if b.title == unit.block)
    lines = [
        f"{unit.name} ({unit.unit}) — {report.policy.program(unit.unit_type).unit_type_title}",
        _policy_line(report),
        f"Chỉ số: {e.index_rounded} % — {e.band or 'chưa xếp loại'} — hạng {unit.rank}/{block_size}"
        + (f" trong khối «{unit.block}»" if unit.block else ""),
        f"Điểm: {short(e.points)} / {short(e.max)}",
        "",
    ]
    rates = {
        d.name
        for d in report.policy.policy.inputs
        if d.type in {InputType.PERCENT, InputType.SURVEY}
    }
    for node in e.nodes:
        _explain_node(node, 0, lines, rates)
    if e.adjustments:
        lines.append("")
        lines.append("Điểm cộng / điểm trừ:")
        for item in e.adjustments:
            sign = "+" if item.signed >= 0 else "−"
            lines.append(
                f"  {item.id} {item.title}: {sign}{short(item.amount)}"
                f" (tối đa {short(item.cap)}, áp dụng vào {_target_words(item.target)})"
            )
            lines.append(f"      {item.rule}: {item.detail}" + _reads(item.inputs, rates))
    lines.append("")
    lines.append("Tính chỉ số:")
    lines.extend(f"  {step}" for step in e.steps)
    differences = unit.differences()
    if unit.self_assessed is not None:
        lines.append("")
        lines.append(
            f"Tự đánh giá: {short(unit.self_assessed.points)} điểm, chỉ số"
            f" {unit.self_assessed.index_rounded} %; thẩm định: {short(e.points)} điểm,"
            f" chỉ số {e.index_rounded} %"
        )
        for d in differences:
            lines.append(
                f"  {d.node_id} {d.title}: tự chấm {short(d.self_points)} → thẩm định"
                f" {short(d.appraised_points)} ({'+' if d.change >= 0 else ''}{short(d.change)})"
            )
    return "\n".join(lines) + "\n"


def _explain_node(node: NodeResult, depth: int, lines: list[str], rates: set[str]) -> None:
    indent = "  " * depth
    outcome = OUTCOME_WORDS[node.outcome.value]
    effect = f" ({'đủ điểm' if node.effect.value == 'full' else 'loại trừ'})" if node.effect else ""
    lines.append(
        f"{indent}{node.id} {node.title}: {short(node.points)} / {short(node.max)}"
        + ("" if node.children else f" — {outcome}{effect}")
    )
    if not node.children:
        lines.append(f"{indent}    {node.rule}: {node.detail}" + _reads(node.inputs, rates))
        extras = []
        if node.evidence:
            extras.append(f"minh chứng: {node.evidence}")
        if node.citation:
            extras.append(f"nguồn: {node.citation}")
        if extras:
            lines.append(f"{indent}    " + " · ".join(extras))
    elif node.adjustments:
        lines.append(f"{indent}    {node.detail}")
    for child in node.children:
        _explain_node(child, depth + 1, lines, rates)


def _reads(inputs: tuple[tuple[str, Value | None], ...], rates: set[str]) -> str:
    """The inputs a rule read, rates shown as percentages as the unit entered them."""
    if not inputs:
        return ""
    shown = ", ".join(
        f"{name} = {'(không có)' if value is None else format_value(value, name in rates)}"
        for name, value in inputs
    )
    return f"  [{shown}]"


def _target_words(target: str) -> str:
    if target == "total":
        return "tổng điểm"
    if target == "index":
        return "chỉ số"
    return f"mục {target}"
