"""Stage 7: results → what people read: the ranked table, CSV, JSON, a unit's full explanation.

Exact values go out exactly (JSON decimals are strings); the only rounding is the policy's own,
applied to the index and to points *for display* in tables, never before a sum.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from json.encoder import encode_basestring

import attrs
from tabulate import tabulate

from cchc_dsl.api import ScoreReport
from cchc_dsl.evaluate import ROUNDING
from cchc_dsl.history import SCORE_FORMAT, Change, YearOverYear
from cchc_dsl.ir_json import metadata_dict
from cchc_dsl.nodes import AdjustmentKind, InputType, Outcome
from cchc_dsl.results import AdjustmentResult, Evaluation, NodeResult, UnitResult
from cchc_dsl.scoring import Value
from cchc_dsl.values import format_value, short

JSON_FORMAT = SCORE_FORMAT

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

HISTORY_HEADERS = ("Chỉ số năm trước (%)", "Tăng/giảm", "Hạng năm trước", "Lên/xuống hạng")
NO_BAND = "chưa xếp loại"
# Columns of ranking_blocks' rows that hold numbers, set right-aligned (or as numbers in xlsx):
# rank, max, points, index, and with --previous last year's index, the change, last year's rank.
NUMERIC_COLUMNS = frozenset({0, 3, 4, 5, 7, 8, 9})


@attrs.frozen(slots=True)
class RankingBlock:
    """One ranking block as every format shows it: the same headers, cells and units."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    units: tuple[UnitResult, ...]


def ranking_blocks(report: ScoreReport, history: YearOverYear | None = None) -> list[RankingBlock]:
    headers = TABLE_HEADERS + (HISTORY_HEADERS if history else ())
    out = []
    for block in report.blocks:
        rows = tuple(
            (
                str(u.rank),
                u.unit,
                u.name,
                display_points(u.official.max, report),
                display_points(u.official.points, report),
                str(u.official.index_rounded),
                u.official.band or "",
            )
            + (_history_cells(history.of(u)) if history else ())
            for u in block.units
        )
        out.append(RankingBlock(block.title or "Khác", headers, rows, block.units))
    return out


def _history_cells(change: Change) -> tuple[str, ...]:
    if change.before is None:
        return ("", "mới", "", "")
    index_change = change.index_change
    assert index_change is not None
    moved = change.rank_change
    if moved is None:
        rank_words = "khối khác"
    else:
        rank_words = f"↑{moved}" if moved > 0 else f"↓{-moved}" if moved < 0 else "="
    return (str(change.before.index), signed(index_change), str(change.before.rank), rank_words)


def signed(value: Decimal, shown: Callable[[Decimal], str] = str) -> str:
    """A change with its sign always shown: +1.25, -0.5, 0."""
    return f"+{shown(value)}" if value > 0 else shown(value)


def gone_lines(history: YearOverYear | None) -> list[str]:
    """Units ranked last year and not scored this year, said apart from the ranking."""
    if not history or not history.gone:
        return []
    lines = [f"Có trong kết quả năm trước ({history.source}), không có năm nay:"]
    for past in history.gone:
        block = f", khối «{past.block}»" if past.block else ""
        lines.append(f"  {past.name} ({past.unit}): chỉ số {past.index} %, hạng {past.rank}{block}")
    return lines


def band_counts(
    report: ScoreReport, units: Iterable[UnitResult] | None = None
) -> list[tuple[str, int]]:
    """How many units (all, or those given) fall in each band, in the policy's order of bands;
    units without a band last."""
    names = list(dict.fromkeys(b.name for t in report.policy.policy.bands for b in t.bands))
    found = [u.official.band for u in (report.units if units is None else units)]
    counts = [(name, found.count(name)) for name in names]
    if None in found:
        counts.append((NO_BAND, found.count(None)))
    return counts


def band_table(report: ScoreReport) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Band counts with a column per ranking block and, with several blocks, the total."""
    blocks = [(b.title or "Khác", band_counts(report, b.units)) for b in report.blocks]
    total = band_counts(report)
    columns = [counts for _, counts in blocks] + ([total] if len(blocks) > 1 else [])
    headers = ("Xếp loại", *(t for t, _ in blocks), *(("Tổng",) if len(blocks) > 1 else ()))
    rows = [(band, *(str(dict(c).get(band, 0)) for c in columns)) for band, _ in total]
    return headers, rows


def table(report: ScoreReport, history: YearOverYear | None = None) -> str:
    parts: list[str] = [policy_line(report)]
    for block in ranking_blocks(report, history):
        parts.append(f"\n{block.title} ({len(block.rows)} đơn vị)")
        align = _ALIGN + ("right",) * (len(block.headers) - len(_ALIGN))
        parts.append(
            tabulate(block.rows, headers=block.headers, disable_numparse=True, colalign=align)
        )
    gone = gone_lines(history)
    if gone:
        parts.append("")
        parts.extend(gone)
    parts.extend(_without_evidence(report))
    return "\n".join(parts) + "\n"


def _without_evidence(report: ScoreReport) -> list[str]:
    """Points a unit earned but lost for want of the evidence the policy requires: the council
    and the unit should see them at once, not find them in one unit's explanation."""
    lines = [
        f"  {unit.unit}  {node.id} {node.title}: 0 / {short(node.max)}"
        for unit in report.units
        for node in unit.official.leaves()
        if node.outcome is Outcome.NO_EVIDENCE
    ]
    if not lines:
        return []
    return ["\nKhông có tài liệu kiểm chứng (tính 0 điểm):", *lines]


_ALIGN = ("right", "left", "left", "right", "right", "right", "left")


def policy_line(report: ScoreReport) -> str:
    """The regulation's title and decision, and the amending decisions when a folder's text was
    consolidated (`chosen`: "1823/QĐ-UBND sửa đổi bởi 2429/QĐ-UBND — văn bản có hiệu lực …")."""
    meta = report.policy.policy.metadata
    documents = report.policy.chosen.partition(" — ")[0] or meta.decision
    return f"{meta.title} ({documents})" if documents else meta.title


def markdown(report: ScoreReport, history: YearOverYear | None = None) -> str:
    """The ranking as Markdown: a heading and a table per block, the band counts, units gone."""
    parts = [f"# {md_cell(policy_line(report))}", ""]
    if history:
        parts += [f"So với năm trước: `{md_cell(history.source)}`", ""]
    for block in ranking_blocks(report, history):
        parts += [f"## {md_cell(block.title)} ({len(block.rows)} đơn vị)", ""]
        parts += md_table(block.headers, block.rows, numeric=NUMERIC_COLUMNS)
        parts.append("")
    parts += ["## Số đơn vị theo xếp loại", ""]
    headers, rows = band_table(report)
    parts += md_table(headers, rows, numeric=frozenset(range(1, len(headers))))
    gone = gone_lines(history)
    if gone:
        parts += ["", f"## {md_cell(gone[0].rstrip(':'))}", ""]
        parts += [f"- {md_cell(line.strip())}" for line in gone[1:]]
    return "\n".join(parts) + "\n"


def md_cell(text: str) -> str:
    """Text from a policy or facts file made safe inside a Markdown table or heading."""
    text = " ".join(text.split())
    for char in "\\|*`[]<>":
        text = text.replace(char, "\\" + char)
    return text


def md_table(
    headers: tuple[str, ...], rows: Iterable[tuple[str, ...]], numeric: frozenset[int] = frozenset()
) -> list[str]:
    rule = ["---:" if i in numeric else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(md_cell(h) for h in headers) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def csv_text(report: ScoreReport, history: YearOverYear | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["block", "rank", "unit", "name", "unit_type", "max", "points", "index", "band"]
    if history:
        header += ["previous_index", "index_change", "previous_rank", "rank_change"]
    writer.writerow(header)
    for unit in report.units:
        e = unit.official
        row = [
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
        if history:
            row += _history_values(history.of(unit))
        writer.writerow(row)
    return out.getvalue()


def _history_values(change: Change) -> list[str]:
    """Year-over-year figures for CSV: empty for a unit new this year or moved to another block."""
    index_change, moved = change.index_change, change.rank_change
    return [
        "" if change.before is None else str(change.before.index),
        "" if index_change is None else signed(index_change),
        "" if change.before is None else str(change.before.rank),
        "" if moved is None else f"{moved:+d}" if moved else "0",
    ]


# --- JSON --------------------------------------------------------------------------------------


def to_json(report: ScoreReport, history: YearOverYear | None = None) -> str:
    return dumps_indented(report_dict(report, history)) + "\n"


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


def report_dict(report: ScoreReport, history: YearOverYear | None = None) -> dict[str, object]:
    policy = report.policy.policy
    meta = policy.metadata
    rounding = policy.rounding
    assert rounding is not None
    return {
        "format": JSON_FORMAT,
        "policy": {
            "file": report.policy.name,
            **metadata_dict(meta),
            "rounding": {"mode": rounding.mode.value, "places": rounding.places},
        },
        "facts": report.facts_source,
        "units": [unit_dict(u) for u in report.units],
    } | (_history_dict(history) if history else {})


def _history_dict(history: YearOverYear) -> dict[str, object]:
    """`previous` per unit (null when new) and the units gone, only when --previous is given."""
    changes = {}
    for unit_id, change in history.changes.items():
        before = change.before
        changes[unit_id] = (
            None
            if before is None
            else {
                "index": str(before.index),
                "rank": before.rank,
                "block": before.block,
                "band": before.band,
                "index_change": signed(change.index_change or Decimal(0)),
                "rank_change": change.rank_change,
            }
        )
    gone = [
        {"unit": p.unit, "name": p.name, "block": p.block, "rank": p.rank, "index": str(p.index)}
        for p in history.gone
    ]
    return {"previous": {"source": history.source, "units": changes, "gone": gone}}


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


# --- one unit, point by point ------------------------------------------------------------------


def explanation(report: ScoreReport, unit_id: str) -> str:
    unit = report.unit(unit_id)
    e = unit.official
    block_size = next(len(b.units) for b in report.blocks if b.title == unit.block)
    lines = [
        f"{unit.name} ({unit.unit}) — {report.policy.program(unit.unit_type).unit_type_title}",
        policy_line(report),
        f"Chỉ số: {e.index_rounded} % — {e.band or 'chưa xếp loại'} — hạng {unit.rank}/{block_size}"
        + (f" trong khối «{unit.block}»" if unit.block else ""),
        f"Điểm: {short(e.points)} / {short(e.max)}",
        "",
    ]
    rates = rate_inputs(report)
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
    shown = reads_text(inputs, rates)
    return f"  [{shown}]" if shown else ""


def reads_text(inputs: tuple[tuple[str, Value | None], ...], rates: set[str]) -> str:
    """The inputs a rule read, rates shown as percentages as the unit entered them."""
    return ", ".join(
        f"{name} = {'(không có)' if value is None else format_value(value, name in rates)}"
        for name, value in inputs
    )


def rate_inputs(report: ScoreReport) -> set[str]:
    """Inputs entered as percentages, to be shown back as the unit wrote them."""
    return {
        d.name
        for d in report.policy.policy.inputs
        if d.type in {InputType.PERCENT, InputType.SURVEY}
    }


@attrs.frozen(slots=True)
class ExplanationRow:
    """One line of a unit's point-by-point explanation, for the tabular formats (xlsx, html)."""

    depth: int
    id: str
    title: str
    points: Decimal  # signed for a deduction
    max: Decimal
    outcome: str
    rule: str
    detail: str
    reads: str
    evidence: str
    citation: str

    def cells(self, number: Callable[[Decimal], str | Decimal]) -> list[str | Decimal]:
        """The row under EXPLANATION_HEADERS, points and max shown by `number`."""
        texts = (self.outcome, self.rule, self.detail, self.reads, self.evidence, self.citation)
        return [self.id, self.title, number(self.points), number(self.max), *texts]


EXPLANATION_HEADERS = (
    "Mục",
    "Nội dung",
    "Điểm đạt",
    "Điểm tối đa",
    "Kết quả",
    "Quy tắc",
    "Cách tính",
    "Số liệu",
    "Minh chứng",
    "Nguồn",
)


def explanation_rows(report: ScoreReport, unit: UnitResult) -> list[ExplanationRow]:
    """Every node of the tree, then every bonus and deduction, as `explanation` says them."""
    rates = rate_inputs(report)
    rows = []
    for top in unit.official.nodes:
        stack = [(top, 0)]
        while stack:
            node, depth = stack.pop()
            leaf = not node.children
            rows.append(
                ExplanationRow(
                    depth,
                    node.id,
                    node.title,
                    node.points,
                    node.max,
                    OUTCOME_WORDS[node.outcome.value] if leaf else "",
                    node.rule if leaf else "",
                    node.detail if leaf or node.adjustments else "",
                    reads_text(node.inputs, rates),
                    node.evidence or "",
                    node.citation or "",
                )
            )
            stack.extend((child, depth + 1) for child in reversed(node.children))
    for item in unit.official.adjustments:
        kind = "điểm cộng" if item.kind is AdjustmentKind.BONUS else "điểm trừ"
        rows.append(
            ExplanationRow(
                0,
                item.id,
                item.title,
                item.signed,
                item.cap,
                f"{kind}, áp dụng vào {_target_words(item.target)}",
                item.rule,
                item.detail,
                reads_text(item.inputs, rates),
                "",
                item.citation or "",
            )
        )
    return rows


def _target_words(target: str) -> str:
    if target == "total":
        return "tổng điểm"
    if target == "index":
        return "chỉ số"
    return f"mục {target}"
