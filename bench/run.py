"""How fast cchc-dsl reads regulations, reads facts and scores units, against its targets.

    python bench/run.py [--quick] [--runs 3] [--units 10000,100000] [--keep DIR]

Generates (bench/gen.py) regulations of 150 and 2,000 scored criteria and units with random
valid facts as CSV and JSON, then measures: parse + check + compile per regulation size; the
interpreter's scoring throughput (units/s, leaf evaluations/s); `cchc-dsl score` end to end
from CSV (and JSON), wall time and peak memory of the child process; the start-up of
`cchc-dsl --help` and of `check` on a small policy; a hand-written scorer of the 150-criterion
regulation (bench/handwritten.py) and the generated module (`compile --to python`): its
throughput and its ratio to the hand-written one. In-process figures are the
least CPU time of `--runs`; commands run in a child process report wall and CPU time and peak
memory. `--quick` shrinks every size so that a test can run it in seconds.

The last line printed is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import gen
import handwritten

from cchc_dsl import codegen
from cchc_dsl.api import CompiledPolicy, load_policy_text

SMALL_POLICY = Path(__file__).resolve().parent.parent / "policies" / "example" / "mau.cchc"
# (fields, criteria per field): × 10 sub-criteria each
SHAPES = {150: (3, 5), 2000: (20, 10)}
QUICK_SHAPES = {150: (3, 5), 300: (3, 10)}
# Measures the command in a child of its own, so that RUSAGE_CHILDREN is that command's alone.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
why = done.stderr.decode()[-2000:].replace(chr(10), " ")
print(done.returncode, wall, cpu, usage.ru_maxrss, why)
"""


def best(run: Callable[[], object], runs: int) -> tuple[float, object]:
    """The least CPU time of `runs` calls, and what the last call gave.

    CPU time, not wall time: on a shared machine the wall time includes waiting for a core.
    """
    times, out = [], None
    for _ in range(runs):
        start = time.process_time()
        out = run()
        times.append(time.process_time() - start)
    return min(times), out


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cchc_dsl", *args]


def measure(command: list[str]) -> dict[str, float]:
    """Wall and CPU seconds and peak resident MiB of one run of `command`, which must succeed.

    On a shared machine the wall time includes waiting for a core; the CPU time does not.
    """
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    ).stdout.split(maxsplit=4)
    code, wall, cpu, peak = int(out[0]), float(out[1]), float(out[2]), int(out[3])
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}): {out[4] if len(out) > 4 else ''}")
    # ru_maxrss is in KiB on Linux
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "peak_mib": round(peak / 1024)}


def fastest(command: list[str], runs: int) -> dict[str, float]:
    """The run of `command` with the least CPU time."""
    return min((measure(command) for _ in range(runs)), key=lambda m: m["cpu_s"])


def compile_figures(shapes: dict[int, tuple[int, int]], runs: int) -> dict[str, float]:
    load_policy_text(gen.policy_text(1, 1), "warm-up.cchc")  # builds the Lark parser once
    out = {}
    for criteria, (fields, per_field) in shapes.items():
        text = gen.policy_text(fields, per_field)
        seconds, _ = best(lambda text=text: load_policy_text(text, "bench.cchc"), runs)  # type: ignore[misc]
        out[str(criteria)] = round(seconds, 4)
    return out


def interpreter_figures(compiled: CompiledPolicy, csv_path: Path, runs: int) -> dict[str, Any]:
    facts_s, facts = best(lambda: compiled.read_facts(csv_path), runs)
    score_s, report = best(lambda: compiled.score(facts), runs)  # type: ignore[arg-type]
    units = report.units  # type: ignore[attr-defined]
    leaves = sum(
        len(e.leaves()) for u in units for e in (u.official, u.self_assessed) if e is not None
    )
    return {
        "units": len(units),
        "leaves_per_unit": round(leaves / len(units), 1),
        "read_csv_s": round(facts_s, 4),
        "score_s": round(score_s, 4),
        "units_per_s": round(len(units) / score_s),
        "leaf_evaluations_per_s": round(leaves / score_s),
        "indices": {u.unit: (u.official.index_rounded, u.official.band) for u in units},
    }


def generated_module(compiled: CompiledPolicy) -> types.ModuleType:
    """The module `cchc-dsl compile --to python` writes for the policy, imported."""
    module = types.ModuleType("cchc_generated")
    source = codegen.generate_module(compiled)
    exec(compile(source, "<cchc_generated>", "exec"), module.__dict__)
    return module


def scorer_figures(
    compiled: CompiledPolicy, json_path: Path, runs: int, expected: dict[str, Any]
) -> dict[str, Any]:
    """The hand-written scorer and the generated module on the same JSON-shaped facts."""
    facts = json.loads(
        json_path.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal
    )
    count = len(facts["units"])
    hand_s, hand = best(lambda: handwritten.score(facts), runs)
    assert isinstance(hand, dict)
    disagree = sorted(u for u, got in hand.items() if got != expected.get(u))
    out: dict[str, Any] = {
        "handwritten_units_per_s": round(count / hand_s),
        "handwritten_disagrees_with_interpreter": disagree[:10],
    }
    module = generated_module(compiled)
    generated_s, _ = best(lambda: module.score(facts), runs)
    out["codegen_units_per_s"] = round(count / generated_s)
    out["ratio_vs_handwritten"] = round(generated_s / hand_s, 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--runs", type=int, default=3, help="in-process figures: best of N")
    parser.add_argument("--units", default=None, help="unit counts, e.g. 10000,100000")
    parser.add_argument("--keep", type=Path, default=None, help="write the inputs here")
    args = parser.parse_args()
    shapes = QUICK_SHAPES if args.quick else SHAPES
    counts = [int(n) for n in (args.units or ("200" if args.quick else "10000,100000")).split(",")]
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        figures = run(folder, shapes, counts, runs)
    print(json.dumps(figures))


def run(
    folder: Path, shapes: dict[int, tuple[int, int]], counts: list[int], runs: int
) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "machine": {"nproc": os.cpu_count(), "python": sys.version.split()[0]},
        "compile_s": compile_figures(shapes, runs),
    }
    text, generator = gen.generate(*shapes[150])
    policy = folder / "bench-150.cchc"
    policy.write_text(text, encoding="utf-8")
    compiled = load_policy_text(text, str(policy))
    records = gen.units(generator, max(counts))
    for count in counts:
        csv_path, json_path = folder / f"units-{count}.csv", folder / f"units-{count}.json"
        gen.write_csv(csv_path, generator, records[:count])
        gen.write_json(json_path, records[:count])
        print(f"{count} units: {csv_path.stat().st_size // 1024} KiB CSV", file=sys.stderr)
        for form, path in (("csv", csv_path), ("json", json_path)):
            figures[f"e2e_score_{count}_{form}"] = measure(cli("score", str(policy), str(path)))
    first = counts[0]
    interpreter = interpreter_figures(compiled, folder / f"units-{first}.csv", runs)
    expected = interpreter.pop("indices")
    figures[f"interpreter_{first}"] = interpreter
    gc.collect()
    figures[f"scorers_{first}"] = scorer_figures(
        compiled, folder / f"units-{first}.json", runs, expected
    )
    figures["startup_help"] = fastest(cli("--help"), max(runs, 3))
    figures["startup_check"] = fastest(cli("check", str(SMALL_POLICY)), max(runs, 3))
    return figures


if __name__ == "__main__":
    main()
