"""How fast `check` is on a large regulation: parse + build + check, and with compile too.

The shipped regulations have 50–80 scored criteria and check in milliseconds, which says nothing
about a province that models the full national list, or about the check's growth with size (its
interval and variant analyses could be quadratic). So this script generates, in memory and
deterministically, a valid regulation of N scored sub-criteria (fields × 10 criteria × 10
sub-criteria) that uses every rule shape, three unit types and a tag, per-unit-type maxima,
`only`/`except`, outcome clauses, step tables, a bonus, a group of deductions, bands and a
ranking, and that checks clean; then times `check_source` and `load_policy_text` on it (best of
5, after one warm-up that builds the Lark parser).

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
from decimal import Decimal

from cchc_dsl.api import check_source, load_policy_text
from cchc_dsl.builder import build_document
from cchc_dsl.checks import run_checks
from cchc_dsl.diagnostics import DiagnosticSink, Severity
from cchc_dsl.parser import parse
from cchc_dsl.source import SourceFile

TYPES = ("so", "huyen", "xa")
CRITERIA_PER_FIELD = 10
SUBS_PER_CRITERION = 10
MAXIMA = (Decimal(1), Decimal("1.5"), Decimal(2), Decimal("2.5"))


def fmt(x: Decimal) -> str:
    return format(x.normalize(), "f")


class Generator:
    """Builds the text leaf by leaf, keeping the inputs it declares and each unit type's sums."""

    def __init__(self) -> None:
        self.inputs: list[str] = []
        self.index = 0

    def declare(self, line: str) -> None:
        self.inputs.append(f"  {line}")

    def leaf(self, leaf_id: str) -> tuple[list[str], dict[str, Decimal]]:
        """One sub-criterion: its lines, and the max it gives each unit type (0: not scored)."""
        i = self.index
        self.index += 1
        m = MAXIMA[i % len(MAXIMA)]
        variant = i % 10
        if variant == 3:  # a smaller max for communes
            header = f"max {fmt(m)} for so, huyen, {fmt(m / 2)} for xa"
            given = {"so": m, "huyen": m, "xa": m / 2}
        elif variant == 7:
            header = f"max {fmt(m)} only so, huyen"
            given = {"so": m, "huyen": m, "xa": Decimal(0)}
        elif variant == 5:
            header = f"max {fmt(m)} except dac_thu"
            given = dict.fromkeys(TYPES, m)
        else:
            header = f"max {fmt(m)}"
            given = dict.fromkeys(TYPES, m)
        top = min(v for v in given.values() if v)  # step points must fit every unit type's max
        half = fmt(top / 2)
        body = self.rule(i, fmt(top), half)
        lines = [f'      sub_criterion {leaf_id} "Tiêu chí thành phần {leaf_id}" {header} {{']
        lines += [f"        {line}" for line in body]
        if i % 13 == 0:
            lines.append("        evidence_required")
        lines.append("      }")
        return lines, given

    def rule(self, i: int, top: str, half: str) -> list[str]:
        shape = i % 9
        if shape == 0:
            self.declare(f'y{i}: yes_no "Có thực hiện {i}"')
            return [f"yes_no y{i}" + (" or tag dac_thu" if i % 4 == 0 else "")]
        if shape == 1:
            self.declare(f'p{i}: percent "Tỷ lệ {i}"')
            return [f"proportional p{i}"]
        if shape == 2:
            self.declare(f'a{i}: count "Số đạt {i}"')
            self.declare(f'b{i}: count "Tổng số {i}"')
            return [
                f"steps a{i} / b{i} {{ = 100%: {top}; from 90% below 100%: {half}; otherwise: 0 }}",
                f"when b{i} = 0: not_applicable full",
            ]
        if shape == 3:
            self.declare(f'd{i}: date "Ngày hoàn thành {i}" optional')
            return [
                f"deadline d{i} {{ by 31/01/2024: {top}; late at_most 15 days: {half}; "
                "otherwise: 0 }"
            ]
        if shape == 4:
            self.declare(f'j{i}: points "Điểm Hội đồng chấm {i}"')
            return [f"judged j{i} step 0.25"]
        if shape == 5:
            self.declare(f'k{i}: count "Số sáng kiến {i}" default 0')
            return [f"per_item k{i}: 0.5"]
        if shape == 6:
            self.declare(f's{i}: survey "Khảo sát {i}"')
            if i % 2:
                return [f"survey s{i}"]
            return [f"survey s{i} {{ from 80% or_more: {top}; below 80%: {half} }}"]
        if shape == 7:
            self.declare(f'c{i}: count "Số văn bản điện tử {i}"')
            self.declare(f'n{i}: count "Tổng số văn bản {i}" in 1 .. 100000')
            return [f"formula c{i} / n{i} * max clamp 0 .. max"]
        self.declare(f'r{i}: percent "Tỷ lệ giải ngân {i}"')
        self.declare(f'g{i}: yes_no "Được giao vốn {i}"')
        return [
            f"steps r{i} {{ from 95%: {top}; from 80% below 95%: {half}; otherwise: 0 }}",
            f"when not g{i}: not_applicable excluded",
        ]


def policy_text(fields: int) -> str:
    """A clean regulation of `fields` × 10 × 10 scored sub-criteria."""
    gen = Generator()
    tree: list[str] = []
    totals = dict.fromkeys(TYPES, Decimal(0))
    for f in range(1, fields + 1):
        body: list[str] = []
        sums = dict.fromkeys(TYPES, Decimal(0))
        for c in range(1, CRITERIA_PER_FIELD + 1):
            body.append(f'    criterion {f}.{c} "Tiêu chí {f}.{c}" cite "Phụ lục, mục {f}.{c}" {{')
            for s in range(1, SUBS_PER_CRITERION + 1):
                lines, given = gen.leaf(f"{f}.{c}.{s}")
                body += lines
                for t in TYPES:
                    sums[t] += given[t]
            body.append("    }")
        field_max = ", ".join(f"{fmt(sums[t])} for {t}" for t in TYPES)
        tree.append(f'field {f} "Lĩnh vực {f}" max {field_max} {{')
        tree += body
        tree.append("}")
        for t in TYPES:
            totals[t] += sums[t]
    total_max = ", ".join(f"{fmt(totals[t])} for {t}" for t in TYPES)
    gen.declare('thuong: yes_no "Đạt giải thưởng CCHC cấp quốc gia"')
    gen.declare('ky_luat: count "Số lãnh đạo bị kỷ luật" default 0')
    gen.declare('bao_chi: count "Số phản ánh báo chí đúng sự thật" default 0')
    head = [
        "# Generated by bench/check_bench.py: a large, valid regulation for timing `check`.",
        'regulation "Bộ chỉ số CCHC lớn (sinh tự động để đo tốc độ)"',
        'decision "1/QĐ-BENCH"',
        "issued 2024-01-15",
        'issuer "UBND tỉnh Mẫu"',
        'based_on "876/QĐ-BNV"',
        "effective 2024-01-15",
        "rounding half_up 2",
        f"total max {total_max}",
        "unit_types {",
        '  so "Sở, ban, ngành"',
        '  huyen "UBND cấp huyện"',
        '  xa "UBND cấp xã"',
        '  tag dac_thu "Cơ quan đặc thù"',
        "}",
        "inputs {",
        *gen.inputs,
        "}",
    ]
    tail = [
        "survey { if_missing rescale }",
        'bonus B1 "Giải thưởng CCHC" max 1 only huyen applies_to total { yes_no thuong }',
        'group "Điểm trừ" max 3 {',
        '  deduction D1 "Kỷ luật" max 2 { per_item ky_luat: 1 }',
        '  deduction D2 "Báo chí" max 1 { per_item bao_chi: 0.5 }',
        "}",
        "total clamp 0 .. max",
        'bands for so { "Tốt" from 80%; "Khá" from 70% below 80%; "Trung bình" from 50% below 70%;'
        ' "Yếu" below 50% }',
        'bands for huyen, xa { "Xuất sắc" from 90%; "Tốt" from 80% below 90%;'
        ' "Khá" from 65% below 80%; "Yếu" below 65% }',
        'ranking { block "Sở" so; block "Huyện" huyen; block "Xã" xa; ties shared }',
    ]
    return "\n".join([*head, *tree, *tail]) + "\n"


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
