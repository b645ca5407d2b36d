"""How fast `check` is on a large regulation: parse + build + check, and with compile too.

The shipped regulations have 50–80 scored criteria and check in milliseconds, which says nothing
about a province that models the full national list, or about the check's growth with size (its
interval and variant analyses could be quadratic). So this script generates (bench/gen.py), in
memory and deterministically, a valid regulation of N scored sub-criteria (fields × 10 criteria ×
10 sub-criteria) that uses every rule shape and checks clean; then times `check_source` and
`load_policy_text` on it (best of 5, after one warm-up that builds the Lark parser).

    /work/venv/bin/python bench/check_bench.py [--runs 5] [--profile] [--no-gc]

The last line printed is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import time
from collections.abc import Callable

from gen import CRITERIA_PER_FIELD, SUBS_PER_CRITERION, policy_text

from cchc_dsl.api import check_source, load_policy_text
from cchc_dsl.builder import build_document
from cchc_dsl.checks import run_checks
from cchc_dsl.diagnostics import DiagnosticSink, Severity
from cchc_dsl.parser import parse
from cchc_dsl.source import SourceFile


def best(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def check(text: str) -> None:
    policy, found = check_source(SourceFile.from_text(text, "bench.cchc"))
    problems = [d.one_line() for d in found if d.severity is not Severity.NOTE]
    assert policy is not None and not problems, problems[:10]


def stages(text: str, runs: int) -> dict[str, float]:
    """Best time of each stage of `check_source` alone: where the time of a check goes."""
    out: dict[str, float] = {}
    for _ in range(runs):
        source, sink = SourceFile.from_text(text, "bench.cchc"), DiagnosticSink()
        start = time.perf_counter()
        tree = parse(source, sink)
        parsed = time.perf_counter()
        assert tree is not None
        document = build_document(tree, source, sink)
        built = time.perf_counter()
        run_checks(document, sink)  # type: ignore[arg-type]
        checked = time.perf_counter()
        for stage, seconds in (
            ("parse", parsed - start),
            ("build", built - parsed),
            ("checks", checked - built),
        ):
            out[stage] = min(out.get(stage, seconds), seconds)
    return out


def profile(text: str) -> None:
    """Where the time of one check goes, by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    check(text)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one check of each")
    parser.add_argument(
        "--no-gc", action="store_true", help="time with the cyclic garbage collector off"
    )
    args = parser.parse_args()
    if args.no_gc:
        gc.disable()  # shows how much of the growth with size is the collector's (Lark's trees)

    check(policy_text(1))  # warm-up: the first parse builds the Lark parser
    figures: dict[str, object] = {}
    rows = []
    for fields in (10, 20):
        text = policy_text(fields)
        criteria = fields * CRITERIA_PER_FIELD * SUBS_PER_CRITERION
        check(text)  # proves it clean before it is timed
        check_s = best(lambda text=text: check(text), args.runs)  # type: ignore[misc]
        compile_s = best(lambda text=text: load_policy_text(text, "bench.cchc"), args.runs)  # type: ignore[misc]
        split = stages(text, args.runs)
        rows.append(
            (criteria, text.count("\n"), len(text.encode()) // 1024, split, check_s, compile_s)
        )
        figures[f"check_{criteria}_s"] = round(check_s, 4)
        figures[f"compile_{criteria}_s"] = round(compile_s, 4)
        figures.update({f"{k}_{criteria}_s": round(v, 4) for k, v in split.items()})
        if args.profile:
            print(f"--- profile of check, {criteria} criteria")
            profile(text)
    figures["criteria"] = [row[0] for row in rows]
    figures["gc"] = not args.no_gc
    collector = ", garbage collector off" if args.no_gc else ""
    print(f"best of {args.runs} runs{collector}, in seconds")
    print(
        "check = parse + build + checks (check_source); compile = check + a program per unit type"
    )
    print("(load_policy_text); parse, build, checks: each stage of check alone")
    print(
        f"{'criteria':>8} {'lines':>6} {'KiB':>4} {'parse':>7} {'build':>7} {'checks':>7}"
        f" {'check':>7} {'compile':>7}"
    )
    for criteria, lines, kib, split, check_s, compile_s in rows:
        print(
            f"{criteria:>8} {lines:>6} {kib:>4} {split['parse']:>7.3f} {split['build']:>7.3f}"
            f" {split['checks']:>7.3f} {check_s:>7.3f} {compile_s:>7.3f}"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
