"""What the speed-ups must not change: positions of CSV cells found after reading, problems of
texts seen before, results of programs compiled once and shared, totals kept without details,
and JSON reports written by our own writer.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_dsl.api import load_policy, load_policy_text
from cchc_dsl.diagnostics import CchcError
from cchc_dsl.nodes import Outcome
from cchc_dsl.reports import dumps_indented

EXAMPLE = Path(__file__).resolve().parent.parent / "policies" / "example"
JUDGED = load_policy_text(
    'regulation "Quy định kiểm thử"\n'
    "rounding half_up 2\n"
    'unit_types { so "Sở" }\n'
    'inputs {\n  j: points "Điểm chấm"\n  n: count "Số việc"\n}\n'
    'field 1 "Tuyên truyền" {\n'
    '  criterion 1.1 "Chấm điểm" max 1 { judged j step 0.25 }\n'
    '  criterion 1.2 "Số việc" max 2 { per_item n: 0.5 }\n'
    "}\n",
    "judged.cchc",
)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_judged_value_off_the_scale_points_at_the_cell_that_gave_it(tmp_path: Path) -> None:
    # u1 leaves j.self blank and gives j.appraised (column 4); u2 gives both, and the unit's own
    # column (3) is the one named, as the reader names it while reading
    path = _csv(tmp_path, "unit,unit_type,j.self,j.appraised,n\nu1,so,,0.3,1\nu2,so,0.3,0.6,1\n")
    with pytest.raises(CchcError) as info:
        JUDGED.score_file(path)
    places = {(d.code, d.span.line, d.span.column) for d in info.value.errors if d.span}
    assert places == {("E503", 2, 4), ("E503", 3, 3)}


def test_a_wrong_text_is_reported_for_every_unit_that_gives_it(tmp_path: Path) -> None:
    # the reader remembers texts it read well; a text it refused is refused again, each time
    path = _csv(tmp_path, "unit,unit_type,j,n\nu1,so,0.5,abc\nu2,so,0.5,abc\nu3,so,0.5,2\n")
    with pytest.raises(CchcError) as info:
        JUDGED.score_file(path)
    found = [(d.code, d.span.line, d.span.column) for d in info.value.errors if d.span]
    assert found == [("E404", 2, 4), ("E404", 3, 4)]


def test_the_same_text_in_many_units_gives_the_same_points(tmp_path: Path) -> None:
    rows = "".join(f"u{i},so,0.75,{i % 3}\n" for i in range(1, 7))
    report = JUDGED.score_file(_csv(tmp_path, "unit,unit_type,j,n\n" + rows))
    for i in range(1, 7):
        result = report.unit(f"u{i}").official
        # 1.1 as judged: 0.75; 1.2: 0.5 per item, n = i mod 3 items
        assert result.points == Decimal("0.75") + Decimal("0.5") * (i % 3)


def test_programs_compiled_once_score_each_policy_by_its_own_rules(tmp_path: Path) -> None:
    """Two policies scored in turn, so that each program's compiled form is reused."""
    example = load_policy(EXAMPLE / "mau.cchc")
    facts = example.read_facts(EXAMPLE / "units.json")
    first = example.score(facts)
    path = _csv(tmp_path, "unit,unit_type,j,n\nu1,so,0.5,3\n")
    for _ in range(2):
        assert JUDGED.score_file(path).unit("u1").official.points == Decimal("2")  # 0.5 + 1.5
        assert example.score(facts) == first


def test_totals_without_details_are_the_totals_with_them() -> None:
    example = load_policy(EXAMPLE / "mau.cchc")
    full = example.score_file(EXAMPLE / "units.json")
    short = example.score_file(EXAMPLE / "units.json", details=False)
    assert [(u.unit, u.rank, u.block) for u in short.units] == [
        (u.unit, u.rank, u.block) for u in full.units
    ]
    for brief, whole in zip(short.units, full.units, strict=True):
        for mine, theirs in (
            (brief.official, whole.official),
            (brief.self_assessed, whole.self_assessed),
        ):
            if theirs is None:
                assert mine is None
                continue
            # kept of the criteria: only those that lost their points for want of evidence
            unproven = tuple(n for n in theirs.leaves() if n.outcome is Outcome.NO_EVIDENCE)
            assert mine is not None and mine.adjustments == ()
            assert mine.nodes == (unproven if mine is brief.official else ())
            kept = ("points", "max", "index", "index_rounded", "band", "steps", "survey_status")
            assert all(getattr(mine, name) == getattr(theirs, name) for name in kept)


_JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8"))
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_json_reports_are_written_as_the_standard_library_writes_them(value: object) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_json_that_is_not_plain_is_left_to_the_standard_library() -> None:
    # tuples, non-text keys: json.dumps' own answer; a Decimal: json.dumps' own error
    odd = {"a": (1, [2, ()]), "b": {1: None, None: "x"}}
    assert dumps_indented(odd) == json.dumps(odd, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        dumps_indented({"points": Decimal(1)})
