"""Amendments and versions: consolidation of a regulation with its amendments, and the choice of
the text in force for an index year (the regulation in force on 31 December, with every amendment
that took effect by then)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_dsl import nodes as n
from cchc_dsl.api import check_path, load, load_policy_text
from cchc_dsl.cli import app
from cchc_dsl.diagnostics import CchcError

BASE = """\
regulation "Chỉ số CCHC 2018"
decision "10/QĐ-UBND"
issued 2018-07-23
effective 2018-07-23
rounding half_up 2
unit_types { so "Sở"; huyen "Huyện" }
inputs { plan: yes_no; report: yes_no; online: percent; k: count default 0 }
field 1 "Chỉ đạo điều hành" {
  criterion 1.1 "Kế hoạch CCHC" max 2 cite "Phụ lục 1.1" { yes_no plan }
  criterion 1.2 "Báo cáo CCHC" max 1 { yes_no report }
}
field 3 "Cải cách TTHC" {
  criterion 3.1 "Dịch vụ công trực tuyến" max 2 { proportional online }
  criterion 3.2 "Niêm yết TTHC" max 1 { yes_no report }
}
deduction D1 "Kỷ luật" max 2 { per_item k: 1 }
bands { "Tốt" from 80%; "Chưa tốt" below 80% }
"""

AMENDMENT = """\
amendment "Sửa đổi bộ tiêu chí 2018"
decision "20/QĐ-UBND"
issued 2019-10-01
effective 2019-10-10
amends "10/QĐ-UBND"
inputs { postal: percent "Tỷ lệ dùng bưu chính công ích" }
replace criterion 3.1 "Tỷ lệ hồ sơ trực tuyến" max 3 { proportional online }
add criterion 3.3 "Bưu chính công ích" max 1 { proportional postal }
add criterion 1.0 "Chỉ đạo" max 1 { yes_no plan } under 1 after 1.1
remove 3.2
change 1.2 max 2
move 1.1 under 3 as 3.4
replace deduction D1 "Kỷ luật" max 3 { per_item k: 1 }
bands { "Tốt" from 90%; "Chưa tốt" below 90% }
"""


def folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.cchc").write_text(text, encoding="utf-8")
    return tmp_path


def tree(policy: n.Policy) -> list[tuple[str, list[str]]]:
    return [(field.id, [c.id for c in field.children]) for field in policy.nodes]


def test_before_the_amendment_the_base_applies(tmp_path: Path) -> None:
    compiled = load(folder(tmp_path, base=BASE, amend=AMENDMENT), year=2018)
    assert tree(compiled.policy) == [("1", ["1.1", "1.2"]), ("3", ["3.1", "3.2"])]
    assert compiled.policy.metadata.amended_by == ()
    assert compiled.chosen == "10/QĐ-UBND — văn bản có hiệu lực ngày 31/12/2018"


def test_an_october_amendment_applies_to_that_years_index(tmp_path: Path) -> None:
    # effective 10/10/2019 ≤ 31/12/2019: the 2019 index is scored on the amended text
    compiled = load(folder(tmp_path, base=BASE, amend=AMENDMENT), year=2019)
    policy = compiled.policy
    # 1.0 goes after 1.1 — which then moves under 3 as 3.4: field 1 keeps 1.0 and 1.2;
    # 3.2 is removed, 3.3 added at the end, then 3.4 (the moved 1.1) after it
    assert tree(policy) == [("1", ["1.0", "1.2"]), ("3", ["3.1", "3.3", "3.4"])]
    assert policy.metadata.amended_by == ("20/QĐ-UBND",)
    assert compiled.chosen == (
        "10/QĐ-UBND sửa đổi bởi 20/QĐ-UBND — văn bản có hiệu lực ngày 31/12/2019"
    )
    moved = policy.nodes[1].children[2]
    assert (moved.title, moved.header.citation) == ("Kế hoạch CCHC", "Phụ lục 1.1")
    assert policy.nodes[0].children[1].header.maxima == (n.MaxEntry(Decimal(2)),)
    assert [b.name for b in policy.bands[0].bands] == ["Tốt", "Chưa tốt"]
    assert policy.bands[0].bands[0].interval.lower is not None
    assert policy.bands[0].bands[0].interval.lower.value.value == Decimal("0.9")
    assert n.all_adjustments(policy)[0].header.maxima == (n.MaxEntry(Decimal(3)),)
    assert [d.name for d in policy.inputs][-1] == "postal"


def test_scores_follow_the_text_in_force(tmp_path: Path) -> None:
    path = folder(tmp_path, base=BASE, amend=AMENDMENT)
    unit = {
        "unit": "so_a",
        "unit_type": "so",
        "inputs": {"plan": "có", "report": "không", "online": "50%", "postal": "50%"},
    }
    # 2018: 1.1 plan 2 + 1.2 report 0 + 3.1 50% × 2 = 1 + 3.2 report 0 = 3 of 2+1+2+1 = 6
    # → 50.00 %, "Chưa tốt"
    old = load(path, year=2018)
    unit_2018 = {**unit, "inputs": {k: v for k, v in unit["inputs"].items() if k != "postal"}}
    report = old.score(old.facts([unit_2018]))
    assert (report.units[0].official.points, report.units[0].official.max) == (3, 6)
    assert report.units[0].official.index_rounded == Decimal("50.00")
    # 2019: 1.0 plan 1 + 1.2 (now max 2) report 0 + 3.1 (max 3) 50% × 3 = 1.5
    # + 3.3 postal 50% × 1 = 0.5 + 3.4 (the old 1.1) plan 2 = 5 of 1+2+3+1+2 = 9 → 55.56 %
    new = load(path, year=2019)
    report = new.score(new.facts([unit]))
    assert (report.units[0].official.points, report.units[0].official.max) == (5, 9)
    assert report.units[0].official.index_rounded == Decimal("55.56")


def test_without_a_year_the_latest_text_applies(tmp_path: Path) -> None:
    compiled = load(folder(tmp_path, base=BASE, amend=AMENDMENT))
    assert compiled.policy.metadata.amended_by == ("20/QĐ-UBND",)
    assert compiled.chosen == "10/QĐ-UBND sửa đổi bởi 20/QĐ-UBND"


def test_a_later_regulation_replaces_an_earlier_one(tmp_path: Path) -> None:
    later = BASE.replace('"10/QĐ-UBND"', '"30/QĐ-UBND"').replace("2018-07-23", "2021-03-01")
    path = folder(tmp_path, base=BASE, amend=AMENDMENT, later=later)
    assert load(path, year=2020).chosen.startswith("10/QĐ-UBND sửa đổi bởi 20/QĐ-UBND")
    assert load(path, year=2021).chosen.startswith("30/QĐ-UBND")


def test_no_regulation_in_force_for_the_year(tmp_path: Path) -> None:
    with pytest.raises(CchcError) as raised:
        load(folder(tmp_path, base=BASE), year=2017)
    (error,) = raised.value.errors
    assert error.code == "E237"
    assert "in force on 31/12/2017" in error.message
    assert error.hint == "the regulations there: 10/QĐ-UBND từ 23/07/2018"


def test_until_ends_a_regulation(tmp_path: Path) -> None:
    ended = BASE.replace("effective 2018-07-23", "effective 2018-07-23\nuntil 2020-01-01")
    with pytest.raises(CchcError) as raised:
        load(folder(tmp_path, base=ended), year=2020)
    assert raised.value.errors[0].code == "E237"
    assert load(folder(tmp_path, base=ended), year=2019).chosen.startswith("10/QĐ-UBND")


def test_check_a_folder_checks_every_version(tmp_path: Path) -> None:
    # the amendment removes 3.2 but a later change still names it: reported against the amendment
    broken = AMENDMENT + "change 3.2 max 2\n"
    found = check_path(folder(tmp_path, base=BASE, amend=broken))
    assert [(d.code, d.span.line if d.span else 0) for d in found] == [("E230", 15)]
    assert found[0].message == "20/QĐ-UBND changes 3.2, which the regulation does not have"


def test_an_amendment_can_break_the_regulation(tmp_path: Path) -> None:
    # the added criterion reads an input nobody declared: found when the amended text is checked
    broken = AMENDMENT.replace("proportional postal", "proportional postl")
    found = check_path(folder(tmp_path, base=BASE, amend=broken))
    # and «postal», declared for it, is now read by nothing (a warning)
    assert [(d.code, d.hint) for d in found] == [
        ("E201", "did you mean «postal»?"),
        ("E350", "remove it, or use it in a rule"),
    ]
    assert found[0].span is not None and found[0].span.source.endswith("amend.cchc")


def test_an_amendment_file_alone_is_not_a_regulation(tmp_path: Path) -> None:
    found = check_path(folder(tmp_path, amend=AMENDMENT) / "amend.cchc")
    assert [d.code for d in found] == ["E235"]
    assert found[0].hint == "give the province folder that holds both, e.g. policies/cantho"


def test_score_a_folder_by_year_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder(tmp_path, base=BASE, amend=AMENDMENT)
    facts = tmp_path / "units.json"
    facts.write_text(
        '[{"unit": "so_a", "unit_type": "so", "inputs": '
        '{"plan": "có", "report": "không", "online": "50%", "postal": "50%"}}]',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["score", ".", "units.json", "--year", "2019", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert (
        result.stderr
        == ".: 10/QĐ-UBND sửa đổi bởi 20/QĐ-UBND — văn bản có hiệu lực ngày 31/12/2019\n"
    )
    assert result.stdout.splitlines()[1].endswith(",so_a,so_a,so,9,5,55.56,Chưa tốt")
    # the ranking's title names the amending decision too
    table = CliRunner().invoke(app, ["score", ".", "units.json", "--year", "2019"])
    assert table.stdout.splitlines()[0].endswith("(10/QĐ-UBND sửa đổi bởi 20/QĐ-UBND)")


# --- deadlines in the index year: one regulation for several years ------------------------------

YEARLY = """\
regulation "Quy định 2021–2025"
rounding half_up 2
unit_types { so "Sở" }
inputs { report_day: date "Ngày gửi báo cáo tự đánh giá"; entry_day: date }
field 1 "Chỉ đạo điều hành" {
  criterion 1.1 "Báo cáo tự đánh giá" max 1 {
    deadline report_day { by 22/12: 1; late at_most 5 days: 0.5; otherwise: 0 }
  }
  criterion 1.2 "Nhập dữ liệu vào phần mềm" max 1 {
    deadline entry_day { by 07/01 next_year: 1; otherwise: 0 }
  }
}
"""


def _yearly(report_day: str, entry_day: str, year: int | None) -> tuple[object, ...]:
    policy = load_policy_text(YEARLY)
    unit = {
        "unit": "so_a",
        "unit_type": "so",
        "inputs": {"report_day": report_day, "entry_day": entry_day},
    }
    evaluation = policy.score(policy.facts([unit], year=year)).units[0].official
    return tuple(evaluation.node(i).points for i in ("1.1", "1.2"))


def test_a_day_of_the_index_year_follows_the_year() -> None:
    # 2022: report due 22/12/2022 (sent 24/12: 2 days late ≤ 5 → 0.5); entry due 07/01/2023
    # (entered 07/01/2023: on the day → 1)
    assert _yearly("2022-12-24", "2023-01-07", 2022) == (Decimal("0.5"), 1)
    # the same dates scored as the 2023 index are early: both on time
    assert _yearly("2022-12-24", "2023-01-07", 2023) == (1, 1)
    # 2021: 24/12/2022 is a year late for 22/12/2021 → otherwise 0; entry due 07/01/2022 → 0
    assert _yearly("2022-12-24", "2023-01-07", 2021) == (0, 0)


def test_a_day_of_the_index_year_needs_the_year() -> None:
    with pytest.raises(CchcError) as raised:
        _yearly("2022-12-24", "2023-01-07", None)
    codes = [d.code for d in raised.value.errors]
    assert codes == ["E508", "E508"]
    assert raised.value.errors[0].message == (
        "unit so_a: criterion 1.1 has a deadline on 22/12 of the index year, and no year is given"
    )


def test_the_folder_year_is_the_index_year(tmp_path: Path) -> None:
    (tmp_path / "reg.cchc").write_text(
        YEARLY.replace("rounding", "effective 2021-09-20\nrounding"), encoding="utf-8"
    )
    compiled = load(tmp_path, year=2022)
    unit = {
        "unit": "so_a",
        "unit_type": "so",
        "inputs": {"report_day": "2022-12-24", "entry_day": "2023-01-07"},
    }
    evaluation = compiled.score(compiled.facts([unit])).units[0].official
    assert evaluation.node("1.1").points == Decimal("0.5")


def test_29_february_is_not_a_yearly_deadline() -> None:
    text = YEARLY.replace("by 22/12", "by 29/02")
    with pytest.raises(CchcError) as raised:
        load_policy_text(text)
    (error,) = raised.value.errors
    assert (error.code, error.hint) == (
        "E104",
        "a deadline in the index year must exist every year",
    )


SELF_VIEW = """\
regulation "R"
rounding half_up 2
unit_types { so "Sở" }
inputs { d: date; j: points }
field 1 "F" {
  criterion 1.1 "D" max 1 { deadline d { by 07/01 next_year: 1; otherwise: 0 } }
  criterion 1.2 "J" max 2 { judged j step 0.5 }
}
"""


def test_the_self_assessed_view_knows_the_index_year_too() -> None:
    # d = 05/01/2019 is before 07/01 of the year after 2018: 1 point in both views;
    # 1.2: the unit claimed 2, the council gave 1.5 → self 3 of 3, official 2.5 of 3
    policy = load_policy_text(SELF_VIEW)
    unit = {
        "unit": "u",
        "unit_type": "so",
        "inputs": {"d": "2019-01-05", "j": {"self": 2, "appraised": 1.5}},
    }
    result = policy.score(policy.facts([unit], year=2018)).units[0]
    assert result.self_assessed is not None
    assert (result.self_assessed.points, result.official.points) == (3, Decimal("2.5"))
    assert [(d.node_id, d.change) for d in result.differences()] == [("1.2", Decimal("-0.5"))]


def test_a_self_assessed_claim_off_the_scale_is_reported() -> None:
    # the unit claimed 2.25 on a criterion judged in steps of 0.5: a wrong claim, not a silence
    policy = load_policy_text(SELF_VIEW)
    unit = {
        "unit": "u",
        "unit_type": "so",
        "inputs": {"d": "2019-01-05", "j": {"self": "2.25", "appraised": 1.5}},
    }
    with pytest.raises(CchcError) as raised:
        policy.score(policy.facts([unit], year=2018))
    (error,) = raised.value.errors
    assert error.code == "E503"
    assert "was given 2.25 points" in error.message
