"""`cchc_dsl.annex`: the criteria table as a regulation's annex prints it, in four formats."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_dsl import annex
from cchc_dsl import nodes as n
from cchc_dsl.api import load_policy, load_policy_text

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "annex"
EXAMPLE = ROOT / "policies" / "example" / "mau.cchc"
CONSTRUCTS_EN = ROOT / "tests" / "data" / "constructs.en.cchc"
CONSTRUCTS_VI = ROOT / "tests" / "data" / "constructs.vi.cchc"

RENDERERS = {
    "txt": annex.annex_text,
    "md": annex.annex_markdown,
    "csv": annex.annex_csv,
    "json": annex.annex_json,
}

HEAD = """
regulation "Thử"
decision "01/QĐ-UBND"
rounding half_up 2
unit_types { so "Sở" huyen "Huyện" tag dac_thu "Đặc thù" }
"""


def policy_of(body: str, inputs: str = "") -> n.Policy:
    """A small policy: the shared head, the inputs given, then `body` (fields and adjustments)."""
    return load_policy_text(f"{HEAD}\ninputs {{\n{inputs}\n}}\n{body}", "t.cchc").policy


def leaf(body: str, inputs: str, header: str = "max 2") -> n.Policy:
    """One field holding one criterion 1.1 with `body`; a survey block when a survey is read."""
    survey = "survey { if_missing zero }" if ": survey" in inputs else ""
    return policy_of(f'field 1 "F" {{ criterion 1.1 "C" {header} {{ {body} }} }} {survey}', inputs)


def row(policy: n.Policy, stt: str, unit_type: str | None = None) -> annex.AnnexRow:
    return next(r for r in annex.annex_rows(policy, unit_type) if r.stt == stt)


def method(body: str, inputs: str, header: str = "max 2") -> str:
    return row(leaf(body, inputs, header), "1.1").method


@pytest.fixture(scope="module")
def example() -> n.Policy:
    return load_policy(EXAMPLE).policy


@pytest.fixture(scope="module")
def constructs() -> n.Policy:
    return load_policy(CONSTRUCTS_EN).policy


# --- golden files of the example regulation ------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(RENDERERS))
def test_example_annex_matches_golden(example: n.Policy, suffix: str, golden) -> None:  # type: ignore[no-untyped-def]
    golden(GOLDEN / f"mau.{suffix}", RENDERERS[suffix](example))


def test_one_unit_type_matches_golden(constructs: n.Policy, golden) -> None:  # type: ignore[no-untyped-def]
    golden(GOLDEN / "constructs-huyen.txt", annex.annex_text(constructs, "huyen"))


def test_a_regulation_with_one_unit_type_shows_the_same_for_it(example: n.Policy) -> None:
    assert annex.annex_text(example, "so") == annex.annex_text(example)


# --- rows and maxima -----------------------------------------------------------------------------


def test_rows_follow_the_tree_then_the_adjustments(example: n.Policy) -> None:
    rows = annex.annex_rows(example)
    assert [r.stt for r in rows][:5] == ["1", "1.1", "1.2", "1.3", "2"]
    assert rows[-1].stt == "D1"
    assert (rows[0].level, rows[0].kind) == (0, "lĩnh vực")
    assert (rows[1].level, rows[1].kind) == (1, "tiêu chí")
    assert (rows[-1].level, rows[-1].kind) == (0, "điểm trừ")
    assert rows[1].citation == "Phụ lục, mục 1.1"
    assert rows[0].method == ""  # parents score as the sum of their children


def test_english_and_vietnamese_texts_give_the_same_annex() -> None:
    english = load_policy(CONSTRUCTS_EN).policy
    vietnamese = load_policy(CONSTRUCTS_VI).policy
    assert annex.annex_rows(english) == annex.annex_rows(vietnamese)


def test_parent_maxima_are_the_sums_of_the_children_that_apply(constructs: n.Policy) -> None:
    # field 1 writes "max 11 for so, 8 for huyen, dac_thu": a parent's max is its children's sum,
    # so 2 + 3 (1.2, only so) + 5 (1.3) + 1 = 11; huyen 2 + 5 + 1 = 8; any dac_thu unit 8.
    field = row(constructs, "1")
    assert field.maxima == (("so", "11"), ("huyen", "8"))
    assert field.notes == ("dac_thu: 8",)
    assert row(constructs, "1.3").maxima == (("so", "5"), ("huyen", "5"))
    assert row(constructs, "1.3.3").maxima == (("so", "1"), ("huyen", "1"))
    only_so = row(constructs, "1.2")
    assert only_so.maxima == (("so", "3"), ("huyen", ""))
    assert only_so.notes == ("chỉ so", "trừ dac_thu")
    assert row(constructs, "1.1").notes == ("assumption: modelled on 876",)


def test_sums_are_exact_decimals() -> None:
    policy = policy_of(
        """
        field 1 "F" {
          criterion 1.1 "A" max 0.1 { yes_no y }
          criterion 1.2 "B" max 0.2 { yes_no y }
          criterion 1.3 "C" max 14.2 { yes_no y }
        }
        """,
        "y: yes_no",
    )
    assert row(policy, "1").maxima == (("so", "14.5"), ("huyen", "14.5"))
    assert annex.annex_dict(policy)["total"] == {
        "maxima": {"so": "14.5", "huyen": "14.5"},
        "notes": [],
    }


def test_tag_maxima_and_applicability_go_in_the_notes() -> None:
    policy = policy_of(
        """
        field 1 "F" {
          criterion 1.1 "A" max 2 for so, 4 for huyen, 0.5 for dac_thu { yes_no y }
          criterion 1.2 "B" max 1 except dac_thu { yes_no y }
          criterion 1.3 "C" max 2 only dac_thu { yes_no y }
          criterion 1.4 "D" max 3 only huyen { yes_no y }
        }
        """,
        "y: yes_no",
    )
    a, b, c, d = (row(policy, f"1.{i}") for i in range(1, 5))
    assert (a.maxima, a.notes) == ((("so", "2"), ("huyen", "4")), ("dac_thu: 0.5",))
    assert (b.maxima, b.notes) == ((("so", "1"), ("huyen", "1")), ("trừ dac_thu",))
    assert (c.maxima, c.notes) == ((("so", ""), ("huyen", "")), ("chỉ dac_thu", "dac_thu: 2"))
    assert (d.maxima, d.notes) == ((("so", ""), ("huyen", "3")), ("chỉ huyen",))
    # plain units: so 2 + 1 = 3, huyen 4 + 1 + 3 = 8; dac_thu: so 0.5 + 2, huyen 0.5 + 2 + 3
    field = row(policy, "1")
    assert field.maxima == (("so", "3"), ("huyen", "8"))
    assert field.notes == ("dac_thu: 2.5 (so), 5.5 (huyen)",)
    total = annex.annex_dict(policy)["total"]
    assert total == {
        "maxima": {"so": "3", "huyen": "8"},
        "notes": ["dac_thu: 2.5 (so), 5.5 (huyen)"],
    }
    after_total = " ".join(annex.annex_text(policy).split("Tổng", 1)[1].split())
    assert after_total.startswith("3 8 dac_thu: 2.5 (so), 5.5 (huyen)")


def test_a_parent_that_leaves_a_tag_out_speaks_for_its_children() -> None:
    policy = policy_of(
        """
        field 1 "F" except dac_thu { criterion 1.1 "A" max 2 { yes_no y } }
        field 2 "G" { criterion 2.1 "B" max 5 except dac_thu { yes_no y } }
        field 3 "H" { criterion 3.1 "C" max 1 { yes_no y } }
        """,
        "y: yes_no",
    )
    assert row(policy, "1").notes == ("trừ dac_thu",)
    assert row(policy, "1.1").notes == ()
    assert row(policy, "2").notes == ("dac_thu: 0",)  # every child is left out for dac_thu
    assert annex.annex_dict(policy)["total"] == {
        "maxima": {"so": "8", "huyen": "8"},
        "notes": ["dac_thu: 1"],
    }


def test_example_total_says_what_tagged_units_are_scored_on(example: n.Policy) -> None:
    total_line = next(line for line in annex.annex_text(example).splitlines() if "Tổng" in line)
    assert total_line.split() == ["Tổng", "100", "dac_thu:", "92"]


# --- one unit type -------------------------------------------------------------------------------


def test_one_unit_type_keeps_only_its_rows_and_its_column(constructs: n.Policy) -> None:
    huyen = annex.annex_rows(constructs, "huyen")
    assert "1.2" not in {r.stt for r in huyen}  # only so
    assert "B1" in {r.stt for r in huyen}  # only huyen
    assert all(r.maxima == (("huyen", r.maxima[0][1]),) for r in huyen)
    assert row(constructs, "1", "huyen").maxima == (("huyen", "8"),)
    so = annex.annex_rows(constructs, "so")
    assert "B1" not in {r.stt for r in so}
    assert row(constructs, "1", "so").maxima == (("so", "11"),)


def test_one_unit_type_in_every_format(constructs: n.Policy) -> None:
    header = annex.annex_csv(constructs, "so").splitlines()[0]
    assert header == "stt,level,kind,title,max_so,method,citation,notes"
    data = json.loads(annex.annex_json(constructs, "huyen"))
    assert data["unit_types"] == [{"name": "huyen", "title": "Huyện"}]
    assert data["total"]["maxima"] == {"huyen": "13"}
    assert "Điểm tối đa (Sở)" not in annex.annex_markdown(constructs, "huyen")
    assert "Điểm tối đa (Huyện)" in annex.annex_markdown(constructs, "huyen")


def test_rows_reached_only_through_a_tag_are_shown_for_the_unit_type() -> None:
    policy = leaf("yes_no y", "y: yes_no", header="max 2 only dac_thu")
    assert [r.stt for r in annex.annex_rows(policy, "so")] == ["1", "1.1"]
    assert row(policy, "1.1", "so").maxima == (("so", ""),)


def test_band_tables_for_one_unit_type_are_the_one_it_uses() -> None:
    policy = policy_of(
        """
        field 1 "F" { criterion 1.1 "A" max 1 { yes_no y } }
        bands for so { "Tốt" from 90%; "Kém" below 90% }
        bands for huyen { "Đạt" from 50%; "Không đạt" below 50% }
        """,
        "y: yes_no",
    )
    assert len(annex.annex_dict(policy)["bands"]) == 2  # type: ignore[arg-type]
    so = annex.annex_dict(policy, "so")["bands"]
    huyen = annex.annex_dict(policy, "huyen")["bands"]
    assert [b["name"] for b in so[0]["bands"]] == ["Tốt", "Kém"]  # type: ignore[index]
    assert [b["name"] for b in huyen[0]["bands"]] == ["Đạt", "Không đạt"]  # type: ignore[index]


def test_an_unknown_unit_type_is_refused(constructs: n.Policy) -> None:
    with pytest.raises(
        ValueError, match="unknown unit type 'xa'; the regulation declares: so, huyen"
    ):
        annex.annex_rows(constructs, "xa")
    with pytest.raises(ValueError, match="dac_thu"):
        annex.annex_text(constructs, "dac_thu")  # a tag, not a unit type


# --- the scoring method, rule by rule ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "inputs", "expected"),
    [
        ("yes_no y", "y: yes_no", "Có: 2; Không: 0"),
        ("yes_no c = 4", "c: count", "Có: 2; Không: 0 (c = 4)"),
        ("yes_no c >= 4 and not y", "c: count\ny: yes_no", "Có: 2; Không: 0 (c ≥ 4 và không y)"),
        (
            "yes_no y = false or c != 0",
            "c: count\ny: yes_no",
            "Có: 2; Không: 0 (y = không hoặc c ≠ 0)",
        ),
        (
            "proportional p",
            'p: percent "Tỷ lệ hồ sơ nộp trực tuyến"',
            "Tỷ lệ hồ sơ nộp trực tuyến × điểm tối đa",
        ),
        ("proportional p", 'p: percent "Hồ sơ đúng hạn"', "Tỷ lệ hồ sơ đúng hạn × điểm tối đa"),
        ("proportional p", "p: percent", "Tỷ lệ p × điểm tối đa"),
        ("proportional a / b", "a: count\nb: count", "Tỷ lệ (a / b) × điểm tối đa"),
        (
            "steps p { = 100%: 2; from 95% to below 100%: 1.5; above 50% below 95%: 1;"
            " below 10%: 0.25; otherwise: 0.5 }",
            "p: percent",
            "= 100%: 2; Từ 95% đến dưới 100%: 1.5; Trên 50% đến dưới 95%: 1; Dưới 10%: 0.25;"
            " Còn lại: 0.5",
        ),
        ("steps c { from 10: 2; to 9: 1 }", "c: count", "Từ 10: 2; Đến 9: 1"),
        (
            "steps a / b { from 90%: 2; otherwise: 0 }",
            "a: count\nb: count",
            "Từ 90%: 2; Còn lại: 0 (theo a / b)",
        ),
        (
            "deadline d { by 31/01/2020: 2; late at_most 15 days: 0.5; otherwise: 0 }",
            "d: date",
            "Đúng hạn (đến ngày 31/01/2020): 2; trễ không quá 15 ngày: 0.5; còn lại: 0",
        ),
        (
            "deadline d { by 2020-01-31: 2; late at_most 5 days: 1; late at_most 15 days: 0.5 }",
            "d: date",
            "Đúng hạn (đến ngày 31/01/2020): 2; trễ không quá 5 ngày: 1;"
            " trễ không quá 15 ngày: 0.5",
        ),
        ("judged j step 0.25", "j: points", "Hội đồng thẩm định chấm, từ 0 đến 2, bước 0.25"),
        (
            "per_item c: 0.5",
            'c: count "Số báo cáo gửi đúng hạn"',
            "0.5 điểm/báo cáo gửi đúng hạn, tối đa 2",
        ),
        ("per_item c: 1", 'c: count "Số lượng TTHC"', "1 điểm/TTHC, tối đa 2"),
        ("per_item c: 1", "c: count", "1 điểm/c, tối đa 2"),
        ("survey s", "s: survey", "Điều tra xã hội học: tỷ lệ × điểm tối đa"),
        (
            "survey s { from 80%: 2; below 80%: 1 }",
            "s: survey",
            "Điều tra xã hội học. Từ 80%: 2; Dưới 80%: 1",
        ),
        (
            "formula a / b * 10 clamp 0 .. max",
            "a: count\nb: count",
            "Công thức: a / b × 10 (giới hạn 0 .. tối đa)",
        ),
        (
            "formula min(a * 2, max(a - 1, 0)) / 100 + (-1 + 1) clamp 0 .. 2",
            "a: count",
            "Công thức: tối thiểu(a × 2, tối đa(a - 1, 0)) / 100 + (-1 + 1) (giới hạn 0 .. 2)",
        ),
    ],
)
def test_method_text_for_each_rule(body: str, inputs: str, expected: str) -> None:
    assert method(body, inputs) == expected


def test_outcomes_optional_inputs_and_evidence_are_appended() -> None:
    text = (
        method(
            """
        steps a / b { from 95%: 2; otherwise: 0 }
        when b = 0: not_applicable full
        when b < 0: not_applicable excluded
        when not y: not_done
        evidence_required
        """,
            'a: count\nb: count\ny: yes_no\nk: date "Ngày ban hành kế hoạch" optional',
        )
        + "|"
        + method(
            "deadline k { by 2024-01-31: 2 }",
            'k: date "Ngày ban hành kế hoạch" optional',
        )
    )
    first, second = text.split("|")
    assert first == (
        "Từ 95%: 2; Còn lại: 0 (theo a / b); Không phát sinh (b = 0): đủ điểm;"
        " Không phát sinh (b < 0): loại khỏi điểm tối đa; Chưa thực hiện (không y): 0;"
        " Phải có tài liệu kiểm chứng"
    )
    assert second == (
        "Đúng hạn (đến ngày 31/01/2024): 2; Chưa thực hiện (không có ngày ban hành kế hoạch): 0"
    )


def test_a_max_that_varies_by_unit_is_named_not_given() -> None:
    assert method("yes_no y", "y: yes_no", "max 2 for so, 3 for huyen") == (
        "Có: điểm tối đa; Không: 0"
    )
    varied = leaf("judged j step 0.5", "j: points", "max 2, 1 for dac_thu")
    assert row(varied, "1.1").method == "Hội đồng thẩm định chấm, từ 0 đến điểm tối đa, bước 0.5"
    assert row(varied, "1.1").notes == ("dac_thu: 1",)
    # shown for one unit type, the max is one figure again
    split = leaf("yes_no y", "y: yes_no", "max 2 for so, 3 for huyen")
    assert row(split, "1.1", "huyen").method == "Có: 3; Không: 0"


def test_describe_rule_takes_the_inputs_declared() -> None:
    rule = n.Proportional(n.InputRef("p"))
    inputs = {"p": n.InputDecl("p", n.InputType.PERCENT, "Tỷ lệ số hóa")}
    assert annex.describe_rule(rule, inputs) == "Tỷ lệ số hóa × điểm tối đa"
    assert annex.describe_rule(rule, {}) == "Tỷ lệ p × điểm tối đa"
    per_item = n.PerItem(n.InputRef("c"), Decimal("0.25"))
    assert annex.describe_rule(per_item, {}, "1") == "0.25 điểm/c, tối đa 1"


def test_adjustments_say_where_they_apply_and_their_group(constructs: n.Policy) -> None:
    b1, d1, d2 = (row(constructs, stt) for stt in ("B1", "D1", "D2"))
    assert (b1.kind, b1.maxima, b1.method) == (
        "điểm cộng",
        (("so", ""), ("huyen", "1")),
        "Có: 1; Không: 0 (p > 85%)",
    )
    assert b1.notes == ("chỉ huyen", "cộng vào tổng điểm")
    assert d1.notes == ("trừ vào mục 1", "nhóm «Trừ chung»: cả nhóm tối đa 2")
    assert d2.method == "Có: 1; Không: 0 (y = không)"
    assert d2.notes[0] == "trừ vào chỉ số (sau khi quy ra %)"


# --- expressions ---------------------------------------------------------------------------------


def _expr(text: str) -> n.Expr:
    rule = leaf(f"formula {text} clamp 0 .. max", "a: number\nb: number\nc: number").nodes[0]
    formula = rule.children[0].rule
    assert isinstance(formula, n.Formula)
    return formula.expr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a - (b - c)", "a - (b - c)"),
        ("a - b - c", "a - b - c"),
        ("(a + b) * c", "(a + b) × c"),
        ("a + b * c", "a + b × c"),
        ("a / (b * c)", "a / (b × c)"),
        ("-(a + b)", "-(a + b)"),
        ("-a * b", "-a × b"),
        ("max(a, 1.50) ÷ 2", "tối đa(a, 1.5) / 2"),
    ],
)
def test_arithmetic_is_printed_with_only_the_brackets_it_needs(text: str, expected: str) -> None:
    assert annex.expression_text(_expr(text)) == expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("not (a > 1 and b > 1)", "không (a > 1 và b > 1)"),
        ("(a > 1 or b > 1) and c > 1", "(a > 1 hoặc b > 1) và c > 1"),
        ("a > 1 or b > 1 and c > 1", "a > 1 hoặc b > 1 và c > 1"),
        ("a + 1 <= b * 2", "a + 1 ≤ b × 2"),
        ("d >= 2024-01-31", "d ≥ 31/01/2024"),
        ("p = 95%", "p = 95%"),
    ],
)
def test_conditions_are_printed_in_vietnamese(condition: str, expected: str) -> None:
    policy = leaf(f"yes_no {condition}", "a: number\nb: number\nc: number\nd: date\np: percent")
    node_rule = policy.nodes[0].children[0].rule
    assert isinstance(node_rule, n.YesNo)
    assert annex.expression_text(node_rule.condition) == expected


# --- the formats ---------------------------------------------------------------------------------


def test_text_has_the_annex_headers_and_indents_titles_by_level(constructs: n.Policy) -> None:
    text = annex.annex_text(constructs)
    assert text.startswith(
        "PHỤ LỤC\nConstruct tour\n"
        "(Kèm theo Quyết định số 99/QĐ-UBND ngày 15/01/2024 của UBND tỉnh Mẫu)\n"
    )
    assert (
        "Căn cứ: 876/QĐ-BNV; 1150/QĐ-BNV\nHiệu lực: từ 01/02/2024; hết hiệu lực từ 31/12/2025\n"
        in text
    )
    header = text.split("\n\n")[2].splitlines()[0]
    for word in ("STT", "Nội dung", "Điểm tối đa", "Phương pháp chấm điểm", "Căn cứ", "Ghi chú"):
        assert word in header
    lines = text.splitlines()
    title_column = header.index("Nội dung")

    def title_at(stt: str) -> str:
        line = next(x for x in lines if x.startswith(f"{stt} "))
        return line[title_column:]

    assert title_at("1").startswith("Lĩnh vực")
    assert title_at("1.3").startswith("  Nhóm")
    assert title_at("1.3.1").startswith("    Tỷ lệ")
    for section in ("Điểm cộng, điểm trừ", "Xếp loại (Sở; Huyện)", "Cách tính"):
        assert f"\n{section}\n" in text
    assert "làm tròn một lần đến 3 chữ số thập phân (nửa chẵn)" in text
    assert (
        "- Điều tra xã hội học chiếm 30 trên 100 điểm: tổng điểm = điểm thẩm định ÷ điểm tối đa"
        " thẩm định × 70 + điểm điều tra ÷ điểm tối đa điều tra × 30\n"
    ) in text


def test_markdown_is_github_tables_with_fields_in_bold(constructs: n.Policy) -> None:
    text = annex.annex_markdown(constructs)
    assert text.startswith("# PHỤ LỤC\n\n**Construct tour**\n\n*(Kèm theo")
    assert "| STT   | Nội dung" in text
    assert "| **Lĩnh vực** |" in text
    assert "| **Tổng**     |" in text
    assert "## Điểm cộng, điểm trừ" in text
    assert "| Thưởng " in text  # adjustments are not fields: not bold
    assert "**Thưởng**" not in text


def test_markdown_escapes_pipes() -> None:
    policy = policy_of('field 1 "A | B" { criterion 1.1 "C" max 1 { yes_no y } }', "y: yes_no")
    assert "A \\| B" in annex.annex_markdown(policy)


def test_csv_has_one_line_per_row(constructs: n.Policy) -> None:
    text = annex.annex_csv(constructs)
    records = list(csv.DictReader(io.StringIO(text)))
    assert list(records[0]) == [
        "stt",
        "level",
        "kind",
        "title",
        "max_so",
        "max_huyen",
        "method",
        "citation",
        "notes",
    ]
    assert [r["stt"] for r in records] == [r.stt for r in annex.annex_rows(constructs)]
    first = records[0]
    assert (first["max_so"], first["max_huyen"], first["notes"]) == ("11", "8", "dac_thu: 8")
    assert records[2]["notes"] == "chỉ so; trừ dac_thu"


def _numbers(value: object, key: str = "") -> list[tuple[str, object]]:
    """Every non-string scalar in a JSON document, with the key it sits under."""
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _numbers(v, k)]
    if isinstance(value, list):
        return [x for v in value for x in _numbers(v, key)]
    return [] if value is None or isinstance(value, str) else [(key, value)]


def test_json_decimals_are_strings(constructs: n.Policy) -> None:
    data = json.loads(annex.annex_json(constructs))
    assert data["format"] == "cchc-dsl/annex/1"
    assert data["regulation"]["decision"] == "99/QĐ-UBND"
    assert data["regulation"]["issued"] == "2024-01-15"
    assert {k for k, v in _numbers(data) if not isinstance(v, bool)} == {"level", "places"}
    assert all(isinstance(v, int) for _, v in _numbers(data))
    first = data["rows"][0]
    assert first["maxima"] == {"so": "11", "huyen": "8"}
    only_so = data["rows"][2]
    assert only_so["maxima"] == {"so": "3", "huyen": None}
    assert data["rounding"] == {"mode": "half_even", "places": 3}
    good = data["bands"][0]["bands"][1]
    assert good == {
        "name": "Khá",
        "index": "từ 70% đến dưới 80%",
        "lower": {"value": "70%", "inclusive": True},
        "upper": {"value": "80%", "inclusive": False},
        "equal": None,
    }
