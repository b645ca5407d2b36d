"""Usage: inputs declared and never read, events counted by two adjustments, and bonuses that can
lift an unclamped total above the max."""

from __future__ import annotations

from cchc_dsl import nodes as n
from cchc_dsl.checks.rules import reads, rule_exprs
from cchc_dsl.diagnostics import DiagnosticSink, Said, also
from cchc_dsl.parser import in_vietnamese
from cchc_dsl.wording import UNUSED_HINT, named


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    read: set[str] = set()
    items: list[n.Node | n.Adjustment] = [*n.walk(policy.nodes), *n.all_adjustments(policy)]
    for item in items:
        if item.rule is not None:
            for expr in rule_exprs(item.rule):
                read |= reads(expr)
            if isinstance(item.rule, n.Formula):
                read |= reads(item.rule.low) | reads(item.rule.high)
        for clause in item.outcomes:
            read |= reads(clause.condition)
    for decl in policy.inputs:
        if decl.name not in read:
            sink.report("E350", decl.span, name=decl.name, hint=UNUSED_HINT)
    _counted_twice(policy, sink)
    _unclamped_bonuses(policy, sink)


def _counted_twice(policy: n.Policy, sink: DiagnosticSink) -> None:
    counted: dict[str, n.Adjustment] = {}
    for adjustment in n.all_adjustments(policy):
        rule = adjustment.rule
        if not isinstance(rule, n.PerItem) or not isinstance(rule.subject, n.InputRef):
            continue
        name = rule.subject.name
        if name in counted:
            first = counted[name]
            sink.report(
                "E341",
                adjustment.span,
                first=named(first),
                second=named(adjustment),
                name=name,
                secondary=[also(first.span, Said("first counted here", "đã tính ở đây"))],
            )
        counted.setdefault(name, adjustment)


def _unclamped_bonuses(policy: n.Policy, sink: DiagnosticSink) -> None:
    clamp = policy.clamp
    if clamp is not None and clamp.high is None:
        for adjustment in n.all_adjustments(policy):
            if adjustment.kind is n.AdjustmentKind.BONUS and adjustment.target.kind == "total":
                sink.report(
                    "E340",
                    adjustment.span,
                    what=named(adjustment),
                    hint=Said(
                        "add `total clamp 0 .. max`, or say `total clamp 0 ..` on purpose",
                        f"thêm `{in_vietnamese('total clamp 0 .. max')}`, hoặc ghi rõ "
                        f"`{in_vietnamese('total clamp 0 ..')}` nếu cố ý không giới hạn trên",
                    ),
                )
