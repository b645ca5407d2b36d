"""References: unit types and tags, adjustment targets, and a max for every place a leaf applies."""

from __future__ import annotations

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink, Said, also, did_you_mean
from cchc_dsl.source import Span
from cchc_dsl.wording import FIRST_HERE, hint, kind


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    known = {d.name for d in policy.unit_types}
    tags = {d.name for d in policy.unit_types if d.is_tag}
    types = [d.name for d in policy.unit_types if not d.is_tag]

    def resolve(names: n.NameSpans) -> None:
        for name, span in names:
            if name not in known:
                sink.report("E202", span, name=name, hint=did_you_mean(name, known))

    for node in n.walk(policy.nodes):
        resolve(node.header.referenced())
        if not node.children:
            _leaf_maxima(kind(node.kind.value), node.id, node.header, types, tags, sink)
    node_ids = {node.id for node in n.walk(policy.nodes)}
    for adjustment in n.all_adjustments(policy):
        resolve(adjustment.header.referenced())
        _leaf_maxima(
            kind(adjustment.kind.value), adjustment.id, adjustment.header, types, tags, sink
        )
        target = adjustment.target
        if target.kind == "node" and target.node_id not in node_ids:
            sink.report(
                "E215",
                target.span,
                id=target.node_id,
                hint=did_you_mean(target.node_id or "", node_ids),
            )
    if policy.declared_total is not None:
        resolve(policy.declared_total.referenced())
    banded: dict[str, Span] = {}
    for table in policy.bands:
        resolve(n.located(table.unit_types, table.names, table.span))
        covered = table.names or tuple((t, table.span) for t in types)
        for name, span in covered:
            _once(name, span, banded, "band tables", sink)
    if policy.ranking:
        ranked: dict[str, Span] = {}
        for block in policy.ranking.blocks:
            resolve(n.located(block.members, block.names, block.span))
            for name, span in block.names:
                _once(name, span, ranked, "ranking blocks", sink)


def _once(name: str, span: Span, seen: dict[str, Span], what: str, sink: DiagnosticSink) -> None:
    """A unit type may sit in one band table and one ranking block, not two."""
    if name in seen:
        sink.report(
            "E222",
            span,
            name=name,
            what=what,
            secondary=[also(seen[name], FIRST_HERE)],
        )
    else:
        seen[name] = span


def applies_to_type(header: n.Header, unit_type: str, tags: set[str]) -> bool:
    """Whether a node can apply to some unit of `unit_type` (tags decide the rest per unit)."""
    if unit_type in header.excluded:
        return False
    return not header.only or unit_type in header.only or any(t in tags for t in header.only)


def _leaf_maxima(
    kind: Said,
    node_id: str,
    header: n.Header,
    types: list[str],
    tags: set[str],
    sink: DiagnosticSink,
) -> None:
    seen: set[str] = set()
    has_default = False
    for entry in header.maxima:
        if entry.points == 0:
            sink.report(
                "E221",
                entry.span,
                message=Said(
                    f"{kind.en} {node_id} has a max of 0, which scores nothing",
                    f"{kind.vi} {node_id} có điểm tối đa 0, không chấm được điểm nào",
                ),
                hint=Said(
                    "to leave a node out for some units, use `except` or `only`",
                    "để không chấm mục này với một số đơn vị, dùng `trừ` hoặc `chỉ`",
                ),
            )
        keys = entry.applies_to or ("",)
        for key in keys:
            if key in seen:
                sink.report(
                    "E221",
                    entry.span,
                    message=Said(
                        f"{kind.en} {node_id} sets its max for «{key or 'every unit'}» twice",
                        f"{kind.vi} {node_id} ghi điểm tối đa cho «{key or 'mọi đơn vị'}» hai lần",
                    ),
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
            hint=hint(
                "add `{code}`, a default max, or `only` the unit types it applies to",
                "thêm `{code}`, một điểm tối đa chung, hoặc `chỉ` các loại đơn vị được chấm",
                f"max … for {unit_type}",
            ),
        )
