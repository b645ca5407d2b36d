"""Running `cchc-dsl` in-process from the repository root, for the test modules of the commands.

Paths stay relative (as a user types them) so that outputs and golden files hold no machine path.
Import `at_root` into a test module to make it autouse there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cchc_dsl.cli import app

ROOT = Path(__file__).resolve().parent.parent
POLICY = "policies/example/mau.cchc"
FACTS = "policies/example/units.json"


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> str:
    """The standard output of a command that must succeed and say nothing on stderr."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout
