"""Facts files: reading JSON and CSV units, and checking them against a policy."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_dsl import nodes
from cchc_dsl.diagnostics import CchcError, Diagnostic, DiagnosticSink
from cchc_dsl.facts import Facts, UnitFacts, facts_from_records, load_facts, parse_value
from cchc_dsl.nodes import InputDecl, InputType


def _leaf(node_id: str, input_name: str) -> nodes.Node:
    return nodes.Node(
        kind=nodes.NodeKind.CRITERION,
        id=node_id,
        title=f"criterion {node_id}",
        header=nodes.Header(maxima=(nodes.MaxEntry(Decimal(1)),)),
        rule=nodes.YesNo(nodes.InputRef(input_name)),
    )


@pytest.fixture
def policy() -> nodes.Policy:
    field = nodes.Node(
        kind=nodes.NodeKind.FIELD,
        id="1",
        title="Công tác chỉ đạo",
        header=nodes.Header(),
        children=(_leaf("1.1", "co_ke_hoach"), _leaf("1.2", "co_ke_hoach")),
    )
    return nodes.Policy(
        metadata=nodes.Metadata(title="t"),
        unit_types=(
            nodes.UnitTypeDecl("so", "Sở"),
            nodes.UnitTypeDecl("huyen", "Huyện"),
            nodes.UnitTypeDecl("dac_thu", "Đặc thù", is_tag=True),
        ),
        inputs=(
            InputDecl("ke_hoach_ngay", InputType.DATE),
            InputDecl("tthc_dung_han", InputType.PERCENT),
            InputDecl("tuyen_truyen", InputType.POINTS),
            InputDecl("ty_le", InputType.PERCENT),
            InputDecl("co_ke_hoach", InputType.YES_NO),
            InputDecl("so_van_ban", InputType.COUNT),
            InputDecl(
                "diem",
                InputType.NUMBER,
                low=nodes.Number(Decimal(0)),
                high=nodes.Number(Decimal(10)),
            ),
        ),
        nodes=(field,),
    )


GOOD_JSON = """{"year": 2024, "units": [
  {"unit": "so_tu_phap", "name": "Sở Tư pháp", "unit_type": "so", "tags": ["dac_thu"],
   "inputs": {"ke_hoach_ngay": "2024-01-20", "tthc_dung_han": {"self": 98, "appraised": 95},
              "tuyen_truyen": {"appraised": 0.75}, "ty_le": "85%", "co_ke_hoach": "có"},
   "evidence": {"1.1": "Kế hoạch số 12/KH-STP", "1.2": "  "}},
  {"id": "huyen_a", "unit_type": "huyen",
   "inputs": {"so_van_ban": 3, "ke_hoach_ngay": "20/01/2024"}}
]}
"""

GOOD_CSV = (
    "unit,name,unit_type,tags,ke_hoach_ngay,tthc_dung_han.self,tthc_dung_han.appraised,"
    "tuyen_truyen.appraised,ty_le,co_ke_hoach,so_van_ban,evidence.1.1\n"
    "so_tu_phap,Sở Tư pháp,so,dac_thu,2024-01-20,98,95,0.75,85%,có,,Kế hoạch số 12/KH-STP\n"
    "huyen_a,,huyen,,20/01/2024,,,,,,3,\n"
    ",,,,,,,,,,,\n"
    "\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _load(path: Path, policy: nodes.Policy) -> tuple[Facts, list[Diagnostic]]:
    sink = DiagnosticSink()
    facts = load_facts(path, policy, sink)
    return facts, list(sink)


def _codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def test_good_json_and_csv_give_equal_units(tmp_path: Path, policy: nodes.Policy) -> None:
    from_json, problems = _load(_write(tmp_path, "facts.json", GOOD_JSON), policy)
    assert problems == []
    from_csv, problems = _load(_write(tmp_path, "facts.csv", GOOD_CSV), policy)
    assert problems == []
    assert from_json.year == 2024
    assert from_csv.year is None
    assert from_json.units == from_csv.units
    so, huyen = from_json.units
    assert so == UnitFacts(
        id="so_tu_phap",
        name="Sở Tư pháp",
        unit_type="so",
        tags=("dac_thu",),
        self_values={
            "ke_hoach_ngay": datetime.date(2024, 1, 20),
            "tthc_dung_han": Decimal("0.98"),
            "ty_le": Decimal("0.85"),
            "co_ke_hoach": True,
        },
        appraised_values={"tthc_dung_han": Decimal("0.95"), "tuyen_truyen": Decimal("0.75")},
        evidence={"1.1": "Kế hoạch số 12/KH-STP"},
    )
    assert huyen.name == "huyen_a"
    assert huyen.values(appraised=True) == {
        "so_van_ban": Decimal(3),
        "ke_hoach_ngay": datetime.date(2024, 1, 20),
    }
    assert len({so, huyen}) == 2  # units are hashable


def test_self_and_appraised_views(tmp_path: Path, policy: nodes.Policy) -> None:
    facts, _ = _load(_write(tmp_path, "facts.json", GOOD_JSON), policy)
    so, huyen = facts.units
    assert so.has_appraisal and not huyen.has_appraisal
    assert so.values(appraised=False)["tthc_dung_han"] == Decimal("0.98")
    assert "tuyen_truyen" not in so.values(appraised=False)
    appraised = so.values(appraised=True)
    assert appraised["tthc_dung_han"] == Decimal("0.95")
    assert appraised["tuyen_truyen"] == Decimal("0.75")
    assert appraised["ty_le"] == Decimal("0.85")  # a plain value stands for both views


def test_input_positions(tmp_path: Path, policy: nodes.Policy) -> None:
    json_unit = _load(_write(tmp_path, "facts.json", GOOD_JSON), policy)[0].units[0]
    assert json_unit.input_spans["ty_le"].line == 4
    assert json_unit.span is None
    csv_unit = _load(_write(tmp_path, "facts.csv", GOOD_CSV), policy)[0].units[1]
    assert csv_unit.span is not None and csv_unit.span.line == 3
    assert (csv_unit.input_spans["so_van_ban"].line, csv_unit.input_spans["so_van_ban"].column) == (
        3,
        11,
    )


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("85%", "0.85"), ("85", "0.85"), ("85.5 %", "0.855"), (Decimal(100), "1"), (0, "0")],
)
def test_percent_is_stored_as_exact_fraction(text: object, fraction: str) -> None:
    value = parse_value(text, InputDecl("ty_le", InputType.PERCENT))
    assert isinstance(value, Decimal)
    assert str(value) == fraction  # exactly: no float on the way


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/01/2024", datetime.date(2024, 1, 20)),
        ("5/1/2024", datetime.date(2024, 1, 5)),
        ("2024-02-29", datetime.date(2024, 2, 29)),
    ],
)
def test_dates(text: str, expected: datetime.date) -> None:
    assert parse_value(text, InputDecl("d", InputType.DATE)) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2024", "2023-02-29", "20.01.2024", "2024/01/20", "hôm nay"]
)
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_value(text, InputDecl("d", InputType.DATE))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Có", True),
        ("co\u0301", True),
        ("KHÔNG", False),
        ("x", True),
        ("0", False),
        (True, True),
        (Decimal(0), False),
        ("yes", True),
        ("False", False),
    ],
)
def test_yes_no(raw: object, expected: bool) -> None:
    assert parse_value(raw, InputDecl("b", InputType.YES_NO)) is expected


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("2", InputType.YES_NO),
        (Decimal("2.5"), InputType.COUNT),
        ("-1", InputType.COUNT),
        (True, InputType.NUMBER),
        (Decimal("NaN"), InputType.POINTS),
        ("Infinity", InputType.NUMBER),
        ("85%", InputType.NUMBER),
        ("1" * 29, InputType.NUMBER),
        ("1e40", InputType.NUMBER),
        ("101", InputType.SURVEY),
        (Decimal(-1), InputType.PERCENT),
    ],
)
def test_values_of_the_wrong_kind_are_rejected(raw: object, kind: InputType) -> None:
    with pytest.raises(ValueError):
        parse_value(raw, InputDecl("v", kind))


def test_count_is_a_whole_decimal() -> None:
    assert parse_value("12", InputDecl("n", InputType.COUNT)) == Decimal(12)
    assert parse_value(Decimal("3.0"), InputDecl("n", InputType.COUNT)) == Decimal(3)


def test_bom_csv(tmp_path: Path, policy: nodes.Policy) -> None:
    path = tmp_path / "facts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_CSV.encode("utf-8"))
    facts, problems = _load(path, policy)
    assert problems == []
    assert [unit.id for unit in facts.units] == ["so_tu_phap", "huyen_a"]


def test_decomposed_unicode_is_normalised(tmp_path: Path, policy: nodes.Policy) -> None:
    decomposed = "So\u031b\u0309 Tu\u031b pha\u0301p"
    text = (
        "unit,name,unit_type,co_ke_hoach,evidence.1.1\n"
        f"so_tp,{decomposed},so,co\u0301,Quye\u0302\u0301t đi\u0323nh 5\n"
    )
    facts, problems = _load(_write(tmp_path, "facts.csv", text), policy)
    assert problems == []
    (unit,) = facts.units
    assert unit.name == "Sở Tư pháp"
    assert unit.self_values == {"co_ke_hoach": True}
    assert unit.evidence == {"1.1": "Quyết định 5"}
    records = [{"unit": "so_tp", "name": decomposed, "unit_type": "so"}]
    from_records = facts_from_records(records, policy, DiagnosticSink())
    assert from_records.units[0].name == "Sở Tư pháp"


BROKEN_JSON = """{"units": [
  {"unit": "so_a", "unit_type": "so",
   "inputs": {"tthc_dung_hn": 90,
              "so_van_ban": "ba",
              "ty_le": 120,
              "ke_hoach_ngay": "31/02/2024"}},
  {"unit": "so_b", "unit_type": "huyện"},
  {"unit": "so_a", "unit_type": "so"},
  {"unit": "so_c", "unit_type": "so", "inputs": {"diem": 11}},
  {"unit": "so_d", "unit_type": "so", "tags": ["dac_thu", "dac_thu_x"], "evidence": {"l.1": "x"}},
  {"unit": "so_e", "unit_type": "so", "inputs": {"diem": 10}}
]}
"""


def test_broken_json_reports_every_error_with_its_line(
    tmp_path: Path, policy: nodes.Policy
) -> None:
    facts, problems = _load(_write(tmp_path, "broken.json", BROKEN_JSON), policy)
    found = [(d.code, d.span.line if d.span else None) for d in problems]
    assert found == [
        ("E402", 3),
        ("E404", 4),
        ("E405", 5),
        ("E404", 6),
        ("E406", 7),
        ("E407", 8),
        ("E405", 9),
        ("E408", 10),
        ("E410", 10),
    ]
    messages = [d.message for d in problems]
    assert messages[0] == "unit so_a: unknown input «tthc_dung_hn»"
    assert problems[0].hint == "did you mean «tthc_dung_han»?"
    assert messages[1] == (
        "unit so_a: input «so_van_ban» expects a whole number of at least 0, got 'ba'"
    )
    assert messages[2] == "unit so_a: input «ty_le» = 120% is outside 0% .. 100%"
    assert "«ke_hoach_ngay»" in messages[3] and "'31/02/2024'" in messages[3]
    assert problems[3].hint == "there is no such day in the calendar"
    assert messages[4] == "unit so_b: unknown unit type «huyện»"
    assert problems[4].hint == "did you mean «huyen»?"
    assert messages[5] == "the unit id so_a appears twice"
    assert [label.span.line for label in problems[5].labels] == [8, 2]
    assert messages[6] == "unit so_c: input «diem» = 11 is outside 0 .. 10"
    assert problems[7].hint == "did you mean «dac_thu»?"
    assert problems[8].hint == "did you mean «1.1»?"
    # a unit whose only problems are wrong values is kept without them, so that scoring can
    # report what else it lacks in the same run; a unit that is not identifiable is left out
    assert [unit.id for unit in facts.units] == ["so_a", "so_c", "so_e"]
    first, so_c = facts.units[0], facts.units[1]
    assert first.rejected == {"tthc_dung_han", "so_van_ban", "ty_le", "ke_hoach_ngay"}
    assert "so_van_ban" not in first.self_values
    assert so_c.rejected == {"diem"} and dict(so_c.self_values) == {}
    assert facts.units[2].rejected == frozenset()
    sink = DiagnosticSink()
    load_facts(tmp_path / "broken.json", policy, sink)
    with pytest.raises(CchcError) as raised:
        sink.raise_if_errors()
    assert len(raised.value.errors) == 9


def test_unknown_keys_in_a_unit(tmp_path: Path, policy: nodes.Policy) -> None:
    text = '[{"unit": "a", "unit_typ": "so",\n  "inputs": {"diem": {"self": 1, "apraised": 2}}}]'
    _, problems = _load(_write(tmp_path, "f.json", text), policy)
    assert [(d.code, d.span and d.span.line, d.hint) for d in problems] == [
        ("E401", 1, "did you mean «unit_type»?"),
        ("E409", 1, None),
        ("E401", 2, "did you mean «appraised»?"),
    ]


def test_json_syntax_error_position(tmp_path: Path, policy: nodes.Policy) -> None:
    _, problems = _load(_write(tmp_path, "f.json", '[\n  {"unit": "a",, }\n]'), policy)
    (problem,) = problems
    assert problem.code == "E401" and problem.message.startswith("invalid JSON")
    assert problem.span is not None and (problem.span.line, problem.span.column) == (2, 16)


def test_json_shape_errors(tmp_path: Path, policy: nodes.Policy) -> None:
    _, problems = _load(_write(tmp_path, "f.json", '{"unit": [], "year": "x"}'), policy)
    assert _codes(problems) == ["E401", "E401", "E401"]
    assert problems[0].hint == "did you mean «units»?"


def test_broken_csv(tmp_path: Path, policy: nodes.Policy) -> None:
    text = (
        "unit,unit_type,tuyen_truyen,tthc_dung_han.apraised,ngay\n"
        'so_a,so,"78,84",1,2\n'
        "so_b,so,1\n"
        "so_c,tinh,7,1,2\n"
    )
    facts, problems = _load(_write(tmp_path, "f.csv", text), policy)
    found = [(d.code, d.span.line if d.span else None) for d in problems]
    assert found == [("E402", 1), ("E402", 1), ("E404", 2), ("E401", 3), ("E406", 4)]
    assert problems[0].message == "unit (header): unknown input «tthc_dung_han.apraised»"
    assert problems[0].hint == "did you mean «tthc_dung_han.appraised»?"
    assert problems[2].message.startswith("unit so_a: input «tuyen_truyen» expects a number")
    assert problems[2].hint is not None and "--locale vi" in problems[2].hint
    assert problems[2].span is not None and problems[2].span.column == 3
    assert "line 3 has 3 cells, but the header has 5" in problems[3].message
    # so_a kept without its wrong value; so_b (ragged row) and so_c (unknown type) left out
    assert [(u.id, u.rejected) for u in facts.units] == [("so_a", {"tuyen_truyen"})]


def test_csv_field_name_includes_the_part(tmp_path: Path, policy: nodes.Policy) -> None:
    text = "id,unit_type,tags,tthc_dung_han.appraised\nso_a,so,dac_thu; dac_thu,abc\n"
    _, problems = _load(_write(tmp_path, "f.csv", text), policy)
    (problem,) = problems
    assert problem.code == "E404" and "«tthc_dung_han.appraised»" in problem.message


def test_csv_without_unit_type_column(tmp_path: Path, policy: nodes.Policy) -> None:
    facts, problems = _load(_write(tmp_path, "f.csv", "unit,diem\nso_a,1\n"), policy)
    assert _codes(problems) == ["E409"] and facts.units == ()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("missing.json", None, "E106"),
        ("latin1.csv", "unit,name\nso_a,Sở\n".encode("cp1258", errors="replace") + b"\xe9", "E106"),
        ("facts.xlsx", b"PK", "E401"),
    ],
)
def test_unreadable_files(
    tmp_path: Path, policy: nodes.Policy, name: str, data: bytes | None, code: str
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    sink = DiagnosticSink()
    facts = load_facts(path, policy, sink)
    assert facts.units == ()
    with pytest.raises(CchcError) as raised:
        sink.raise_if_errors()
    (error,) = raised.value.errors
    assert error.code == code
    assert (name in error.message) if code == "E106" else ".json or .csv" in error.message


def test_records(policy: nodes.Policy) -> None:
    sink = DiagnosticSink()
    records = [
        {
            "unit": "so_a",
            "unit_type": "so",
            "inputs": {"diem": 2.5, "ke_hoach_ngay": datetime.date(2024, 1, 2)},
        },
        {"unit": "so_b", "unit_type": "so", "inputs": {"diem": "12"}},
    ]
    facts = facts_from_records(records, policy, sink, year=2024)
    assert facts.source == "<data>" and facts.year == 2024
    assert facts.units[0].self_values == {
        "diem": Decimal("2.5"),
        "ke_hoach_ngay": datetime.date(2024, 1, 2),
    }
    assert facts.units[0].input_spans == {}
    (problem,) = list(sink)
    assert problem.code == "E405" and problem.span is None
    assert json.dumps(problem.to_json())  # diagnostics without a position still serialise


def test_good_json_never_builds_the_source_map(
    tmp_path: Path, policy: nodes.Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(text: str) -> None:
        raise AssertionError("the slow source map was built for a file without errors")

    monkeypatch.setattr("cchc_dsl.facts.calculate", fail)
    facts, problems = _load(_write(tmp_path, "facts.json", GOOD_JSON), policy)
    assert problems == [] and len(facts.units) == 2


def test_escaped_json_key_is_located(tmp_path: Path, policy: nodes.Policy) -> None:
    text = '[{"unit": "a", "unit_type": "so",\n  "inputs": {"ty_l\\u00ea": 5}}]'
    _, problems = _load(_write(tmp_path, "f.json", text), policy)
    (problem,) = problems
    assert problem.message == "unit a: unknown input «ty_lê»"
    assert problem.span is not None and problem.span.line == 2
