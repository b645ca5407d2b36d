"""The diagnostic registry: both languages say the same thing, and every example does what it shows.

Policy examples (E1xx–E3xx) are run: the bad one must report its code and nothing else, the fix
must report nothing. Facts examples are read against the shipped example policy. Then
`cchc-dsl explain` and docs/diagnostics.md, which are both rendered from the registry.
"""

from __future__ import annotations

import collections
import re
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_dsl.api import check_path, check_source, load, load_policy
from cchc_dsl.cli import app
from cchc_dsl.diagnostics import CchcError, Diagnostic, DiagnosticSink
from cchc_dsl.explain import diagnostics_markdown
from cchc_dsl.facts import load_facts
from cchc_dsl.messages import MESSAGES
from cchc_dsl.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "diagnostics.md"
CODES = sorted(MESSAGES)

# Codes of the policy stages whose examples are not a policy, with the reason.
NOT_A_POLICY = {"E106": "a file that is not UTF-8 cannot be shown as text: a command line"}
POLICY_CODES = [c for c in CODES if re.fullmatch(r"E[123]\d\d", c) and c not in NOT_A_POLICY]
# Facts examples that reading a facts file reports (E403, a missing input, is found by scoring).
# Workbook codes (E411-E413) need a binary file or a sheet: their examples are command lines.
NOT_JSON_FACTS = {"E403", "E411", "E412", "E413"}
FACTS_CODES = [c for c in CODES if c.startswith("E4") and c not in NOT_JSON_FACTS]

SECTION = re.compile(r"^# file: (\S+)\n", re.MULTILINE)
YEAR = re.compile(r"--year (\d{4})")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def diagnostics_of(example: str, tmp_path: Path) -> tuple[Diagnostic, ...]:
    """Check one example: a file, or a folder of `# file:` sections. A `--year` in the comment
    before the sections picks the regulation for that index year, as `score --year` does."""
    preamble, *parts = SECTION.split(example)
    if not parts:
        return check_source(SourceFile.from_text(example, "example.cchc"))[1]
    for name, text in zip(parts[::2], parts[1::2], strict=True):
        (tmp_path / name).write_text(text, encoding="utf-8")
    year = YEAR.search(preamble)
    if year is None:
        return check_path(tmp_path)
    try:
        return load(tmp_path, year=int(year.group(1))).warnings
    except CchcError as error:
        return error.diagnostics


# --- the texts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_every_entry_has_both_languages_and_both_examples(code: str) -> None:
    entry = MESSAGES[code]
    assert entry.code == code
    for name in ("title_vi", "template_vi", "explanation_vi", "bad", "fix"):
        assert getattr(entry, name).strip(), f"{code} has no {name}"
    assert entry.bad != entry.fix


@pytest.mark.parametrize("code", CODES)
def test_vietnamese_template_has_the_same_fields(code: str) -> None:
    entry = MESSAGES[code]
    assert fields(entry.template_vi) == fields(entry.template)


@pytest.mark.parametrize("code", CODES)
def test_templates_fill(code: str) -> None:
    entry = MESSAGES[code]
    values = collections.defaultdict(lambda: "x")
    for template in (entry.template, entry.template_vi):
        assert "{" not in template.format_map(values), template


def test_vietnamese_keeps_ids_and_quotes() -> None:
    """«…» around a name in English stays around it in Vietnamese."""
    for entry in MESSAGES.values():
        quoted = set(re.findall(r"«\{(\w+)\}»", entry.template))
        assert quoted <= set(re.findall(r"«\{(\w+)\}»", entry.template_vi)), entry.code


# --- the examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", POLICY_CODES)
def test_bad_policy_example_reports_its_code(code: str, tmp_path: Path) -> None:
    found = {d.code for d in diagnostics_of(MESSAGES[code].bad, tmp_path)}
    assert found == {code}


@pytest.mark.parametrize("code", POLICY_CODES)
def test_fixed_policy_example_is_clean(code: str, tmp_path: Path) -> None:
    found = [d.one_line() for d in diagnostics_of(MESSAGES[code].fix, tmp_path)]
    assert found == []


@pytest.mark.parametrize("code", FACTS_CODES)
def test_facts_examples_against_the_example_policy(code: str, tmp_path: Path) -> None:
    policy = load_policy(ROOT / "policies" / "example" / "mau.cchc").policy
    found = []
    for example in (MESSAGES[code].bad, MESSAGES[code].fix):
        path = tmp_path / f"{len(found)}.json"
        path.write_text(example, encoding="utf-8")
        sink = DiagnosticSink()
        load_facts(path, policy, sink)
        found.append({d.code for d in sink})
    assert found == [{code}, set()]


# --- cchc-dsl explain -----------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_explain_in_vietnamese_by_default() -> None:
    code, out, err = run("explain", "E310")
    entry = MESSAGES["E310"]
    assert (code, err) == (0, "")
    assert out.startswith(f"E310 — {entry.title_vi} (lỗi)\n")
    assert f"Thông báo: {entry.template_vi}" in out
    assert "Ví dụ sai:" in out
    assert "Sửa lại:" in out
    assert "    từ 95% đến 100%: 10" in out  # the bad example, indented
    assert "    từ 95% đến dưới 100%: 10" in out  # and the fix


def test_explain_in_english() -> None:
    code, out, _ = run("--lang", "en", "explain", "e315")
    entry = MESSAGES["E315"]
    assert code == 0
    assert out.startswith(f"E315 — {entry.title} (warning)\n")
    assert f"Message: {entry.template}" in out
    assert "Example:" in out
    assert "Fixed:" in out


def test_explain_takes_the_number_alone() -> None:
    assert run("explain", "310") == run("explain", "E310")


def test_explain_an_unknown_code_says_which_was_meant() -> None:
    code, out, err = run("explain", "E3100")
    assert (code, out) == (1, "")
    assert "lỗi[E603]: không có mã «E3100»" in err
    assert "gợi ý: có phải là «E310»?" in err
    code, _, err = run("--lang", "en", "explain", "E31")
    assert code == 1
    assert "error[E603]: no diagnostic code «E31»" in err
    assert "help: did you mean «E310»?" in err


def test_explain_without_a_code_lists_every_code() -> None:
    code, out, _ = run("explain")
    assert code == 0
    for entry in MESSAGES.values():
        assert f"  {entry.code}  {entry.title_vi}" in out
    assert "Mâu thuẫn trong quy định" in out
    code, out, _ = run("--lang", "en", "explain")
    assert code == 0
    assert "  E350  input never used (warning)" in out


# --- docs/diagnostics.md --------------------------------------------------------------------------


def test_diagnostics_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == diagnostics_markdown(), (
        "docs/diagnostics.md is out of date: run python scripts/gen_diagnostics_doc.py"
    )


def test_diagnostics_doc_has_every_code_in_both_languages() -> None:
    text = diagnostics_markdown()
    for entry in MESSAGES.values():
        assert f"### {entry.code} — {entry.title_vi} / {entry.title}\n" in text
        assert entry.explanation_vi in text
        assert entry.explanation in text
        assert entry.bad.rstrip("\n") in text
