"""References: unit types and tags, adjustment targets, and a max for every place a leaf applies."""

from __future__ import annotations

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink, did_you_mean
from cchc_dsl.source import Span


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    known = {d.name for d in policy.unit_types}
    tags = {d.name for d in policy.unit_types if d.is_tag}
    types = [d.name for d in policy.unit_types if not d.is_tag]

    def resolve(name: str, span: Span) -> None:
        if name not in known:
            sink.report("E202", span, name=name, hint=did_you_mean(name, known))

    for node in n.walk(policy.nodes):
        _header_names(node.header, resolve)
        if not node.children:
            _leaf_maxima(node.kind.value, node.id, node.header, types, tags, sink)
    node_ids = {node.id for node in n.walk(policy.nodes)}
    for adjustment in n.all_adjustments(policy):
        _header_names(adjustment.header, resolve)
        _leaf_maxima(adjustment.kind.value, adjustment.id, adjustment.header, types, tags, sink)
        target = adjustment.target
        if target.kind == "node" and target.node_id not in node_ids:
            sink.report(
                "E215",
                target.span,
                id=target.node_id,
                hint=did_you_mean(target.node_id or "", node_ids),
            )
    for table in policy.bands:
        for name in table.unit_types:
            resolve(name, table.span)
    if policy.ranking:
        for block in policy.ranking.blocks:
            for name in block.members:
                resolve(name, block.span)


def _header_names(header: n.Header, resolve: object) -> None:
    assert callable(resolve)
    for name in header.only + header.excluded:
        resolve(name, header.span)
    for entry in header.maxima:
        for name in entry.applies_to:
            resolve(name, entry.span)


def applies_to_type(header: n.Header, unit_type: str, tags: set[str]) -> bool:
    """Whether a node can apply to some unit of `unit_type` (tags decide the rest per unit)."""
    if unit_type in header.excluded:
        return False
    return not header.only or unit_type in header.only or any(t in tags for t in header.only)


def _leaf_maxima(
    kind: str,
    node_id: str,
    header: n.Header,
    types: list[str],
    tags: set[str],
    sink: DiagnosticSink,
) -> None:
    seen: set[str] = set()
    has_default = False
    for entry in header.maxima:
        keys = entry.applies_to or ("",)
        for key in keys:
            if key in seen:
                sink.report(
                    "E221",
                    entry.span,
                    message=f"{kind} {node_id} sets its max for «{key or 'every unit'}» twice",
                )
            seen.add(key)
        has_default = has_default or not entry.applies_to
    if has_default:
        return
    only_tags = [t for t in header.only if t in tags]
    for unit_type in types:
        if not applies_to_type(header, unit_type, tags) or unit_type in seen:
            continue
        if unit_type not in header.only and only_tags and all(t in seen for t in only_tags):
            continue
        sink.report(
            "E210",
            header.span,
            what=kind,
            id=node_id,
            unit_type=unit_type,
            hint=f"add `max … for {unit_type}`, a default max, or `only` the unit types it "
            "applies to",
        )
