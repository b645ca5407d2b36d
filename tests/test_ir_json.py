"""The JSON IR (cchc-ir 1): what another system reads scores exactly as the `.cchc` text does.

For every shipped policy, each index year it ships units for: the IR validates against the
shipped schema, reads back into the same scoring programs, and scores the shipped units node by
node as the text does; the hand-computed worked cases pass from the IR alone. A damaged or
foreign file is refused with the JSON path of the problem, never a traceback.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cchc_dsl import reports
from cchc_dsl.api import (
    CompiledPolicy,
    ScoreReport,
    load,
    load_ir,
    load_ir_text,
    load_policy_text,
)
from cchc_dsl.cli import app
from cchc_dsl.diagnostics import CchcError
from cchc_dsl.expectations import find_case_files, run_file
from cchc_dsl.ir_json import VERSION
from cchc_dsl.results import Evaluation, NodeResult
from tests.strategies import units

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
EXAMPLE = POLICIES / "example" / "mau.cchc"
FACTS = EXAMPLE.parent / "units.json"
SCHEMA = json.loads(
    (ROOT / "cchc_dsl" / "schema" / "cchc-ir-1.schema.json").read_text(encoding="utf-8")
)


def _shipped() -> list[tuple[Path, int | None, Path]]:
    """(policy, index year, units) for every province folder and year it has units for."""
    found: list[tuple[Path, int | None, Path]] = [(EXAMPLE, None, EXAMPLE.parent / "units.json")]
    for folder in sorted(p for p in POLICIES.iterdir() if p.is_dir() and p != EXAMPLE.parent):
        for facts in sorted(folder.glob("units-*.json")):
            year = re.fullmatch(r"units-(\d{4})\.json", facts.name)
            assert year, f"{facts}: shipped units are named units-YEAR.json"
            found.append((folder, int(year.group(1)), facts))
    return found


SHIPPED = _shipped()
IDS = [f"{p.name}-{y or 'file'}" for p, y, _ in SHIPPED]


@functools.cache
def _loaded(policy: Path, year: int | None = None) -> CompiledPolicy:
    """A shipped policy, read once for the whole module: CompiledPolicy is immutable."""
    return load(policy, year=year)


def _ir_file(compiled: CompiledPolicy, tmp_path: Path, name: str = "policy.json") -> Path:
    path = tmp_path / name
    path.write_text(compiled.to_ir(), encoding="utf-8")
    return path


def test_every_province_ships_units() -> None:
    assert {p.name for p, _, _ in SHIPPED} >= {"mau.cchc", "tayninh", "hanoi", "cantho"}


# --- the format ------------------------------------------------------------------------------


@pytest.mark.parametrize(("policy", "year", "facts"), SHIPPED, ids=IDS)
def test_ir_validates_against_the_shipped_schema(
    policy: Path, year: int | None, facts: Path
) -> None:
    doc = json.loads(_loaded(policy, year=year).to_ir())
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert (doc["format"], doc["version"], doc["year"]) == ("cchc-ir", VERSION, year)


def test_schema_is_shipped_as_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"schema/*.json"' in pyproject


def test_same_policy_gives_the_same_bytes() -> None:
    """Two separate loads, one text: fixed key order, Vietnamese as written, a final newline."""
    first = load(POLICIES / "cantho", year=2019).to_ir()
    again = load(POLICIES / "cantho", year=2019).to_ir()
    assert first == again
    assert first.endswith("}\n")
    assert "Cần Thơ" in first  # not \\u escapes
    assert list(json.loads(first))[:5] == ["format", "version", "source", "in_force", "year"]


def test_decimals_are_strings_and_dates_iso() -> None:
    text = _loaded(POLICIES / "tayninh", year=2020).to_ir()
    floats: list[str] = []
    json.loads(text, parse_float=lambda s: floats.append(s))
    assert floats == []
    meta = json.loads(text)["metadata"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["issued"])


def test_every_rule_kind_and_expression_form_is_written() -> None:
    """The shipped policies between them exercise every rule kind and expression form but a tag
    (see test_tag_maxima_and_only_except_tags_survive_the_round_trip)."""
    text = "".join(_loaded(p, year=y).to_ir() for p, y, _ in SHIPPED)
    kinds = set(re.findall(r'"kind": "(\w+)"', text))
    rules = (
        "yes_no",
        "proportional",
        "steps",
        "deadline",
        "judged",
        "per_item",
        "survey",
        "formula",
    )
    assert set(rules) <= kinds
    forms = ('"input":', '"op":', '"number":', '"bool":', '"date":', '"node_max": true')
    for form in (*forms, '"percent": true', '"years_after": 1', '"group": 0'):
        assert form in text, form


# --- the round trip --------------------------------------------------------------------------


def _same_nodes(ir: NodeResult, text: NodeResult, where: str) -> None:
    """Points, max, outcome and the explanation, node by node."""
    got = (ir.id, ir.points, ir.max, ir.outcome, ir.effect, ir.rule, ir.detail, ir.inputs)
    want = (text.id, text.points, text.max, text.outcome, text.effect, text.rule, text.detail)
    assert got == (*want, text.inputs), f"{where} {text.id}"
    assert len(ir.children) == len(text.children), f"{where} {text.id}"
    for mine, theirs in zip(ir.children, text.children, strict=True):
        _same_nodes(mine, theirs, where)


def _same_evaluation(ir: Evaluation, text: Evaluation, where: str) -> None:
    for mine, theirs in zip(ir.nodes, text.nodes, strict=True):
        _same_nodes(mine, theirs, where)
    assert ir.adjustments == text.adjustments, where
    totals = ("points", "max", "index", "index_rounded", "band", "steps", "survey_status")
    assert [getattr(ir, k) for k in totals] == [getattr(text, k) for k in totals], where
    assert ir == text, where  # and whatever else an evaluation holds


def _same_report(ir: ScoreReport, text: ScoreReport) -> None:
    assert [b.title for b in ir.blocks] == [b.title for b in text.blocks]
    for mine, theirs in zip(ir.units, text.units, strict=True):
        where = f"unit {theirs.unit}:"
        assert (mine.unit, mine.block, mine.rank) == (theirs.unit, theirs.block, theirs.rank)
        _same_evaluation(mine.official, theirs.official, where)
        assert (mine.self_assessed is None) == (theirs.self_assessed is None), where
        if mine.self_assessed is not None and theirs.self_assessed is not None:
            _same_evaluation(mine.self_assessed, theirs.self_assessed, f"{where} self")


@pytest.mark.parametrize(("policy", "year", "facts"), SHIPPED, ids=IDS)
def test_ir_scores_the_shipped_units_as_the_text_does(
    policy: Path, year: int | None, facts: Path, tmp_path: Path
) -> None:
    text = _loaded(policy, year=year)
    ir = load(_ir_file(text, tmp_path))
    assert ir.from_ir and ir.year == year
    assert dict(ir.programs) == dict(text.programs)  # equal IR objects, spans aside
    report = ir.score_file(facts)
    _same_report(report, text.score_file(facts))
    as_json = json.loads(reports.to_json(report))
    assert as_json["policy"]["file"] == str(tmp_path / "policy.json")
    expected = json.loads(reports.to_json(text.score_file(facts)))
    as_json["policy"]["file"] = expected["policy"]["file"]
    assert as_json == expected


def test_reading_back_and_writing_again_gives_the_same_bytes(tmp_path: Path) -> None:
    first = _ir_file(_loaded(POLICIES / "hanoi", year=2021), tmp_path, "hanoi.json")
    again = load_ir(first)
    assert again.to_ir() == first.read_text(encoding="utf-8")
    assert (again.name, again.compiled_from) == (str(first), "hanoi")


TAGGED = """\
regulation "IR test: what a tag changes"
rounding half_up 2
unit_types {
  so "Sở"
  tag dac_thu "Đặc thù"
}
inputs {
  done: yes_no "Done"
  rate: percent "Rate"
}
field 1 "A" {
  criterion 1.1 "B" max 4, 6 for dac_thu { yes_no done }
  criterion 1.2 "C" max 2 only dac_thu { proportional rate }
  criterion 1.3 "D" max 4 except dac_thu { formula rate * max clamp 0 .. max }
  criterion 1.4 "E" max 2 { yes_no tag dac_thu }
}
"""


def test_tag_maxima_and_only_except_tags_survive_the_round_trip() -> None:
    """No shipped policy gives a tag its own max or reads a tag, so by hand: a plain «so» gets
    1.1 = 4 of 4, 1.3 = 50 % × 4 = 2 of 4, 1.4 = 0 of 2 (1.2 is only for dac_thu): 6 / 10 =
    60.00 %. A «so» tagged dac_thu gets 1.1 = 6 of 6 (the tag's max), 1.2 = 50 % × 2 = 1 of 2,
    1.4 = 2 of 2 (1.3 excepts it): 9 / 10 = 90.00 %."""
    text = load_policy_text(TAGGED)
    ir = load_ir_text(text.to_ir())
    assert dict(ir.programs) == dict(text.programs)
    records = [
        {"unit": "a", "name": "A", "unit_type": "so", "inputs": {"done": True, "rate": "50%"}},
        {
            "unit": "b",
            "name": "B",
            "unit_type": "so",
            "tags": ["dac_thu"],
            "inputs": {"done": True, "rate": "50%"},
        },
    ]
    report = ir.score(ir.facts(records))
    _same_report(report, text.score(text.facts(records)))
    found = {
        u.unit: (u.official.points, u.official.max, u.official.index_rounded) for u in report.units
    }
    assert found == {
        "a": (Decimal("6"), Decimal("10"), Decimal("60.00")),
        "b": (Decimal("9"), Decimal("10"), Decimal("90.00")),
    }
    leaves = json.loads(text.to_ir())["programs"][0]["nodes"][0]["children"]
    assert leaves[0]["applicability"]["max_by_tag"] == [{"tag": "dac_thu", "max": "6"}]
    assert leaves[3]["rule"] == {"kind": "yes_no", "condition": {"tag": "dac_thu"}}


def _worked_case_files() -> list[Path]:
    return [p for p in find_case_files([POLICIES]) if "policy" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize(
    "case_file", _worked_case_files(), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_worked_cases_pass_from_the_ir_alone(case_file: Path, tmp_path: Path) -> None:
    """The hand-computed figures of policies/*/tests/*.toml, scored from a compiled IR."""
    text = case_file.read_text(encoding="utf-8")
    policy = re.search(r'^policy = "(.+)"$', text, re.MULTILINE)
    facts = re.search(r'^facts = "(.+)"$', text, re.MULTILINE)
    year = re.search(r"^year = (\d+)$", text, re.MULTILINE)
    assert policy and facts
    compiled = load(case_file.parent / policy.group(1), year=int(year.group(1)) if year else None)
    ir = _ir_file(compiled, tmp_path)
    moved = text.replace(policy.group(0), f'policy = "{ir.as_posix()}"').replace(
        facts.group(0), f'facts = "{(case_file.parent / facts.group(1)).resolve().as_posix()}"'
    )
    (tmp_path / case_file.name).write_text(moved, encoding="utf-8")
    result = run_file(tmp_path / case_file.name)
    reference = run_file(case_file)
    assert result.cases  # something was checked
    assert [c.passed for c in result.cases] == [c.passed for c in reference.cases]


@settings(max_examples=20)
@given(data=st.data())
def test_random_units_score_the_same_from_the_ir(data: st.DataObject) -> None:
    text, ir = _PAIRS[data.draw(st.sampled_from(sorted(_PAIRS)))]
    records = data.draw(units(text))
    try:
        expected = text.score(text.facts(records))
    except CchcError as error:
        with pytest.raises(CchcError) as refused:
            ir.score(ir.facts(records))
        assert refused.value.diagnostics == error.diagnostics
        return
    _same_report(ir.score(ir.facts(records)), expected)


def _pairs() -> dict[str, tuple[CompiledPolicy, CompiledPolicy]]:
    out = {}
    for policy, year in ((EXAMPLE, None), (POLICIES / "cantho", 2019)):
        text = _loaded(policy, year=year)
        out[policy.name] = (text, load_ir_text(text.to_ir(), "ir.json"))
    return out


_PAIRS = _pairs()


# --- refusing what is not a readable IR --------------------------------------------------------


def _refused(tmp_path: Path, doc: object, raw: str | None = None) -> str:
    path = tmp_path / "bad.json"
    path.write_text(raw if raw is not None else json.dumps(doc, indent=2), encoding="utf-8")
    with pytest.raises(CchcError) as error:
        load(path)
    (diagnostic,) = error.value.diagnostics
    span = diagnostic.span
    where = f"{span.line}:{span.column}" if span else "-"
    return f"{diagnostic.code} {where} {diagnostic.message}"


def _example_doc() -> dict[str, object]:
    return dict(json.loads(_loaded(EXAMPLE).to_ir()))


def test_a_newer_version_is_refused(tmp_path: Path) -> None:
    doc = _example_doc() | {"version": VERSION + 1}
    found = _refused(tmp_path, doc)
    assert found.startswith("E802 3:")  # the "version" line
    assert f"version {VERSION + 1}; this cchc-dsl reads versions up to {VERSION}" in found


def test_another_format_is_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path, _example_doc() | {"format": "cchc-report"}).startswith("E801 2:")
    found = _refused(tmp_path, None, raw=(POLICIES / "example" / "units.json").read_text())
    assert found.startswith("E801 1:1") and 'no «format»: "cchc-ir"' in found


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    found = _refused(tmp_path, None, raw='{\n  "format": "cchc-ir",\n  "version": 1,,\n}')
    assert found.startswith("E801 3:") and "invalid JSON" in found


def test_a_decimal_as_a_json_number_names_its_path_and_line(tmp_path: Path) -> None:
    doc = _example_doc()
    programs = copy.deepcopy(doc["programs"])
    assert isinstance(programs, list)
    programs[0]["groups"] = [{"title": "Thưởng", "cap": 2.5}]
    raw = json.dumps(doc | {"programs": programs}, indent=2, ensure_ascii=False)
    found = _refused(tmp_path, None, raw=raw)
    line = raw.splitlines().index('          "cap": 2.5') + 1
    assert found == (
        f"E803 {line}:18 at $.programs[0].groups[0].cap: "
        'expected a decimal written as a string, e.g. "12.5"'
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("criteria"), "at $: missing «criteria»"),
        (lambda d: d.update(critera=[]), "at $.critera: unknown key «critera»"),
        (lambda d: d["rounding"].update(mode="banker"), "at $.rounding.mode: expected one of"),
        (lambda d: d["programs"].pop(), "at $.programs: expected one program per unit type"),
        (
            lambda d: d["programs"][0]["nodes"][0]["children"][0].update(reads=["khong_co"]),
            "at $.programs[0].nodes[0].children[0].reads[0]: no input «khong_co» declared",
        ),
        (
            lambda d: d["programs"][0]["nodes"][0]["children"][0]["rule"].update(kind="guess"),
            "at $.programs[0].nodes[0].children[0].rule.kind: expected one of: yes_no,",
        ),
    ],
    ids=["missing", "unknown-key", "enum", "programs", "reference", "rule-kind"],
)
def test_structure_problems_name_their_json_path(
    tmp_path: Path, change: object, message: str
) -> None:
    doc = _example_doc()
    change(doc)  # type: ignore[operator]
    assert message in _refused(tmp_path, doc)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3) | st.just("max"),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=4,
)


def _paths(doc: object, where: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [where]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.extend(_paths(value, (*where, key)))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            out.extend(_paths(value, (*where, index)))
    return out


_EXAMPLE_DOC = _example_doc()
_EXAMPLE_PATHS = [p for p in _paths(_EXAMPLE_DOC) if p]
_EXAMPLE_UNITS = json.loads((EXAMPLE.parent / "units.json").read_text(encoding="utf-8"))["units"]


@settings(max_examples=50)
@given(where=st.sampled_from(_EXAMPLE_PATHS), value=JSON_VALUES, delete=st.booleans())
def test_a_damaged_ir_is_refused_or_scores_never_a_crash(
    where: tuple[object, ...], value: object, delete: bool
) -> None:
    """Whatever one value is changed to, reading refuses with E80x or the IR scores (or refuses
    the units with a user error): never an exception a user would see as a crash."""
    doc = copy.deepcopy(_EXAMPLE_DOC)
    parent: object = doc
    for step in where[:-1]:
        parent = parent[step]  # type: ignore[index]
    if delete and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = value  # type: ignore[index]
    try:
        damaged = load_ir_text(json.dumps(doc, ensure_ascii=False), "damaged.json")
    except CchcError as error:
        assert [d.code for d in error.diagnostics] in (["E801"], ["E802"], ["E803"])
        return
    with contextlib.suppress(CchcError):
        damaged.score(damaged.facts(_EXAMPLE_UNITS))


# --- the command line --------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compile_to_json_prints_the_ir() -> None:
    code, out, err = run("compile", str(EXAMPLE), "--to", "json")
    assert (code, err) == (0, "")
    assert out == _loaded(EXAMPLE).to_ir()


def test_compile_writes_a_file_and_score_reads_it(tmp_path: Path) -> None:
    folder, facts = POLICIES / "tayninh", POLICIES / "tayninh" / "units-2020.json"
    target = tmp_path / "tayninh-2020.json"
    code, out, err = run(
        "compile", str(folder), "--year", "2020", "--to", "json", "-o", str(target)
    )
    assert (code, out) == (0, "")
    assert err == f"{folder}: {_loaded(folder, year=2020).chosen}\n"
    assert target.read_text(encoding="utf-8") == _loaded(folder, year=2020).to_ir()
    for output_format in ("table", "csv"):
        from_ir = run("score", str(target), str(facts), "-f", output_format)
        from_text = run("score", str(folder), str(facts), "--year", "2020", "-f", output_format)
        assert from_ir[0] == from_text[0] == 0
        assert from_ir[1] == from_text[1], output_format
    explained = run("score", str(target), str(facts), "--explain", "so_noi_vu")
    assert explained[1] == run("score", str(folder), str(facts), "-y", "2020", "-e", "so_noi_vu")[1]


def test_compile_at_a_date_takes_that_version(tmp_path: Path) -> None:
    code, out, _ = run("compile", str(POLICIES / "cantho"), "--as-of", "2019-12-31", "--to", "json")
    assert code == 0
    assert out == load(POLICIES / "cantho", year=2019).to_ir().replace(
        '"year": 2019', '"year": null'
    )


def test_show_and_diff_refuse_an_ir(tmp_path: Path) -> None:
    ir = _ir_file(_loaded(EXAMPLE), tmp_path, "mau.json")
    code, _, err = run("--lang", "en", "show", str(ir))
    assert code == 1
    assert f"error[E804]: show needs the regulation's .cchc text; {ir} is a compiled IR" in err
    code, _, err = run("--lang", "en", "diff", str(ir), str(EXAMPLE))
    assert (code, "error[E804]: diff" in err) == (1, True)


def test_check_reads_an_ir(tmp_path: Path) -> None:
    good = _ir_file(_loaded(EXAMPLE), tmp_path, "mau.json")
    assert run("--lang", "en", "check", str(good)) == (
        0,
        "1 file(s) checked: no problems found\n",
        "",
    )
    bad = tmp_path / "bad.json"
    bad.write_text(
        good.read_text(encoding="utf-8").replace('"version": 1', '"version": 9'), encoding="utf-8"
    )
    code, _, err = run("--lang", "en", "check", str(bad))
    assert code == 1
    assert f"error[E802]: {bad} is cchc-ir version 9; this cchc-dsl reads versions up to 1" in err


def test_an_ir_for_one_year_refuses_another(tmp_path: Path) -> None:
    ir = _ir_file(_loaded(POLICIES / "cantho", year=2018), tmp_path, "cantho-2018.json")
    facts = POLICIES / "cantho" / "units-2019.json"
    code, _, err = run("--lang", "en", "score", str(ir), str(facts), "--year", "2019")
    assert code == 1
    assert "was compiled for index year 2018; compile it again with --year 2019" in err
    assert load(ir, year=2018).year == 2018


def test_a_bad_ir_exits_1_with_the_place(tmp_path: Path) -> None:
    doc = _example_doc() | {"version": "1"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    code, _, err = run("--lang", "en", "score", str(path), str(EXAMPLE.parent / "units.json"))
    assert code == 1
    assert "error[E803]: at $.version: «version» must be a whole number from 1" in err
    assert f"{path}:3:" in err
    assert "Traceback" not in err
    code, _, err = run("score", str(path), str(EXAMPLE.parent / "units.json"))
    assert "lỗi[E803]: tại $.version: «version» phải là số nguyên từ 1" in err


def test_decimal_strings_keep_their_digits(tmp_path: Path) -> None:
    """2.50 stays 2.50: the IR neither rounds nor normalises a decimal."""
    doc = _example_doc()
    programs = doc["programs"]
    assert isinstance(programs, list)
    programs[0]["groups"] = [{"title": "Thưởng", "cap": "2.50"}]
    path = tmp_path / "cap.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert load(path).program("so").groups[0].cap.as_tuple() == Decimal("2.50").as_tuple()


# --- the example in docs/ir.md ---------------------------------------------------------------


def _run_example(ir: Path) -> subprocess.CompletedProcess[str]:
    script = ROOT / "examples" / "score_from_ir.py"
    return subprocess.run(
        [sys.executable, str(script), str(ir), str(FACTS)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=ir.parent,
    )


def test_the_embedding_example_runs(tmp_path: Path) -> None:
    """examples/score_from_ir.py on the example policy: the ranking policies/example/tests/
    example.toml computes by hand (thanh_tra 94.57 first; so_tp and so_xd share rank 2 at 88.00;
    so_nv 77.14 Khá; so_tc 32.75 Kém)."""
    ir = tmp_path / "mau.json"
    assert run("compile", str(EXAMPLE), "--to", "json", "-o", str(ir))[0] == 0
    done = _run_example(ir)
    assert (done.returncode, done.stderr) == (0, "")
    block = "Sở, ban, ngành"
    assert done.stdout.splitlines()[:5] == [
        f"{block} | 1 | thanh_tra | 94.57 | Tốt",
        f"{block} | 2 | so_tp | 88.00 | Tốt",
        f"{block} | 2 | so_xd | 88.00 | Tốt",
        f"{block} | 4 | so_nv | 77.14 | Khá",
        f"{block} | 5 | so_tc | 32.75 | Kém",
    ]
    assert done.stdout.splitlines()[5].startswith("thanh_tra ")


def test_the_embedding_example_reports_a_bad_ir(tmp_path: Path) -> None:
    ir = tmp_path / "units.json"
    ir.write_text(FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    done = _run_example(ir)
    assert done.returncode == 1
    assert f"{ir}:1:1: error E801: {ir} is not a compiled policy (cchc-ir)" in done.stderr
