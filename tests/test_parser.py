"""The parser: syntax errors as E1xx diagnostics with exact positions, and the lexing rules.

Every line and column below is counted by hand from the test text (1-based, in NFC characters).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import lark
import pytest

from cchc_dsl import nodes as n
from cchc_dsl.api import check_source
from cchc_dsl.diagnostics import Diagnostic, DiagnosticSink
from cchc_dsl.parser import build_parser, parse
from cchc_dsl.source import SourceFile
from tests.helpers import at, clean

DATA = Path(__file__).resolve().parent / "data"

# Signs that a message leaks the grammar instead of speaking the drafter's words: Lark's terminal
# names (RBRACE, KW_MAX, $END), or regex syntax from a keyword's pattern.
RAW_GRAMMAR = re.compile(r"KW_|\$END|\b[A-Z]{3,}(_[A-Z]+)*\b|\[ |\t|\(\?!|\\w|\\/")

HEAD = 'regulation "T"\nrounding half_up 2\nunit_types { so "Sở" }\n'


def syntax_errors(text: str) -> tuple[lark.Tree[lark.Token] | None, list[Diagnostic]]:
    sink = DiagnosticSink()
    tree = parse(SourceFile.from_text(text, "t.cchc"), sink)
    return tree, list(sink)


def one_error(text: str) -> Diagnostic:
    tree, found = syntax_errors(text)
    assert tree is None
    assert len(found) == 1, [d.one_line() for d in found]
    return found[0]


# --- E101 unexpected character ------------------------------------------------------------------


def test_e101_unexpected_character_with_position() -> None:
    error = one_error('regulation "T"\nrounding half_up 2 @\n')
    assert at(error) == ("E101", 2, 20)
    assert error.message == "unexpected character '@'"
    assert error.span is not None and error.span.end_column == 21


def test_e101_inside_an_expression() -> None:
    text = HEAD + 'inputs { x: count }\ncriterion 1 "A" max 1 { yes_no x $ 2 }\n'
    error = one_error(text)
    assert at(error) == ("E101", 5, 34)
    assert "'$'" in error.message


# --- E102 unexpected token ----------------------------------------------------------------------


def test_e102_names_the_token_and_what_was_expected() -> None:
    error = one_error('inputs { x: yes_no }\ncriterion 1 "A" max 1 { yes_no (x }\n')
    assert at(error) == ("E102", 2, 35)
    assert error.message == "unexpected «}»; expected ')'"


def test_e102_missing_colon_in_an_input() -> None:
    error = one_error("inputs {\n  x yes_no\n}\n")
    assert at(error) == ("E102", 2, 5)
    assert error.message == "unexpected «yes_no»; expected ':'"


def test_e102_missing_points_before_closing_brace_has_a_hint() -> None:
    error = one_error('inputs { c: count }\ncriterion 1 "A" max 1 { steps c { from 5: } }\n')
    assert at(error) == ("E102", 2, 43)
    assert error.message == "unexpected «}»; expected a number"
    assert error.hint == "the statement before '}' is not complete"


def test_e102_max_without_a_number() -> None:
    error = one_error('criterion 1 "A" max { yes_no x }\n')
    assert at(error) == ("E102", 1, 21)
    assert error.message == "unexpected «{»; expected a name or a number"


def test_e102_spells_a_two_word_keyword_as_the_drafter_types_it() -> None:
    error = one_error('group "G" 3 { }\n')
    assert at(error) == ("E102", 1, 11)
    assert error.message.startswith("unexpected «3»; expected ")
    assert "'max'" in error.message
    assert "tối đa" in error.message
    assert not RAW_GRAMMAR.search(error.message), error.message


def test_e102_expected_due_date_keyword_in_both_languages() -> None:
    text = 'inputs { d: date }\ncriterion 1 "A" max 1 { deadline d { 2024-01-31: 1 } }\n'
    error = one_error(text)
    assert at(error) == ("E102", 2, 38)
    assert error.message.startswith("unexpected «2024»; expected ")
    assert "'by'" in error.message
    assert "chậm nhất" in error.message
    assert not RAW_GRAMMAR.search(error.message), error.message


def test_e102_expected_weight_scale_word() -> None:
    error = one_error("survey { weight 30 100 }\n")
    assert at(error) == ("E102", 1, 20)
    assert "'of'" in error.message
    assert "'above'" in error.message
    assert "trên" in error.message
    assert not RAW_GRAMMAR.search(error.message), error.message


@pytest.mark.parametrize(
    "text",
    [
        'regulation "T"\nrounding half_up 2 }\n',
        'regulation "T"\ntiêu chíx 1 "A" max 1 { yes_no x }\n',
        'criterion 1 "A" max 1 { yes_noo x }\n',
        'criterion 1 "A" max 1 { when x: not_applicable }\n',
        'criterion 1 "A" max 1 { steps p { from 95% 1 } }\n',
        "survey { weight 30 100 }\n",
        'group "G" 3 { }\n',
        'criterion 1 "A" max 1 { yes_no x y }\n',
    ],
    ids=[
        "after-rounding",
        "misspelt-criterion",
        "misspelt-rule",
        "outcome-cut-off",
        "step-without-colon",
        "weight-without-of",
        "group-without-max",
        "two-names",
    ],
)
def test_e102_expected_list_has_no_grammar_internals(text: str) -> None:
    error = one_error(text)
    assert error.code == "E102"
    assert not RAW_GRAMMAR.search(error.message), error.message


# --- E103 unexpected end of file ----------------------------------------------------------------


def test_e103_unclosed_block_points_at_the_end_of_the_file() -> None:
    error = one_error('regulation "T"\nunit_types { so "S"')
    assert at(error) == ("E103", 2, 20)
    assert error.message.startswith("the file ends early; expected ")
    assert "'}'" in error.message
    assert not RAW_GRAMMAR.search(error.message), error.message


def test_e103_after_a_final_line_break_points_at_the_last_text() -> None:
    text = 'inputs { x: yes_no }\nfield 1 "A" {\n  criterion 1.1 "B" max 1 { yes_no x }\n\n'
    error = one_error(text)
    assert at(error) == ("E103", 3, 39)
    assert error.hint == "a block opened with '{' is not closed with '}'"


def test_e103_statement_cut_off() -> None:
    error = one_error("regulation")
    assert at(error) == ("E103", 1, 11)
    assert error.message == 'the file ends early; expected a text in "quotes"'


# --- E107 unterminated string -------------------------------------------------------------------


def test_e107_string_without_closing_quote() -> None:
    error = one_error('regulation "T"\nissuer "UBND tỉnh\nrounding half_up 2\n')
    assert at(error) == ("E107", 2, 8)
    assert error.message == "this string has no closing quote"


def test_e107_inside_a_block() -> None:
    text = 'inputs { x: yes_no }\ncriterion 1 "A" max 1 {\n  yes_no x\n  note "ghi chú\n}\n'
    error = one_error(text)
    assert at(error) == ("E107", 4, 8)


# --- keywords and word boundaries ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "maxx",
        "max2",
        "tổng_x",
        "khix",
        "khi_thiếu",
        "notably",
        "không_x",
        "format",
        "index_x",
        "tox",
        "inx",
        "có_x",
        "mỗi_năm",
        "trừ_điểm",
        "tiêu_chíx",
    ],
)
def test_a_word_that_starts_with_a_keyword_is_a_name(name: str) -> None:
    text = HEAD + f'inputs {{ {name}: yes_no }}\ncriterion 1 "A" max 1 {{ yes_no {name} }}\n'
    policy = clean(text)
    assert policy.inputs[0].name == name
    assert policy.nodes[0].rule == n.YesNo(n.InputRef(name))


def test_tieu_chix_is_not_the_keyword_tieu_chi() -> None:
    # Read as the keyword, the error would be at «1» (a title expected after the id «x»).
    error = one_error('regulation "T"\ntiêu chíx 1 "A" max 1 { có/không x }\n')
    assert at(error) == ("E102", 2, 1)
    assert error.message.startswith("unexpected «tiêu»")


def test_maxx_in_a_header_is_not_max() -> None:
    error = one_error('criterion 1 "A" maxx 1 { yes_no x }\n')
    assert at(error) == ("E102", 1, 17)
    assert error.message.startswith("unexpected «maxx»")


def test_tieu_chi_thanh_phan_is_a_sub_criterion_and_tieu_chi_a_criterion() -> None:
    text = (
        'quy định "T"\nlàm tròn nửa_lên 2\nloại đơn vị { so "Sở" }\nđầu vào { x: có_không }\n'
        'tiêu chí 1 "A" {\n'
        '  tiêu chí thành phần 1.1 "B" tối đa 1 { có/không x }\n'
        '  tiêu  chí 1.2 "C" tối đa 1 { có/không x }\n'
        "}\n"
    )
    policy = clean(text)
    parent = policy.nodes[0]
    assert parent.kind is n.NodeKind.CRITERION
    assert [(c.kind, c.id) for c in parent.children] == [
        (n.NodeKind.SUB_CRITERION, "1.1"),
        (n.NodeKind.CRITERION, "1.2"),
    ]


def test_khong_phat_sinh_is_one_keyword_and_khong_alone_is_not() -> None:
    text = HEAD + (
        "đầu vào { y: có_không; c: số_đếm }\n"
        'tiêu chí 1 "A" tối đa 2 {\n'
        "  có/không y\n"
        "  khi không y: không phát sinh đủ điểm\n"
        "  khi c = 0 và không y: chưa thực hiện\n"
        "}\n"
    )
    policy = clean(text)
    first, second = policy.nodes[0].outcomes
    assert first == n.OutcomeClause(
        n.Unary("not", n.InputRef("y")), n.Outcome.NOT_APPLICABLE, n.NotApplicableEffect.FULL
    )
    assert second.outcome is n.Outcome.NOT_DONE
    assert second.condition == n.Binary(
        "and",
        n.Binary("=", n.InputRef("c"), n.Number(Decimal(0))),
        n.Unary("not", n.InputRef("y")),
    )


def test_khong_qua_is_at_most_in_a_late_step() -> None:
    text = HEAD + (
        "đầu vào { d: ngày_tháng }\n"
        'tiêu chí 1 "A" tối đa 2 {\n'
        "  thời hạn d { chậm nhất 31/01/2024: 2; trễ không quá 5 ngày: 1; còn lại: 0 }\n"
        "}\n"
    )
    rule = clean(text).nodes[0].rule
    assert isinstance(rule, n.Deadline)
    assert rule.late == (n.LateStep(5, Decimal(1)),)


def test_keywords_allow_several_spaces_or_a_tab_between_their_words() -> None:
    spaced = 'quy   định "T"\nlàm\ttròn nửa_lên 2\nloại  đơn vị { so "Sở" }\n'
    plain = 'quy định "T"\nlàm tròn nửa_lên 2\nloại đơn vị { so "Sở" }\n'
    assert clean(spaced) == clean(plain)


# --- Unicode normalisation ----------------------------------------------------------------------


def test_a_decomposed_file_parses_the_same_as_a_composed_one() -> None:
    text = (DATA / "constructs.vi.cchc").read_text("utf-8")
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    nfc_policy, nfc_found = check_source(SourceFile.from_text(text))
    nfd_policy, nfd_found = check_source(SourceFile.from_text(decomposed))
    assert nfc_found == nfd_found == ()
    assert nfd_policy == nfc_policy


def test_columns_count_composed_characters() -> None:
    # q u y _ đ ị n h _ " T i ế n g _ V i ệ t " _ @  → '@' is character 23 in NFC
    # (in NFD "ị", "ế" and "ệ" take 2, 3 and 3 code points, which would put it at 28).
    text = unicodedata.normalize("NFD", 'quy định "Tiếng Việt" @\n')
    error = one_error(text)
    assert at(error) == ("E101", 1, 23)


def test_a_name_declared_composed_and_used_decomposed_is_the_same_name() -> None:
    used = unicodedata.normalize("NFD", "kế_hoạch")
    text = HEAD + f'inputs {{ kế_hoạch: yes_no }}\ncriterion 1 "A" max 1 {{ yes_no {used} }}\n'
    policy = clean(text)
    assert policy.nodes[0].rule == n.YesNo(n.InputRef("kế_hoạch"))


# --- comments and separators --------------------------------------------------------------------

PLAIN = (
    'regulation "Phụ lục #1"\n'
    "rounding half_up 2\n"
    'unit_types { so "Sở" }\n'
    "inputs {\n"
    '  x: yes_no "Có"\n'
    "  c: count\n"
    "}\n"
    'criterion 1 "A" max 2 {\n'
    "  steps c { from 2: 2; from 1 below 2: 1; otherwise: 0 }\n"
    "  when not x: not_done\n"
    "}\n"
)

COMMENTED = (
    "# đầu tệp\n"
    'regulation "Phụ lục #1"   # a comment after a statement\n'
    "rounding half_up 2#no space before it\n"
    'unit_types { # inside a block\n so "Sở" # after a declaration\n}\n'
    "inputs {\n"
    "  # a whole line\n"
    '  x: yes_no "Có"   # after an input\n'
    "  c: count\n"
    "}\n"
    'criterion 1 "A" # between the title and the header\n'
    "  max 2 # before the body\n"
    "{\n"
    "  steps c { # open\n"
    "    from 2: 2  # a step\n"
    "    from 1 below 2: 1\n"
    "    otherwise: 0\n"
    "  }\n"
    "  when not x: not_done # an outcome\n"
    "}\n"
    "# the end, without a line break"
)

WITH_SEMICOLONS = (
    'regulation "Phụ lục #1"; rounding half_up 2;\n'
    'unit_types { so "Sở"; }\n'
    'inputs { x: yes_no "Có"; c: count; }\n'
    'criterion 1 "A" max 2 {\n'
    "  steps c { from 2: 2; from 1 below 2: 1; otherwise: 0; }\n"
    "  when not x: not_done;\n"
    "}\n"
)

WITHOUT_SEMICOLONS = PLAIN.replace(";", "")


def test_comments_are_ignored_everywhere() -> None:
    assert clean(COMMENTED) == clean(PLAIN)


def test_a_hash_inside_a_string_is_text_not_a_comment() -> None:
    assert clean(PLAIN).metadata.title == "Phụ lục #1"


@pytest.mark.parametrize("text", [WITH_SEMICOLONS, WITHOUT_SEMICOLONS])
def test_semicolons_are_optional(text: str) -> None:
    assert clean(text) == clean(PLAIN)


def test_a_comment_does_not_hide_a_position() -> None:
    error = one_error("# one\n# two\nregulation 5 # three\n")
    assert at(error) == ("E102", 3, 12)


# --- the grammar itself -------------------------------------------------------------------------


def test_grammar_loads_in_strict_mode_so_no_terminals_collide() -> None:
    strict = build_parser(strict=True)
    tree = strict.parse((DATA / "constructs.en.cchc").read_text("utf-8"))
    assert tree.data == "start"


def test_a_misspelt_keyword_gets_a_did_you_mean() -> None:
    text = (
        'regulation "x"\nrounding half_up 2\nunit_types { so "S" }\ninputs { x: yes_no }\n'
        'field 1 "a" max 2 {\n  critrion 1.1 "b" max 1 { yes_no x }\n}\n'
    )
    sink = DiagnosticSink()
    assert parse(SourceFile.from_text(text, "t.cchc"), sink) is None
    (error,) = list(sink)
    assert (error.code, error.span.line, error.span.column) == ("E102", 6, 3)  # type: ignore[union-attr]
    assert error.hint == "did you mean «criterion»?"


def test_a_misspelt_vietnamese_keyword_gets_a_did_you_mean() -> None:
    text = (
        'quy định "x"\nlĩnh vực 1 "a" tối đa 2 {\n  tiêu chi 1.1 "b" tối đa 1 { có/không x }\n}\n'
    )
    sink = DiagnosticSink()
    assert parse(SourceFile.from_text(text, "t.cchc"), sink) is None
    (error,) = list(sink)
    assert error.hint == "did you mean «tiêu chí»?"
