"""Worked test cases (`cchc-dsl test`): the runner on the shipped example, on wrong expectations
and on malformed files.

The example's figures live in policies/example/tests/example.toml, each with its hand arithmetic;
the files under tests/data/expectations/ are wrong or malformed on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cchc_dsl.diagnostics import CchcError, Diagnostic
from cchc_dsl.expectations import (
    NO_SUCH_NODE,
    NO_SUCH_UNIT,
    CaseResult,
    FileResult,
    find_case_files,
    report_text,
    run_all,
    run_file,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "policies" / "example"
EXAMPLE_CASES = EXAMPLE / "tests" / "example.toml"
DATA = Path(__file__).resolve().parent / "data" / "expectations"

HEADER = f"""
policy = '{(EXAMPLE / "mau.cchc").as_posix()}'
facts = '{(EXAMPLE / "units.json").as_posix()}'
"""

Golden = Callable[[Path, str], None]


def write(folder: Path, text: str, name: str = "cases.toml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[Diagnostic]:
    with pytest.raises(CchcError) as caught:
        run_file(path)
    return list(caught.value.errors)


def only_error(path: Path) -> Diagnostic:
    found = errors_of(path)
    assert len(found) == 1, [d.one_line() for d in found]
    return found[0]


def at(diagnostic: Diagnostic) -> tuple[str, int, int]:
    span = diagnostic.span
    assert span is not None, diagnostic.one_line()
    return diagnostic.code, span.line, span.column


def case(result: FileResult, number: int) -> CaseResult:
    (found,) = (c for c in result.cases if c.number == number)
    return found


# ---- the shipped example ------------------------------------------------------------------------


def test_the_shipped_example_passes() -> None:
    result = run_file(EXAMPLE_CASES)
    assert result.title == "Ví dụ: 5 sở"
    assert [c for c in result.cases if not c.passed] == []
    totals = {c.unit for c in result.cases if c.node is None and c.view == "official"}
    assert totals == {"thanh_tra", "so_tp", "so_xd", "so_nv", "so_tc"}
    assert len([c for c in result.cases if c.node is not None]) >= 4
    assert all(c.note for c in result.cases)


def test_the_example_is_found_under_policies() -> None:
    found = find_case_files([ROOT / "policies"])
    assert EXAMPLE_CASES in found


def test_a_passing_file_reads_as_one_line() -> None:
    result = run_file(EXAMPLE_CASES)
    text = report_text([result])
    n = len(result.cases)
    assert text == f"{EXAMPLE_CASES}: {n} cases, all passed\n{n} passed, 0 failed\n"


# ---- wrong expectations -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wrong() -> FileResult:
    return run_file(DATA / "wrong.toml")


def test_every_wrong_total_is_reported_with_expected_and_actual(wrong: FileResult) -> None:
    assert case(wrong, 1).mismatches == (
        ("points", "55", "54"),
        ("max", "100", "70"),
        ("index", "78.57", "77.14"),
        ("band", "Tốt", "Khá"),
        ("rank", "3", "4"),
    )


def test_a_wrong_node_is_reported(wrong: FileResult) -> None:
    second = case(wrong, 2)
    assert (second.unit, second.node) == ("so_nv", "3.1")
    assert second.mismatches == (("points", "0", "15"), ("outcome", "scored", "not_applicable"))


def test_points_compare_as_decimals_but_the_index_as_published(wrong: FileResult) -> None:
    assert case(wrong, 3).mismatches == (("index", "88", "88.00"),)  # 88.00 is what is published
    assert case(wrong, 7).passed  # points "32.750" = 32.75; block checked too


def test_the_self_assessed_view(wrong: FileResult) -> None:
    fourth = case(wrong, 4)
    assert fourth.view == "self_assessed"
    assert fourth.mismatches == (("points", "88", "88.5"),)


def test_a_missing_unit_or_node_is_a_failure_not_a_crash(wrong: FileResult) -> None:
    assert case(wrong, 5).mismatches == (("unit", "so_x", NO_SUCH_UNIT),)
    assert case(wrong, 6).mismatches == (("node", "9.9", NO_SUCH_NODE),)
    assert not case(wrong, 5).passed


def test_the_report_of_failures(golden: Golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative paths: the golden file holds no machine path
    results = [
        run_file(Path("tests/data/expectations/wrong.toml")),
        run_file(Path("policies/example/tests/example.toml")),
    ]
    text = report_text(results)
    assert "FAIL tests/data/expectations/wrong.toml case #2 (so_nv, node 3.1): points" in text
    assert text.endswith(f"{len(results[1].cases) + 1} passed, 6 failed\n")
    golden(DATA / "wrong.report.txt", text)


def test_a_self_assessed_case_without_an_appraisal_reads_the_official_view(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + '[[case]]\nunit = "so_xd"\nview = "self_assessed"\npoints = "88"\nnote = "x"\n',
    )
    assert run_file(path).cases[0].passed  # nothing appraised: the unit's claim is the score


def test_nothing_found() -> None:
    assert report_text([]) == "no worked-case files (tests/*.toml) found\n"


# ---- malformed files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "where", "words", "hint"),
    [
        ("syntax-error", ("E701", 6, 13), "not valid TOML: Expected newline", None),
        ("float", ("E702", 6, 1), 'write it as a string: points = "32.75"', None),
        ("no-note", ("E701", 9, 1), "case #2 has no note", None),
        ("unknown-key", ("E701", 6, 1), "unknown key «pionts»", "did you mean «points»?"),
        ("missing-policy", ("E106", 1, 1), "khong-co.cchc: no such file", None),
    ],
)
def test_a_malformed_file(name: str, where: tuple[str, int, int], words: str, hint: str) -> None:
    found = only_error(DATA / f"{name}.toml")
    assert at(found) == where
    assert found.span is not None and found.span.source == str(DATA / f"{name}.toml")
    assert words in found.message
    assert found.hint == hint


@pytest.mark.parametrize(
    ("body", "where", "words", "hint"),
    [
        (
            'points = 54\nnote = "x"',
            (6, 1),
            "points = 54 is a TOML number; write it as a string",
            None,
        ),
        ('points = "54,5"\nnote = "x"', (6, 1), "«54,5» is not a decimal number", "the decimal"),
        ('points = "inf"\nnote = "x"', (6, 1), "«inf» is not a decimal number", None),
        ('points = "54"\nnote = "  "', (7, 1), "note must be a non-empty string", None),
        ('note = "x"', (4, 1), "case #1 checks nothing", None),
        (
            'view = "self_asessed"\npoints = "1"\nnote = "x"',
            (6, 1),
            "not «self_asessed»",
            "«self_assessed»",
        ),
        ('view = "self_assessed"\nrank = 1\nnote = "x"', (7, 1), "official ranking", None),
        ('node = "1.1"\nindex = "1"\nnote = "x"', (7, 1), "index is a unit total", None),
        ('outcome = "scored"\nnote = "x"', (6, 1), 'add node = "…"', None),
        ('node = "1.1"\noutcome = "no_evidense"\nnote = "x"', (7, 1), "unknown outcome", "«no_"),
        ('rank = "4"\nnote = "x"', (6, 1), "rank must be a whole number", None),
        ('rank = 0\nnote = "x"', (6, 1), "rank must be a whole number ≥ 1", None),
        ('band = 1\nnote = "x"', (6, 1), "band must be a string", None),
    ],
)
def test_a_malformed_case(
    tmp_path: Path, body: str, where: tuple[int, int], words: str, hint: str | None
) -> None:
    path = write(tmp_path, HEADER + f'[[case]]\nunit = "so_nv"\n{body}\n')
    found = only_error(path)
    span = found.span
    assert span is not None and (span.line, span.column) == where, found.one_line()
    assert words in found.message
    assert (found.hint is None) if hint is None else (found.hint and hint in found.hint)


def test_a_missing_unit_key(tmp_path: Path) -> None:
    found = only_error(write(tmp_path, HEADER + '[[case]]\npoints = "1"\nnote = "x"\n'))
    assert at(found) == ("E701", 4, 1)
    assert found.message == 'case #1 has no unit = "…"'


def test_every_problem_of_a_file_at_once(tmp_path: Path) -> None:
    text = (
        "titel = 'x'\n"
        + HEADER
        + '[[case]]\nunit = "a"\npoints = 1.5\nnote = "x"\n'
        + '[[case]]\nunit = "b"\npoints = "1"\n'
    )
    found = errors_of(write(tmp_path, text))
    assert [(at(d), d.hint) for d in found] == [
        (("E701", 1, 1), "did you mean «title»?"),
        (("E702", 7, 1), None),
        (("E701", 9, 1), None),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 'no policy = "…"'),
        (HEADER, "no [[case]] tables"),
        (HEADER + '[case]\nunit = "x"\n', "cases are written as [[case]] tables"),
        (
            HEADER + "year = 2024.0\n" + '[[case]]\nunit = "so_nv"\npoints = "54"\nnote = "x"\n',
            "year",
        ),
        (HEADER + "title = 1\n" + '[[case]]\nunit = "so_nv"\npoints = "54"\nnote = "x"\n', "title"),
        ('policy = "a.cchc"\nfacts = 3\n[[case]]\n', "facts must be a path"),
    ],
)
def test_a_malformed_header(tmp_path: Path, text: str, words: str) -> None:
    found = errors_of(write(tmp_path, text))
    assert any(words in d.message for d in found), [d.one_line() for d in found]


def test_a_toml_error_at_the_end_of_the_file(tmp_path: Path) -> None:
    found = only_error(write(tmp_path, 'policy = "a\n'))
    assert found.code == "E701" and found.message.startswith("not valid TOML: ")
    assert "(at" not in found.message  # the position is in the span, not the words


def test_an_unreadable_case_file(tmp_path: Path) -> None:
    assert only_error(tmp_path / "absent.toml").code == "E106"
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe")
    assert "not UTF-8" in only_error(binary).message


def test_a_missing_facts_file_is_located(tmp_path: Path) -> None:
    text = f"policy = '{(EXAMPLE / 'mau.cchc').as_posix()}'\nfacts = 'none.json'\n"
    found = only_error(write(tmp_path, text + '[[case]]\nunit = "x"\npoints = "1"\nnote = "x"\n'))
    assert at(found) == ("E106", 2, 1)
    assert str(tmp_path / "none.json") in found.message


def test_a_policy_that_does_not_load_raises_its_own_diagnostics(tmp_path: Path) -> None:
    text = (
        f"policy = '{(ROOT / 'tests/data/cli/syntax-error.cchc').as_posix()}'\n"
        f"facts = '{(EXAMPLE / 'units.json').as_posix()}'\n"
        '[[case]]\nunit = "x"\npoints = "1"\nnote = "x"\n'
    )
    found = errors_of(write(tmp_path, text))
    assert found and all(d.span is None or d.span.source.endswith(".cchc") for d in found)


# ---- finding and running many files -------------------------------------------------------------


def test_find_case_files(tmp_path: Path) -> None:
    for name in (
        "p/tests/b.toml",
        "p/tests/a.toml",
        "q/r/tests/c.toml",
        "p/x.toml",
        ".h/tests/d.toml",
    ):
        write(tmp_path, "", name)
    assert find_case_files([tmp_path]) == [
        tmp_path / "p/tests/a.toml",
        tmp_path / "p/tests/b.toml",
        tmp_path / "q/r/tests/c.toml",
    ]
    named = tmp_path / "p/x.toml"
    assert find_case_files([named, tmp_path / "p", named]) == [
        named,
        tmp_path / "p/tests/a.toml",
        tmp_path / "p/tests/b.toml",
    ]
    with pytest.raises(CchcError) as caught:
        find_case_files([tmp_path / "nowhere"])
    assert caught.value.errors[0].code == "E106"


def test_run_all_keeps_going(tmp_path: Path) -> None:
    good = HEADER + '[[case]]\nunit = "so_tc"\npoints = "32.75"\nnote = "34.75 − 2"\n'
    write(tmp_path, good, "a/tests/good.toml")
    write(
        tmp_path,
        HEADER + '[[case]]\nunit = "so_tc"\npoints = 32.75\nnote = "x"\n',
        "a/tests/f.toml",
    )
    results, diagnostics = run_all([tmp_path / "a", tmp_path / "nowhere"])
    assert [r.file for r in results] == [str(tmp_path / "a/tests/good.toml")]
    assert results[0].cases[0].passed
    assert [d.code for d in diagnostics] == ["E106", "E702"]  # paths first, then each file


def test_a_quotient_that_never_ends_is_written_with_an_ellipsis(tmp_path: Path) -> None:
    # 1 ÷ 3 of a 1-point criterion is 0.333…: no finite decimal equals it, so a worked case writes
    # its first digits and "…" (or "..."); wrong digits, or a value that does end, still fail
    (tmp_path / "p.cchc").write_text(
        'regulation "r"\nrounding half_up 2\nunit_types { so "Sở" }\ninputs { a: count }\n'
        'field 1 "A" { criterion 1.1 "a" max 1 { formula a / 3 clamp 0 .. max } }\n',
        encoding="utf-8",
    )
    (tmp_path / "u.json").write_text(
        '[{"unit": "x", "unit_type": "so", "inputs": {"a": 1}}]', encoding="utf-8"
    )
    cases = tmp_path / "tests"
    cases.mkdir()
    (cases / "t.toml").write_text(
        'policy = "../p.cchc"\nfacts = "../u.json"\n'
        '[[case]]\nunit = "x"\npoints = "0.333…"\nindex = "33.33"\nnote = "1 / 3"\n'
        '[[case]]\nunit = "x"\npoints = "0.3333..."\nnote = "three dots work too"\n'
        '[[case]]\nunit = "x"\npoints = "0.334…"\nnote = "wrong digits"\n'
        '[[case]]\nunit = "x"\npoints = "0.33"\nnote = "not the exact value"\n',
        encoding="utf-8",
    )
    result = run_file(cases / "t.toml")
    assert [case.passed for case in result.cases] == [True, True, False, False]
