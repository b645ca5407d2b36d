"""The builder: parse tree → `nodes.Policy`, exact numbers and dates, and the E1xx/E2xx it reports.

Lines and columns in the assertions are counted by hand from the test text (1-based).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_dsl import nodes as n
from cchc_dsl.api import check_source
from cchc_dsl.source import SourceFile
from tests.helpers import at, checked, clean, only

DATA = Path(__file__).resolve().parent / "data"

HEAD = 'regulation "T"\nrounding half_up 2\nunit_types { so "Sở" }\n'


@pytest.fixture(scope="module")
def construct_trees() -> dict[str, n.Policy]:
    trees = {}
    for language in ("en", "vi"):
        source = SourceFile.read(DATA / f"constructs.{language}.cchc")
        policy, found = check_source(source)
        assert found == (), [d.one_line() for d in found]
        assert policy is not None
        trees[language] = policy
    return trees


# --- the two construct tours --------------------------------------------------------------------


def test_english_and_vietnamese_keywords_give_equal_trees(
    construct_trees: dict[str, n.Policy],
) -> None:
    assert construct_trees["en"] == construct_trees["vi"]


def test_equality_ignores_spans_but_not_content(construct_trees: dict[str, n.Policy]) -> None:
    en, vi = construct_trees["en"], construct_trees["vi"]
    assert en.nodes[0].span != vi.nodes[0].span
    changed = SourceFile.read(DATA / "constructs.en.cchc")
    text = changed.text.replace("yes_no y and c > 3", "yes_no y and c > 4")
    other, _ = check_source(SourceFile.from_text(text))
    assert other != en


def test_construct_tree_metadata(construct_trees: dict[str, n.Policy]) -> None:
    meta = construct_trees["en"].metadata
    assert meta == n.Metadata(
        title="Construct tour",
        decision="99/QĐ-UBND",
        issued=datetime.date(2024, 1, 15),
        issuer="UBND tỉnh Mẫu",
        based_on=("876/QĐ-BNV", "1150/QĐ-BNV"),
        effective=datetime.date(2024, 2, 1),
        until=datetime.date(2025, 12, 31),
    )
    # `half_even` (en) and `nửa_chẵn` (vi) name the same choice
    assert construct_trees["en"].rounding == n.Rounding(n.RoundingMode.HALF_EVEN, 3)


def test_construct_tree_max_for_several_unit_types(construct_trees: dict[str, n.Policy]) -> None:
    field = construct_trees["en"].nodes[0]
    # max 11 for so, 8 for huyen, dac_thu: what field 1's criteria add up to for each
    assert field.header.maxima == (
        n.MaxEntry(Decimal(11), ("so",)),
        n.MaxEntry(Decimal(8), ("huyen", "dac_thu")),
    )
    assert field.header.citation == "Phụ lục I"
    assert construct_trees["en"].unit_types[2] == n.UnitTypeDecl("dac_thu", "Đặc thù", is_tag=True)


def test_construct_tree_interval_inclusivity(construct_trees: dict[str, n.Policy]) -> None:
    rule = construct_trees["en"].nodes[0].children[1].rule
    assert isinstance(rule, n.Steps)
    equal, from_to_below, above_to = rule.steps
    # = 100%
    assert equal.interval == n.Interval(equal=n.Number(Decimal(1), percent=True))
    # from 90% to below 100%: [0.9, 1)
    assert from_to_below.interval == n.Interval(
        n.Bound(n.Number(Decimal("0.9"), percent=True), inclusive=True),
        n.Bound(n.Number(Decimal(1), percent=True), inclusive=False),
    )
    assert from_to_below.points == Decimal(2)
    # above 50% to 89%: (0.5, 0.89]
    assert above_to.interval == n.Interval(
        n.Bound(n.Number(Decimal("0.5"), percent=True), inclusive=False),
        n.Bound(n.Number(Decimal("0.89"), percent=True), inclusive=True),
    )
    assert rule.otherwise == Decimal(0)


def test_construct_tree_dates_in_both_forms(construct_trees: dict[str, n.Policy]) -> None:
    # en writes `by 31/01/2024`, vi `chậm nhất 2024-01-31`
    for language in ("en", "vi"):
        rule = construct_trees[language].nodes[0].children[0].rule
        assert isinstance(rule, n.Deadline)
        assert rule.due.value == datetime.date(2024, 1, 31)
        assert rule.on_time == Decimal(2)
        assert rule.late == (n.LateStep(10, Decimal(1)),)
        assert rule.otherwise == Decimal(0)


def test_construct_tree_percent_literal_is_a_fraction(construct_trees: dict[str, n.Policy]) -> None:
    bonus = construct_trees["en"].adjustments[0]
    assert isinstance(bonus, n.Adjustment)
    assert bonus.rule == n.YesNo(
        n.Binary(">", n.InputRef("p"), n.Number(Decimal("0.85"), percent=True))
    )
    assert bonus.target == n.Target("total")
    assert bonus.header.only == ("huyen",)


def test_construct_tree_adjustments_survey_total_bands_ranking(
    construct_trees: dict[str, n.Policy],
) -> None:
    policy = construct_trees["en"]
    group = policy.adjustments[1]
    assert isinstance(group, n.AdjustmentGroup)
    assert group.cap == Decimal(2)
    assert [(m.kind, m.id, m.target) for m in group.members] == [
        (n.AdjustmentKind.DEDUCTION, "D1", n.Target("node", "1")),
        (n.AdjustmentKind.DEDUCTION, "D2", n.Target("index")),
    ]
    assert policy.survey == n.SurveySpec(n.MissingSurvey.RESCALE, Decimal(30), Decimal(100))
    assert policy.clamp == n.Clamp(n.Number(Decimal(0)), n.NodeMax())
    assert policy.bands[0].unit_types == ("so", "huyen")
    assert [b.name for b in policy.bands[0].bands] == ["Tốt", "Khá", "Kém"]
    assert policy.ranking == n.Ranking(
        (n.Block("Khối sở", ("so",)), n.Block("Khối huyện", ("huyen",))), n.TieRule.DENSE
    )


def test_construct_tree_inputs(construct_trees: dict[str, n.Policy]) -> None:
    inputs = {d.name: d for d in construct_trees["en"].inputs}
    assert inputs["d"].type is n.InputType.DATE and inputs["d"].optional
    assert (inputs["c"].low, inputs["c"].high) == (n.Number(Decimal(0)), n.Number(Decimal(1000)))
    assert inputs["p"].default == n.Number(Decimal(0))
    assert inputs["s"].type is n.InputType.SURVEY
    assert inputs["y"].title == ""


# --- numbers and dates from token text ----------------------------------------------------------


def _leaf(text_rule: str, inputs: str = "x: count") -> n.Node:
    return clean(HEAD + f'inputs {{ {inputs} }}\ncriterion 1 "A" {text_rule}\n').nodes[0]


def test_points_are_read_from_the_token_text_exactly() -> None:
    node = _leaf("max 0.30000000000000000001 { judged j step 0.00000000000000000001 }", "j: points")
    assert node.header.maxima[0].points == Decimal("0.30000000000000000001")
    assert isinstance(node.rule, n.Judged)
    assert node.rule.step == Decimal("0.00000000000000000001")
    node = _leaf("max 0.3 { judged j step 0.1 }", "j: points")
    assert isinstance(node.rule, n.Judged)
    assert node.rule.step == Decimal("0.1")
    assert node.rule.step != Decimal.from_float(0.1)  # what a detour through float gives


def test_trailing_zeros_are_kept_as_written() -> None:
    node = _leaf("max 2.50 { per_item x: 0.10 }")
    assert str(node.header.maxima[0].points) == "2.50"
    assert isinstance(node.rule, n.PerItem)
    assert str(node.rule.amount) == "0.10"


def test_percent_literal_is_stored_as_its_fraction() -> None:
    node = _leaf("max 1 { yes_no p >= 95% }", "p: percent")
    assert node.rule == n.YesNo(
        n.Binary(">=", n.InputRef("p"), n.Number(Decimal("0.95"), percent=True))
    )
    node = _leaf("max 1 { yes_no p >= 12.5% }", "p: percent")
    assert isinstance(node.rule, n.YesNo) and isinstance(node.rule.condition, n.Binary)
    assert node.rule.condition.right == n.Number(Decimal("0.125"), percent=True)


def test_step_points_and_bounds_are_exact() -> None:
    node = _leaf("max 1 { steps x { from 0.1: 0.7; otherwise: 0.05 } }")
    assert isinstance(node.rule, n.Steps)
    step = node.rule.steps[0]
    assert step.points == Decimal("0.7")
    assert step.interval.lower == n.Bound(n.Number(Decimal("0.1")), inclusive=True)
    assert node.rule.otherwise == Decimal("0.05")


def test_negative_range_bound() -> None:
    policy = clean(HEAD + "inputs { t: number in -5 .. 5.5 }\n")
    assert policy.inputs[0].low == n.Number(Decimal(-5))
    assert policy.inputs[0].high == n.Number(Decimal("5.5"))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("05/03/2024", datetime.date(2024, 3, 5)),
        ("5/3/2024", datetime.date(2024, 3, 5)),
        ("29/02/2024", datetime.date(2024, 2, 29)),
    ],
)
def test_dates_in_iso_and_day_month_year(written: str, expected: datetime.date) -> None:
    assert clean(HEAD + f"effective {written}\n").metadata.effective == expected


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("rounding half_up 2", "làm tròn nửa_lên 2"),
        ("rounding half_even 0", "làm tròn nửa_chẵn 0"),
        ("rounding down 1", "làm tròn cắt_bỏ 1"),
        ("rounding up 3", "làm tròn lên 3"),
    ],
)
def test_rounding_choice_words_in_both_languages(english: str, vietnamese: str) -> None:
    rest = 'regulation "T"\nunit_types { so "Sở" }\n'
    en = clean(rest + english + "\n").rounding
    vi = clean(rest + vietnamese + "\n").rounding
    assert en is not None
    assert en == vi


def test_input_type_and_choice_words_in_both_languages() -> None:
    en = clean(
        HEAD + "inputs { a: yes_no; b: count; c: number; d: percent; e: date; f: points }\n"
        "ranking { ties shared }\n"
    )
    vi = clean(
        HEAD + "đầu vào { a: có_không; b: số_lượng; c: số; d: tỷ_lệ; e: ngày_tháng; f: điểm }\n"
        "xếp hạng { đồng hạng chung }\n"
    )
    assert en == vi
    assert [d.type for d in en.inputs] == [
        n.InputType.YES_NO,
        n.InputType.COUNT,
        n.InputType.NUMBER,
        n.InputType.PERCENT,
        n.InputType.DATE,
        n.InputType.POINTS,
    ]
    assert en.ranking == n.Ranking((), n.TieRule.SHARED)


# --- diagnostics the builder reports ------------------------------------------------------------


def test_e104_impossible_date() -> None:
    error = only(HEAD + "effective 31/02/2024\n")
    assert at(error) == ("E104", 4, 11)
    assert error.span is not None and error.span.end_column == 21
    assert error.message == "'31/02/2024' is not a valid date"
    assert error.hint is not None and "day and month" in error.hint


def test_e104_impossible_iso_date_in_a_rule() -> None:
    text = HEAD + 'inputs { d: date }\ncriterion 1 "A" max 1 { deadline d { by 2024-13-01: 1 } }\n'
    error = only(text)
    assert at(error) == ("E104", 5, 41)
    assert "'2024-13-01'" in error.message


def test_e105_forty_digit_number() -> None:
    forty = "1234567890" * 4
    text = HEAD + f'inputs {{ x: yes_no }}\ncriterion 1 "A" max {forty} {{ yes_no x }}\n'
    error = only(text)
    assert at(error) == ("E105", 5, 21)
    assert error.span is not None and error.span.end_column == 61
    assert error.message == f"the number '{forty}' has more than 28 digits"


def test_e105_long_decimal_in_a_step() -> None:
    long_fraction = "0." + "3" * 30
    text = (
        HEAD + f'inputs {{ x: count }}\ncriterion 1 "A" max 1 {{ per_item x: {long_fraction} }}\n'
    )
    error = only(text)
    assert at(error) == ("E105", 5, 37)


def test_e203_unknown_rounding_mode_suggests_the_closest() -> None:
    _, found = checked('regulation "T"\nrounding half_upp 2\nunit_types { so "Sở" }\n')
    error = next(d for d in found if d.code == "E203")
    assert at(error) == ("E203", 2, 10)
    assert error.message.startswith("«half_upp» is not a rounding mode; use one of: ")
    assert "half_up, nửa_lên" in error.message
    assert error.hint == "did you mean «half_up»?"


def test_e203_vietnamese_choice_word_misspelt() -> None:
    _, found = checked('quy định "T"\nlàm tròn nửa_len 2\nloại đơn vị { so "Sở" }\n')
    error = next(d for d in found if d.code == "E203")
    assert at(error) == ("E203", 2, 10)
    assert error.hint == "did you mean «nửa_lên»?"


def test_e203_unknown_input_type() -> None:
    _, found = checked(HEAD + "inputs { x: yes_noo }\n")
    assert [at(d) for d in found] == [("E203", 4, 13)]
    assert "«yes_noo» is not a" in found[0].message
    assert "input type; use one of: yes_no, có_không, count" in found[0].message
    assert found[0].hint == "did you mean «yes_no»?"


def test_e203_message_says_an_input_type() -> None:
    _, found = checked(HEAD + "inputs { x: yes_noo }\n")
    assert found[0].message.startswith("«yes_noo» is not an input type")


def test_e203_unknown_tie_rule() -> None:
    text = HEAD + "ranking { ties dens }\n"
    error = only(text)
    assert at(error) == ("E203", 4, 16)
    assert "tie rule" in error.message
    assert error.hint == "did you mean «dense»?"


def test_e203_without_a_close_match_has_no_hint() -> None:
    error = only(HEAD + "ranking { ties zzz }\n")
    assert error.code == "E203"
    assert error.hint is None


def test_e205_metadata_given_twice() -> None:
    error = only(HEAD + 'regulation "Again"\n')
    assert at(error) == ("E205", 4, 1)
    assert error.message == "«regulation» is declared twice"


def test_e205_rounding_given_twice_in_vietnamese() -> None:
    error = only(HEAD + "làm tròn nửa_lên 3\n")
    assert at(error) == ("E205", 4, 1)
    assert "«rounding»" in error.message


def test_e209_two_rules_in_a_leaf() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 {\n  yes_no x\n  yes_no not x\n}\n'
    error = only(text)
    assert at(error) == ("E209", 7, 3)
    assert error.message == "criterion 1 has more than one rule"


def test_e209_two_rules_in_a_bonus() -> None:
    text = HEAD + 'inputs { x: yes_no }\nbonus B1 "b" max 1 { yes_no x; yes_no x }\n'
    error = only(text)
    assert at(error) == ("E209", 5, 32)
    assert error.message == "bonus B1 has more than one rule"


def test_e216_applies_to_on_a_criterion() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 applies_to total { yes_no x }\n'
    error = only(text)
    assert at(error) == ("E216", 5, 34)
    assert error.message == "only a bonus or a deduction says where it applies"
    assert error.hint is not None and "applies_to" in error.hint


def test_builder_keeps_going_after_an_error() -> None:
    text = HEAD + "effective 31/02/2024\nuntil 30/02/2025\n"
    _, found = checked(text)
    assert [at(d) for d in found] == [("E104", 4, 11), ("E104", 5, 7)]
