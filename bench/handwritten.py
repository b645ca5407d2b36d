"""The generated 150-criterion regulation scored by hand: the yardstick for scoring speed.

What a programmer would write for that one regulation without cchc-dsl: plain Python, exact
`Decimal` arithmetic in the same 60-digit context, the facts taken as they come from a JSON facts
file, the index and band per unit and nothing else (no explanations, no error reports: the facts
are assumed valid). `bench/run.py` times it beside the interpreter and checks that both give the
same rounded index for every unit.

The regulation (bench/gen.py, 3 fields × 5 criteria × 10 sub-criteria) numbers its sub-criteria
0..149; sub-criterion i is worth MAXIMA[i % 4], halved for communes when i % 10 == 3, not scored
for communes when i % 10 == 7 nor for units tagged dac_thu when i % 10 == 5, and its rule is
shape i % 9 of `Generator.rule`.
"""

from __future__ import annotations

import datetime
import decimal
from decimal import Decimal
from typing import Any

CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)
MAXIMA = (Decimal(1), Decimal("1.5"), Decimal(2), Decimal("2.5"))
LEAVES = 150
DUE = datetime.date(2024, 1, 31)
ZERO, ONE, HALF, HUNDRED = Decimal(0), Decimal(1), Decimal("0.5"), Decimal(100)
NINETY, EIGHTY, NINETY_FIVE = Decimal("0.9"), Decimal("0.8"), Decimal("0.95")
CENT = Decimal("0.01")
BANDS = {
    "so": ((80, "Tốt"), (70, "Khá"), (50, "Trung bình"), (0, "Yếu")),
    "huyen": ((90, "Xuất sắc"), (80, "Tốt"), (65, "Khá"), (0, "Yếu")),
}
BANDS["xa"] = BANDS["huyen"]


def score(facts: dict[str, Any]) -> dict[str, tuple[Decimal, str]]:
    """Unit id → (index in % rounded half up to 2 places, band)."""
    with decimal.localcontext(CONTEXT):
        return {unit["unit"]: score_unit(unit) for unit in facts["units"]}


def score_unit(unit: dict[str, Any]) -> tuple[Decimal, str]:
    kind = unit["unit_type"]
    special = "dac_thu" in unit.get("tags", ())
    inputs = unit["inputs"]
    evidence = unit.get("evidence", {})
    points = maximum = ZERO
    for i in range(LEAVES):
        variant = i % 10
        if (variant == 7 and kind == "xa") or (variant == 5 and special):
            continue  # does not apply: out of the score and the max
        m = MAXIMA[i % 4]
        top = m / 2 if variant == 3 else m  # step points fit the smallest max
        if variant == 3 and kind == "xa":
            m = top
        got = leaf(i, m, top, inputs, special)
        if got is None:  # not applicable, excluded
            continue
        no_task = i % 9 == 2 and inputs[f"b{i}"] == 0  # full points, whatever the evidence
        if i % 13 == 0 and got > 0 and not no_task and not evidence.get(_leaf_id(i)):
            got = ZERO  # evidence required and not given
        points += got
        maximum += m
    if kind == "huyen" and inputs["thuong"]:
        points += ONE  # bonus B1
    points -= min(inputs.get("ky_luat", ZERO), 2)  # deduction D1, 1 each, at most 2
    points -= min(inputs.get("bao_chi", ZERO) * HALF, ONE)  # deduction D2, 0.5 each, at most 1
    points = min(max(points, ZERO), maximum)
    index = (points * HUNDRED / maximum).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
    band = next(name for low, name in BANDS[kind] if index >= low)
    return index, band


def leaf(i: int, m: Decimal, top: Decimal, inputs: dict[str, Any], special: bool) -> Decimal | None:
    """The points of sub-criterion i; None when it is not applicable and left out."""
    shape = i % 9
    if shape == 0:
        return m if inputs[f"y{i}"] or (i % 4 == 0 and special) else ZERO
    if shape == 1:
        return inputs[f"p{i}"] / HUNDRED * m
    if shape == 2:
        done, total = inputs[f"a{i}"], inputs[f"b{i}"]
        if total == 0:
            return m  # no task arose: full points
        rate = done / total
        return top if rate == 1 else top / 2 if rate >= NINETY else ZERO
    if shape == 3:
        day = inputs.get(f"d{i}")
        if day is None:
            return ZERO  # optional: not done
        late = (datetime.date.fromisoformat(day) - DUE).days
        return top if late <= 0 else top / 2 if late <= 15 else ZERO
    if shape == 4:
        return inputs[f"j{i}"]
    if shape == 5:
        return min(inputs.get(f"k{i}", ZERO) * HALF, m)
    if shape == 6:
        rate = inputs[f"s{i}"] / HUNDRED
        if i % 2:
            return rate * m
        return top if rate >= EIGHTY else top / 2
    if shape == 7:
        return inputs[f"c{i}"] / inputs[f"n{i}"] * m
    if not inputs[f"g{i}"]:
        return None  # no capital allocated: left out
    rate = inputs[f"r{i}"] / HUNDRED
    return top if rate >= NINETY_FIVE else top / 2 if rate >= EIGHTY else ZERO


def _leaf_id(i: int) -> str:
    field, rest = divmod(i, 50)
    criterion, sub = divmod(rest, 10)
    return f"{field + 1}.{criterion + 1}.{sub + 1}"
