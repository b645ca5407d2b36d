"""The appraisal council's worklist (`cchc-dsl appraise`): where the appraisal differs from the
unit's self-assessment, what it costs or gives in points, and on what evidence.

A criterion is listed when a value it reads was appraised differently from the claim, even if
its points did not change (the council still has to record the correction); likewise a bonus or
deduction. Items are sorted by the points at stake (largest first, then in the policy's order),
units by the sum of their items' points at stake, then by id. Each unit shows its total, index,
band and rank as self-assessed (every claim accepted) and as appraised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

import attrs

from cchc_dsl.api import CompiledPolicy, ScoreReport
from cchc_dsl.diagnostics import DiagnosticSink
from cchc_dsl.facts import Facts, UnitFacts, load_facts
from cchc_dsl.ranking import rank
from cchc_dsl.reports import exact, md_cell, md_table, policy_line, rate_inputs, signed
from cchc_dsl.results import AdjustmentResult, Evaluation, NodeResult, UnitResult
from cchc_dsl.scoring import Value
from cchc_dsl.values import format_value, short

JSON_FORMAT = "cchc-dsl/appraise/1"
Reads = tuple[tuple[str, Value | None], ...]
_MISSING = "(không có)"


@attrs.frozen(slots=True)
class Item:
    """One criterion, bonus or deduction the council changed."""

    id: str
    title: str
    max: Decimal
    self_points: Decimal  # signed for a deduction
    appraised_points: Decimal
    changed_inputs: tuple[tuple[str, str, str], ...]  # name, as claimed, as appraised
    self_detail: str
    appraised_detail: str
    evidence: str | None
    citation: str | None

    @property
    def change(self) -> Decimal:
        return self.appraised_points - self.self_points

    @property
    def stake(self) -> Decimal:
        return abs(self.change)


@attrs.frozen(slots=True)
class UnitWork:
    unit: UnitResult  # ranked as appraised
    self_rank: int  # the rank had every self-assessment been accepted
    items: tuple[Item, ...]

    @property
    def before(self) -> Evaluation:
        assert self.unit.self_assessed is not None
        return self.unit.self_assessed

    @property
    def stake(self) -> Decimal:
        return sum((item.stake for item in self.items), Decimal(0))


@attrs.frozen(slots=True)
class Worklist:
    report: ScoreReport
    sources: tuple[str, ...]
    units: tuple[UnitWork, ...]
    unchanged: tuple[UnitResult, ...]  # units the council did not correct

    @property
    def points_before(self) -> Decimal:
        return sum((w.before.points for w in self.units), Decimal(0))

    @property
    def points_after(self) -> Decimal:
        return sum((w.unit.official.points for w in self.units), Decimal(0))


# --- reading: one facts file with both views, or a self-assessment and an appraisal -----------


def appraisal_facts(policy: CompiledPolicy, self_path: Path, appraised_path: Path) -> Facts:
    """The self-assessment file's units, with the appraisal file's values as the appraised view.

    The appraisal file may give every value or only those the council changed; its units must be
    in the self-assessment file. Evidence comes from the self-assessment, completed by the
    appraisal file's where the unit cited none."""
    sink = DiagnosticSink()
    claimed = load_facts(self_path, policy.policy, sink)
    appraised = load_facts(appraised_path, policy.policy, sink)
    by_id = {u.id: u for u in claimed.units}
    for unit in appraised.units:
        if unit.id not in by_id:
            sink.report(
                "E607",
                unit.position,
                unit=unit.id,
                appraised=str(appraised_path),
                self_file=str(self_path),
            )
    sink.raise_if_errors()
    council = {u.id: u for u in appraised.units}
    units = tuple(_merged(u, council.get(u.id)) for u in claimed.units)
    return Facts(claimed.source, units, claimed.year)


def _merged(claimed: UnitFacts, council: UnitFacts | None) -> UnitFacts:
    if council is None:
        return attrs.evolve(claimed, appraised_values={})
    return attrs.evolve(
        claimed,
        self_values=claimed.values(appraised=False),
        appraised_values=council.values(appraised=True),
        evidence={**council.evidence, **claimed.evidence},
    )


# --- the worklist ------------------------------------------------------------------------------


def worklist(report: ScoreReport, sources: Iterable[str] = ()) -> Worklist:
    rates = rate_inputs(report)
    claimed = [attrs.evolve(u, official=u.self_assessed or u.official) for u in report.units]
    self_ranks = {u.unit: u.rank for b in rank(claimed, report.policy.policy) for u in b.units}
    work, unchanged = [], []
    for unit in report.units:
        items = _items(unit, rates) if unit.self_assessed is not None else []
        if items:
            work.append(UnitWork(unit, self_ranks[unit.unit], tuple(items)))
        else:
            unchanged.append(unit)
    work.sort(key=lambda w: (-w.stake, w.unit.unit))
    return Worklist(report, tuple(sources) or (report.facts_source,), tuple(work), tuple(unchanged))


def _items(unit: UnitResult, rates: set[str]) -> list[Item]:
    assert unit.self_assessed is not None
    mine = {n.id: n for n in unit.self_assessed.leaves()}
    mine_adj = {a.id: a for a in unit.self_assessed.adjustments}
    found: list[Item] = []
    for node in unit.official.leaves():
        if node.id in mine:
            found.extend(_item(mine[node.id], node, rates))
    for adjustment in unit.official.adjustments:
        if adjustment.id in mine_adj:
            found.extend(_item(mine_adj[adjustment.id], adjustment, rates))
    return sorted(found, key=lambda item: -item.stake)  # stable: policy order among equals


def _item(
    claimed: NodeResult | AdjustmentResult, council: NodeResult | AdjustmentResult, rates: set[str]
) -> list[Item]:
    changed = _changed_inputs(claimed.inputs, council.inputs, rates)
    claimed_points, council_points = _points(claimed), _points(council)
    if not changed and claimed_points == council_points:
        return []
    return [
        Item(
            council.id,
            council.title,
            council.max if isinstance(council, NodeResult) else council.cap,
            claimed_points,
            council_points,
            changed,
            claimed.detail,
            council.detail,
            council.evidence if isinstance(council, NodeResult) else None,
            council.citation,
        )
    ]


def _points(result: NodeResult | AdjustmentResult) -> Decimal:
    return result.points if isinstance(result, NodeResult) else result.signed


def _changed_inputs(
    claimed: Reads, council: Reads, rates: set[str]
) -> tuple[tuple[str, str, str], ...]:
    before, after = dict(claimed), dict(council)
    return tuple(
        (name, _shown(before.get(name), name in rates), _shown(after.get(name), name in rates))
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    )


def _shown(value: Value | None, percent: bool) -> str:
    return _MISSING if value is None else format_value(value, percent)


# --- text, markdown, csv, json ----------------------------------------------------------------


def _totals(evaluation: Evaluation, rank_now: int) -> str:
    return (
        f"{short(evaluation.points)} / {short(evaluation.max)} điểm, chỉ số"
        f" {evaluation.index_rounded} %, {evaluation.band or 'chưa xếp loại'}, hạng {rank_now}"
    )


def _summary(work: Worklist) -> str:
    if not work.units:
        return "Hội đồng thẩm định không thay đổi giá trị tự đánh giá nào."
    items = sum(len(w.items) for w in work.units)
    return (
        f"{len(work.units)} đơn vị có {items} mục thẩm định khác tự đánh giá; tổng điểm của các"
        f" đơn vị này: tự chấm {short(work.points_before)} → thẩm định"
        f" {short(work.points_after)} ({signed(work.points_after - work.points_before, short)})"
    )


def worklist_text(work: Worklist) -> str:
    lines = [
        f"Danh sách thẩm định — {policy_line(work.report)}",
        "Dữ liệu: " + ", ".join(work.sources),
        _summary(work),
    ]
    for number, unit_work in enumerate(work.units, 1):
        unit = unit_work.unit
        lines += [
            "",
            f"{number}. {unit.name} ({unit.unit}) — điểm chênh lệch {short(unit_work.stake)}",
            f"   Tự đánh giá: {_totals(unit_work.before, unit_work.self_rank)}",
            f"   Thẩm định:   {_totals(unit.official, unit.rank)}",
        ]
        for item in unit_work.items:
            lines.append(
                f"   {item.id} {item.title} (tối đa {short(item.max)}): tự chấm"
                f" {short(item.self_points)} → thẩm định {short(item.appraised_points)}"
                f" ({signed(item.change, short)})"
            )
            if item.changed_inputs:
                lines.append("       số liệu: " + _inputs_words(item.changed_inputs))
            lines.append(f"       tự chấm: {item.self_detail}")
            lines.append(f"       thẩm định: {item.appraised_detail}")
            if item.evidence:
                lines.append(f"       minh chứng: {item.evidence}")
            if item.citation:
                lines.append(f"       nguồn: {item.citation}")
    if work.unchanged:
        lines += ["", "Không có chênh lệch: " + ", ".join(u.unit for u in work.unchanged)]
    return "\n".join(lines) + "\n"


def _inputs_words(changed: tuple[tuple[str, str, str], ...]) -> str:
    return "; ".join(f"{name}: {before} → {after}" for name, before, after in changed)


_MD_HEADERS = ("Mục", "Nội dung", "Tối đa", "Tự chấm", "Thẩm định", "Chênh lệch", "Số liệu")


def worklist_markdown(work: Worklist) -> str:
    parts = [
        f"# Danh sách thẩm định: {md_cell(policy_line(work.report))}",
        "",
        "Dữ liệu: " + ", ".join(f"`{md_cell(s)}`" for s in work.sources),
        "",
        md_cell(_summary(work)),
    ]
    for number, unit_work in enumerate(work.units, 1):
        unit = unit_work.unit
        parts += [
            "",
            f"## {number}. {md_cell(unit.name)} ({md_cell(unit.unit)})",
            "",
            f"- Tự đánh giá: {md_cell(_totals(unit_work.before, unit_work.self_rank))}",
            f"- Thẩm định: {md_cell(_totals(unit.official, unit.rank))}",
            f"- Điểm chênh lệch: {short(unit_work.stake)}",
            "",
        ]
        rows = [
            (
                item.id,
                item.title,
                short(item.max),
                short(item.self_points),
                short(item.appraised_points),
                signed(item.change, short),
                _inputs_words(item.changed_inputs),
            )
            for item in unit_work.items
        ]
        parts += md_table(_MD_HEADERS, rows, numeric=frozenset({2, 3, 4, 5}))
        parts.append("")
        for item in unit_work.items:
            notes = [f"tự chấm: {item.self_detail}", f"thẩm định: {item.appraised_detail}"]
            if item.evidence:
                notes.append(f"minh chứng: {item.evidence}")
            if item.citation:
                notes.append(f"nguồn: {item.citation}")
            parts.append(f"- **{md_cell(item.id)}**: " + "; ".join(md_cell(n) for n in notes))
    if work.unchanged:
        names = ", ".join(md_cell(u.unit) for u in work.unchanged)
        parts += ["", f"Không có chênh lệch: {names}"]
    return "\n".join(parts) + "\n"


_CSV_HEADER = [
    "unit",
    "name",
    "item",
    "title",
    "max",
    "self_points",
    "appraised_points",
    "change",
    "inputs_self",
    "inputs_appraised",
    "self_detail",
    "appraised_detail",
    "evidence",
    "citation",
    "unit_points_self",
    "unit_points_appraised",
    "unit_index_self",
    "unit_index_appraised",
]


def worklist_csv(work: Worklist) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_HEADER)
    for unit_work in work.units:
        unit, before = unit_work.unit, unit_work.before
        for item in unit_work.items:
            writer.writerow(
                [
                    unit.unit,
                    unit.name,
                    item.id,
                    item.title,
                    exact(item.max),
                    exact(item.self_points),
                    exact(item.appraised_points),
                    exact(item.change),
                    "; ".join(f"{n} = {b}" for n, b, _ in item.changed_inputs),
                    "; ".join(f"{n} = {a}" for n, _, a in item.changed_inputs),
                    item.self_detail,
                    item.appraised_detail,
                    item.evidence or "",
                    item.citation or "",
                    exact(before.points),
                    exact(unit.official.points),
                    str(before.index_rounded),
                    str(unit.official.index_rounded),
                ]
            )
    return out.getvalue()


def worklist_json(work: Worklist) -> str:
    doc = {
        "format": JSON_FORMAT,
        "policy": {
            "file": work.report.policy.name,
            "title": work.report.policy.policy.metadata.title,
        },
        "facts": list(work.sources),
        "totals": {
            "self_assessed": exact(work.points_before),
            "appraised": exact(work.points_after),
        },
        "units": [_unit_json(w) for w in work.units],
        "unchanged": [u.unit for u in work.unchanged],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _unit_json(work: UnitWork) -> dict[str, object]:
    return {
        "unit": work.unit.unit,
        "name": work.unit.name,
        "block": work.unit.block,
        "stake": exact(work.stake),
        "self_assessed": _view_json(work.before, work.self_rank),
        "appraised": _view_json(work.unit.official, work.unit.rank),
        "items": [_item_json(item) for item in work.items],
    }


def _view_json(evaluation: Evaluation, rank_now: int) -> Mapping[str, object]:
    return {
        "points": exact(evaluation.points),
        "max": exact(evaluation.max),
        "index": str(evaluation.index_rounded),
        "band": evaluation.band,
        "rank": rank_now,
    }


def _item_json(item: Item) -> dict[str, object]:
    return {
        "id": item.id,
        "title": item.title,
        "max": exact(item.max),
        "self_assessed": exact(item.self_points),
        "appraised": exact(item.appraised_points),
        "change": exact(item.change),
        "inputs": [
            {"name": n, "self_assessed": b, "appraised": a} for n, b, a in item.changed_inputs
        ],
        "self_detail": item.self_detail,
        "appraised_detail": item.appraised_detail,
        "evidence": item.evidence,
        "citation": item.citation,
    }
