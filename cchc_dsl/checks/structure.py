"""Structure: unique ids and declarations, one rule per leaf, metadata the index needs."""

from __future__ import annotations

from collections.abc import Iterable

from cchc_dsl import nodes as n
from cchc_dsl import wording
from cchc_dsl.diagnostics import DiagnosticSink, Said, also
from cchc_dsl.source import Span
from cchc_dsl.wording import FIRST_DECLARED, FIRST_USED, hint


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    _unique_names(
        ((d.name, d.span) for d in policy.unit_types),
        Said("unit type or tag", "loại đơn vị hoặc nhãn"),
        sink,
    )
    _unique_names(((d.name, d.span) for d in policy.inputs), Said("input", "đầu vào"), sink)
    tree = n.walk(policy.nodes)
    _unique_ids(
        [(node.id, node.span) for node in tree]
        + [(adj.id, adj.span) for adj in n.all_adjustments(policy)],
        sink,
    )
    for node in tree:
        _leaf_shape(node, sink)
    if not any(not d.is_tag for d in policy.unit_types):
        sink.report(
            "E218",
            policy.metadata.span,
            hint=hint("add: {code}", "thêm: {code}", 'unit_types { so "Sở, ban, ngành" }'),
        )
    if policy.rounding is None:
        sink.report(
            "E211",
            policy.metadata.span,
            what=Said("rounding of the index", "cách làm tròn chỉ số"),
            hint=hint("add e.g.: {code}", "thêm, ví dụ: {code}", "rounding half_up 2"),
        )


def _unique_names(items: Iterable[tuple[str, Span]], what: Said, sink: DiagnosticSink) -> None:
    seen: dict[str, Span] = {}
    for name, span in items:
        if name in seen:
            sink.report(
                "E205",
                span,
                what=Said(f"the {what.en} «{name}»", f"{what.vi} «{name}»"),
                secondary=[also(seen[name], FIRST_DECLARED)],
            )
        else:
            seen[name] = span


def _unique_ids(items: list[tuple[str, Span]], sink: DiagnosticSink) -> None:
    seen: dict[str, Span] = {}
    for node_id, span in items:
        if node_id in seen:
            sink.report(
                "E204",
                span,
                id=node_id,
                secondary=[also(seen[node_id], FIRST_USED)],
                hint=Said("give each node its own id", "mỗi mục cần một số hiệu riêng"),
            )
        else:
            seen[node_id] = span


def _leaf_shape(node: n.Node, sink: DiagnosticSink) -> None:
    kind = wording.kind(node.kind.value)
    if node.children and node.rule is not None:
        sink.report("E208", node.rule.span, kind=kind, id=node.id)
    if not node.children and node.rule is None:
        sink.report(
            "E207",
            node.span,
            kind=kind,
            id=node.id,
            hint=hint(
                "add a rule such as `{code}`, or sub-criteria",
                "thêm một quy tắc như `{code}`, hoặc các tiêu chí thành phần",
                "yes_no x",
            ),
        )
    if node.children and node.evidence_required:
        sink.report("E213", node.span, kind=kind, id=node.id)
    if node.children and node.outcomes:
        sink.report(
            "E216",
            node.outcomes[0].span,
            message=Said(
                f"{kind.en} {node.id} has sub-criteria; outcomes belong on a scored leaf",
                f"{kind.vi} {node.id} có các mục bên trong; kết quả «khi …» đặt ở mục được chấm "
                "điểm trực tiếp",
            ),
        )
