"""Totals: a field's max is what its criteria add up to, per unit type and tag; every unit type
and tag has something to score; and each unit type adds up to the declared `total max`."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink
from cchc_dsl.values import format_value
from cchc_dsl.wording import hint, kind

Variant = tuple[str, frozenset[str]]  # a unit type, and the tags such a unit may carry


def variants(policy: n.Policy) -> Iterator[Variant]:
    """Plain units of each type, then units of each type carrying one tag."""
    types = [d.name for d in policy.unit_types if not d.is_tag]
    tags = [d.name for d in policy.unit_types if d.is_tag]
    for unit_type in types:
        yield unit_type, frozenset()
    for tag in tags:
        for unit_type in types:
            yield unit_type, frozenset({tag})


def effective_max(node: n.Node, variant: Variant) -> Decimal:
    """What a unit of this variant can get at most from a node: 0 where it does not apply."""
    unit_type, tags = variant
    if not node.header.applies(unit_type, tags):
        return Decimal(0)
    if not node.children:
        return node.header.max_for(unit_type, tags) or Decimal(0)
    return sum((effective_max(child, variant) for child in node.children), Decimal(0))


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    all_variants = list(variants(policy))
    for node in n.walk(policy.nodes):
        if node.children and node.header.maxima:
            _declared_parent(node, all_variants, sink)
    totals = {v: sum((effective_max(f, v) for f in policy.nodes), Decimal(0)) for v in all_variants}
    for decl in policy.unit_types:
        scored = [v for v in all_variants if (decl.name in v[1] or decl.name == v[0])]
        if scored and not any(_any_leaf(policy.nodes, v) for v in scored):
            sink.report("E302", decl.span, name=decl.name)
    declared = policy.declared_total
    if declared is not None:
        for variant in all_variants:
            _declared_total(declared, variant, totals[variant], sink)


def _any_leaf(nodes: tuple[n.Node, ...], variant: Variant) -> bool:
    """Whether some criterion applies to units of this variant (its max is another check's)."""
    unit_type, tags = variant
    return any(
        node.header.applies(unit_type, tags)
        and (not node.children or _any_leaf(node.children, variant))
        for node in nodes
    )


def _declared_parent(node: n.Node, all_variants: list[Variant], sink: DiagnosticSink) -> None:
    for variant in all_variants:
        unit_type, tags = variant
        if not node.header.applies(unit_type, tags):
            continue
        if tags and not any(tags & set(e.applies_to) for e in node.header.maxima):
            continue  # a tag the parent's max does not speak of: the plain check covers it
        declared = node.header.max_for(unit_type, tags)
        total = effective_max(node, variant)
        if declared is not None and declared != total:
            sink.report(
                "E301",
                node.header.span,
                kind=kind(node.kind.value),
                id=node.id,
                declared=format_value(declared),
                unit_type=_variant_text(variant),
                total=format_value(total),
                hint=hint(
                    "make it `{code}`, or change its criteria",
                    "sửa thành `{code}`, hoặc sửa các mục bên trong",
                    f"max {format_value(total)}",
                ),
            )


def _declared_total(
    declared: n.Header, variant: Variant, total: Decimal, sink: DiagnosticSink
) -> None:
    unit_type, tags = variant
    if tags and not any(tags & set(e.applies_to) for e in declared.maxima):
        return  # tagged units may have their own total (special agencies): only if declared
    expected = declared.max_for(unit_type, tags)
    if expected is not None and expected != total:
        sink.report(
            "E303",
            declared.span,
            unit_type=_variant_text(variant),
            total=format_value(total),
            declared=format_value(expected),
        )


def _variant_text(variant: Variant) -> str:
    unit_type, tags = variant
    return unit_type + "".join(f" + {tag}" for tag in sorted(tags))
