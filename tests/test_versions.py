"""Amendments and versions: consolidation of a regulation with its amendments, and the choice of
the text in force for an index year (the regulation in force on 31 December, with every amendment
that took effect by then)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_dsl import nodes as n
from cchc_dsl.api import check_path, load
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
    assert [(d.code, d.hint) for d in found] == [("E201", "did you mean «postal»?")]
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
