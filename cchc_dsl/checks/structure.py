"""Structure: unique ids and declarations, one rule per leaf, metadata the index needs."""

from __future__ import annotations

from collections.abc import Iterable

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink, Label
from cchc_dsl.source import Span


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    _unique_names(((d.name, d.span) for d in policy.unit_types), "unit type or tag", sink)
    _unique_names(((d.name, d.span) for d in policy.inputs), "input", sink)
    tree = n.walk(policy.nodes)
    _unique_ids(
        [(node.id, node.span) for node in tree]
        + [(adj.id, adj.span) for adj in n.all_adjustments(policy)],
        sink,
    )
    for node in tree:
        _leaf_shape(node, sink)
    if not any(not d.is_tag for d in policy.unit_types):
        sink.report("E218", policy.metadata.span, hint='add: unit_types { so "Sở, ban, ngành" }')
    if policy.rounding is None:
        sink.report(
            "E211",
            policy.metadata.span,
            what="rounding of the index",
            hint="add e.g.: rounding half_up 2   (làm tròn nửa_lên 2)",
        )


def _unique_names(items: Iterable[tuple[str, Span]], what: str, sink: DiagnosticSink) -> None:
    seen: dict[str, Span] = {}
    for name, span in items:
        if name in seen:
            sink.report(
                "E205",
                span,
                what=f"the {what} «{name}»",
                secondary=[Label(seen[name], "first declared here", primary=False)],
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
                secondary=[Label(seen[node_id], "first used here", primary=False)],
                hint="give each node its own id",
            )
        else:
            seen[node_id] = span


def _leaf_shape(node: n.Node, sink: DiagnosticSink) -> None:
    kind = node.kind.value
    if node.children and node.rule is not None:
        sink.report("E208", node.rule.span, kind=kind, id=node.id)
    if not node.children and node.rule is None:
        sink.report(
            "E207",
            node.span,
            kind=kind,
            id=node.id,
            hint="add a rule such as `yes_no x`, or sub-criteria",
        )
    if node.children and node.evidence_required:
        sink.report("E213", node.span, kind=kind, id=node.id)
    if node.children and node.outcomes:
        sink.report(
            "E216",
            node.outcomes[0].span,
            message=f"{kind} {node.id} has sub-criteria; outcomes belong on a scored leaf",
        )
