"""How fast the generated scorer is, beside the interpreter, on the shipped policies.

For each shipped policy and year: the units of its facts file are repeated to about 1,000, then
scored and ranked by `CompiledPolicy.score` (facts already read) and by the generated module's
`score` (from the JSON document, so it also reads and checks the facts); best of 5 runs. The
generated module's time includes reading the facts; the interpreter's does not.

    /work/venv/bin/python bench/codegen_bench.py [--runs 5] [--units 1000]

The last line printed is one JSON object of the figures (microseconds per unit).
"""

from __future__ import annotations

import argparse
import copy
import json
import time
import types
from decimal import Decimal
from pathlib import Path

from check_bench import best  # run as a script: bench/ is on the path

from cchc_dsl import api, codegen

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [
    ("policies/example/mau.cchc", None, "policies/example/units.json"),
    ("policies/tayninh", 2020, "policies/tayninh/units-2020.json"),
    ("policies/hanoi", 2021, "policies/hanoi/units-2021.json"),
    ("policies/cantho", 2019, "policies/cantho/units-2019.json"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--units", type=int, default=1000)
    args = parser.parse_args()
    figures = {}
    for path, year, facts_path in SHIPPED:
        compiled = api.load(ROOT / path, year=year)
        start = time.perf_counter()
        source = codegen.generate_module(compiled)
        generate = time.perf_counter() - start
        module = types.ModuleType("scorer")
        exec(compile(source, "scorer.py", "exec"), module.__dict__)
        doc = json.loads((ROOT / facts_path).read_text(encoding="utf-8"), parse_float=Decimal)
        units = []
        while len(units) < args.units:
            for unit in doc["units"]:
                copied = copy.deepcopy(unit)
                copied["unit"] = f"{unit['unit']}#{len(units)}"
                units.append(copied)
        doc = {"year": doc.get("year"), "units": units}
        facts = compiled.facts(units, year=doc["year"])
        interpreter = best(lambda: compiled.score(facts), args.runs) / len(units)  # noqa: B023
        generated = best(lambda: module.score(doc), args.runs) / len(units)  # noqa: B023
        name = f"{Path(path).stem}-{year}" if year else Path(path).stem
        figures[name] = {
            "lines": source.count("\n"),
            "generate_ms": round(generate * 1000, 1),
            "interpreter_us_per_unit": round(interpreter * 1e6, 1),
            "generated_us_per_unit": round(generated * 1e6, 1),
            "speedup": round(interpreter / generated, 1),
        }
        print(name, figures[name])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
