"""No input text breaks the tool: reading a policy or a facts file either succeeds or raises
`CchcError` with diagnostics, whatever the text: random text and bytes, texts the grammar derives,
and shipped files with one line or character deleted or doubled. Anything else (an IndexError, a
RecursionError, a Decimal signal) is a bug, which the CLI would show as exit 70.

These properties run `scaled(n)` examples: a share of the profile's, so that a run stays within
seconds by default and `--hypothesis-profile=thorough` searches twenty times harder.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_dsl.api import CompiledPolicy, check_path, check_source, compile_source, load, load_policy
from cchc_dsl.diagnostics import CchcError, DiagnosticSink, Severity
from cchc_dsl.expectations import run_file
from cchc_dsl.facts import load_facts
from cchc_dsl.source import SourceFile
from tests.strategies import json_values, mutated, policies, scaled, units

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "policies" / "example" / "mau.cchc"
EXAMPLE_POLICY = load_policy(EXAMPLE)
# the example and the two files that use every construct; the provinces' files, read as folders
SINGLE_FILES = [EXAMPLE, *sorted(ROOT.glob("tests/data/constructs.*.cchc"))]
PROVINCE_FILES = sorted(p for p in ROOT.glob("policies/*/*.cchc") if p.parent.name != "example")
FACTS_FILES = [
    ROOT / "policies" / "example" / "units.json",
    ROOT / "tests" / "data" / "cli" / "units.csv",
]


def slow(divisor: int) -> settings:
    """`scaled(divisor)` examples; drawing whole texts and files may be slow or large."""
    checks = [HealthCheck.too_slow, HealthCheck.data_too_large]
    return settings(max_examples=scaled(divisor), suppress_health_check=checks)


T = TypeVar("T")


def user_error_or(run: Callable[[], T]) -> T | None:
    """The result of `run`, or None when it raised `CchcError` with at least one error; any
    other exception fails the test."""
    try:
        return run()
    except CchcError as error:
        assert error.errors, "a CchcError must carry the errors it stands for"
        return None


def checked_and_scored(text: str, name: str = "fuzz.cchc") -> CompiledPolicy | None:
    """Check a text (never raises), then compile it (raises only CchcError)."""
    source = SourceFile.from_text(text, name)
    check_source(source)
    return user_error_or(lambda: compile_source(source))


# --- policies ------------------------------------------------------------------------------------


@slow(1)
@given(text=st.text())
def test_random_text_is_only_ever_a_user_error(text: str) -> None:
    checked_and_scored(text)


@slow(2)
@given(data=st.binary())
def test_random_bytes_are_only_ever_a_user_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.cchc"
        path.write_bytes(data)
        diagnostics = check_path(path)
        if any(d.code == "E106" for d in diagnostics):
            return  # not UTF-8: refused before parsing
        user_error_or(lambda: load_policy(path))


@slow(2)  # drawn texts are long: 0.1 s an example
@given(text=policies(), data=st.data())
def test_texts_of_the_grammar_are_only_ever_a_user_error(text: str, data: st.DataObject) -> None:
    policy = checked_and_scored(text)
    if policy is not None and policy.unit_types:
        # a policy the checks accept also scores, or says why not, for any units
        records = data.draw(units(policy, max_size=3))
        facts = user_error_or(lambda: policy.facts(records, year=2024))
        if facts is not None:
            user_error_or(lambda: policy.score(facts))


@slow(4)
@pytest.mark.parametrize("path", SINGLE_FILES, ids=lambda p: p.name)
@given(data=st.data())
def test_mutated_single_policies_are_only_ever_a_user_error(
    path: Path, data: st.DataObject
) -> None:
    """One line or character of a policy deleted or doubled; when it still compiles, the
    example's units are scored under it."""
    policy = checked_and_scored(data.draw(mutated(path.read_text(encoding="utf-8"))), path.name)
    if policy is not None and path == EXAMPLE:
        user_error_or(lambda: policy.score_file(FACTS_FILES[0]))


@slow(20)  # a province folder is read whole, each version checked: 0.3 s an example
@pytest.mark.parametrize("path", PROVINCE_FILES, ids=lambda p: p.name)
@given(data=st.data())
def test_mutated_province_policies_are_only_ever_a_user_error(
    path: Path, data: st.DataObject
) -> None:
    """One line or character of a province's file deleted or doubled; the folder is checked,
    and loaded for each year it has facts for, and those facts scored."""
    text = data.draw(mutated(path.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.parent.name
        shutil.copytree(path.parent, copy)
        (copy / path.name).write_text(text, encoding="utf-8")
        if any(d.severity is Severity.ERROR for d in check_path(copy)):
            return
        for facts in sorted(copy.glob("units-*.json")):
            year = int(facts.stem.rpartition("-")[2])
            policy = user_error_or(lambda year=year: load(copy, year=year))
            if policy is not None:
                user_error_or(lambda policy=policy, facts=facts: policy.score_file(facts))


# --- facts ---------------------------------------------------------------------------------------


def read_facts(path: Path) -> None:
    """Read a facts file: problems are diagnostics, never an exception, and scoring what was
    read raises only CchcError."""
    sink = DiagnosticSink()
    facts = load_facts(path, EXAMPLE_POLICY.policy, sink)
    if not sink.has_errors:
        user_error_or(lambda: EXAMPLE_POLICY.score(facts))


@slow(2)
@given(text=st.text(), suffix=st.sampled_from([".json", ".csv"]))
def test_random_facts_text_is_only_ever_a_user_error(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"units{suffix}"
        path.write_text(text, encoding="utf-8")
        read_facts(path)


@slow(2)
@given(data=st.binary(), suffix=st.sampled_from([".json", ".csv"]))
def test_random_facts_bytes_are_only_ever_a_user_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"units{suffix}"
        path.write_bytes(data)
        read_facts(path)


@slow(1)
@given(document=json_values())
def test_any_json_document_is_only_ever_a_user_error(document: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "units.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        read_facts(path)


@slow(2)
@pytest.mark.parametrize("path", FACTS_FILES, ids=lambda p: p.name)
@given(data=st.data())
def test_mutated_facts_files_are_only_ever_a_user_error(path: Path, data: st.DataObject) -> None:
    text = data.draw(mutated(path.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        copy.write_text(text, encoding="utf-8")
        read_facts(copy)


@slow(4)
@given(data=st.data())
def test_mutated_case_files_are_only_ever_a_user_error(data: st.DataObject) -> None:
    """The worked cases `cchc-dsl test` reads, with a line or character deleted or doubled."""
    case_file = ROOT / "policies" / "example" / "tests" / "example.toml"
    text = data.draw(mutated(case_file.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "example" / "tests"
        shutil.copytree(case_file.parent.parent, copy.parent)
        (copy / case_file.name).write_text(text, encoding="utf-8")
        user_error_or(lambda: run_file(copy / case_file.name))
