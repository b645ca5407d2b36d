"""Large, valid, deterministic inputs for the benchmarks: regulations and units with their facts.

`generate(fields, criteria)` writes a regulation of fields × criteria × 10 scored sub-criteria
that uses every rule shape, three unit types and a tag, per-unit-type maxima, `only`/`except`,
outcome clauses, step tables, evidence, a bonus, a group of deductions, bands and a ranking, and
that checks clean. `units(generator, count, seed)` makes that many units with random valid facts
for it, written by `write_csv` and `write_json` as a user would give them.
"""

from __future__ import annotations

import csv
import datetime
import json
import random
from decimal import Decimal
from pathlib import Path

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
        self.kinds: dict[str, str] = {}  # input name → its type keyword
        self.evidence: list[str] = []  # the sub-criteria that require evidence
        self.index = 0

    def declare(self, line: str) -> None:
        self.inputs.append(f"  {line}")
        name, kind = line.split(":")[0], line.split()[1]
        self.kinds[name] = kind

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
            self.evidence.append(leaf_id)
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


def policy_text(fields: int, criteria: int = CRITERIA_PER_FIELD) -> str:
    """A clean regulation of `fields` × `criteria` × 10 scored sub-criteria."""
    return generate(fields, criteria)[0]


def generate(fields: int, criteria: int = CRITERIA_PER_FIELD) -> tuple[str, Generator]:
    """The regulation's text, and the generator that knows its inputs and evidence."""
    gen = Generator()
    tree: list[str] = []
    totals = dict.fromkeys(TYPES, Decimal(0))
    for f in range(1, fields + 1):
        body: list[str] = []
        sums = dict.fromkeys(TYPES, Decimal(0))
        for c in range(1, criteria + 1):
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
        "# Generated by bench/gen.py: a large, valid regulation for timing.",
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
    return "\n".join([*head, *tree, *tail]) + "\n", gen


YEAR = 2024
_DUE = datetime.date(YEAR, 1, 31)  # the deadline of every generated `deadline` rule
Unit = dict[str, object]  # shaped like one record of a JSON facts file's `units` list


def units(gen: Generator, count: int, seed: int = 7) -> list[Unit]:
    """`count` units with random valid facts: every required input given, optional ones mostly."""
    rng = random.Random(seed)
    out: list[Unit] = []
    for number in range(1, count + 1):
        unit_type = TYPES[number % len(TYPES)]
        inputs: dict[str, object] = {}
        for name, kind in gen.kinds.items():
            value = _value(rng, name, kind, inputs)
            if value is not None:
                inputs[name] = value
        evidence = {leaf: f"Biên bản {leaf}" for leaf in gen.evidence if rng.random() < 0.8}
        out.append(
            {
                "unit": f"U{number:06d}",
                "name": f"Đơn vị {number}",
                "unit_type": unit_type,
                "tags": ["dac_thu"] if number % 17 == 0 else [],
                "inputs": inputs,
                "evidence": evidence,
            }
        )
    return out


def _value(rng: random.Random, name: str, kind: str, given: dict[str, object]) -> object:
    """A value of the input's type that the regulation accepts; None: left out (optional)."""
    stem, number = (name[0], name[1:]) if name[1:].isdigit() else ("", "")
    if kind == "yes_no":
        return rng.random() < 0.7
    if kind in ("percent", "survey"):
        return Decimal(rng.randint(0, 1000)) / 10
    if kind == "date":
        if rng.random() < 0.1:
            return None  # optional: not done
        return _DUE + datetime.timedelta(days=rng.randint(-20, 30))
    if kind == "points":  # judged on a 0.25 scale; every max is at least 0.5
        return Decimal(rng.randint(0, 2)) / 4
    if stem == "a":  # a{i} / b{i}: b is declared after a, so decide both here
        total = rng.choice((0, *range(1, 60)))
        given[f"b{number}"] = Decimal(total)
        return Decimal(rng.randint(max(0, total - 5), total))
    if stem == "b":
        return given[name]
    if stem == "c":  # c{i} / n{i}, n in 1 .. 100000
        total = rng.randint(1, 1000)
        given[f"n{number}"] = Decimal(total)
        return Decimal(rng.randint(0, total))
    if stem == "n":
        return given[name]
    return Decimal(rng.choice((0, 0, 0, 1, 2)))  # per-item counts and deductions


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_csv(path: Path, gen: Generator, records: list[Unit]) -> None:
    """One row per unit: the fixed columns, one per input, one per evidence-required leaf."""
    names = list(gen.kinds)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["unit", "name", "unit_type", "tags", *names, *(f"evidence.{e}" for e in gen.evidence)]
        )
        for unit in records:
            inputs = unit["inputs"]
            evidence = unit["evidence"]
            assert isinstance(inputs, dict) and isinstance(evidence, dict)
            writer.writerow(
                [
                    unit["unit"],
                    unit["name"],
                    unit["unit_type"],
                    ";".join(unit["tags"]),  # type: ignore[arg-type]
                    *(_cell(inputs[n]) if n in inputs else "" for n in names),
                    *(evidence.get(e, "") for e in gen.evidence),
                ]
            )


def write_json(path: Path, records: list[Unit]) -> None:
    path.write_text(json.dumps({"year": YEAR, "units": records}, default=_json, ensure_ascii=False))


def _json(value: object) -> object:
    if isinstance(value, Decimal):
        return json.loads(str(value))  # a JSON number, as written
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
