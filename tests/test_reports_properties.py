"""Invariants of the reports over random units (hypothesis): the appraisal worklist misses no
difference and is in order of impact; no name from a facts file can add a tag to the HTML page
or a column to a Markdown table; every workbook sheet name is one Excel accepts."""

from __future__ import annotations

import collections
from decimal import Decimal
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_dsl import appraisal, reports, webpage, workbook
from cchc_dsl.api import load_policy
from tests.cli_helpers import ROOT
from tests.strategies import units

POLICY = load_policy(ROOT / "policies/example/mau.cchc")
NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
    str.strip
)


@settings(max_examples=60)
@given(data=st.data())
def test_the_worklist_lists_every_difference_in_order_of_impact(data: st.DataObject) -> None:
    report = POLICY.score(POLICY.facts(data.draw(units(POLICY, max_size=5))))
    work = appraisal.worklist(report)
    listed = {w.unit.unit: w for w in work.units}
    assert sorted([*listed, *(u.unit for u in work.unchanged)]) == sorted(
        u.unit for u in report.units
    )
    for unit in report.units:
        items = {i.id: i for i in listed[unit.unit].items} if unit.unit in listed else {}
        for difference in unit.differences():  # each criterion whose points changed
            assert items[difference.node_id].change == difference.change
    stakes = [w.stake for w in work.units]
    assert stakes == sorted(stakes, reverse=True)
    for unit_work in work.units:
        assert unit_work.items
        changes = [abs(i.change) for i in unit_work.items]
        assert changes == sorted(changes, reverse=True)
        assert unit_work.stake == sum(changes, Decimal(0))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: collections.Counter[str] = collections.Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1


def _tags(page: str) -> collections.Counter[str]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _markdown_cells(row: str) -> int:
    """Cells of a Markdown table row: '|' not escaped by a backslash separate them."""
    count, escaped = 0, False
    for char in row:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            count += 1
    return count - 1


@settings(max_examples=60)
@given(data=st.data(), names=st.lists(NAMES, min_size=5, max_size=5))
def test_no_name_or_evidence_changes_the_pages_shape(data: st.DataObject, names: list[str]) -> None:
    records = data.draw(units(POLICY, max_size=5))
    plain = POLICY.score(POLICY.facts(records))
    for record, name in zip(records, names, strict=False):
        record["name"] = name
        record["evidence"] = dict.fromkeys(record["evidence"], name)  # type: ignore[call-overload]
    named = POLICY.score(POLICY.facts(records))
    assert _tags(webpage.html_page(named)) == _tags(webpage.html_page(plain))
    for line in reports.markdown(named).splitlines():
        if line.startswith("| ") and line.count("|") > 2:
            assert _markdown_cells(line) in (7, 2), line


@given(titles=st.lists(st.text(max_size=40), max_size=12))
def test_sheet_names_are_ones_excel_accepts(titles: list[str]) -> None:
    taken: set[str] = set()
    names = [workbook._sheet_name(title, taken) for title in titles]
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert name[0] != "'" and name[-1] != "'"
        assert name.lower() != "history"  # reserved by Excel
