"""Scoring as a drafter or an official checks it: every expected figure is worked out by hand.

Each test writes a small regulation inline, scores one or a few units, and compares the result with
arithmetic done from the regulation text (shown in a comment next to the expected value). Nothing
here is copied from the engine's output.

The shipped example (policies/example/mau.cchc × units.json), by hand. Max of the whole tree:
fields 12 + 8 + 25 + 15 + 10 + 10 + 20 = 100. Rules: 1.1 deadline 31/01 → 4, ≤ 15 days late → 2,
evidence required; 1.2 (3) yes when 4 reports; 1.3 judged (5); 2.1 yes_no (8) except dac_thu;
3.1 steps on the ratio (= 100 % → 15, 95–<100 → 10, 90–<95 → 5), N/A full when nothing received;
3.2 proportional × 10; 4.1 yes_no (7); 4.2 2 per initiative, max 8; 5.1 ≥ 10 % → 10, 5–<10 → 5;
6.1 formula electronic / sent × 10, excluded when nothing sent; 7.1 survey × 20 (missing:
rescale, no weight); D1 −1 per disciplined leader, max 2. Bands Tốt ≥ 80, Khá 70–<80,
Trung bình 60–<70, Kém < 60; ties shared; one block (all are «so»).

  so_tp  Sở Tư pháp:  1.1 20/01 on time, evidence → 4; 1.2 → 3; 1.3 appraised 4.5 (self 5);
         2.1 → 8; 3.1 980/1000 = 98 % → 10; 3.2 85 % × 10 = 8.5; 4.1 → 7; 4.2 3 × 2 = 6;
         5.1 12 % → 10; 6.1 450/500 × 10 = 9; 7.1 90 % × 20 = 18; D1 0.
         4+3+4.5+8+10+8.5+7+6+10+9+18 = 88 → 88 / 100 = 88.00 %, Tốt.
  so_nv  Sở Nội vụ:  1.1 10/02 = 10 days late → 2 (evidence given); 1.2 3 reports → 0; 1.3 → 4;
         2.1 → 8; 3.1 nothing received → N/A full 15; 3.2 60 % × 10 = 6; 4.1 → 7;
         4.2 5 × 2 = 10 capped at 8; 5.1 7 % → 5; 6.1 nothing sent → excluded (−10 from the max);
         7.1 survey missing → rescale: excluded (−20 from the max); D1 1 × 1 = −1.
         2+0+4+8+15+6+7+8+5 = 55 / 70; 55 − 1 = 54 / 70 × 100 = 77.142857… → 77.14 %, Khá.
  so_tc  Sở Tài chính:  1.1 no date, optional → not_done 0; 1.2 → 3; 1.3 → 3.75; 2.1 không → 0;
         3.1 900/1000 = 90 % → 5; 3.2 40 % × 10 = 4; 4.1 → 0; 4.2 → 0; 5.1 4 % → 0;
         6.1 300/600 × 10 = 5; 7.1 70 % × 20 = 14; D1 3 × 1 = 3 capped at 2 → −2.
         0+3+3.75+0+5+4+0+0+0+5+14 = 34.75; 34.75 − 2 = 32.75 / 100 = 32.75 %, Kém.
  thanh_tra  Thanh tra tỉnh (tag dac_thu):  2.1 does not apply (max 100 − 8 = 92);
         1.1 31/01 on the due date → 4 but no evidence → no_evidence 0; 1.2 → 3; 1.3 → 5;
         3.1 500/500 = 100 % → 15; 3.2 100 % × 10 = 10; 4.1 → 7; 4.2 4 × 2 = 8; 5.1 10 % → 10;
         6.1 500/500 × 10 = 10; 7.1 95 % × 20 = 19; D1 ky_luat defaults to 0 → 0.
         0+3+5+15+10+7+8+10+10+19 = 87 / 92 × 100 = 94.565217… → 94.57 %, Tốt.
  so_xd  Sở Xây dựng:  1.1 → 4; 1.2 → 3; 1.3 → 4.5; 2.1 → 8; 3.1 990/1000 = 99 % → 10;
         3.2 95 % × 10 = 9.5; 4.1 → 7; 4.2 2 × 2 = 4; 5.1 15 % → 10; 6.1 450/500 × 10 = 9;
         7.1 95 % × 20 = 19; D1 0.  4+3+4.5+8+10+9.5+7+4+10+9+19 = 88 / 100 = 88.00 %, Tốt.
  Ranks (shared): thanh_tra 94.57 → 1; so_tp and so_xd 88.00 → 2, 2; so_nv 77.14 → 4;
  so_tc 32.75 → 5.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cchc_dsl.api import CompiledPolicy, ScoreReport, load_policy, load_policy_text
from cchc_dsl.diagnostics import CchcError
from cchc_dsl.nodes import NotApplicableEffect, Outcome
from cchc_dsl.results import Evaluation, UnitResult

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "policies" / "example"

UNIT_TYPES = """
  so "Sở, ban, ngành"
  huyen "UBND cấp huyện"
  tag dac_thu "Cơ quan có chỉ tiêu giao riêng"
"""

D = Decimal


def policy(
    inputs: str, body: str, *, rounding: str = "half_up 2", unit_types: str = UNIT_TYPES
) -> CompiledPolicy:
    """A regulation: the required header around a few criteria."""
    text = (
        'regulation "Quy định kiểm thử"\n'
        f"rounding {rounding}\n"
        f"unit_types {{{unit_types}}}\n"
        f"inputs {{\n{inputs}\n}}\n"
        f"{body}\n"
    )
    return load_policy_text(text, "test.cchc")


def unit(
    uid: str = "u1",
    inputs: Mapping[str, object] | None = None,
    *,
    unit_type: str = "so",
    tags: tuple[str, ...] = (),
    evidence: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """A unit record shaped like one entry of a JSON facts file."""
    record: dict[str, object] = {
        "unit": uid,
        "name": f"Đơn vị {uid}",
        "unit_type": unit_type,
        "inputs": dict(inputs or {}),
    }
    if tags:
        record["tags"] = list(tags)
    if evidence:
        record["evidence"] = dict(evidence)
    return record


def score(compiled: CompiledPolicy, *records: Mapping[str, object]) -> ScoreReport:
    return compiled.score(compiled.facts(records))


def score_one(compiled: CompiledPolicy, inputs: Mapping[str, object], **kw: Any) -> UnitResult:
    return score(compiled, unit("u1", inputs, **kw)).unit("u1")


def error_codes(compiled: CompiledPolicy, *records: Mapping[str, object]) -> list[str]:
    with pytest.raises(CchcError) as info:
        score(compiled, *records)
    return [d.code for d in info.value.errors]


def errors_of(compiled: CompiledPolicy, *records: Mapping[str, object]) -> list[tuple[str, str]]:
    with pytest.raises(CchcError) as info:
        score(compiled, *records)
    return [(d.code, d.message) for d in info.value.errors]


def left_out(evaluation: Evaluation, node_id: str) -> bool:
    """Whether a node does not count for a unit: listed as not applying to it, 0 of 0, or not
    listed at all because a field above it does not apply."""
    try:
        node = evaluation.node(node_id)
    except KeyError:
        return True
    return node.outcome is Outcome.DOES_NOT_APPLY and node.max == 0 and node.points == 0


# ---- 1. every rule shape, with its explanation ------------------------------------------------

YES_NO = policy(
    "a: yes_no\n b: yes_no",
    'field 1 "Chỉ đạo" { criterion 1.1 "Có kế hoạch và báo cáo" max 2 { yes_no a and b } }',
)


@pytest.mark.parametrize(
    ("a", "b", "points"),
    [
        ("có", "có", D(2)),  # both hold → full 2
        ("có", "không", D(0)),  # the conjunction fails on b → 0
        (True, False, D(0)),
        ("không", "có", D(0)),  # fails on a → 0
        ("không", "không", D(0)),
    ],
)
def test_yes_no_with_a_conjunction(a: object, b: object, points: Decimal) -> None:
    node = score_one(YES_NO, {"a": a, "b": b}).official.node("1.1")
    assert node.points == points
    assert node.max == D(2)
    assert node.outcome is Outcome.SCORED
    assert "yes_no" in node.rule and "a and b" in node.rule  # the rule as written
    assert node.detail  # and how it decided
    assert dict(node.inputs)["a"] is (a in ("có", True))  # the values it read


PROPORTIONAL = policy(
    "p: percent",
    'field 1 "TTHC" { criterion 1.1 "Tỷ lệ trực tuyến" max 2 { proportional p } }',
)


@pytest.mark.parametrize("given", ["85%", 85, "85", D(85)])
def test_proportional_is_rate_times_max(given: object) -> None:
    node = score_one(PROPORTIONAL, {"p": given}).official.node("1.1")
    assert node.points == D("1.7")  # 85 % × 2 = 1.7
    assert dict(node.inputs)["p"] == D("0.85")  # percent inputs are stored as fractions
    assert "85%" in node.detail and "2" in node.detail
    assert "proportional" in node.rule


def test_proportional_full_and_zero_rates() -> None:
    assert score_one(PROPORTIONAL, {"p": 100}).official.node("1.1").points == D(2)  # 100 % × 2
    assert score_one(PROPORTIONAL, {"p": 0}).official.node("1.1").points == D(0)  # 0 % × 2


STEPS = policy(
    "n: count\n d: count",
    """
    field 3 "TTHC" {
      criterion 3.1 "Hồ sơ đúng hạn" max 4 {
        steps n / d {
          from 90% below 100%: 3   # 90 % is in, 100 % is out (written first on purpose)
          = 100%: 4
          above 50% to 80%: 2      # 50 % is out, 80 % is in
          otherwise: 1
        }
      }
    }
    """,
)


@pytest.mark.parametrize(
    ("n", "d", "points"),
    [
        (90, 100, D(3)),  # exactly on «from 90%»: in → 3
        (899, 1000, D(1)),  # 89.9 %: below 90 and above 80 → otherwise 1
        (100, 100, D(4)),  # exactly on «below 100%»: out of the first step → «= 100%» → 4
        (999, 1000, D(3)),  # 99.9 % → 3
        (80, 100, D(2)),  # exactly on «to 80%»: in → 2
        (50, 100, D(1)),  # exactly on «above 50%»: out → otherwise 1
        (501, 1000, D(2)),  # 50.1 %: just above 50 → 2
        (0, 100, D(1)),  # 0 % → otherwise 1
    ],
)
def test_steps_bounds_say_their_inclusivity(n: int, d: int, points: Decimal) -> None:
    node = score_one(STEPS, {"n": n, "d": d}).official.node("3.1")
    assert node.points == points
    assert node.rule.startswith("steps")


def test_steps_explanation_names_the_step_taken() -> None:
    node = score_one(STEPS, {"n": 90, "d": 100}).official.node("3.1")
    assert "90%" in node.detail  # 90 / 100 shown as a rate, with the step «from 90% below 100%»
    assert "below 100%" in node.detail
    assert dict(node.inputs) == {"n": D(90), "d": D(100)}


DEADLINE = policy(
    "ngay: date",
    """
    field 1 "Chỉ đạo" {
      criterion 1.1 "Ban hành kế hoạch" max 3 {
        deadline ngay { by 2024-01-31: 3; late at_most 10 days: 1; otherwise: 0 }
      }
    }
    """,
)


@pytest.mark.parametrize(
    ("given", "points"),
    [
        ("2024-01-05", D(3)),  # before the due date → 3
        ("2024-01-31", D(3)),  # on the due date → full 3
        ("31/01/2024", D(3)),  # the same day, Vietnamese order
        ("2024-02-01", D(1)),  # 1 day late, within «at_most 10 days» → 1
        ("2024-02-10", D(1)),  # 10 days late: at most 10 → 1
        ("2024-02-11", D(0)),  # 11 days late → otherwise 0
        ("2024-12-31", D(0)),  # months late → otherwise 0
    ],
)
def test_deadline(given: str, points: Decimal) -> None:
    node = score_one(DEADLINE, {"ngay": given}).official.node("1.1")
    assert node.points == points
    assert "deadline" in node.rule and "2024-01-31" in node.rule


def test_deadline_explains_the_delay() -> None:
    node = score_one(DEADLINE, {"ngay": "2024-02-01"}).official.node("1.1")
    assert "late" in node.detail and "1" in node.detail
    assert dict(node.inputs) == {"ngay": datetime.date(2024, 2, 1)}


def test_deadline_with_several_late_steps() -> None:
    compiled = policy(
        "ngay: date",
        """
        field 1 "Chỉ đạo" {
          criterion 1.1 "Kế hoạch" max 3 {
            deadline ngay { by 2024-01-31: 3; late at_most 5 days: 2; late at_most 15 days: 1 }
          }
        }
        """,
    )
    for given, points in [
        ("2024-02-03", D(2)),  # 3 days late ≤ 5 → 2
        ("2024-02-05", D(2)),  # 5 days late ≤ 5 → 2
        ("2024-02-06", D(1)),  # 6 days late ≤ 15 → 1
        ("2024-02-15", D(1)),  # 15 days late ≤ 15 → 1
    ]:
        assert score_one(compiled, {"ngay": given}).official.node("1.1").points == points, given
    # 16 days late: no late step and no «otherwise» → E507
    assert error_codes(compiled, unit("u1", {"ngay": "2024-02-16"})) == ["E507"]


def test_steps_on_dates() -> None:
    compiled = policy(
        "ngay: date",
        """
        field 1 "Chỉ đạo" {
          criterion 1.1 "Báo cáo" max 3 {
            steps ngay { to 2024-01-31: 3; from 2024-02-01 below 2024-02-15: 1; otherwise: 0 }
          }
        }
        """,
    )
    for given, points in [
        ("2024-01-31", D(3)),  # on «to 2024-01-31»: in
        ("2024-02-01", D(1)),  # on «from 2024-02-01»: in
        ("2024-02-14", D(1)),
        ("2024-02-15", D(0)),  # on «below 2024-02-15»: out → otherwise 0
    ]:
        assert score_one(compiled, {"ngay": given}).official.node("1.1").points == points, given


JUDGED = policy(
    "j: points",
    'field 1 "Tuyên truyền" { criterion 1.3 "Chấm điểm" max 1 { judged j step 0.25 } }',
)


@pytest.mark.parametrize(
    ("given", "points"),
    [(0.75, D("0.75")), ("0.75", D("0.75")), (0, D(0)), (1, D(1)), (0.25, D("0.25"))],
)
def test_judged_in_steps_of_a_quarter(given: object, points: Decimal) -> None:
    node = score_one(JUDGED, {"j": given}).official.node("1.3")
    assert node.points == points  # taken as judged: 0.75 is 3 quarters
    assert "judged" in node.rule


@pytest.mark.parametrize(
    ("given", "why"),
    [
        (0.3, "0.3 is not a multiple of 0.25"),
        (1.25, "1.25 is a multiple of 0.25 but above the max 1"),
        (-0.25, "below 0"),
    ],
)
def test_judged_off_the_scale_is_e503(given: object, why: str) -> None:
    errors = errors_of(JUDGED, unit("u1", {"j": given}))
    assert [code for code, _ in errors] == ["E503"], why
    assert "u1" in errors[0][1]


PER_ITEM = policy(
    "k: count",
    'field 4 "Công vụ" { criterion 4.2 "Sáng kiến" max 1 { per_item k: 0.25 } }',
)


@pytest.mark.parametrize(
    ("k", "points"),
    [
        (5, D(1)),  # 5 × 0.25 = 1.25, capped at the node max 1
        (4, D(1)),  # 4 × 0.25 = 1 exactly
        (3, D("0.75")),  # 3 × 0.25 = 0.75
        (0, D(0)),
    ],
)
def test_per_item_capped_by_the_node_max(k: int, points: Decimal) -> None:
    node = score_one(PER_ITEM, {"k": k}).official.node("4.2")
    assert node.points == points
    assert node.max == D(1)


def test_per_item_explains_the_cap() -> None:
    node = score_one(PER_ITEM, {"k": 5}).official.node("4.2")
    assert "1.25" in node.detail  # 5 × 0.25 = 1.25 before the cap
    assert "per_item" in node.rule


SURVEYS = policy(
    "s: survey\n t: survey",
    """
    field 7 "Hài lòng" {
      criterion 7.1 "Hài lòng (tỷ lệ)" max 30 { survey s }
      criterion 7.2 "Hài lòng (mức)" max 5 {
        survey t { from 80%: 5; from 50% below 80%: 3; otherwise: 0 }
      }
    }
    survey { if_missing rescale }
    """,
)


@pytest.mark.parametrize(
    ("s", "t", "p71", "p72"),
    [
        (80, 80, D(24), D(5)),  # 80 % × 30 = 24; 80 % is on «from 80%» → 5
        (90, "79.9%", D(27), D(3)),  # 90 % × 30 = 27; 79.9 % is below 80 % → 3
        (100, 50, D(30), D(3)),  # 100 % × 30 = 30; 50 % is on «from 50%» → 3
        (0, 49, D(0), D(0)),  # 0 % × 30 = 0; 49 % → otherwise 0
    ],
)
def test_survey_proportional_and_with_steps(
    s: object, t: object, p71: Decimal, p72: Decimal
) -> None:
    result = score_one(SURVEYS, {"s": s, "t": t}).official
    assert result.node("7.1").points == p71
    assert result.node("7.2").points == p72
    assert result.node("7.1").survey and result.node("7.2").survey
    assert result.survey_status == "present"


FORMULA = policy(
    "x: number\n y: number",
    """
    field 6 "Chính quyền số" {
      criterion 6.1 "Công thức" max 4 { formula min(x, y) * 2 - max(x, y) clamp 0.5 .. 3 }
    }
    """,
)


@pytest.mark.parametrize(
    ("x", "y", "points"),
    [
        (3, 2, D(1)),  # min 2 × 2 − max 3 = 1, inside 0.5 .. 3 → 1
        (2, 2, D(2)),  # 2 × 2 − 2 = 2
        (D("2.5"), 3, D(2)),  # 2.5 × 2 − 3 = 2
        (1, 5, D("0.5")),  # 1 × 2 − 5 = −3 → raised to the declared floor 0.5
        (6, 7, D(3)),  # 6 × 2 − 7 = 5 → lowered to the declared ceiling 3 (not the max 4)
        (3, 3, D(3)),  # 3 × 2 − 3 = 3, exactly on the ceiling
    ],
)
def test_formula_with_min_max_and_declared_clamp(x: object, y: object, points: Decimal) -> None:
    node = score_one(FORMULA, {"x": x, "y": y}).official.node("6.1")
    assert node.points == points
    assert node.rule.startswith("formula")


def test_formula_explains_its_clamp() -> None:
    node = score_one(FORMULA, {"x": 6, "y": 7}).official.node("6.1")
    assert "5" in node.detail and "3" in node.detail  # = 5, clamped to 0.5 .. 3: 3
    unclamped = score_one(FORMULA, {"x": 3, "y": 2}).official.node("6.1")
    assert "clamp" not in unclamped.detail


def test_formula_clamp_to_max_uses_the_node_max() -> None:
    compiled = policy(
        "x: number",
        'field 6 "Số" { criterion 6.1 "Văn bản" max 10 { formula x / 50 * 10 clamp 0 .. max } }',
    )
    assert score_one(compiled, {"x": 45}).official.node("6.1").points == D(9)  # 45/50×10 = 9
    assert score_one(compiled, {"x": 60}).official.node("6.1").points == D(10)  # 12 → max 10


# ---- 2. outcomes ------------------------------------------------------------------------------


def _na_policy(effect: str) -> CompiledPolicy:
    """98 points of criteria plus a 2-point criterion that can have no task."""
    return policy(
        "p: percent\n j: points\n tasks: count\n xong: yes_no",
        f"""
        field 1 "Lĩnh vực" {{
          criterion 1.1 "Tỷ lệ" max 60 {{ proportional p }}
          criterion 1.2 "Chấm" max 38 {{ judged j step 0.1 }}
          criterion 1.3 "Nhiệm vụ phát sinh" max 2 {{
            yes_no xong
            when tasks = 0: not_applicable {effect}
          }}
        }}
        """,
    )


NA_UNIT = {"p": 80, "j": "30.4", "tasks": 0, "xong": "không"}  # 80 % × 60 = 48; + 30.4 = 78.4


def test_not_applicable_excluded_drops_the_max() -> None:
    result = score_one(_na_policy("excluded"), NA_UNIT).official
    node = result.node("1.3")
    assert node.outcome is Outcome.NOT_APPLICABLE
    assert node.effect is NotApplicableEffect.EXCLUDED
    assert (node.points, node.max) == (D(0), D(0))
    assert result.max == D(98)  # 100 − 2
    assert result.points == D("78.4")  # 48 + 30.4
    assert result.index == D(80)  # 78.4 / 98 × 100 = 80 exactly
    assert result.index_rounded == D("80.00")
    assert any("78.4" in step and "98" in step for step in result.steps)  # the arithmetic shown


def test_not_applicable_full_gives_the_max() -> None:
    result = score_one(_na_policy("full"), NA_UNIT).official
    node = result.node("1.3")
    assert node.outcome is Outcome.NOT_APPLICABLE
    assert node.effect is NotApplicableEffect.FULL
    assert (node.points, node.max) == (D(2), D(2))
    assert result.max == D(100)
    assert result.index_rounded == D("80.40")  # (78.4 + 2) / 100 × 100 = 80.40


def test_the_outcome_clause_only_when_its_condition_holds() -> None:
    result = score_one(_na_policy("excluded"), {**NA_UNIT, "tasks": 3}).official
    assert result.node("1.3").outcome is Outcome.SCORED
    assert result.node("1.3").points == D(0)  # xong = không → 0
    assert result.index_rounded == D("78.40")  # 78.4 / 100 × 100


NOT_DONE = policy(
    "bat_dau: yes_no\n ty_le: percent\n ngay: date optional",
    """
    field 1 "Lĩnh vực" {
      criterion 1.1 "Triển khai" max 4 {
        proportional ty_le
        when not bat_dau: not_done
      }
      criterion 1.2 "Kế hoạch" max 6 {
        deadline ngay { by 2024-01-31: 6; otherwise: 2 }
      }
    }
    """,
)


def test_not_done_by_a_condition_keeps_the_max() -> None:
    result = score_one(NOT_DONE, {"bat_dau": "không", "ty_le": 100, "ngay": "2024-01-10"}).official
    node = result.node("1.1")
    assert node.outcome is Outcome.NOT_DONE
    assert (node.points, node.max) == (D(0), D(4))  # 0 of 4, though the rate would give 4
    assert result.max == D(10)
    assert result.index_rounded == D("60.00")  # (0 + 6) / 10 × 100


def test_not_done_when_an_optional_input_is_missing() -> None:
    result = score_one(NOT_DONE, {"bat_dau": "có", "ty_le": 50}).official
    node = result.node("1.2")
    assert node.outcome is Outcome.NOT_DONE
    assert (node.points, node.max) == (D(0), D(6))  # not 2 (the «otherwise» of a late date)
    assert result.node("1.1").points == D(2)  # 50 % × 4
    assert result.index_rounded == D("20.00")  # (2 + 0) / 10 × 100


EVIDENCE = policy(
    "co_ke_hoach: yes_no",
    """
    field 1 "Lĩnh vực" {
      criterion 1.1 "Kế hoạch" max 3 { yes_no co_ke_hoach; evidence_required }
      criterion 1.2 "Khác" max 1 { yes_no co_ke_hoach }
    }
    """,
)


def test_no_evidence_scores_zero() -> None:
    result = score_one(EVIDENCE, {"co_ke_hoach": "có"}).official
    node = result.node("1.1")
    assert node.outcome is Outcome.NO_EVIDENCE
    assert (node.points, node.max) == (D(0), D(3))  # 3 earned, but no evidence → 0 of 3
    assert result.index_rounded == D("25.00")  # (0 + 1) / 4 × 100


def test_evidence_given_keeps_the_points() -> None:
    result = score_one(
        EVIDENCE, {"co_ke_hoach": "có"}, evidence={"1.1": "Kế hoạch số 05/KH-UBND"}
    ).official
    node = result.node("1.1")
    assert node.outcome is Outcome.SCORED
    assert node.points == D(3)
    assert node.evidence == "Kế hoạch số 05/KH-UBND"
    assert result.index_rounded == D("100.00")  # (3 + 1) / 4 × 100


def test_missing_input_without_default_is_e403_naming_unit_and_input() -> None:
    compiled = policy(
        "so_ho_so: count\n co: yes_no",
        'field 1 "F" { criterion 1.1 "C" max 1 { per_item so_ho_so: 1 }'
        ' criterion 1.2 "D" max 1 { yes_no co } }',
    )
    errors = errors_of(compiled, unit("so_noi_vu", {"co": "có"}))
    assert [code for code, _ in errors] == ["E403"]
    assert "so_noi_vu" in errors[0][1]
    assert "so_ho_so" in errors[0][1]


def test_a_declared_default_is_used_when_missing() -> None:
    compiled = policy(
        "k: count default 2\n co: yes_no",
        'field 1 "F" { criterion 1.1 "C" max 5 { per_item k: 1 }'
        ' criterion 1.2 "D" max 5 { yes_no co } }',
    )
    result = score_one(compiled, {"co": "có"}).official
    node = result.node("1.1")
    assert node.points == D(2)  # default 2 × 1
    assert dict(node.inputs) == {"k": D(2)}
    assert result.index_rounded == D("70.00")  # (2 + 5) / 10 × 100
    given = score_one(compiled, {"co": "có", "k": 4}).official
    assert given.node("1.1").points == D(4)  # a given value wins over the default


# ---- 3. unit types and tags -------------------------------------------------------------------

TAGGED = policy(
    "a: yes_no\n b: yes_no",
    """
    field 1 "Chung" {
      criterion 1.1 "Chung A" max 40 { yes_no a }
      criterion 1.2 "Chung B" max 31.5 { yes_no b }
    }
    field 2 "Thể chế" except dac_thu {
      criterion 2.1 "Rà soát" max 20 { yes_no a }
    }
    field 3 "Tài chính" except dac_thu {
      criterion 3.1 "Tiết kiệm" max 8.5 { yes_no a }
    }
    """,
)


def test_a_tag_removes_fields_worth_28_5() -> None:
    report = score(
        TAGGED,
        unit("thuong", {"a": "có", "b": "không"}),
        unit("dac_thu", {"a": "có", "b": "không"}, tags=("dac_thu",)),
    )
    plain = report.unit("thuong").official
    special = report.unit("dac_thu").official
    assert plain.max == D(100)  # 40 + 31.5 + 20 + 8.5
    assert special.max == D("71.5")  # 100 − (20 + 8.5)
    assert plain.points == D("68.5")  # 40 + 20 + 8.5
    assert special.points == D(40)
    assert plain.index_rounded == D("68.50")  # 68.5 / 100 × 100
    assert special.index_rounded == D("55.94")  # 40 / 71.5 × 100 = 55.944… → 55.94
    assert all(left_out(special, node_id) for node_id in ("2", "2.1", "3", "3.1"))
    assert not any(left_out(plain, node_id) for node_id in ("2", "2.1", "3", "3.1"))


def test_a_tags_max_wins_over_the_unit_types_and_only_limits_a_criterion() -> None:
    compiled = policy(
        "a: yes_no",
        """
        field 1 "F" {
          criterion 1.1 "Theo loại" max 2 for so, 3 for huyen, 1 for dac_thu { yes_no a }
          criterion 1.2 "Chỉ huyện" max 5 only huyen { yes_no a }
        }
        """,
    )
    report = score(
        compiled,
        unit("so", {"a": "có"}),
        unit("so_dt", {"a": "có"}, tags=("dac_thu",)),
        unit("huyen", {"a": "có"}, unit_type="huyen"),
    )
    assert report.unit("so").official.max == D(2)  # 1.1 for so; 1.2 is only for huyen
    assert report.unit("so_dt").official.max == D(1)  # the tag's 1 wins over the type's 2
    assert report.unit("huyen").official.max == D(8)  # 3 + 5


def test_only_a_tag_and_a_max_shared_by_two_unit_types() -> None:
    compiled = policy(
        "a: yes_no",
        """
        field 1 "F" {
          criterion 1.1 "Chung" max 1.5 for so, huyen, 1 for dac_thu { yes_no a }
          criterion 1.2 "Chỉ đặc thù" max 3 only dac_thu { yes_no a }
        }
        """,
    )
    report = score(
        compiled,
        unit("so", {"a": "có"}),
        unit("huyen", {"a": "có"}, unit_type="huyen"),
        unit("so_dt", {"a": "có"}, tags=("dac_thu",)),
    )
    assert report.unit("so").official.max == D("1.5")  # 1.2 only for dac_thu
    assert report.unit("huyen").official.max == D("1.5")  # «for so, huyen» gives both 1.5
    assert report.unit("so_dt").official.max == D(4)  # 1 (the tag's) + 3


def test_a_survey_criterion_that_does_not_apply_is_not_a_missing_survey() -> None:
    # The survey field is «except dac_thu»: a dac_thu unit has no survey part, so it needs no
    # survey result, just as it needs no input of any other criterion that does not apply to it.
    # Its index is its appraisal alone: 90 % × 70 = 63, 63 / 70 × 100 = 90.00.
    compiled = policy(
        "p: percent\n s: survey",
        """
        field 1 "Thẩm định" { criterion 1.1 "Tỷ lệ" max 70 { proportional p } }
        field 7 "Khảo sát" except dac_thu { criterion 7.1 "Hài lòng" max 30 { survey s } }
        survey { if_missing error }
        """,
    )
    result = score_one(compiled, {"p": 90}, tags=("dac_thu",)).official
    assert result.max == D(70)
    assert result.index_rounded == D("90.00")
    # a unit the survey applies to still must give it
    assert error_codes(compiled, unit("so_x", {"p": 90})) == ["E504"]


# ---- 4. bonuses and deductions ----------------------------------------------------------------

BASE_10 = 'field 1 "F" { criterion 1.1 "C" max 10 { proportional p } }'


def test_a_deduction_per_event_capped_at_its_max() -> None:
    compiled = policy(
        "p: percent\n k: count",
        BASE_10 + '\ndeduction D1 "Kỷ luật" max 3 { per_item k: 1 }',
    )
    result = score_one(compiled, {"p": 100, "k": 5}).official
    (d1,) = result.adjustments
    assert d1.amount == D(3)  # 5 × 1 = 5, capped at 3
    assert d1.signed == D(-3)
    assert result.points == D(7)  # 10 − 3
    assert result.index_rounded == D("70.00")  # 7 / 10 × 100
    two = score_one(compiled, {"p": 100, "k": 2}).official
    assert two.index_rounded == D("80.00")  # (10 − 2 × 1) / 10 × 100


@pytest.mark.parametrize(
    ("first", "second", "amounts"),
    [
        # D1 5 × 1 capped at 3; D2 yes → 2; together 5 > group max 4: D1 keeps 3, D2 gets 1.
        ("D1", "D2", {"D1": D(3), "D2": D(1)}),
        # Written the other way round: D2 keeps 2, D1 gets the 2 left.
        ("D2", "D1", {"D1": D(2), "D2": D(2)}),
    ],
)
def test_a_group_caps_the_sum_in_written_order(
    first: str, second: str, amounts: dict[str, Decimal]
) -> None:
    members = {
        "D1": 'deduction D1 "Kỷ luật" max 3 { per_item k: 1 }',
        "D2": 'deduction D2 "Báo chí phản ánh" max 2 { yes_no bao_chi }',
    }
    compiled = policy(
        "p: percent\n k: count\n bao_chi: yes_no",
        BASE_10 + f'\ngroup "Trừ chung" max 4 {{\n {members[first]}\n {members[second]}\n}}',
    )
    result = score_one(compiled, {"p": 100, "k": 5, "bao_chi": "có"}).official
    assert {a.id: a.amount for a in result.adjustments} == amounts
    assert {a.id: a.raw for a in result.adjustments} == {"D1": D(3), "D2": D(2)}  # before the group
    assert result.points == D(6)  # 10 − 4 (the group's cap)
    assert result.index_rounded == D("60.00")  # 6 / 10 × 100


def test_a_group_below_its_cap_changes_nothing() -> None:
    compiled = policy(
        "p: percent\n k: count\n bao_chi: yes_no",
        BASE_10 + '\ngroup "Trừ chung" max 4 {\n'
        ' deduction D1 "Kỷ luật" max 3 { per_item k: 1 }\n'
        ' deduction D2 "Báo chí" max 2 { yes_no bao_chi }\n}',
    )
    result = score_one(compiled, {"p": 100, "k": 1, "bao_chi": "có"}).official
    assert {a.id: a.amount for a in result.adjustments} == {"D1": D(1), "D2": D(2)}
    assert result.index_rounded == D("70.00")  # (10 − 1 − 2) / 10 × 100


def test_a_bonus_applied_to_a_field_node() -> None:
    compiled = policy(
        "a: yes_no\n p: percent\n giai: yes_no",
        """
        field 1 "Chỉ đạo" { criterion 1.1 "C" max 5 { yes_no a } }
        field 2 "Đổi mới" { criterion 2.1 "D" max 5 { proportional p } }
        bonus B1 "Giải thưởng" max 1 applies_to 2 { yes_no giai }
        """,
    )
    result = score_one(compiled, {"a": "có", "p": 50, "giai": "có"}).official
    field = result.node("2")
    assert field.points == D("3.5")  # 50 % × 5 = 2.5, + bonus 1
    assert field.max == D(5)
    assert [a.id for a in field.adjustments] == ["B1"]
    assert result.node("1").points == D(5)
    assert result.points == D("8.5")  # 5 + 3.5
    assert result.index_rounded == D("85.00")  # 8.5 / 10 × 100


def test_a_deduction_applied_to_the_index_in_percentage_points() -> None:
    compiled = policy(
        "p: percent\n k: count",
        'field 1 "F" { criterion 1.1 "C" max 20 { proportional p } }\n'
        'deduction D1 "Chậm báo cáo" max 5 applies_to index { per_item k: 0.5 }',
    )
    result = score_one(compiled, {"p": 80, "k": 4}).official
    assert result.points == D(16)  # 80 % × 20; the deduction does not touch the points
    assert result.index_rounded == D("78.00")  # 16 / 20 × 100 = 80 %, − 4 × 0.5 = 2 points → 78
    # (taken from the points instead it would have been (16 − 2) / 20 = 70 %)


# ---- 5. clamping of the total -----------------------------------------------------------------


def _clamped(clamp: str) -> CompiledPolicy:
    return policy(
        "p: percent\n giai: yes_no\n k: count",
        BASE_10
        + '\nbonus B1 "Thưởng" max 2 { yes_no giai }'
        + '\ndeduction D1 "Trừ" max 5 { per_item k: 1 }\n'
        + clamp,
    )


@pytest.mark.parametrize(
    ("clamp", "inputs", "points", "index"),
    [
        # 10 + 2 = 12 > max 10 → 10 → 100.00 %
        ("total clamp 0 .. max", {"p": 100, "giai": "có", "k": 0}, D(10), D("100.00")),
        ("", {"p": 100, "giai": "có", "k": 0}, D(10), D("100.00")),  # the default is 0 .. max
        # no clamp: 12 / 10 × 100 = 120.00 %
        ("total no_clamp", {"p": 100, "giai": "có", "k": 0}, D(12), D("120.00")),
        # 10 % × 10 = 1, − 3 = −2 < 0 → 0 → 0.00 %
        ("total clamp 0 .. max", {"p": 10, "giai": "không", "k": 3}, D(0), D("0.00")),
        ("", {"p": 10, "giai": "không", "k": 3}, D(0), D("0.00")),
        # no clamp: −2 / 10 × 100 = −20.00 %
        ("total no_clamp", {"p": 10, "giai": "không", "k": 3}, D(-2), D("-20.00")),
        # inside the bounds nothing changes: 10 % × 10 + 2 = 3 → 30.00 %
        ("total clamp 0 .. max", {"p": 10, "giai": "có", "k": 0}, D(3), D("30.00")),
    ],
)
def test_total_clamp(
    clamp: str, inputs: dict[str, object], points: Decimal, index: Decimal
) -> None:
    result = score_one(_clamped(clamp), inputs).official
    assert result.points == points
    assert result.index_rounded == index


# ---- 6. the survey ----------------------------------------------------------------------------


def _survey_policy(declaration: str) -> CompiledPolicy:
    """Appraisal leaves worth 70, survey leaves worth 30."""
    return policy(
        "p: percent\n s: survey",
        f"""
        field 1 "Thẩm định" {{ criterion 1.1 "Tỷ lệ" max 70 {{ proportional p }} }}
        field 7 "Khảo sát" {{ criterion 7.1 "Hài lòng" max 30 {{ survey s }} }}
        survey {{ {declaration} }}
        """,
    )


WEIGHTED = "weight 30 of 100; "


@pytest.mark.parametrize("weight", [WEIGHTED, ""])
def test_survey_present(weight: str) -> None:
    result = score_one(_survey_policy(weight + "if_missing rescale"), {"p": 90, "s": 80}).official
    assert result.survey_status == "present"
    assert (result.appraisal_points, result.appraisal_max) == (D(63), D(70))  # 90 % × 70
    assert (result.survey_points, result.survey_max) == (D(24), D(30))  # 80 % × 30
    assert result.points == D(87)  # 63/70 × 70 + 24/30 × 30 = 87 (unweighted: 63 + 24)
    assert result.max == D(100)
    assert result.index_rounded == D("87.00")


@pytest.mark.parametrize("weight", [WEIGHTED, ""])
def test_survey_missing_rescale(weight: str) -> None:
    result = score_one(_survey_policy(weight + "if_missing rescale"), {"p": 90}).official
    assert result.survey_status == "missing: rescale"
    assert result.node("7.1").max == D(0)  # the survey leaf is left out
    assert result.index == D(90)  # 63 / 70 × 100 = 90
    assert result.index_rounded == D("90.00")


@pytest.mark.parametrize("weight", [WEIGHTED, ""])
def test_survey_missing_zero(weight: str) -> None:
    result = score_one(_survey_policy(weight + "if_missing zero"), {"p": 90}).official
    assert result.survey_status == "missing: zero"
    assert result.node("7.1").points == D(0)
    assert result.max == D(100)
    assert result.index_rounded == D("63.00")  # 63/70 × 70 + 0 = 63 (unweighted 63 + 0) / 100


@pytest.mark.parametrize("weight", [WEIGHTED, ""])
def test_survey_missing_error(weight: str) -> None:
    compiled = _survey_policy(weight + "if_missing error")
    errors = errors_of(compiled, unit("so_x", {"p": 90}))
    assert [code for code, _ in errors] == ["E504"]
    assert "so_x" in errors[0][1]
    # given, the survey scores normally: 63 + 24 = 87
    assert score_one(compiled, {"p": 90, "s": 80}).official.index_rounded == D("87.00")


def test_the_survey_weight_rescales_an_appraisal_not_worth_70() -> None:
    compiled = policy(
        "p: percent\n s: survey",
        """
        field 1 "Thẩm định" { criterion 1.1 "Tỷ lệ" max 100 { proportional p } }
        field 7 "Khảo sát" {
          criterion 7.1 "Hài lòng" max 30 {
            survey s { from 80%: 30; from 60% below 80%: 20; otherwise: 0 }
          }
        }
        survey { weight 30 of 100; if_missing rescale }
        """,
    )
    result = score_one(compiled, {"p": 80, "s": 70}).official
    assert (result.appraisal_points, result.appraisal_max) == (D(80), D(100))  # 80 % × 100
    assert (result.survey_points, result.survey_max) == (D(20), D(30))  # 70 % → 20
    # appraisal 80/100 × (100 − 30) = 56; survey 20/30 × 30 = 20; 56 + 20 = 76
    assert result.points == D(76)
    assert result.max == D(100)
    assert result.index_rounded == D("76.00")
    # survey missing, rescaled: 80/100 × 100 = 80
    missing = score_one(compiled, {"p": 80}).official
    assert missing.index_rounded == D("80.00")


# ---- 7. bands ---------------------------------------------------------------------------------

J200 = 'field 1 "F" { criterion 1.1 "C" max 200 { judged j step 0.01 } }'
BANDS_FROM = """
bands { "Tốt" from 80%; "Khá" from 70% below 80%; "Kém" below 70% }
"""
BANDS_ABOVE = """
bands { "Tốt" above 80%; "Khá" from 70% to 80%; "Kém" below 70% }
"""


@pytest.mark.parametrize(
    ("rounding", "bands", "j", "rounded", "band"),
    [
        ("half_up 2", BANDS_FROM, "160", D("80.00"), "Tốt"),  # 160 / 200 = 80.00, «from 80%»: in
        ("half_up 2", BANDS_ABOVE, "160", D("80.00"), "Khá"),  # «above 80%» excludes 80.00
        ("half_up 2", BANDS_ABOVE, "160.02", D("80.01"), "Tốt"),  # 80.01 > 80
        ("half_up 2", BANDS_FROM, "159.99", D("80.00"), "Tốt"),  # 79.995 → half_up → 80.00
        ("down 2", BANDS_FROM, "159.99", D("79.99"), "Khá"),  # 79.995 → down → 79.99
        ("half_even 2", BANDS_FROM, "159.99", D("80.00"), "Tốt"),  # 79.995 → even → 80.00
        ("up 2", BANDS_FROM, "159.97", D("79.99"), "Khá"),  # 79.985 → up → 79.99
        ("half_up 2", BANDS_FROM, "139.98", D("69.99"), "Kém"),  # 69.99 < 70
        ("half_up 2", BANDS_FROM, "140", D("70.00"), "Khá"),  # 70.00 on «from 70%»
    ],
)
def test_band_edges(rounding: str, bands: str, j: str, rounded: Decimal, band: str) -> None:
    compiled = policy("j: points", J200 + bands, rounding=rounding)
    result = score_one(compiled, {"j": j}).official
    assert result.index == D(j) / 2  # j / 200 × 100, exact
    assert result.index_rounded == rounded
    assert result.band == band


def test_each_unit_type_gets_its_own_band_table() -> None:
    compiled = policy(
        "j: points",
        J200
        + """
        bands for so { "Tốt" from 80%; "Chưa tốt" below 80% }
        bands for huyen { "Tốt" from 90%; "Chưa tốt" below 90% }
        """,
    )
    # 170 / 200 × 100 = 85.00: Tốt for a sở (≥ 80), Chưa tốt for a huyện (< 90)
    assert score_one(compiled, {"j": "170"}).official.band == "Tốt"
    assert score_one(compiled, {"j": "170"}, unit_type="huyen").official.band == "Chưa tốt"


def test_half_even_and_half_up_differ_on_an_even_digit() -> None:
    # 160.01 / 200 × 100 = 80.005: half_up → 80.01, half_even → 80.00 (0 is even)
    up = policy("j: points", J200, rounding="half_up 2")
    even = policy("j: points", J200, rounding="half_even 2")
    assert score_one(up, {"j": "160.01"}).official.index_rounded == D("80.01")
    assert score_one(even, {"j": "160.01"}).official.index_rounded == D("80.00")


# ---- 8. ranking -------------------------------------------------------------------------------

J100 = 'field 1 "F" { criterion 1.1 "C" max 100 { judged j step 0.001 } }'
TIE_UNITS = {"a": "85", "b": "85", "c": "84.99", "d": "90"}


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        ("shared", {"d": 1, "a": 2, "b": 2, "c": 4}),  # 90; 85, 85; 84.99 → 1, 2, 2, 4
        ("dense", {"d": 1, "a": 2, "b": 2, "c": 3}),  # 1, 2, 2, 3
    ],
)
def test_ties_whatever_the_input_order(ties: str, expected: dict[str, int]) -> None:
    compiled = policy("j: points", J100 + f"\nranking {{ ties {ties} }}")
    for order in itertools.permutations(TIE_UNITS):
        report = score(compiled, *(unit(uid, {"j": TIE_UNITS[uid]}) for uid in order))
        assert {u.unit: u.rank for u in report.units} == expected, order


def test_ranks_use_the_rounded_index() -> None:
    # 84.996 → 85.00 (half_up 2), the same published figure as 85 → they share rank 2
    compiled = policy("j: points", J100 + "\nranking { ties shared }")
    report = score(
        compiled,
        unit("a", {"j": "85"}),
        unit("b", {"j": "84.996"}),
        unit("c", {"j": "90"}),
        unit("d", {"j": "84.994"}),  # → 84.99
    )
    assert {u.unit: u.rank for u in report.units} == {"c": 1, "a": 2, "b": 2, "d": 4}


def test_blocks_rank_unit_types_separately() -> None:
    compiled = policy(
        "j: points",
        J100 + '\nranking { block "Khối sở" so; block "Khối huyện" huyen; ties shared }',
    )
    records = [
        unit("so_a", {"j": "90"}),
        unit("huyen_a", {"j": "85"}, unit_type="huyen"),
        unit("so_b", {"j": "80"}),
        unit("huyen_b", {"j": "95"}, unit_type="huyen"),
    ]
    for order in itertools.permutations(records):
        report = score(compiled, *order)
        ranks = {u.unit: (u.block, u.rank) for u in report.units}
        assert ranks == {
            "so_a": ("Khối sở", 1),  # 90 > 80 among the sở
            "so_b": ("Khối sở", 2),
            "huyen_b": ("Khối huyện", 1),  # 95 > 85 among the huyện
            "huyen_a": ("Khối huyện", 2),
        }


# ---- 9. exactness -----------------------------------------------------------------------------


def test_a_tenth_plus_two_tenths_is_three_tenths() -> None:
    compiled = policy(
        "x: points\n y: points",
        'field 1 "F" {'
        ' criterion 1.1 "A" max 1 { judged x step 0.1 }'
        ' criterion 1.2 "B" max 1 { judged y step 0.1 } }',
    )
    result = score_one(compiled, {"x": 0.1, "y": 0.2}).official
    assert 0.1 + 0.2 != 0.3  # what binary floating point would have given
    assert result.node("1").points == D("0.3")  # 0.1 + 0.2, exactly
    assert result.index == D(15)  # 0.3 / 2 × 100 = 15 exactly
    assert result.index_rounded == D("15.00")


def test_thirds_are_summed_exactly_and_the_index_rounds_once() -> None:
    compiled = policy(
        "a: count\n b: count",
        'field 1 "F" {'
        ' criterion 1.1 "A" max 1 { proportional a / b }'
        ' criterion 1.2 "B" max 1 { proportional a / b }'
        ' criterion 1.3 "C" max 1 { proportional a / b } }',
    )
    result = score_one(compiled, {"a": 1, "b": 3}).official
    with decimal.localcontext(decimal.Context(prec=60)):
        third = D(1) / D(3)  # the engine's exact-as-possible 1/3 (60 digits)
        total = third + third + third
    assert all(result.node(i).points == third for i in ("1.1", "1.2", "1.3"))
    assert result.points == total  # 3 × (1/3), not 3 × 0.33 = 0.99
    assert result.points != D("0.99")
    # (1/3 + 1/3 + 1/3) / 3 × 100 = 33.333… → 33.33; rounding each part first would give
    # 0.99 / 3 × 100 = 33.00
    assert result.index_rounded == D("33.33")


def test_rounding_happens_once_on_the_index() -> None:
    # 1/3 of 1 three times plus a full criterion: (1 + 1) / 4 × 100 = 50.00; summing parts
    # rounded to 2 places would give (0.33 × 3 + 1) / 4 × 100 = 49.75.
    compiled = policy(
        "a: count\n b: count\n co: yes_no",
        'field 1 "F" {'
        ' criterion 1.1 "A" max 1 { proportional a / b }'
        ' criterion 1.2 "B" max 1 { proportional a / b }'
        ' criterion 1.3 "C" max 1 { proportional a / b }'
        ' criterion 1.4 "D" max 1 { yes_no co } }',
    )
    result = score_one(compiled, {"a": 1, "b": 3, "co": "có"}).official
    assert result.index_rounded == D("50.00")


# ---- 10. self-assessed and appraised ----------------------------------------------------------

APPRAISED = policy(
    "j: points\n co: yes_no",
    'field 1 "F" {'
    ' criterion 1.3 "Tuyên truyền" max 5 { judged j step 0.25 }'
    ' criterion 1.4 "Khác" max 5 { yes_no co } }',
)


def test_the_appraised_value_is_official_and_the_claim_is_kept() -> None:
    result = score_one(APPRAISED, {"j": {"self": 5, "appraised": 4.5}, "co": "có"})
    assert result.official.node("1.3").points == D("4.5")
    assert result.self_assessed is not None
    assert result.self_assessed.node("1.3").points == D(5)
    assert result.official.index_rounded == D("95.00")  # (4.5 + 5) / 10 × 100
    assert result.self_assessed.index_rounded == D("100.00")  # (5 + 5) / 10 × 100
    (diff,) = result.differences()
    assert diff.node_id == "1.3"
    assert (diff.self_points, diff.appraised_points) == (D(5), D("4.5"))
    assert diff.change == D("-0.5")


def test_a_unit_without_appraisal_has_no_self_assessed_view() -> None:
    result = score_one(APPRAISED, {"j": 5, "co": "có"})
    assert result.self_assessed is None
    assert result.differences() == ()
    assert result.official.index_rounded == D("100.00")


# ---- 11. arithmetic errors and their declared outcomes ----------------------------------------

RATIO = 'field 3 "TTHC" {{ criterion 3.1 "Đúng hạn" max 15 {{ proportional a / b {extra} }} }}'


def test_division_by_zero_without_an_outcome_is_e501() -> None:
    compiled = policy("a: count\n b: count", RATIO.format(extra=""))
    errors = errors_of(compiled, unit("so_a", {"a": 0, "b": 0}))
    assert [code for code, _ in errors] == ["E501"]
    assert "so_a" in errors[0][1] and "3.1" in errors[0][1]


def test_division_by_zero_with_not_applicable_full() -> None:
    compiled = policy(
        "a: count\n b: count", RATIO.format(extra="; when b = 0: not_applicable full")
    )
    result = score_one(compiled, {"a": 0, "b": 0}).official
    assert result.node("3.1").points == D(15)  # no records received: full 15
    assert result.index_rounded == D("100.00")
    assert score_one(compiled, {"a": 9, "b": 10}).official.node("3.1").points == D("13.5")  # 90 %


def test_a_proportional_rate_above_100_percent_is_e502() -> None:
    compiled = policy("a: count\n b: count", RATIO.format(extra=""))
    errors = errors_of(compiled, unit("so_a", {"a": 5, "b": 4}))  # 5 / 4 = 125 %
    assert [code for code, _ in errors] == ["E502"]
    assert "so_a" in errors[0][1]


def test_a_value_with_no_step_and_no_otherwise_is_e507() -> None:
    # the steps cover every share 0–100 % (check proves it), but files handled on time cannot
    # outnumber files received: 12 of 10 is 120 %, a value the table does not place
    compiled = policy(
        "a: count; b: count in 1 .. 100000",
        'field 5 "TC" { criterion 5.1 "Đúng hạn" max 10 {'
        " steps a / b { from 90% to 100%: 10; below 90%: 5 } } }",
    )
    errors = errors_of(compiled, unit("so_a", {"a": 12, "b": 10}))
    assert [code for code, _ in errors] == ["E507"]
    assert "so_a" in errors[0][1]
    assert score_one(compiled, {"a": 9, "b": 10}).official.node("5.1").points == D(10)  # 90 %


# ---- 12. all errors of a batch at once --------------------------------------------------------


def test_several_broken_units_report_together() -> None:
    compiled = policy(
        "a: yes_no\n b: yes_no",
        'field 1 "F" { criterion 1.1 "A" max 1 { yes_no a } criterion 1.2 "B" max 1 { yes_no b } }',
    )
    errors = errors_of(
        compiled,
        unit("u_thieu_a", {"b": "có"}),
        unit("u_du", {"a": "có", "b": "có"}),
        unit("u_thieu_b", {"a": "có"}),
    )
    assert [code for code, _ in errors] == ["E403", "E403"]
    messages = " | ".join(message for _, message in errors)
    assert "u_thieu_a" in messages and "u_thieu_b" in messages
    assert "u_du" not in messages


def test_different_errors_of_different_units_report_together() -> None:
    compiled = policy(
        "a: count\n b: count\n j: points",
        RATIO.format(extra="") + '\nfield 1 "F" { criterion 1.3 "J" max 1 { judged j step 0.25 } }',
    )
    codes = error_codes(
        compiled,
        unit("chia_0", {"a": 1, "b": 0, "j": 1}),
        unit("vuot", {"a": 5, "b": 4, "j": 1}),
        unit("lech", {"a": 1, "b": 1, "j": 0.3}),
        unit("thieu", {"a": 1, "b": 1}),
    )
    assert sorted(codes) == ["E403", "E501", "E502", "E503"]


# ---- 13. the shipped example ------------------------------------------------------------------

EXPECTED_EXAMPLE = {
    # unit: (points, max, index rounded, band, rank) — see the module docstring for the sums
    "so_tp": (D(88), D(100), D("88.00"), "Tốt", 2),
    "so_nv": (D(54), D(70), D("77.14"), "Khá", 4),
    "so_tc": (D("32.75"), D(100), D("32.75"), "Kém", 5),
    "thanh_tra": (D(87), D(92), D("94.57"), "Tốt", 1),
    "so_xd": (D(88), D(100), D("88.00"), "Tốt", 2),
}


@pytest.fixture(scope="module")
def example() -> ScoreReport:
    compiled = load_policy(EXAMPLE / "mau.cchc")
    return compiled.score(compiled.read_facts(EXAMPLE / "units.json"))


@pytest.mark.parametrize("uid", sorted(EXPECTED_EXAMPLE))
def test_the_shipped_example(example: ScoreReport, uid: str) -> None:
    points, maximum, index, band, rank = EXPECTED_EXAMPLE[uid]
    result = example.unit(uid)
    assert result.official.points == points
    assert result.official.max == maximum
    assert result.official.index_rounded == index
    assert result.official.band == band
    assert result.rank == rank


def test_the_shipped_example_in_detail(example: ScoreReport) -> None:
    assert len(example.units) == 5
    nv = example.unit("so_nv").official
    assert nv.node("6.1").effect is NotApplicableEffect.EXCLUDED  # nothing sent
    assert nv.node("7.1").max == D(0)  # survey missing, rescaled
    assert nv.survey_status == "missing: rescale"
    assert nv.node("3.1").effect is NotApplicableEffect.FULL  # nothing received
    assert nv.node("1.1").points == D(2)  # 10 days late
    assert nv.node("4.2").points == D(8)  # 5 × 2 = 10 capped at 8
    assert [a.amount for a in nv.adjustments] == [D(1)]
    assert nv.points == D(54)  # 55 − 1
    with decimal.localcontext(decimal.Context(prec=60)):
        assert nv.index == D(54) * 100 / D(70)  # exact to the engine's 60 digits, then rounded once

    tc = example.unit("so_tc").official
    assert tc.node("1.1").outcome is Outcome.NOT_DONE  # no plan date, an optional input
    assert [a.amount for a in tc.adjustments] == [D(2)]  # 3 × 1 capped at 2

    tt = example.unit("thanh_tra").official
    assert tt.node("1.1").outcome is Outcome.NO_EVIDENCE  # on time but no evidence
    assert left_out(tt, "2.1")  # except dac_thu
    assert tt.node("6.1").points == D(10)

    tp = example.unit("so_tp")
    (diff,) = tp.differences()
    assert (diff.node_id, diff.change) == ("1.3", D("-0.5"))  # self 5, appraised 4.5
    assert tp.self_assessed is not None
    assert tp.self_assessed.points == D("88.5")  # 88 + 0.5
    assert example.unit("so_xd").self_assessed is None


# ---- a condition may test the unit's tags -------------------------------------------------------

TAG_CONDITION = """\
regulation "Tags in conditions"
rounding half_up 2
unit_types { so "Sở"; tag giao_rieng "Cơ quan có chỉ tiêu giao riêng" }
inputs { giao: yes_no default có; x: yes_no }
field 1 "A" {
  criterion 1.1 "Chỉ tiêu giao riêng" max 4 {
    yes_no x
    when tag giao_rieng and not giao: not_applicable excluded
  }
  criterion 1.2 "Chung" max 6 { yes_no x }
}
"""


def test_only_a_tagged_unit_can_drop_an_unassigned_criterion() -> None:
    policy = load_policy_text(TAG_CONDITION)
    records = [
        # tagged and not assigned 1.1: it leaves the max, 6 of 6 = 100.00 %
        {
            "unit": "tt",
            "unit_type": "so",
            "tags": ["giao_rieng"],
            "inputs": {"giao": "không", "x": "có"},
        },
        # not tagged: saying "not assigned" changes nothing, 10 of 10
        {"unit": "so", "unit_type": "so", "inputs": {"giao": "không", "x": "có"}},
    ]
    report = policy.score(policy.facts(records))
    tagged, plain = report.unit("tt").official, report.unit("so").official
    assert (tagged.points, tagged.max) == (6, 6)
    assert tagged.node("1.1").outcome is Outcome.NOT_APPLICABLE
    assert (plain.points, plain.max) == (10, 10)


def test_a_condition_on_an_undeclared_tag_is_reported() -> None:
    with pytest.raises(CchcError) as raised:
        load_policy_text(TAG_CONDITION.replace("when tag giao_rieng", "when tag giao_rieng_x"))
    (error,) = raised.value.errors
    assert (error.code, error.hint) == ("E202", "did you mean «giao_rieng»?")
