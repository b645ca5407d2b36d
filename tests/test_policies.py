"""Every shipped policy's worked cases (policies/**/tests/*.toml), one pytest test per file.

The figures in those files were computed by hand from each regulation; a failure here means the
engine or the regulation now disagrees with an official's arithmetic, shown with its note.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_dsl.diagnostics import CchcError
from cchc_dsl.expectations import find_case_files, report_text, run_file

ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = find_case_files([ROOT / "policies"])


def test_some_policy_ships_worked_cases() -> None:
    assert CASE_FILES, "no policies/**/tests/*.toml found"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_worked_cases(path: Path) -> None:
    try:
        result = run_file(path)
    except CchcError as error:
        pytest.fail("\n".join(d.one_line() for d in error.diagnostics), pytrace=False)
    if result.failed:
        pytest.fail(report_text([result]), pytrace=False)
