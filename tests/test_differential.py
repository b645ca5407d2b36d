"""Differential tests: every engine scores the same facts exactly as the interpreter does.

An engine turns a compiled policy into a function from a facts document (`{"year", "units"}`,
as a JSON facts file reads) to results in the generated scorer's plain shape
(`codegen.as_plain`), or `Refused` when it refuses the facts. Another engine is one more line in
ENGINES (the interpreter, the generated module, the interpreter on the JSON IR read back). For
each shipped policy and year, hypothesis draws valid facts with edge values (zero
denominators, bounds, deadline days, missing optional inputs, appraisals, evidence, tags); on a
difference it shrinks to the smallest case and prints it with the first differing field.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import json
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cchc_dsl import api, codegen
from cchc_dsl.diagnostics import CchcError
from cchc_dsl.nodes import InputType
from tests.conftest import ROOT
from tests.strategies import facts_document

Facts = dict[str, Any]


@attrs.frozen
class Refused:
    """The engine refused the facts; the message is for the reader, not for comparison."""

    message: str = attrs.field(eq=False)


Run = Callable[[Facts], "dict[str, Any] | Refused"]
Engine = Callable[[api.CompiledPolicy, Path], Run]


def interpreter(compiled: api.CompiledPolicy, _: Path) -> Run:
    def run(doc: Facts) -> dict[str, Any] | Refused:
        try:
            facts = compiled.facts(doc["units"], year=doc.get("year"))
            return codegen.as_plain(compiled.score(facts))
        except CchcError as error:
            return Refused(str(error))

    return run


_NUMBERS = itertools.count()


def generated_module(compiled: api.CompiledPolicy, folder: Path) -> Any:
    """The generated scorer, written to a file and imported from it as a user would."""
    name = f"cchc_generated_{next(_NUMBERS)}"  # a new file each time: no stale bytecode
    path = folder / f"{name}.py"
    path.write_text(codegen.generate_module(compiled), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def python(compiled: api.CompiledPolicy, folder: Path) -> Run:
    module = generated_module(compiled, folder)

    def run(doc: Facts) -> dict[str, Any] | Refused:
        try:
            return dict(module.score(doc))
        except module.FactsError as error:
            return Refused(str(error))

    return run


def ir_round_trip(compiled: api.CompiledPolicy, folder: Path) -> Run:
    """The interpreter on the policy written as JSON IR and read back, as an embedder loads it."""
    return interpreter(api.load_ir_text(compiled.to_ir(), year=compiled.year), folder)


# The first engine is the reference; every other one must agree with it.
ENGINES: list[tuple[str, Engine]] = [
    ("interpreter", interpreter),
    ("python", python),
    ("ir", ir_round_trip),
]


def shipped() -> list[tuple[str, int | None, int]]:
    """(policy path, year to load it for, facts year): each province folder for each year it
    ships units for, and the example."""
    found: list[tuple[str, int | None, int]] = [("policies/example/mau.cchc", None, 2024)]
    for folder in sorted((ROOT / "policies").iterdir()):
        for units in sorted(folder.glob("units-*.json")):
            year = int(units.stem.removeprefix("units-"))
            found.append((str(folder.relative_to(ROOT)), year, year))
    return found


POLICIES = shipped()


@functools.cache
def compiled_for(path: str, year: int | None) -> api.CompiledPolicy:
    return api.load(ROOT / path, year=year)


@functools.cache
def runs_for(path: str, year: int | None, folder: Path) -> tuple[tuple[str, Run], ...]:
    compiled = compiled_for(path, year)
    return tuple((name, engine(compiled, folder)) for name, engine in ENGINES)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


def drawing(test: Callable[..., None]) -> Callable[..., None]:
    """A hypothesis test that draws as it goes, with the module's shared engines."""
    health = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
    return settings(suppress_health_check=health)(given(data=st.data())(test))


def over_shipped_policies(test: Callable[..., None]) -> Callable[..., None]:
    """`drawing`, for every shipped policy and year."""
    return pytest.mark.parametrize(("path", "year", "facts_year"), POLICIES)(drawing(test))


def first_difference(left: object, right: object, where: str = "") -> str | None:
    """Where two results first differ, as a path with both values; None when equal."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in [*left, *(k for k in right if k not in left)]:
            if key not in left or key not in right:
                return f"{where}[{key!r}]: only in {'right' if key not in left else 'left'}"
            found = first_difference(left[key], right[key], f"{where}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        if len(left) != len(right):
            return f"{where}: {len(left)} items != {len(right)} items"
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if left == right else f"{where}: {left!r} != {right!r}"


def assert_agree(runs: tuple[tuple[str, Run], ...], doc: Facts) -> None:
    (reference, run), *others = runs
    expected = run(doc)
    for name, other in others:
        actual = other(doc)
        if isinstance(expected, Refused) or isinstance(actual, Refused):
            assert type(actual) is type(expected), f"{reference}: {expected!r}\n{name}: {actual!r}"
            continue
        difference = first_difference(expected, actual)
        assert difference is None, f"{name} differs from {reference} at {difference}"


@over_shipped_policies
def test_engines_agree_on_random_valid_facts(
    path: str, year: int | None, facts_year: int, folder: Path, data: st.DataObject
) -> None:
    compiled = compiled_for(path, year)
    doc = data.draw(facts_document(compiled, facts_year, max_units=8), label="facts")
    runs = runs_for(path, year, folder)
    assert_agree(runs, doc)
    accepted = accepted_part(runs[0][1], doc)
    assume(accepted["units"])
    assert_agree(runs, accepted)


def accepted_part(run: Run, doc: Facts) -> Facts:
    """The units the reference engine scores: those a refusal names are left out, so that
    the comparison is of scores (a rate the rules refuse is common in random counts)."""
    units = list(doc["units"])
    while units and isinstance(refused := run({**doc, "units": units}), Refused):
        named = set(re.findall(r"\bunit (u\d+)\b", refused.message))
        if not named:
            return {**doc, "units": []}
        units = [u for u in units if u["unit"] not in named]
    return {**doc, "units": units}


@pytest.mark.parametrize(("path", "year", "facts_year"), POLICIES)
def test_engines_agree_on_the_shipped_units(
    path: str, year: int | None, facts_year: int, folder: Path
) -> None:
    """The shipped facts file, read as JSON is read (floats as Decimal), scores and ranks
    identically; most of these units score without refusal, so this is no vacuous check."""
    units = "units.json" if year is None else f"units-{year}.json"
    file = (ROOT / path).parent / units if year is None else ROOT / path / units
    doc = json.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    runs = runs_for(path, year, folder)
    assert not isinstance(runs[0][1](doc), Refused)
    assert_agree(runs, doc)


# --- variants: what the shipped policies do not exercise ---------------------------------------

SURVEY_VARIANTS = {
    # the survey criterion does not apply to a tagged unit: its status is "none"
    "survey except a tag": ('"Chỉ số hài lòng về phục vụ hành chính" tối đa 20 {', 1),
    "weighted survey": ("khảo sát { khi thiếu quy_đổi }", 2),
    "survey counted 0 when missing": ("khảo sát { khi thiếu quy_đổi }", 3),
    "survey required": ("khảo sát { khi thiếu quy_đổi }", 4),
}
REPLACEMENTS = {
    1: '"Chỉ số hài lòng về phục vụ hành chính" tối đa 20 trừ dac_thu {',
    2: "khảo sát { trọng số 30 trên 100; khi thiếu quy_đổi }",
    3: "khảo sát { khi thiếu không_điểm }",
    4: "khảo sát { khi thiếu lỗi }",
}


@functools.cache
def variant(name: str) -> api.CompiledPolicy:
    text = (ROOT / "policies/example/mau.cchc").read_text(encoding="utf-8")
    old, number = SURVEY_VARIANTS[name]
    assert old in text
    return api.load_policy_text(text.replace(old, REPLACEMENTS[number]), f"{name}.cchc")


@pytest.mark.parametrize("name", SURVEY_VARIANTS)
@drawing
def test_engines_agree_on_survey_variants(name: str, folder: Path, data: st.DataObject) -> None:
    compiled = variant(name)
    doc = data.draw(facts_document(compiled, 2024, max_units=4), label="facts")
    assert_agree(variant_runs(name, folder), doc)


@functools.cache
def variant_runs(name: str, folder: Path) -> tuple[tuple[str, Run], ...]:
    return tuple((engine_name, engine(variant(name), folder)) for engine_name, engine in ENGINES)


# --- refusals ------------------------------------------------------------------------------------


def _broken(compiled: api.CompiledPolicy) -> st.SearchStrategy[tuple[str, Facts]]:
    """(what was broken, facts with one fault in one unit), the fault drawn per kind."""
    ast = compiled.policy
    decls = {d.name: d for d in ast.inputs}
    required = [d.name for d in ast.inputs if d.default is None and not d.optional]
    wrong = {
        InputType.YES_NO: "maybe",
        InputType.COUNT: "-1",
        InputType.NUMBER: "1,5",
        InputType.POINTS: "many",
        InputType.PERCENT: "150%",
        InputType.SURVEY: "101",
        InputType.DATE: "31/02/2024",
    }

    def fault(kind: str, name: str) -> Callable[[dict[str, Any]], None]:
        def apply(record: dict[str, Any]) -> None:
            if kind == "value":
                record["inputs"][name] = wrong[decls[name].type]
            elif kind == "missing":
                record["inputs"].pop(name, None)
            elif kind == "unknown input":
                record["inputs"]["khong_co"] = 1
            elif kind == "unit type":
                record["unit_type"] = "khong_co"
            elif kind == "tag":
                record["tags"] = ["khong_co"]
            elif kind == "evidence":
                record["evidence"] = {"9.9.9": "x"}
            else:
                record["khong_co"] = 1

        return apply

    kinds = st.one_of(
        st.tuples(st.sampled_from(["value"]), st.sampled_from(list(decls))),
        st.tuples(st.just("missing"), st.sampled_from(required or [""])),
        st.tuples(
            st.sampled_from(["unknown input", "unit type", "tag", "evidence", "key"]), st.just("")
        ),
    )

    @st.composite
    def draw(d: st.DrawFn) -> tuple[str, Facts]:
        doc = d(facts_document(compiled, 2024 if compiled.year is None else compiled.year, 3))
        kind, name = d(kinds)
        victim = d(st.sampled_from(doc["units"]))  # type: ignore[arg-type]
        fault(kind, name)(victim)
        return f"{kind} {name}".strip(), doc

    return draw()


@over_shipped_policies
def test_the_generated_scorer_refuses_what_the_interpreter_refuses(
    path: str, year: int | None, facts_year: int, folder: Path, data: st.DataObject
) -> None:
    compiled = compiled_for(path, year)
    fault, doc = data.draw(_broken(compiled), label="broken facts")
    runs = runs_for(path, year, folder)
    expected = runs[0][1](doc)
    if not fault.startswith("missing"):  # an input no rule reads may be missing
        assert isinstance(expected, Refused), fault
    assert_agree(runs, doc)


def test_a_refusal_names_the_unit_and_the_field(folder: Path) -> None:
    module = generated_module(compiled_for("policies/example/mau.cchc", None), folder)
    units = json.loads((ROOT / "policies/example/units.json").read_text(encoding="utf-8"))
    units["units"][1]["inputs"]["dvc_truc_tuyen"] = "150%"
    with pytest.raises(module.FactsError) as raised:
        module.score(units)
    assert (raised.value.unit, raised.value.field) == ("so_nv", "dvc_truc_tuyen")
    assert "150%" in str(raised.value)
    del units["units"][1]["inputs"]["vi_tri_viec_lam"]
    units["units"][1]["inputs"]["dvc_truc_tuyen"] = "60%"
    with pytest.raises(module.FactsError) as raised:
        module.score(units)
    assert (raised.value.unit, raised.value.field) == ("so_nv", "vi_tri_viec_lam")
