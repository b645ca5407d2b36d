"""How fast `whatif` plans on a large regulation, where the fewest-points search could explode.

The shipped regulations have 50–80 criteria and a plan of a few changes; a province may model
150, and a unit far below the band it aims at needs dozens of changes. So this script generates,
deterministically, a regulation of N criteria (yes/no, a four-step table over a rate, judged
points in steps of 0.25, proportional) and ten units with random values, then times the plan of
the first unit to the middle band, the top band and rank 1, and says whether the fewest points
were proven (the search stayed within its budget).

    python bench/whatif_bench.py [--criteria 150] [--seed 1]

The last line printed is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from decimal import Decimal

from cchc_dsl.api import CompiledPolicy, load_policy_text
from cchc_dsl.whatif import Target, what_if


def policy_text(criteria: int, rng: random.Random) -> str:
    inputs, nodes, maxima = [], [], []
    for i in range(criteria):
        name, kind = f"x{i}", i % 4
        if kind == 0:
            top = Decimal(rng.randint(1, 4)) / 2
            inputs.append(f'  {name}: có_không "X{i}"')
            rule = f"có/không {name}"
        elif kind == 1:
            top = Decimal(rng.randint(2, 6)) / 2
            inputs.append(f'  {name}: tỷ_lệ "X{i}"')
            rule = (
                f"theo mức {name} {{ = 100%: {top}; từ 90% đến dưới 100%: {top * 3 / 4};"
                f" từ 80% đến dưới 90%: {top / 2}; còn lại: 0 }}"
            )
        elif kind == 2:
            top = Decimal(rng.randint(1, 3))
            inputs.append(f'  {name}: điểm "X{i}"')
            rule = f"chấm điểm {name} bước 0.25"
        else:
            top = Decimal(rng.randint(1, 4)) / 2
            inputs.append(f'  {name}: tỷ_lệ "X{i}"')
            rule = f"theo tỷ lệ {name}"
        nodes.append(f'  tiêu chí 1.{i + 1} "Tiêu chí {i}" tối đa {top} {{ {rule} }}')
        maxima.append(top)
    body = "\n".join(nodes)
    return (
        'quy định "Bộ tiêu chí lớn"\nlàm tròn nửa_lên 2\nloại đơn vị { so "Sở" }\n'
        "đầu vào {\n" + "\n".join(inputs) + "\n}\n"
        f'lĩnh vực 1 "Tất cả" tối đa {sum(maxima)} {{\n{body}\n}}\n'
        'xếp loại { "Xuất sắc" từ 95%; "Tốt" từ 80% đến dưới 95%; "Khá" dưới 80% }\n'
    )


def unit(unit_id: str, criteria: int, rng: random.Random) -> dict[str, object]:
    values: dict[str, object] = {}
    for i in range(criteria):
        kind = i % 4
        if kind == 0:
            values[f"x{i}"] = rng.random() < 0.6
        elif kind == 2:
            values[f"x{i}"] = str(Decimal(rng.randint(0, 4)) / 4)
        else:
            values[f"x{i}"] = f"{rng.randint(60 if kind == 1 else 40, 100)}%"
    return {"unit": unit_id, "name": unit_id, "unit_type": "so", "inputs": values}


def timed(compiled: CompiledPolicy, facts: object, target: Target) -> dict[str, object]:
    start = time.perf_counter()
    answer = what_if(compiled, facts, "u0", target)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    plan = answer.plan
    assert plan is not None
    return {
        "target": target.describe(),
        "seconds": round(seconds, 3),
        "changes": len(plan.changes),
        "points": str(plan.gain),
        "index": str(plan.after.index),
        "proven": plan.proven,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--criteria", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    compiled = load_policy_text(policy_text(args.criteria, rng), "bench.cchc")
    facts = compiled.facts([unit(f"u{i}", args.criteria, rng) for i in range(10)])
    figures = [timed(compiled, facts, t) for t in (Target(band="Tốt"), Target(band="Xuất sắc"))]
    figures.append(timed(compiled, facts, Target(rank=1)))
    for row in figures:
        print(row)
    print(json.dumps({"criteria": args.criteria, "seed": args.seed, "plans": figures}))


if __name__ == "__main__":
    main()
