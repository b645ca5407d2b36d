"""`policy_diff`: what changed between two regulations, per kind, in order, and as reports.

Each kind is shown by one edit of a small base regulation, with the exact `Change` it gives. The
golden files under `tests/golden/diff/` hold the three reports for a 2018 → 2019 pair of sample
regulations (`tests/data/diff/`); bless them with `pytest --update-golden` and read the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc_dsl import nodes as n
from cchc_dsl.api import load_policy
from cchc_dsl.policy_diff import (
    JSON_FORMAT,
    KIND_HEADINGS,
    Change,
    _rule_text,
    diff_json,
    diff_markdown,
    diff_policies,
    diff_text,
)
from tests.helpers import checked, clean

DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden" / "diff"

BASE = """\
regulation "Mẫu"
decision "1/QĐ-UBND"
effective 2024-01-01
rounding half_up 2
unit_types { so "Sở"; huyen "Huyện"; tag dac_thu "Đặc thù" }
inputs {
  x: yes_no "Có làm"
  r: percent "Tỷ lệ"
  c: count "Số lần" default 0
}
field 1 "Chỉ đạo" cite "Điều 1" {
  criterion 1.1 "Kế hoạch" max 2 { yes_no x }
  criterion 1.2 "Báo cáo" max 3 for so, 2 for huyen { proportional r }
  criterion 1.3 "Kiểm tra" max 1 { yes_no x }
}
field 2 "Thủ tục" {
  criterion 2.1 "Đúng hạn" max 5 cite "Điều 2" { steps r { from 90%: 5; otherwise: 0 } }
}
bonus B1 "Sáng kiến" max 1 { yes_no x }
group "Trừ chung" max 2 {
  deduction D1 "Kỷ luật" max 1 cite "Điều 5" { per_item c: 1 }
}
bands { "Tốt" from 80%; "Chưa tốt" below 80% }
"""


def edited(*edits: tuple[str, str], base: str = BASE) -> n.Policy:
    """The base regulation with each `old` text (found exactly once) replaced by `new`; it must
    have no error (warnings, such as a bonus over an unclamped total, are the checks' business)."""
    text = base
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    policy, found = checked(text)
    assert not [d for d in found if d.severity.value == "error"], [d.one_line() for d in found]
    return policy


def diff(*edits: tuple[str, str]) -> tuple[Change, ...]:
    return diff_policies(clean(BASE), edited(*edits))


# --- no change -----------------------------------------------------------------------------------


def test_identical_policies_have_no_change() -> None:
    policy = clean(BASE)
    assert diff_policies(policy, policy) == ()
    assert diff_text(policy, policy, "a.cchc", "b.cchc") == (
        "a.cchc (1/QĐ-UBND, hiệu lực 2024-01-01) → b.cchc (1/QĐ-UBND, hiệu lực 2024-01-01)\n"
        "không có thay đổi\n"
    )
    assert json.loads(diff_json(policy, policy, "a", "b"))["changes"] == []
    assert diff_markdown(policy, policy, "a", "b").endswith("\nKhông có thay đổi.\n")


def test_the_same_regulation_in_two_languages_has_no_change() -> None:
    english = load_policy(DATA / "constructs.en.cchc").policy
    vietnamese = load_policy(DATA / "constructs.vi.cchc").policy
    assert diff_policies(english, vietnamese) == ()


def test_metadata_layout_and_equivalent_writings_are_no_change() -> None:
    """A new decision or date heads the report; `3.0`, reordered names, a written default clamp
    and a default ranking all mean what the base means."""
    assert (
        diff(
            ('decision "1/QĐ-UBND"', 'decision "7/QĐ-UBND"  # năm sau'),
            ("max 3 for so, 2 for huyen", "max 2 for huyen, 3.0 for so"),
            ("bands {", "total clamp 0 .. max\nranking { ties shared }\nbands {"),
            ("{ yes_no x }\n  criterion 1.2", "{\n    yes_no x;\n  }\n  criterion 1.2"),
        )
        == ()
    )


# --- the tree ------------------------------------------------------------------------------------


def test_added_node() -> None:
    assert diff(
        ("  criterion 1.3", '  criterion 1.4 "Mới" max 1 only so { yes_no x }\n  criterion 1.3')
    ) == (
        # field 1 for so: 2 + 3 + 1 = 6 → + 1.4 (only so) = 7; for huyen 2 + 2 + 1 = 5 stays
        Change("max", "1", "6", "7", "Điều 1", "Điều 1", "1 tối đa cho so: 6 → 7"),
        Change(
            "added",
            "1.4",
            "",
            "tiêu chí «Mới»; tối đa 1; chỉ so; có/không x",
            "",
            "Điều 1",
            "bổ sung tiêu chí 1.4 «Mới» vào lĩnh vực 1: tối đa 1; chỉ so; có/không x",
        ),
    )


def test_removed_node_keeps_its_old_citation() -> None:
    assert diff(('  criterion 1.3 "Kiểm tra" max 1 { yes_no x }\n', "")) == (
        # field 1 loses 1.3's 1 point for every unit type: so 6 → 5, huyen 5 → 4
        Change("max", "1", "6", "5", "Điều 1", "Điều 1", "1 tối đa cho so: 6 → 5"),
        Change("max", "1", "5", "4", "Điều 1", "Điều 1", "1 tối đa cho huyen: 5 → 4"),
        Change(
            "removed",
            "1.3",
            "tiêu chí «Kiểm tra»; tối đa 1; có/không x",
            "",
            "Điều 1",
            "",
            "bãi bỏ tiêu chí 1.3 «Kiểm tra» (thuộc lĩnh vực 1): tối đa 1; có/không x",
        ),
    )


def test_moved_node_is_matched_by_id() -> None:
    assert diff(
        ('  criterion 1.3 "Kiểm tra" max 1 { yes_no x }\n', ""),
        (
            'field 2 "Thủ tục" {',
            'field 2 "Thủ tục" {\n  criterion 1.3 "Kiểm tra" max 1 { yes_no x }',
        ),
    ) == (
        # 1.3's point leaves field 1 (so 6 → 5, huyen 5 → 4) and joins field 2 (5 → 6 for both)
        Change("max", "1", "6", "5", "Điều 1", "Điều 1", "1 tối đa cho so: 6 → 5"),
        Change("max", "1", "5", "4", "Điều 1", "Điều 1", "1 tối đa cho huyen: 5 → 4"),
        Change("max", "2", "5", "6", "", "", "2 tối đa cho so: 5 → 6"),
        Change("max", "2", "5", "6", "", "", "2 tối đa cho huyen: 5 → 6"),
        Change(
            "moved",
            "1.3",
            "1",
            "2",
            "Điều 1",
            "",
            "1.3 «Kiểm tra» chuyển từ lĩnh vực 1 sang lĩnh vực 2",
        ),
    )


def test_applicability_of_a_moved_node_counts_its_new_parent() -> None:
    restricted = ('field 2 "Thủ tục" {', 'field 2 "Thủ tục" except dac_thu {')
    moved = (
        ('  criterion 1.3 "Kiểm tra" max 1 { yes_no x }\n', ""),
        (
            'field 2 "Thủ tục" except dac_thu {',
            'field 2 "Thủ tục" except dac_thu {\n  criterion 1.3 "Kiểm tra" max 1 { yes_no x }',
        ),
    )
    changes = [c for c in diff(restricted, *moved) if c.kind != "max"]  # maxima: as above
    assert [(c.kind, c.old, c.new, c.summary) for c in changes] == [
        ("applicability", "", "trừ dac_thu", "2 áp dụng: mọi đơn vị → trừ dac_thu"),
        ("moved", "1", "2", "1.3 «Kiểm tra» chuyển từ lĩnh vực 1 sang lĩnh vực 2"),
        ("applicability", "", "trừ dac_thu", "1.3 áp dụng: mọi đơn vị → trừ dac_thu"),
    ]
    # an `except` the new parent already says is no change in who is scored
    before = edited(restricted, ('"Kiểm tra" max 1', '"Kiểm tra" max 1 except dac_thu'))
    kinds = [c.kind for c in diff_policies(before, edited(restricted, *moved))]
    assert [k for k in kinds if k != "max"] == ["moved"]


def test_renumbered_node_is_removed_and_added() -> None:
    changes = diff(('criterion 1.3 "Kiểm tra"', 'criterion 1.4 "Kiểm tra"'))
    assert [(c.kind, c.node) for c in changes] == [("removed", "1.3"), ("added", "1.4")]


def test_title_and_level() -> None:
    assert diff(('"Kế hoạch"', '"Kế hoạch CCHC"'), ("criterion 1.3", "sub_criterion 1.3")) == (
        Change(
            "title",
            "1.1",
            "Kế hoạch",
            "Kế hoạch CCHC",
            "Điều 1",
            "Điều 1",
            "1.1 đổi tên: «Kế hoạch» → «Kế hoạch CCHC»",
        ),
        Change(
            "title",
            "1.3",
            "tiêu chí «Kiểm tra»",
            "tiêu chí thành phần «Kiểm tra»",
            "Điều 1",
            "Điều 1",
            "1.3 đổi cấp: tiêu chí «Kiểm tra» → tiêu chí thành phần «Kiểm tra»",
        ),
    )


def test_max_per_unit_type() -> None:
    assert diff(("max 3 for so, 2 for huyen", "max 3 for so, 2.5 for huyen, 2 for dac_thu")) == (
        # field 1 for huyen: 2 + 2 + 1 = 5 → 2 + 2.5 + 1 = 5.5
        Change("max", "1", "5", "5.5", "Điều 1", "Điều 1", "1 tối đa cho huyen: 5 → 5.5"),
        Change("max", "1.2", "2", "2.5", "Điều 1", "Điều 1", "1.2 tối đa cho huyen: 2 → 2.5"),
        Change(
            "max", "1.2", "", "2", "Điều 1", "Điều 1", "1.2 tối đa cho dac_thu: (không ghi) → 2"
        ),
    )


def test_a_max_written_on_a_branch_changes_nothing_in_effect() -> None:
    # a field's max is what its criteria add up to: writing the same 5 on it changes no score
    assert diff(('field 2 "Thủ tục" {', 'field 2 "Thủ tục" max 5 {')) == ()


def test_rule() -> None:
    assert diff(
        ("from 90%: 5; otherwise: 0", "from 95%: 5; from 90% below 95%: 3; otherwise: 0")
    ) == (
        Change(
            "rule",
            "2.1",
            "theo mức r { từ 90%: 5; còn lại: 0 }",
            "theo mức r { từ 95%: 5; từ 90% đến dưới 95%: 3; còn lại: 0 }",
            "Điều 2",
            "Điều 2",
            "2.1 cách chấm: theo mức r { từ 90%: 5; còn lại: 0 }"
            " → theo mức r { từ 95%: 5; từ 90% đến dưới 95%: 3; còn lại: 0 }",
        ),
    )


def test_applicability_compares_sets() -> None:
    assert diff(('"Kế hoạch" max 2', '"Kế hoạch" max 2 only so, huyen except dac_thu')) == (
        Change(
            "applicability",
            "1.1",
            "",
            "chỉ so, huyen trừ dac_thu",
            "Điều 1",
            "Điều 1",
            "1.1 áp dụng: mọi đơn vị → chỉ so, huyen trừ dac_thu",
        ),
    )
    before = edited(('"Kế hoạch" max 2', '"Kế hoạch" max 2 only so, huyen'))
    after = edited(('"Kế hoạch" max 2', '"Kế hoạch" max 2 only huyen, so'))
    assert diff_policies(before, after) == ()


def test_outcomes_evidence_and_citation() -> None:
    changes = diff(
        (
            "{ proportional r }",
            "{ proportional r; when r = 0%: not_applicable excluded; evidence_required }",
        ),
        ('cite "Điều 2"', 'cite "Điều 2a"'),
    )
    assert changes == (
        Change(
            "outcomes",
            "1.2",
            "",
            "khi r = 0%: không phát sinh loại trừ",
            "Điều 1",
            "Điều 1",
            "1.2 trường hợp riêng: (không có) → khi r = 0%: không phát sinh loại trừ",
        ),
        Change(
            "evidence", "1.2", "không", "có", "Điều 1", "Điều 1", "1.2 cần minh chứng: không → có"
        ),
        Change(
            "citation",
            "2.1",
            "Điều 2",
            "Điều 2a",
            "Điều 2",
            "Điều 2a",
            "2.1 nguồn: Điều 2 → Điều 2a",
        ),
    )


def test_order_follows_the_new_tree_with_removals_at_their_old_place() -> None:
    changes = diff(
        ('  criterion 1.1 "Kế hoạch" max 2 { yes_no x }\n', ""),
        ('"Báo cáo" max 3', '"Báo cáo mới" max 3'),
        ('  criterion 1.3 "Kiểm tra" max 1 { yes_no x }\n', ""),
        (
            'field 2 "Thủ tục" {',
            'field 2 "Thủ tục hành chính" {\n  criterion 2.0 "Đầu" max 1 { yes_no x }',
        ),
    )
    assert [(c.kind, c.node) for c in changes] == [
        ("max", "1"),  # so 6 → 3, huyen 5 → 2: 1.1 and 1.3 are gone
        ("max", "1"),
        ("removed", "1.1"),
        ("title", "1.2"),
        ("removed", "1.3"),
        ("title", "2"),
        ("max", "2"),  # 5 → 6 for both: 2.0 is new
        ("max", "2"),
        ("added", "2.0"),
    ]


# --- adjustments, bands and the rest -----------------------------------------------------------


def test_adjustments() -> None:
    changes = diff(
        ('bonus B1 "Sáng kiến" max 1 {', 'bonus B1 "Sáng kiến" max 1 applies_to index {'),
        ('group "Trừ chung" max 2', 'group "Trừ chung" max 3'),
        ("{ per_item c: 1 }\n}", '{ per_item c: 1 }\n}\ndeduction D2 "Báo chí" max 1 { yes_no x }'),
    )
    assert changes == (
        Change("adjustment", "B1", "tổng", "chỉ số", "", "", "B1 áp dụng vào: tổng → chỉ số"),
        Change(
            "added",
            "D2",
            "",
            "điểm trừ «Báo chí»; tối đa 1; áp dụng vào tổng; có/không x",
            "",
            "",
            "bổ sung D2: điểm trừ «Báo chí»; tối đa 1; áp dụng vào tổng; có/không x",
        ),
        Change(
            "adjustment",
            "Trừ chung",
            "tối đa 2",
            "tối đa 3",
            "",
            "",
            "nhóm «Trừ chung»: tối đa 2 → tối đa 3",
        ),
    )


def test_adjustment_leaving_its_group_and_changing_kind() -> None:
    changes = diff(
        ('group "Trừ chung" max 2 {\n  deduction D1', "bonus D1"),
        ("{ per_item c: 1 }\n}", "{ per_item c: 2 }"),
    )
    assert changes == (
        Change(
            "adjustment",
            "D1",
            "điểm trừ",
            "điểm cộng",
            "Điều 5",
            "Điều 5",
            "D1 là: điểm trừ → điểm cộng",
        ),
        Change(
            "adjustment",
            "D1",
            "«Trừ chung»",
            "",
            "Điều 5",
            "Điều 5",
            "D1 thuộc nhóm: «Trừ chung» → (không thuộc nhóm nào)",
        ),
        Change(
            "rule",
            "D1",
            "mỗi c: 1",
            "mỗi c: 2",
            "Điều 5",
            "Điều 5",
            "D1 cách chấm: mỗi c: 1 → mỗi c: 2",
        ),
        Change("adjustment", "Trừ chung", "tối đa 2", "", "", "", "bỏ nhóm «Trừ chung»: tối đa 2"),
    )


def test_bands() -> None:
    assert diff(
        (
            '"Tốt" from 80%; "Chưa tốt" below 80%',
            '"Tốt" from 85%; "Khá" from 80% below 85%; "Chưa tốt" below 80%',
        )
    ) == (
        Change(
            "band",
            "Tốt",
            "từ 80%",
            "từ 85%",
            "",
            "",
            "xếp loại «Tốt» cho mọi loại đơn vị: từ 80% → từ 85%",
        ),
        Change(
            "band",
            "Khá",
            "",
            "từ 80% đến dưới 85%",
            "",
            "",
            "thêm xếp loại «Khá» cho mọi loại đơn vị: từ 80% đến dưới 85%",
        ),
    )


def test_band_tables_are_matched_by_their_unit_types() -> None:
    assert diff(("bands {", "bands for so {")) == (
        Change(
            "bands",
            "",
            "«Tốt» từ 80%; «Chưa tốt» dưới 80%",
            "",
            "",
            "",
            "bỏ bảng xếp loại cho mọi loại đơn vị: «Tốt» từ 80%; «Chưa tốt» dưới 80%",
        ),
        Change(
            "bands",
            "so",
            "",
            "«Tốt» từ 80%; «Chưa tốt» dưới 80%",
            "",
            "",
            "thêm bảng xếp loại cho so: «Tốt» từ 80%; «Chưa tốt» dưới 80%",
        ),
    )


def test_rounding_clamp_and_ranking() -> None:
    changes = diff(
        ("rounding half_up 2", "rounding half_even 3"),
        (
            "bands {",
            'total clamp 0 ..\nranking { block "Khối sở" so; ties dense }\nbands {',
        ),
    )
    assert changes == (
        Change(
            "rounding", "", "nửa_lên 2", "nửa_chẵn 3", "", "", "làm tròn: nửa_lên 2 → nửa_chẵn 3"
        ),
        Change(
            "clamp", "", "0 .. tối đa", "0 ..", "", "", "giới hạn tổng điểm: 0 .. tối đa → 0 .."
        ),
        Change(
            "ranking",
            "",
            "chung (1, 2, 2, 4)",
            "liền_kề (1, 2, 2, 3)",
            "",
            "",
            "đồng hạng: chung (1, 2, 2, 4) → liền_kề (1, 2, 2, 3)",
        ),
        Change("ranking", "Khối sở", "", "so", "", "", "thêm khối xếp hạng «Khối sở»: so"),
    )


def test_survey() -> None:
    text = RULE_HOME.replace("RULE", "survey s")
    old = clean(text + "survey { if_missing rescale }")
    new = clean(text + "survey { weight 30 of 100; if_missing zero }")
    assert diff_policies(old, new) == (
        Change(
            "survey",
            "",
            "khi thiếu quy_đổi",
            "trọng số 30 trên 100; khi thiếu không_điểm",
            "",
            "",
            "khảo sát: khi thiếu quy_đổi → trọng số 30 trên 100; khi thiếu không_điểm",
        ),
    )


def test_no_clamp() -> None:
    assert diff(("bands {", "total no_clamp\nbands {")) == (
        Change(
            "clamp",
            "",
            "0 .. tối đa",
            "không giới hạn",
            "",
            "",
            "giới hạn tổng điểm: 0 .. tối đa → không giới hạn",
        ),
    )


def test_inputs_and_unit_types() -> None:
    changes = diff(
        (
            'c: count "Số lần" default 0',
            'c: count "Số lần" in 0 .. 10 default 0\n  d: date optional',
        ),
        ('tag dac_thu "Đặc thù"', 'tag vung_cao "Vùng cao"'),
    )
    assert changes == (
        Change(
            "input",
            "c",
            "số_đếm «Số lần» mặc định 0",
            "số_đếm «Số lần» trong 0 .. 10 mặc định 0",
            "",
            "",
            "đầu vào c: số_đếm «Số lần» mặc định 0 → số_đếm «Số lần» trong 0 .. 10 mặc định 0",
        ),
        Change(
            "input", "d", "", "ngày_tháng tùy chọn", "", "", "thêm đầu vào d: ngày_tháng tùy chọn"
        ),
        Change(
            "unit_type",
            "dac_thu",
            "nhãn «Đặc thù»",
            "",
            "",
            "",
            "bỏ loại đơn vị dac_thu: nhãn «Đặc thù»",
        ),
        Change(
            "unit_type",
            "vung_cao",
            "",
            "nhãn «Vùng cao»",
            "",
            "",
            "thêm loại đơn vị vung_cao: nhãn «Vùng cao»",
        ),
    )


# --- rules printed back ------------------------------------------------------------------------

RULES = [
    "yes_no x and c > 3 or not (c = 0)",
    "yes_no not x",
    "yes_no x = false or c >= 2 and r < 50%",
    "proportional min(r, 90%) / 90%",
    "steps c / 10 { = 100%: 3; from 90% to below 100%: 2; above 50% below 90%: 1; to 50%: 0.5;"
    " otherwise: 0 }",
    "deadline d { by 2024-01-31: 2; late at_most 10 days: 1; late at_most 20 days: 0.5 }",
    "judged j step 0.25",
    "per_item c: 0.25",
    "survey s",
    "survey s { from 80% or_more: 1; below 80%: 0.5 }",
    "formula (c - (c - 1)) * -(2 - c) / (c + 1) - max(c, 1) clamp 0 .. max",
    "formula c - c - c + (c - c) clamp 0 .. 1",
    "yes_no d <= 2024-01-31 and (x or c != 1)",
]
RULE_HOME = """\
regulation "R"
rounding half_up 2
unit_types { so "Sở" }
inputs { x: yes_no; c: count; r: percent; d: date; j: points; s: survey }
field 1 "F" { criterion 1.1 "C" max 3 { RULE } }
"""


def rule_of(rule: str) -> n.Rule:
    """The rule a criterion written with `rule` holds."""
    text = RULE_HOME.replace("RULE", rule)
    if rule.startswith(("survey", "khảo sát")):
        text += "survey { if_missing rescale }\n"
    found = clean(text).nodes[0].children[0].rule
    assert found is not None
    return found


@pytest.mark.parametrize("rule", RULES)
def test_a_rule_prints_as_a_rule_that_reads_back_the_same(rule: str) -> None:
    """The Vietnamese text the diff shows is itself valid `.cchc` meaning the same rule."""
    original = rule_of(rule)
    printed = _rule_text(original)
    assert rule_of(printed) == original, printed


def test_parentheses_only_where_needed() -> None:
    assert _rule_text(rule_of(RULES[10])) == (
        "công thức (c - (c - 1)) * -(2 - c) / (c + 1) - tối đa(c, 1) giới hạn 0 .. tối đa"
    )


# --- reports -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def years() -> tuple[n.Policy, n.Policy]:
    return (
        load_policy(DATA / "diff" / "so-2018.cchc").policy,
        load_policy(DATA / "diff" / "so-2019.cchc").policy,
    )


@pytest.mark.parametrize(
    ("report", "suffix"), [(diff_text, "txt"), (diff_markdown, "md"), (diff_json, "json")]
)
def test_golden_reports(years: tuple[n.Policy, n.Policy], report, suffix: str, golden) -> None:  # type: ignore[no-untyped-def]
    actual = report(*years, "so-2018.cchc", "so-2019.cchc")
    golden(GOLDEN / f"so-2018-2019.{suffix}", actual)


def test_the_sample_years_show_every_main_kind(years: tuple[n.Policy, n.Policy]) -> None:
    kinds = {c.kind for c in diff_policies(*years)}
    assert kinds >= {"added", "removed", "moved", "title", "max", "rule", "band", "input"}


def test_json_mirrors_the_changes(years: tuple[n.Policy, n.Policy]) -> None:
    payload = json.loads(diff_json(*years, "a", "b"))
    changes = diff_policies(*years)
    assert payload["format"] == JSON_FORMAT
    assert payload["old"]["decision"] == "15/QĐ-UBND"
    assert payload["new"]["effective"] == "2019-02-01"
    assert [Change(**c) for c in payload["changes"]] == list(changes)


def test_text_groups_by_kind_and_counts(years: tuple[n.Policy, n.Policy]) -> None:
    text = diff_text(*years, "a", "b")
    changes = diff_policies(*years)
    headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
    shown = [h.rsplit(" (", 1)[0] for h in headings[1:-1]]
    assert shown == [KIND_HEADINGS[k] for k in KIND_HEADINGS if any(c.kind == k for c in changes)]
    assert text.endswith(f"\n{len(changes)} thay đổi\n")
    assert sum(line.startswith(("  +", "  −", "  ~")) for line in text.splitlines()) == len(changes)


def test_markdown_escapes_what_markdown_would_read() -> None:
    old = clean(RULE_HOME.replace("RULE", "formula c * 2 clamp 0 .. 1"))
    new = clean(RULE_HOME.replace("RULE", "formula c * 3 clamp 0 .. 1"))
    assert "c \\* 2 giới hạn 0 .. 1 → công thức c \\* 3" in diff_markdown(old, new, "a", "b")
