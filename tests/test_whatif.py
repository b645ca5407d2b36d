"""What-if: the points a unit lost, the changes that win them back, the fewest changes to a target.

The hand-built policy below (`POLICY`) has four criteria worth 100 points; every expected figure
is worked out from its text in the comment beside the assertion.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cchc_dsl import nodes as n
from cchc_dsl.api import CompiledPolicy, load, load_policy_text
from cchc_dsl.cli import app
from cchc_dsl.diagnostics import CchcError
from cchc_dsl.facts import Facts
from cchc_dsl.ranking import place, rank
from cchc_dsl.recovery import Option
from cchc_dsl.whatif import Target, WhatIf, what_if, whatif_text
from tests.strategies import whatif_case

GOLDEN = Path(__file__).resolve().parent / "golden" / "whatif"

POLICY = """\
quy định "Thử what-if"
làm tròn nửa_lên 2
loại đơn vị { so "Sở" }
đầu vào {
  co_ke_hoach: có_không "Có kế hoạch CCHC"
  dung_han: số_đếm "Hồ sơ giải quyết đúng hạn"
  tiep_nhan: số_đếm "Hồ sơ tiếp nhận"
  sang_kien: số_đếm "Sáng kiến"
  truc_tuyen: tỷ_lệ "Tỷ lệ nộp trực tuyến"
  ky_luat: số_đếm "Lãnh đạo bị kỷ luật" mặc định 0
}
lĩnh vực 1 "Chỉ đạo, TTHC" tối đa 80 {
  tiêu chí 1.1 "Kế hoạch CCHC" tối đa 20 { có/không co_ke_hoach }
  tiêu chí 1.2 "Hồ sơ đúng hạn" tối đa 40 {
    theo mức dung_han / tiep_nhan {
      = 100%: 40; từ 95% đến dưới 100%: 30; từ 90% đến dưới 95%: 20; còn lại: 0
    }
  }
  tiêu chí 1.3 "Sáng kiến" tối đa 20 { mỗi sang_kien: 5 }
}
lĩnh vực 2 "Trực tuyến" tối đa 20 {
  tiêu chí 2.1 "Nộp trực tuyến" tối đa 20 { theo tỷ lệ truc_tuyen }
}
điểm trừ D1 "Kỷ luật" tối đa 30 { mỗi ky_luat: 10 }
tổng giới hạn 0 .. tối đa
xếp loại {
  "Tốt" từ 80%; "Khá" từ 70% đến dưới 80%; "Trung bình" từ 50% đến dưới 70%; "Kém" dưới 50%
}
xếp hạng { đồng hạng chung }
"""

# a: 1.1 no → 0; 1.2 870/1000 = 87 % → 0; 1.3 2 × 5 = 10; 2.1 50 % × 20 = 10; total 20
A = {"co_ke_hoach": False, "dung_han": 870, "tiep_nhan": 1000, "sang_kien": 2, "truc_tuyen": "50%"}
UNITS = [
    {"unit": "a", "name": "Sở A", "unit_type": "so", "inputs": A},
    # b: 0 + 40 (100 %) + 10 + 20 = 70
    {
        "unit": "b",
        "name": "Sở B",
        "unit_type": "so",
        "inputs": {**A, "dung_han": 1000, "truc_tuyen": "100%"},
    },
    # d: 20 + 20 (90 %) + 20 + 10 = 70
    {
        "unit": "d",
        "name": "Sở D",
        "unit_type": "so",
        "inputs": {**A, "co_ke_hoach": True, "dung_han": 900, "sang_kien": 4},
    },
    # c: as a, with 3 disciplined leaders: 20 − 30 = −10, clamped to 0
    {"unit": "c", "name": "Sở C", "unit_type": "so", "inputs": {**A, "ky_luat": 3}},
]


def _answer(target: Target | None, unit: str = "a", text: str = POLICY) -> WhatIf:
    compiled = load_policy_text(text, "whatif.cchc")
    return what_if(compiled, compiled.facts(UNITS), unit, target)


def _changes(options: tuple[Option, ...]) -> list[tuple[str, str, Decimal]]:
    return [(o.node_id, o.change, o.gain) for o in options]


def test_every_lost_point_with_the_rules_own_thresholds() -> None:
    answer = _answer(None)
    assert answer.now.index == Decimal("20.00")
    assert answer.now.rank == 3  # b and d at 70 ahead, c at 0 behind
    lost = {loss.node_id: (loss.lost, _changes(loss.options)) for loss in answer.losses}
    assert lost == {
        "1.1": (Decimal(20), [("1.1", "co_ke_hoach không → có (đạt)", Decimal(20))]),
        "1.2": (
            Decimal(40),
            [  # each step's lower bound × 1000 received: 900, 950, 1000 on time
                ("1.2", "dung_han 870 → 900 (mức «từ 90% đến dưới 95%»: 20 điểm)", Decimal(20)),
                ("1.2", "dung_han 870 → 950 (mức «từ 95% đến dưới 100%»: 30 điểm)", Decimal(30)),
                ("1.2", "dung_han 870 → 1000 (mức «= 100%»: 40 điểm)", Decimal(40)),
            ],
        ),
        "1.3": (
            Decimal(10),  # 2 initiatives of 4 that fill the 20 points
            [
                ("1.3", "sang_kien 2 → 3 (5 điểm mỗi mục)", Decimal(5)),
                ("1.3", "sang_kien 2 → 4 (5 điểm mỗi mục)", Decimal(10)),
            ],
        ),
        "2.1": (Decimal(10), [("2.1", "truc_tuyen 50% → 100% (tỷ lệ 100%)", Decimal(10))]),
    }


def test_fewest_criteria_then_fewest_points() -> None:
    # Khá needs 70: +50. One criterion gives at most 40 (1.2), so two are needed; the two-sets
    # worth exactly 50 are 1.1 + 1.2 at 95 % (20 + 30), 1.2 + 1.3 and 1.2 + 2.1 (40 + 10);
    # none is worth less. Among equals, the first found taking criteria by best gain (1.2: 40,
    # 1.1: 20, then 1.3 and 2.1: 10): 1.2 + 1.1, listed in the regulation's order.
    plan = _answer(Target(band="Khá")).plan
    assert plan is not None and plan.reached and plan.verified
    assert [(o.node_id, o.gain) for o in plan.changes] == [
        ("1.1", Decimal(20)),
        ("1.2", Decimal(30)),
    ]
    assert plan.gain == Decimal(50)
    assert (plan.after.index, plan.after.band) == (Decimal("70.00"), "Khá")


def test_a_band_already_reached_needs_nothing() -> None:
    plan = _answer(Target(band="kém")).plan  # case and diacritics forgiven
    assert plan is not None and plan.reached and plan.changes == ()
    assert plan.target.band == "Kém"


def test_ties_share_a_rank_under_the_shared_rule() -> None:
    # b and d stand at 70. Shared ranks: a at 70 ties both and shares rank 1, so rank 1 and
    # rank 2 both need 70 (+50, as for Khá); rank 3 needs only to pass c (0): it has it already.
    for wanted in (1, 2):
        plan = _answer(Target(rank=wanted)).plan
        assert plan is not None and plan.reached
        assert (plan.gain, plan.after.rank) == (Decimal(50), 1)
    plan = _answer(Target(rank=3)).plan
    assert plan is not None and plan.changes == () and plan.reached


def test_dense_ties_count_distinct_indices_above() -> None:
    # Dense ranks: b and d share rank 1, so a (20) is already 2nd and c (0) 3rd.
    dense = POLICY.replace("đồng hạng chung", "đồng hạng liền_kề")
    plan = _answer(Target(rank=2), text=dense).plan
    assert plan is not None and plan.reached and plan.changes == ()
    assert _answer(None, text=dense).now.rank == 2


def test_a_band_no_change_can_reach() -> None:
    # c loses 30 to the deduction, which no criterion can win back: with every point of the
    # four criteria recovered it has 100 − 30 = 70, Khá, never Tốt.
    answer = _answer(Target(band="Tốt"), unit="c")
    plan = answer.plan
    assert plan is not None and not plan.reached and plan.changes == ()
    assert (plan.after.index, plan.after.band) == (Decimal("70.00"), "Khá")
    assert "không thể đạt" in whatif_text(answer)


def test_a_clamped_total_fills_the_hole_first() -> None:
    # c's total is −10, clamped to 0. Khá (70) needs all four criteria at full: 100 − 30.
    plan = _answer(Target(band="Khá"), unit="c").plan
    assert plan is not None and plan.reached and plan.verified
    assert (len(plan.changes), plan.gain, plan.after.index) == (4, Decimal(80), Decimal("70.00"))


def test_unknown_unit_and_band_are_user_errors() -> None:
    with pytest.raises(CchcError) as unit:
        _answer(None, unit="zz")
    assert [d.code for d in unit.value.diagnostics] == ["E602"]
    with pytest.raises(CchcError) as band:
        _answer(Target(band="Xuất sắc"))
    assert "«Tốt», «Khá», «Trung bình», «Kém»" in band.value.diagnostics[0].message


def test_example_policy_deadline_yes_no_evidence_and_survey() -> None:
    compiled = load("policies/example/mau.cchc")
    facts = compiled.read_facts("policies/example/units.json")
    losses = {loss.node_id: loss for loss in what_if(compiled, facts, "so_nv").losses}
    # 1.1: plan issued 10/02/2024, 10 days after 31/01: 2 of 4; on the due date: 4
    assert _changes(losses["1.1"].options) == [
        (
            "1.1",
            "ke_hoach_ngay 2024-02-10 → 2024-01-31 (đúng hạn, chậm nhất 2024-01-31)",
            Decimal(2),
        )
    ]
    # 1.2: yes/no on bao_cao_dung_han = 4: 3 reports → 4 flips it, 3 points
    assert _changes(losses["1.2"].options) == [("1.2", "bao_cao_dung_han 3 → 4 (đạt)", Decimal(3))]
    # so_tc has no plan date and no evidence for 1.1 (evidence required): both are needed
    tc = {loss.node_id: loss for loss in what_if(compiled, facts, "so_tc").losses}
    assert tc["1.1"].outcome is n.Outcome.NOT_DONE
    assert all(o.evidence for o in tc["1.1"].options)
    # 7.1: survey hai_long 70 % × 20 = 14; 100 % gives 20
    assert [(o.survey, o.gain) for o in tc["7.1"].options] == [(True, Decimal(6))]


def test_place_agrees_with_ranking() -> None:
    others = [Decimal(70), Decimal(70), Decimal(10)]
    assert place(Decimal(70), others, n.TieRule.SHARED) == 1
    assert place(Decimal(20), others, n.TieRule.SHARED) == 3
    assert place(Decimal(20), others, n.TieRule.DENSE) == 2


def test_cli_whatif() -> None:
    result = CliRunner().invoke(
        app,
        [
            "whatif",
            "policies/example/mau.cchc",
            "policies/example/units.json",
            "--unit",
            "so_nv",
            "--target-band",
            "Tốt",
        ],
    )
    assert result.exit_code == 0, result.output
    # so_nv: 54 / 70 = 77.14 % Khá; 1.1 on time (+2) gives 56 / 70 = 80.00 %, Tốt
    assert "ít thay đổi nhất: 1 tiêu chí, +2 điểm" in result.output
    assert "56 / 70 điểm, chỉ số 80.00 %, xếp loại Tốt" in result.output
    both = CliRunner().invoke(
        app,
        [
            "whatif",
            "policies/example/mau.cchc",
            "policies/example/units.json",
            "-u",
            "so_nv",
            "--target-band",
            "Tốt",
            "--target-rank",
            "1",
        ],
    )
    assert both.exit_code == 1 and "không ghi cả hai" in both.output


# --- the search against a brute force ------------------------------------------------------------


def _brute_force(
    compiled: CompiledPolicy, facts: Facts, answer: WhatIf, target: Target
) -> tuple[int, Decimal] | None:
    """Fewest criteria, then fewest points, over every combination of the offered options,
    each combination scored afresh as a whole unit and, for a rank, ranked with the others by
    `ranking.rank` itself."""
    unit = facts.units[0]
    bands = sorted(
        compiled.program("so").bands, key=lambda b: (b.step.low is not None, b.step.low or 0)
    )
    rank_of = {b.name: i for i, b in enumerate(bands)}
    others = [u for u in compiled.score(facts).units if u.unit != unit.id]
    before = answer.unit.official
    best: tuple[int, Decimal] | None = None
    choices = [(None, *loss.options) for loss in answer.losses]
    for combo in itertools.product(*choices):
        chosen = [o for o in combo if o is not None]
        values = {name: value for o in chosen for name, value in o.values}
        changed = attrs.evolve(unit, self_values={**unit.self_values, **values})
        result = compiled.score_unit(changed)
        if target.rank is not None:
            ranked = [u for b in rank([*others, result], compiled.policy) for u in b.units]
            reached = next(u for u in ranked if u.unit == unit.id).rank <= target.rank
        else:
            band = result.official.band
            reached = band is not None and rank_of[band] >= rank_of[str(target.band)]
        if reached:
            after = result.official
            points = after.appraisal_points + after.survey_points
            points -= before.appraisal_points + before.survey_points
            key = (len(chosen), points)
            best = key if best is None or key < best else best
    return best


@given(
    whatif_case(), st.one_of(st.just(Target(band="Đạt")), st.builds(Target, rank=st.integers(1, 3)))
)
def test_the_plan_is_minimal(case: tuple[str, list[dict[str, object]]], target: Target) -> None:
    text, records = case
    compiled = load_policy_text(text, "case.cchc")
    facts = compiled.facts(records)
    answer = what_if(compiled, facts, "u0", target)
    plan = answer.plan
    assert plan is not None
    expected = _brute_force(compiled, facts, answer, target)
    if expected is None:
        assert not plan.reached
    else:
        assert plan.reached and plan.verified and plan.proven
        assert (len(plan.changes), plan.gain) == expected


def test_golden_example(golden) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        app,
        [
            "whatif",
            "policies/example/mau.cchc",
            "policies/example/units.json",
            "-u",
            "so_tc",
            "--target-band",
            "Tốt",
        ],
    )
    assert result.exit_code == 0, result.output
    golden(GOLDEN / "so_tc-tot.txt", result.stdout)


SHARED = """\
quy định "Đầu vào dùng chung"
làm tròn nửa_lên 2
loại đơn vị { so "Sở" }
đầu vào { dung_han: số_đếm "Đúng hạn"; tiep_nhan: số_đếm "Tiếp nhận" }
lĩnh vực 1 "TTHC" tối đa 10 {
  tiêu chí 1.1 "Tất cả đúng hạn" tối đa 6 {
    theo mức dung_han / tiep_nhan { = 100%: 6; còn lại: 0 }
  }
  tiêu chí 1.2 "Tỷ lệ đúng hạn" tối đa 4 { theo tỷ lệ dung_han / tiep_nhan }
}
xếp loại { "Đạt" từ 90%; "Chưa đạt" dưới 90% }
"""


def test_a_change_counts_what_it_moves_on_other_criteria() -> None:
    # 80 of 100 on time: 1.1 gets 0, 1.2 gets 80 % × 4 = 3.2; 3.2 / 10 = 32 %.
    # 80 → 100 on time gives 1.1 its 6 and lifts 1.2 by 0.8 to 4: 10 / 10, Đạt, one change.
    compiled = load_policy_text(SHARED, "shared.cchc")
    facts = compiled.facts(
        [
            {
                "unit": "u",
                "name": "U",
                "unit_type": "so",
                "inputs": {"dung_han": 80, "tiep_nhan": 100},
            }
        ]
    )
    answer = what_if(compiled, facts, "u", Target(band="Đạt"))
    option = answer.losses[0].options[0]
    assert (option.gain, option.side, option.effect) == (
        Decimal(6),
        (("1.2", Decimal("0.8"), False),),
        Decimal("6.8"),
    )
    plan = answer.plan
    assert plan is not None and plan.reached and plan.verified
    assert [o.node_id for o in plan.changes] == ["1.1"]
    assert (plan.gain, plan.after.index) == (Decimal("6.8"), Decimal("100.00"))


def test_the_last_item_may_fill_the_max_in_part() -> None:
    # 2.5 points per initiative, max 6: 2 give 5, a 3rd is needed for the last 1 (7.5 → 6).
    text = POLICY.replace("mỗi sang_kien: 5", "mỗi sang_kien: 2.5").replace(
        'tiêu chí 1.3 "Sáng kiến" tối đa 20', 'tiêu chí 1.3 "Sáng kiến" tối đa 6'
    )
    text = text.replace(
        'lĩnh vực 1 "Chỉ đạo, TTHC" tối đa 80', 'lĩnh vực 1 "Chỉ đạo, TTHC" tối đa 66'
    )
    loss = next(x for x in _answer(None, text=text).losses if x.node_id == "1.3")
    assert [(o.change, o.after) for o in loss.options] == [
        ("sang_kien 2 → 3 (2.5 điểm mỗi mục)", Decimal(6)),
    ]
