"""Stage 3: semantic checks on a built `Policy`. Each family is a module; all report into one sink.

Later stages rely on what these prove: every name resolves, every leaf has one rule and a max for
each unit type it applies to, and every expression is well typed.
"""

from __future__ import annotations

from cchc_dsl.checks import bands, references, rules, structure, totals, types, usage
from cchc_dsl.diagnostics import DiagnosticSink
from cchc_dsl.nodes import Policy

FAMILIES = (
    structure.check,
    references.check,
    types.check,
    totals.check,
    rules.check,
    bands.check,
    usage.check,
)


def run_checks(policy: Policy, sink: DiagnosticSink) -> None:
    for family in FAMILIES:
        family(policy, sink)
