"""How large the JSON IR is and how fast it loads, against reading the `.cchc` text.

An embedding system loads a policy once and scores many batches; this measures what loading from
the IR saves. For each shipped policy (and the 1,000-criteria regulation of check_bench.py) it
times, best of N runs: `load` from the text (parse, build, amend, check, compile), `to_ir`
(writing), `load_ir_text` (reading the IR back), and scoring the shipped units from each. The last
line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from check_bench import best, policy_text  # noqa: E402

from cchc_dsl.api import CompiledPolicy, load, load_ir_text, load_policy_text  # noqa: E402

SHIPPED = [
    ("example", ROOT / "policies/example/mau.cchc", None, ROOT / "policies/example/units.json"),
    ("tayninh 2020", ROOT / "policies/tayninh", 2020, ROOT / "policies/tayninh/units-2020.json"),
    ("hanoi 2021", ROOT / "policies/hanoi", 2021, ROOT / "policies/hanoi/units-2021.json"),
    ("cantho 2019", ROOT / "policies/cantho", 2019, ROOT / "policies/cantho/units-2019.json"),
]


def measure(
    name: str, from_text: Callable[[], CompiledPolicy], facts: Path | None, runs: int
) -> dict[str, object]:
    text_policy = from_text()
    ir = text_policy.to_ir()
    ir_policy = load_ir_text(ir)
    row: dict[str, object] = {
        "policy": name,
        "ir_kib": round(len(ir.encode("utf-8")) / 1024, 1),
        "load_text_s": best(from_text, runs),
        "to_ir_s": best(text_policy.to_ir, runs),
        "load_ir_s": best(lambda: load_ir_text(ir), runs),
    }
    if facts is not None:
        row["score_text_s"] = best(lambda: text_policy.score_file(facts), runs)
        row["score_ir_s"] = best(lambda: ir_policy.score_file(facts), runs)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    rows = [
        measure(name, lambda p=path, y=year: load(p, year=y), facts, runs)
        for name, path, year, facts in SHIPPED
    ]
    big = policy_text(10)
    rows.append(measure("generated 1,000 criteria", lambda: load_policy_text(big), None, runs))
    print("| policy | IR KiB | load .cchc | to_ir | load IR | score (text) | score (IR) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        cells = [
            f"{row[k]:.3f} s" if k in row else "—"
            for k in ("load_text_s", "to_ir_s", "load_ir_s", "score_text_s", "score_ir_s")
        ]
        print(f"| {row['policy']} | {row['ir_kib']} | " + " | ".join(cells) + " |")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
