"""Semantic checks: one focused test per E2xx code, every problem in one run, clean examples.

Lines and columns in the assertions are counted by hand from the test text (1-based). Most texts
start with HEAD (3 lines), so their own first line is line 4.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from cchc_dsl import nodes as n
from cchc_dsl.api import check_source, load_policy_text
from cchc_dsl.checks import run_checks
from cchc_dsl.diagnostics import CchcError, DiagnosticSink
from cchc_dsl.source import SourceFile
from tests.helpers import at, diagnose, only

ROOT = Path(__file__).resolve().parent.parent

HEAD = (
    'regulation "T"\n'
    "rounding half_up 2\n"
    'unit_types { so "Sở"; huyen "Huyện"; tag dac_thu "Đặc thù" }\n'
)


def codes(text: str) -> list[str]:
    return [d.code for d in diagnose(text)]


# --- clean files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["policies/example/mau.cchc", "tests/data/constructs.en.cchc", "tests/data/constructs.vi.cchc"],
)
def test_shipped_policies_check_clean(path: str) -> None:
    policy, found = check_source(SourceFile.read(ROOT / path))
    assert [d.one_line() for d in found] == []
    assert policy is not None


def test_a_minimal_policy_checks_clean() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\n'
    assert diagnose(text) == []


# --- E201 unknown input -------------------------------------------------------------------------


def test_e201_unknown_input_with_did_you_mean() -> None:
    text = HEAD + 'inputs { ke_hoach: yes_no }\ncriterion 1 "A" max 1 { yes_no ke_hoac }\n'
    error = only(text)
    assert at(error) == ("E201", 5, 32)
    assert error.message == "unknown input «ke_hoac»"
    assert error.hint == "did you mean «ke_hoach»?"


def test_e201_without_a_close_name_says_to_declare_it() -> None:
    text = HEAD + 'inputs { x: count }\ncriterion 1 "A" max 1 { yes_no x > 0 and zzz }\n'
    error = only(text)
    assert at(error) == ("E201", 5, 42)
    assert error.hint is not None and "inputs block" in error.hint


def test_e201_in_an_outcome_condition() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x\n when y: not_done }\n'
    error = only(text)
    assert at(error) == ("E201", 6, 7)


# --- E202 unknown unit type or tag --------------------------------------------------------------


def test_e202_unknown_unit_type_in_only() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 only sox { yes_no x }\n'
    error = only(text)
    assert error.code == "E202"
    assert error.span is not None and error.span.line == 5
    assert error.message == "unknown unit type or tag «sox»"
    assert error.hint == "did you mean «so»?"


def test_e202_unknown_unit_type_in_max_for() -> None:
    text = HEAD + (
        'inputs { x: yes_no }\ncriterion 1 "A" max 1 for so, huyenn, 2 for dac_thu { yes_no x }\n'
    )
    found = [d for d in diagnose(text) if d.code == "E202"]
    assert len(found) == 1
    assert found[0].message == "unknown unit type or tag «huyenn»"
    assert found[0].hint == "did you mean «huyen»?"


def test_e202_is_found_from_the_header_itself_not_the_names_kept_for_messages() -> None:
    # two equal trees must check alike: a header whose only/except/max name an unknown unit
    # type is reported even when no span was kept for the name (a tree built by code)
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 only so { yes_no x }\n'
    policy, _ = check_source(SourceFile.from_text(text, "t.cchc"))
    assert isinstance(policy, n.Policy)
    node = policy.nodes[0]
    header = attrs.evolve(node.header, only=("sox",), names=())
    mutant = attrs.evolve(policy, nodes=(attrs.evolve(node, header=header),))
    sink = DiagnosticSink()
    run_checks(mutant, sink)
    assert [(d.code, d.message) for d in sink if d.code == "E202"] == [
        ("E202", "unknown unit type or tag «sox»")
    ]


@pytest.mark.parametrize(
    ("header", "column", "width"),
    [
        ("max 1 only sox", 28, 3),
        ("max 1 except sox", 30, 3),
        ("max 1 for so, huyenn, 2 for dac_thu", 31, 6),
        ("max 1 for sox", 27, 3),
    ],
)
def test_e202_caret_is_under_the_unknown_name(header: str, column: int, width: int) -> None:
    text = HEAD + f'inputs {{ x: yes_no }}\ncriterion 1 "A" {header} {{ yes_no x }}\n'
    error = next(d for d in diagnose(text) if d.code == "E202")
    assert error.span is not None
    assert (error.span.line, error.span.column, error.span.end_column) == (
        5,
        column,
        column + width,
    )


def test_e202_unknown_tag_in_bands_and_ranking() -> None:
    text = HEAD + (
        'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\n'
        'bands for xa { "Tốt" from 80%; "Kém" below 80% }\n'
        'ranking { block "Khối" so, phuong }\n'
    )
    found = diagnose(text)
    assert [(d.code, d.message) for d in found] == [
        ("E202", "unknown unit type or tag «xa»"),
        ("E202", "unknown unit type or tag «phuong»"),
    ]
    assert [d.span.line for d in found if d.span] == [6, 7]


# --- E204 duplicate id --------------------------------------------------------------------------


def test_e204_duplicate_id_points_back_at_the_first_use() -> None:
    text = HEAD + (
        "inputs { x: yes_no }\n"
        'criterion 1.1 "A" max 1 { yes_no x }\n'
        'criterion 1.1 "B" max 1 { yes_no x }\n'
    )
    error = only(text)
    assert at(error) == ("E204", 6, 11)
    assert error.message == "the id 1.1 is used twice"
    primary, secondary = error.labels
    assert primary.primary and not secondary.primary
    assert (secondary.span.line, secondary.span.column) == (5, 11)
    assert secondary.message == "first used here"


def test_e204_a_bonus_may_not_reuse_a_criterion_id() -> None:
    text = HEAD + (
        'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\nbonus 1 "B" max 1 { yes_no x }\n'
    )
    error = only(text)
    assert at(error) == ("E204", 6, 7)
    assert (error.labels[1].span.line, error.labels[1].span.column) == (5, 11)


# --- E205 duplicate declaration -----------------------------------------------------------------


def test_e205_duplicate_input() -> None:
    text = HEAD + "inputs {\n  x: yes_no\n  x: count\n}\n"
    error = only(text)
    assert at(error) == ("E205", 6, 3)
    assert error.message == "the input «x» is declared twice"
    assert (error.labels[1].span.line, error.labels[1].span.column) == (5, 3)
    assert error.labels[1].message == "first declared here"


def test_e205_duplicate_unit_type() -> None:
    text = HEAD + 'unit_types { huyen "Again" }\n'
    error = only(text)
    assert at(error) == ("E205", 4, 14)
    assert error.message == "the unit type or tag «huyen» is declared twice"
    assert (error.labels[1].span.line, error.labels[1].span.column) == (3, 23)


# --- E206 type errors ---------------------------------------------------------------------------


def test_e201_a_judged_rule_reading_an_undeclared_input() -> None:
    text = HEAD + 'inputs { diem: points }\ncriterion 1 "A" max 1 { judged diemm step 0.5 }\n'
    error = next(d for d in diagnose(text) if d.code != "E350")
    assert at(error) == ("E201", 5, 32)
    assert error.hint == "did you mean «diem»?"


@pytest.mark.parametrize(
    ("rule", "inputs", "column", "words"),
    [
        ("yes_no n", "n: count", 32, "a yes/no rule needs a yes/no, but this is a number"),
        (
            "deadline n { by 2024-01-31: 1 }",
            "n: count",
            34,
            "a deadline needs a date, but this is a number",
        ),
        ("judged n step 0.5", "n: count", 32, "a judged rule reads a points input; «n» is count"),
        ("yes_no d > 5", "d: date", 32, "cannot compare a date with a number"),
        (
            "proportional n",
            "n: count",
            38,
            "a proportional rule needs a rate, but this is a number",
        ),
        ("per_item y: 1", "y: yes_no", 34, "a per-item rule needs a number, but this is a yes/no"),
        ("yes_no n and y", "n: count; y: yes_no", 32, "'and' needs a yes/no, but this is a number"),
    ],
    ids=[
        "yes_no-number",
        "deadline-count",
        "judged-count",
        "date-vs-number",
        "prop",
        "item",
        "and",
    ],
)
def test_e206_type_errors(rule: str, inputs: str, column: int, words: str) -> None:
    text = HEAD + f'inputs {{ {inputs} }}\ncriterion 1 "A" max 1 {{ {rule} }}\n'
    error = only(text)
    assert at(error) == ("E206", 5, column)
    assert error.message == words


def test_e206_date_bound_in_a_number_step_table() -> None:
    text = (
        HEAD
        + "inputs { c: count }\n"
        + 'criterion 1 "A" max 1 { steps c { from 2024-01-01: 1; otherwise: 0 } }\n'
    )
    error = only(text)
    assert at(error) == ("E206", 5, 40)
    assert "the bound a date" in error.message


# --- E207 leaf with no rule, E208 rule beside children, E209 in the builder ---------------------


def test_e207_leaf_without_a_rule() -> None:
    error = only(HEAD + 'criterion 1.2 "A" max 1 {\n  note "chưa có"\n}\n')
    assert at(error) == ("E207", 4, 11)
    assert error.message == "criterion 1.2 has neither a rule nor children"
    assert error.hint is not None and "yes_no" in error.hint


def test_e207_deduction_without_a_rule() -> None:
    error = only(HEAD + 'deduction D1 "Trừ" max 1 { }\n')
    assert at(error) == ("E207", 4, 11)
    assert error.message == "deduction D1 has neither a rule nor children"


def test_e208_rule_beside_children() -> None:
    text = HEAD + (
        "inputs { x: yes_no }\n"
        'field 1 "A" {\n'
        "  yes_no x\n"
        '  criterion 1.1 "B" max 1 { yes_no x }\n'
        "}\n"
    )
    error = only(text)
    assert at(error) == ("E208", 6, 3)
    assert error.message == "field 1 has both sub-criteria and a rule"


# --- E210 missing max ---------------------------------------------------------------------------


def test_e210_missing_max_for_a_unit_type() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 for so { yes_no x }\n'
    error = only(text)
    assert at(error) == ("E210", 5, 17)
    assert error.message == "criterion 1 has no max for unit type «huyen»"
    assert error.hint is not None and "max … for huyen" in error.hint


def test_e210_one_per_missing_unit_type() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" { yes_no x }\n'
    found = diagnose(text)
    assert [d.code for d in found] == ["E210", "E210"]
    assert ["«so»" in found[0].message, "«huyen»" in found[1].message] == [True, True]


@pytest.mark.parametrize(
    "header",
    [
        "max 1 for so only so",
        "max 1 for huyen except so",
        "max 1",
        "max 1 for so, 2",
        "max 1 for so, huyen",
    ],
)
def test_e210_not_reported_when_every_applicable_type_has_a_max(header: str) -> None:
    text = HEAD + f'inputs {{ x: yes_no }}\ncriterion 1 "A" {header} {{ yes_no x }}\n'
    assert diagnose(text) == []


def test_e210_not_reported_on_a_parent() -> None:
    text = HEAD + 'inputs { x: yes_no }\nfield 1 "A" {\n criterion 1.1 "B" max 1 { yes_no x }\n}\n'
    assert diagnose(text) == []


# --- E211 missing metadata ----------------------------------------------------------------------


def test_e211_missing_rounding() -> None:
    error = only('regulation "T"\nunit_types { so "Sở" }\n')
    assert at(error) == ("E211", 1, 1)
    assert error.message == "the regulation has no rounding of the index"
    assert error.hint is not None and "rounding half_up 2" in error.hint


def test_e211_missing_title() -> None:
    error = only('rounding half_up 2\nunit_types { so "Sở" }\n')
    assert at(error) == ("E211", 1, 1)
    assert error.message == "the regulation has no title"
    assert error.hint is not None and 'regulation "…"' in error.hint


# --- E212 rate compared with a plain number -----------------------------------------------------


def test_e212_percent_input_with_a_plain_bound() -> None:
    text = (
        HEAD
        + 'inputs { p: percent }\ncriterion 1 "A" max 1 { steps p { from 95: 1; otherwise: 0 } }\n'
    )
    error = only(text)
    assert at(error) == ("E212", 5, 40)
    assert error.message == "«p» is a rate but 95 is a plain number"
    assert error.hint == "write 95%"


def test_e212_ratio_compared_with_a_plain_number() -> None:
    text = (
        HEAD
        + "inputs { a: count; b: count in 1 .. 100000 }\n"
        + 'criterion 1 "A" max 1 { yes_no a / b >= 90 }\n'
    )
    error = only(text)
    assert at(error) == ("E212", 5, 41)
    assert error.message == "the ratio is a rate but 90 is a plain number"
    assert error.hint == "write 90%"


def test_e212_not_reported_for_zero_or_a_percentage() -> None:
    text = HEAD + (
        "inputs { p: percent }\n"
        'criterion 1 "A" max 1 { steps p { from 95%: 1; above 0 below 95%: 0.5; otherwise: 0 } }\n'
    )
    assert diagnose(text) == []


# --- E213 evidence on a parent ------------------------------------------------------------------


def test_e213_evidence_on_a_node_with_children() -> None:
    text = HEAD + (
        "inputs { x: yes_no }\n"
        'field 2 "A" {\n'
        "  evidence_required\n"
        '  criterion 2.1 "B" max 1 { yes_no x }\n'
        "}\n"
    )
    error = only(text)
    assert at(error) == ("E213", 5, 7)
    assert error.message == "field 2 requires evidence but has sub-criteria"


# --- E214 empty interval ------------------------------------------------------------------------


def test_e214_empty_interval() -> None:
    text = (
        HEAD
        + "inputs { p: percent }\n"
        + 'criterion 1 "A" max 1 { steps p { from 90% below 80%: 1; otherwise: 0 } }\n'
    )
    error = only(text)
    assert at(error) == ("E214", 5, 35)
    assert error.span is not None and error.span.end_column == 53
    assert error.message.startswith("the interval ")
    assert error.message.endswith(" contains no value")


def test_e214_shows_percentages_as_written() -> None:
    text = (
        HEAD
        + "inputs { p: percent }\n"
        + 'criterion 1 "A" max 1 { steps p { from 90% below 80%: 1; otherwise: 0 } }\n'
    )
    error = only(text)
    # the drafter wrote 90% and 80%; "0.9 .. 0.8" is not what is on the page
    assert "90%" in error.message and "80%" in error.message


def test_e214_touching_bounds_are_empty_unless_both_inclusive() -> None:
    text = HEAD + (
        "inputs { c: count }\n"
        'criterion 1 "A" max 1 { steps c { from 5 to 5: 1; from 5 below 5: 0; otherwise: 0 } }\n'
    )
    found = diagnose(text)
    assert [at(d) for d in found] == [("E214", 5, 51)]


def test_e214_input_range_upside_down() -> None:
    error = only(HEAD + "inputs { c: count in 10 .. 5 }\n")
    assert at(error) == ("E214", 4, 22)
    assert "10" in error.message and "5" in error.message


# --- E215 unknown target node -------------------------------------------------------------------


def test_e215_unknown_target_node() -> None:
    text = HEAD + (
        "inputs { x: yes_no }\n"
        'criterion 1.1 "A" max 1 { yes_no x }\n'
        'bonus B1 "b" max 1 applies_to 1.2 { yes_no x }\n'
    )
    error = only(text)
    assert at(error) == ("E215", 6, 31)
    assert error.message == "no field or criterion has the id 1.2"
    assert error.hint == "did you mean «1.1»?"


# --- E216 outcomes on a parent (and applies_to on a node, see test_builder) ---------------------


def test_e216_outcome_on_a_node_with_children() -> None:
    text = HEAD + (
        "inputs { x: yes_no }\n"
        'field 1 "A" {\n'
        "  when not x: not_done\n"
        '  criterion 1.1 "B" max 1 { yes_no x }\n'
        "}\n"
    )
    error = only(text)
    assert at(error) == ("E216", 6, 3)
    assert "outcomes belong on a scored leaf" in error.message


# --- E217 mixed group ---------------------------------------------------------------------------


def test_e217_group_mixing_bonus_and_deduction() -> None:
    text = HEAD + (
        "inputs { x: yes_no }\n"
        'criterion 1 "A" max 1 { yes_no x }\n'
        'group "Chung" max 2 {\n'
        '  bonus B1 "b" max 1 { yes_no x }\n'
        '  deduction D1 "d" max 1 { yes_no x }\n'
        "}\n"
    )
    error = only(text)
    assert at(error) == ("E217", 6, 1)
    assert error.message == "the group «Chung» mixes bonuses and deductions"


def test_e217_not_reported_for_a_group_of_one_kind() -> None:
    text = HEAD + (
        "inputs { x: yes_no }\n"
        'criterion 1 "A" max 1 { yes_no x }\n'
        'group "Chung" max 2 { bonus B1 "b" max 1 { yes_no x } bonus B2 "c" max 1 { yes_no x } }\n'
    )
    assert diagnose(text) == []


# --- E218 no unit types -------------------------------------------------------------------------


def test_e218_no_unit_types() -> None:
    error = only('regulation "T"\nrounding half_up 2\n')
    assert at(error) == ("E218", 1, 1)
    assert error.message == "the regulation declares no unit types"


def test_e218_tags_alone_are_not_unit_types() -> None:
    error = only('regulation "T"\nrounding half_up 2\nunit_types { tag dac_thu "Đặc thù" }\n')
    assert error.code == "E218"


# --- E219 survey rule and survey block ----------------------------------------------------------


def test_e219_survey_rule_without_survey_block() -> None:
    text = HEAD + 'inputs { s: survey }\ncriterion 7 "Hài lòng" max 1 { survey s }\n'
    error = only(text)
    assert at(error) == ("E219", 5, 32)
    assert "survey block" in error.message
    assert error.hint is not None and "if_missing" in error.hint


def test_e219_survey_block_without_survey_rule() -> None:
    text = HEAD + (
        'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\nsurvey { if_missing zero }\n'
    )
    error = only(text)
    assert at(error) == ("E219", 6, 1)
    assert error.message == "the survey block has no survey criteria to weigh"


# --- E220 rounding places -----------------------------------------------------------------------


def test_e220_rounding_places_out_of_range() -> None:
    found = diagnose('regulation "T"\nrounding half_up 11\nunit_types { so "Sở" }\n')
    error = next(d for d in found if d.code == "E220")
    assert at(error) == ("E220", 2, 18)
    assert error.message == "rounding places must be 0 to 10, not 11"


@pytest.mark.parametrize(
    ("line", "code"),
    [("rounding half_up 11", "E220"), ("rounding half_upp 2", "E203"), ("rounding up 2.5", "E220")],
)
def test_a_wrong_rounding_line_is_not_also_reported_as_missing(line: str, code: str) -> None:
    # the drafter did write a rounding line; "the regulation has no rounding" would mislead
    assert codes(f'regulation "T"\n{line}\nunit_types {{ so "Sở" }}\n') == [code]


def test_e220_ten_places_are_allowed() -> None:
    assert diagnose('regulation "T"\nrounding half_up 10\nunit_types { so "Sở" }\n') == []


# --- E221 max set twice -------------------------------------------------------------------------


def test_e221_max_set_twice_for_one_unit_type() -> None:
    text = (
        HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 for so, huyen, 2 for so { yes_no x }\n'
    )
    error = only(text)
    assert at(error) == ("E221", 5, 38)
    assert error.message == "criterion 1 sets its max for «so» twice"


def test_e221_two_default_maxima_read_as_a_decimal_comma() -> None:
    # "max 1, 2" gives every unit two maxima: most likely a Vietnamese decimal comma (1,2)
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1, 2 { yes_no x }\n'
    error = only(text)
    assert at(error) == ("E221", 5, 21)
    assert error.message == "two maxima for every unit type"
    assert error.hint == "a decimal is written with a dot: 1.2, not 1,2"


def test_e221_max_of_zero() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 0 { yes_no x }\n'
    error = only(text)
    assert at(error) == ("E221", 5, 21)
    assert error.hint == "to leave a node out for some units, use `except` or `only`"


def test_e222_unit_type_in_two_band_tables_and_two_blocks() -> None:
    text = HEAD + (
        'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\n'
        'bands for so { "Tốt" from 80% }\n'
        'bands { "Tốt" from 90% }\n'
        'ranking { block "A" so; block "B" so }\n'
    )
    e222 = [d for d in diagnose(text) if d.code == "E222"]
    assert [d.message for d in e222] == [
        "«so» appears in two band tables",
        "«so» appears in two ranking blocks",
    ]
    assert e222[0].labels[1].message == "first here"


# --- all at once --------------------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_in_one_run() -> None:
    text = HEAD + (
        "effective 31/02/2024\n"  # E104 (builder)
        "inputs { p: percent }\n"
        'criterion 1 "A" max 1 { yes_no q }\n'  # E201 (types)
        # E204 (structure), E212 (types):
        'criterion 1 "B" max 1 { steps p { from 95: 1; otherwise: 0 } }\n'
    )
    found = diagnose(text)
    assert sorted(at(d) for d in found) == [
        ("E104", 4, 11),
        ("E201", 6, 32),
        ("E204", 7, 11),
        ("E212", 7, 40),
    ]


def test_load_policy_text_raises_with_every_diagnostic() -> None:
    text = 'inputs { x: yes_no }\ncriterion 1 "A" { yes_no y }\n'
    with pytest.raises(CchcError) as caught:
        load_policy_text(text)
    # y is not declared (E201) and x is declared but never read (E350, a warning)
    codes_found = sorted(d.code for d in caught.value.diagnostics)
    assert codes_found == ["E201", "E211", "E211", "E218", "E350"]


def test_checks_run_on_a_policy_with_builder_errors() -> None:
    # an unknown input type falls back to `number`, so the yes/no rule over it is a type error
    found = codes(HEAD + 'inputs { x: yes_noo }\ncriterion 1 "A" max 1 { yes_no x }\n')
    assert found == ["E203", "E206"]


def test_a_clean_policy_builds_the_expected_tree() -> None:
    text = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\n'
    policy, found = check_source(SourceFile.from_text(text))
    assert found == ()
    assert policy is not None
    assert policy.nodes[0].rule == n.YesNo(n.InputRef("x"))


def test_a_percent_input_range_is_written_in_percent() -> None:
    text = HEAD + "inputs { p: percent in 0 .. 50 }\n"
    error = only(text)
    assert at(error) == ("E212", 4, 29)
    assert error.hint == "write 50%"


def test_a_percent_input_range_in_percent_is_clean_and_stored_as_fractions() -> None:
    text = HEAD + 'inputs { p: percent in 10% .. 50% }\ncriterion 1 "A" max 1 { proportional p }\n'
    policy = load_policy_text(text)
    (decl,) = policy.policy.inputs
    assert decl.low is not None and decl.high is not None
    assert (decl.low.value, decl.high.value) == (Decimal("0.1"), Decimal("0.5"))


# --- conflicts (E3xx): the edges of the interval analysis ----------------------------------------

STEPS_HEAD = HEAD + "inputs { c: count; x: number; p: percent; a: count; b: count in 1 .. 1000 }\n"


def _steps(subject: str, table: str) -> list[str]:
    """The codes of a one-criterion policy scoring `subject` by `table` (a max of 5)."""
    text = STEPS_HEAD + f'criterion 1 "A" max 5 {{ steps {subject} {{ {table} }} }}\n'
    return [d.code for d in diagnose(text) if d.code.startswith("E3")]


def test_a_count_has_no_values_between_whole_numbers() -> None:
    # counts are whole: "to 2" and "from 3" leave nothing out; a plain number could be 2.5
    assert _steps("c", "to 2: 1; from 3: 2") == []
    assert _steps("x", "to 2: 1; from 3: 2") == ["E311"]


def test_a_share_of_counts_runs_0_to_100_percent() -> None:
    # a / b is a share: from 90% and below 90% cover it all, and nothing above 100% is asked for
    assert _steps("a / b", "from 90%: 5; below 90%: 1") == []
    # a percent input is 0–100 % too: "from 50%" + "below 50%" is complete
    assert _steps("p", "from 50%: 5; below 50%: 0") == []
    # but "to 99%" and "from 100%"… leave 99.5% out
    assert _steps("p", "to 99%: 1; from 100%: 5") == ["E311"]


def test_the_gap_witness_is_the_value_a_drafter_would_try() -> None:
    text = STEPS_HEAD + 'criterion 1 "A" max 5 { steps p { from 90%: 5; below 80%: 1 } }\n'
    (error,) = [d for d in diagnose(text) if d.code == "E311"]
    assert error.message == "no step of criterion 1 takes 80%, and there is no `otherwise`"


def test_points_above_a_tag_max() -> None:
    # special agencies (tag dac_thu) have a max of 1 here, but the table gives 5
    text = HEAD + (
        "inputs { p: percent }\n"
        'criterion 1 "A" max 5 for so, huyen, 1 for dac_thu {\n'
        "  steps p { from 90%: 5; otherwise: 0 }\n}\n"
    )
    (error,) = [d for d in diagnose(text) if d.code == "E313"]
    assert (
        error.message == "criterion 1 («from 90%: 5») can give 5, outside 0 .. 1 for so + dac_thu"
    )


def test_a_zero_denominator_guarded_or_declared_impossible_is_fine() -> None:
    rule = 'criterion 1 "A" max 2 { proportional a / b }\n'
    guarded = 'criterion 1 "A" max 2 { proportional a / c; when c = 0: not_applicable full }\n'
    assert [d.code for d in diagnose(STEPS_HEAD + rule)] == []  # b is declared 1 .. 1000
    assert [d.code for d in diagnose(STEPS_HEAD + guarded)] == []
    unguarded = 'criterion 1 "A" max 2 { proportional a / c }\n'
    assert [d.code for d in diagnose(STEPS_HEAD + unguarded)] == ["E315"]


@pytest.mark.parametrize(
    ("guard", "found"),
    [
        ("when c = 0", []),
        ("when c < 1", []),  # a count below 1 is 0
        ("when not c > 0", []),
        ("when c = 0 or a = 0", []),
        ("when c > 0", ["E315"]),  # the guard turned round: 0 goes on to the division
        ("when c < 0", ["E315"]),  # a count is never below 0
        ("when c = 0 and a > 5", ["E315"]),  # c = 0 with a ≤ 5 still divides by 0
        ("when a = 0", ["E315"]),  # guards the numerator
    ],
)
def test_e315_a_guard_must_hold_whenever_the_denominator_is_0(guard: str, found: list[str]) -> None:
    rule = f'criterion 1 "A" max 2 {{ proportional a / c; {guard}: not_applicable full }}\n'
    assert [d.code for d in diagnose(STEPS_HEAD + rule) if d.code == "E315"] == found


@pytest.mark.parametrize(
    ("rate", "found"),
    [
        ("p", []),  # a percent lies in 0% .. 100%
        ("a / b", []),  # counts over counts are read as a share
        ("a / (b - c)", []),  # so is a count over a difference of counts
        ("min(a / 2, 100%)", []),  # min(…, 100%) never goes above 100%
        ("min(x / b, 100%)", ["E313"]),  # x is a number with no range: it may be below 0
        ("x / b", ["E313"]),  # a plain number over a count: anything from 0 up
        ("max(p, x / b)", ["E313"]),
    ],
)
def test_e313_a_proportional_rate_that_can_leave_0_to_100_percent(
    rate: str, found: list[str]
) -> None:
    text = STEPS_HEAD + f'criterion 1 "A" max 2 {{ proportional {rate} }}\n'
    assert [d.code for d in diagnose(text) if d.code == "E313"] == found


def test_e313_names_the_rate_that_goes_too_far() -> None:
    # x is a number with no upper bound, so x / b has no upper bound; 200 % is the witness
    # shown: 200 % of the max of 2 is 4 points
    text = STEPS_HEAD + 'criterion 1 "A" max 2 { proportional x / b }\n'
    (error,) = [d for d in diagnose(text) if d.code == "E313"]
    assert error.message == (
        "criterion 1 (proportional, at a rate of 200%) can give 4, outside 0 .. 2 for so"
    )


def test_an_outcome_on_a_percent_above_100_cannot_arise() -> None:
    text = STEPS_HEAD + (
        'criterion 1 "A" max 2 { proportional p; when p > 100%: not_applicable excluded }\n'
    )
    (warning,) = diagnose(text)
    assert warning.code == "E320"
    assert "for p in 0% .. 100%" in warning.message


def test_band_bounds_inclusive_and_exclusive() -> None:
    base = HEAD + 'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\n'
    complete = 'bands { "Tốt" from 80%; "Khá" from 70% below 80%; "Kém" below 70% }\n'
    assert diagnose(base + complete) == []
    # "to 80%" and "from 80%" both take exactly 80%
    overlapping = 'bands { "Tốt" from 80%; "Khá" from 70% to 80%; "Kém" below 70% }\n'
    (error,) = diagnose(base + overlapping)
    assert (error.code, error.message) == (
        "E330",
        "bands «Tốt» and «Khá» both take an index of 80%",
    )


def test_bands_must_reach_above_100_when_the_total_may() -> None:
    # with no upper clamp and a bonus aimed at the index, an index of 101% needs a band
    base = HEAD + (
        'inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no x }\n'
        'bonus B1 "Sáng kiến" max 5 applies_to index { yes_no x }\ntotal clamp 0 ..\n'
    )
    capped = 'bands { "Tốt" from 80% to 100%; "Kém" below 80% }\n'
    codes_found = [d.code for d in diagnose(base + capped)]
    assert "E332" in codes_found
    open_ended = 'bands { "Tốt" from 80%; "Kém" below 80% }\n'
    assert "E332" not in [d.code for d in diagnose(base + open_ended)]


def test_the_unused_input_check_counts_every_place_an_input_is_read() -> None:
    text = HEAD + (
        "inputs { a: count; b: count in 1 .. 9; g: yes_no; lo: number }\n"
        'criterion 1 "A" max 1 { formula a / b clamp 0 .. max; when not g: not_done }\n'
    )
    (warning,) = diagnose(text, keep=frozenset({"E350"}))
    assert (warning.code, warning.message) == (
        "E350",
        "the input «lo» is declared but no rule reads it",
    )
