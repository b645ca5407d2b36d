"""compare: two regulations paired by field and criterion titles, side by side.

Small hand-built pairs check the matching (diacritics, case, common words, --pair); golden
files under `tests/golden/compare/` hold the three reports for Cần Thơ 2019 ↔ Tây Ninh 2020 and
the text report for Cần Thơ 2018 ↔ 2019; bless them with `pytest --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_dsl import nodes as n
from cchc_dsl.api import load, load_policy_text
from cchc_dsl.cli import app
from cchc_dsl.compare import (
    Comparison,
    compare,
    compare_csv,
    compare_markdown,
    compare_text,
    parse_pairs,
    tokens,
)
from cchc_dsl.diagnostics import CchcError
from cchc_dsl.values import fold

GOLDEN = Path(__file__).resolve().parent / "golden" / "compare"

HEAD = """\
quy định "{title}"
làm tròn nửa_lên {places}
loại đơn vị {{ so "Sở" }}
đầu vào {{ a: có_không "A"; b: có_không "B"; c: có_không "C"; d: tỷ_lệ "D" }}
"""
LEFT = """\
lĩnh vực 1 "Cải cách thủ tục hành chính" tối đa 6 {
  tiêu chí 1.1 "Tỷ lệ hồ sơ giải quyết đúng hạn" tối đa 3 { có/không a }
  tiêu chí 1.2 "Công tác kiểm soát thủ tục hành chính" tối đa 2 { có/không b }
  tiêu chí 1.3 "Tỷ lệ văn bản điện tử" tối đa 1 { có/không c }
}
xếp loại { "Tốt" từ 80%; "Khá" dưới 80% }
"""
RIGHT = """\
lĩnh vực 3 "CẢI CÁCH THỦ TỤC HÀNH CHÍNH" tối đa 7 {
  tiêu chí 3.1 "Kiểm soát thủ tục hành chính" tối đa 2 { có/không b }
  tiêu chí 3.2 "Ty le ho so giai quyet dung han" tối đa 4 { theo tỷ lệ d }
  tiêu chí 3.3 "Tỷ lệ công tác tuyên truyền" tối đa 1 { có/không c }
}
xếp loại { "Tốt" từ 90%; "Khá" dưới 90% }
"""


def _policy(body: str, title: str, places: int = 2) -> n.Policy:
    return load_policy_text(HEAD.format(title=title, places=places) + body, f"{title}.cchc").policy


def _small(forced: list[tuple[str, str]] | None = None) -> Comparison:
    return compare(
        _policy(LEFT, "A"), _policy(RIGHT, "B", places=1), "a.cchc", "b.cchc", forced or []
    )


def _pairs(comparison: Comparison) -> dict[str, str]:
    return {p.left.stt: p.right.stt for p in comparison.paired if p.left and p.right}


def test_folding_forgives_case_diacritics_and_spacing() -> None:
    assert fold("  Tỷ lệ  HỒ SƠ đúng hạn") == "ty le ho so dung han"
    assert fold("Đơn vị") == "don vi"
    assert tokens("Tỷ lệ, hồ sơ") == ["ty", "le", "ho", "so", "ty le", "le ho", "ho so"]


def test_titles_pair_across_case_diacritics_and_numbering() -> None:
    comparison = _small()
    # 1 ↔ 3: the same words in capitals; 1.1 ↔ 3.2: the same words without diacritics;
    # 1.2 ↔ 3.1: «Công tác» is an everyday word, the rest is the same
    assert _pairs(comparison) == {"1": "3", "1.1": "3.2", "1.2": "3.1"}
    similarity = {p.left.stt: p.similarity for p in comparison.paired if p.left}
    assert similarity["1"] == similarity["1.1"] == 1.0
    assert similarity["1.2"] is not None and 0.7 < similarity["1.2"] < 1.0


def test_common_words_alone_do_not_make_a_pair() -> None:
    # «Tỷ lệ văn bản điện tử» and «Tỷ lệ công tác tuyên truyền» share only «tỷ lệ», weighted down
    comparison = _small()
    assert [r.stt for r in comparison.only("left")] == ["1.3"]
    assert [r.stt for r in comparison.only("right")] == ["3.3"]


def test_maxima_methods_bands_and_rounding_side_by_side() -> None:
    comparison = _small()
    pair = next(p for p in comparison.paired if p.left and p.left.stt == "1.1")
    assert pair.max_differs and pair.method_differs  # 3 points yes/no ↔ 4 points proportional
    same = next(p for p in comparison.paired if p.left and p.left.stt == "1.2")
    assert not same.max_differs and not same.method_differs
    settings = {s.label: (s.left, s.right) for s in comparison.settings if s.differs}
    assert settings["Làm tròn"] == ("nửa_lên 2", "nửa_lên 1")
    assert settings["Tổng điểm tối đa"] == ("6", "7")
    assert settings["Xếp loại"][1] == "«Tốt» từ 90%; «Khá» dưới 90%"


def test_a_forced_pair_wins_and_is_marked() -> None:
    comparison = _small([("1.3", "3.3")])
    pairs = {p.left.stt: p for p in comparison.paired if p.left}
    assert pairs["1.3"].right is not None and pairs["1.3"].right.stt == "3.3"
    assert pairs["1.3"].forced and "[độ giống chỉ định]" in compare_text(comparison)
    assert comparison.only("left") == comparison.only("right") == ()


def test_bad_pairs_are_user_errors() -> None:
    with pytest.raises(CchcError) as unknown:
        _small([("9.9", "3.1")])
    assert "a.cchc has no «9.9»" in unknown.value.diagnostics[0].message
    with pytest.raises(CchcError) as twice:
        _small([("1.1", "3.1"), ("1.2", "3.1")])
    assert "«3.1» of b.cchc is paired more than once" in twice.value.diagnostics[0].message
    with pytest.raises(CchcError):
        parse_pairs(["1.1"])


def test_the_same_text_pairs_every_node_with_itself() -> None:
    policy = load("policies/tayninh", year=2020).policy
    comparison = compare(policy, policy, "a", "b")
    assert all(p.left == p.right and p.similarity == 1.0 for p in comparison.pairs)
    assert not any(p.max_differs or p.method_differs for p in comparison.pairs)


@pytest.mark.parametrize(
    ("report", "suffix"),
    [(compare_text, "txt"), (compare_markdown, "md"), (compare_csv, "csv")],
)
def test_golden_cantho_tayninh(report, suffix: str, golden) -> None:  # type: ignore[no-untyped-def]
    cantho = load("policies/cantho", year=2019).policy
    tayninh = load("policies/tayninh", year=2020).policy
    comparison = compare(cantho, tayninh, "policies/cantho@2019", "policies/tayninh@2020")
    golden(GOLDEN / f"cantho-2019-tayninh-2020.{suffix}", report(comparison))


def test_cli_two_years_of_one_province(golden) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["compare", "policies/cantho@2018", "policies/cantho@2019"])
    assert result.exit_code == 0, result.output
    golden(GOLDEN / "cantho-2018-2019.txt", result.stdout)


def test_cli_bad_pair_exits_1() -> None:
    result = CliRunner().invoke(
        app, ["compare", "policies/cantho@2018", "policies/cantho@2019", "--pair", "x"]
    )
    assert result.exit_code == 1
    assert "--pair «x»" in result.output


def test_methods_compare_without_the_input_names() -> None:
    def one(name: str, count: int) -> n.Policy:
        text = (
            'quy định "X"\nlàm tròn nửa_lên 2\nloại đơn vị { so "Sở" }\n'
            f'đầu vào {{ {name}: số_đếm "Số báo cáo" }}\n'
            'lĩnh vực 1 "Chỉ đạo" tối đa 1 {\n'
            f'  tiêu chí 1.1 "Báo cáo định kỳ" tối đa 1 {{ có/không {name} = {count} }}\n}}\n'
            'xếp loại { "Tốt" từ 80%; "Khá" dưới 80% }\n'
        )
        return load_policy_text(text, f"{name}.cchc").policy

    def differs(other: n.Policy) -> bool:
        pairs = compare(one("bao_cao", 4), other, "a", "b").paired
        return next(p for p in pairs if p.left and p.left.stt == "1.1").method_differs

    assert not differs(one("so_bao_cao", 4))  # «(bao_cao = 4)» and «(so_bao_cao = 4)»
    assert differs(one("so_bao_cao", 3))
