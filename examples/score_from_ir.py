"""Score units from a compiled IR, as a province's portal would: no `.cchc` text at run time.

From the repository root:

    cchc-dsl compile policies/tayninh --year 2020 --to json -o tayninh-2020.json
    python examples/score_from_ir.py tayninh-2020.json policies/tayninh/units-2020.json

The policy is loaded once; each batch of units (a facts file, or records from a database) is then
scored against it (`policy.facts(records)` takes dicts shaped like a facts file's units instead).
Problems in the IR or in the units raise `CchcError` with every diagnostic.
"""

from __future__ import annotations

import sys

from cchc_dsl.api import ScoreReport, load_ir
from cchc_dsl.diagnostics import CchcError


def ranking_lines(report: ScoreReport) -> list[str]:
    """Block, rank, unit, index and band: what a dashboard shows."""
    return [
        f"{u.block} | {u.rank} | {u.unit} | {u.official.index_rounded} | {u.official.band or '-'}"
        for u in report.units
    ]


def main(ir_path: str, facts_path: str) -> int:
    try:
        policy = load_ir(ir_path)  # once, at start-up
        report = policy.score_file(facts_path)  # then for every batch
    except CchcError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic.one_line(), file=sys.stderr)
        return 1
    print("\n".join(ranking_lines(report)))
    # Every node of every unit carries its points, its max, its outcome and why.
    first = report.units[0]
    for node in first.official.leaves()[:3]:
        print(
            f"{first.unit} {node.id}: {node.points}/{node.max} {node.outcome.value}: {node.detail}"
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: python examples/score_from_ir.py IR.json FACTS", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
