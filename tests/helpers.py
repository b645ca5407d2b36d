"""Small helpers the stage tests share: check a policy text, take its one diagnostic, locate it.

The small policies of these tests declare inputs and unit types they do not all use; the two
checks that say so (E302 unit type with nothing to score, E350 input never used) are set aside
here unless a test names them in `keep`, so that each test sees only what it is about.
"""

from __future__ import annotations

from cchc_dsl import nodes as n
from cchc_dsl.api import check_source
from cchc_dsl.diagnostics import Diagnostic
from cchc_dsl.source import SourceFile

INCIDENTAL = frozenset({"E302", "E350"})


def checked(text: str, keep: frozenset[str] = frozenset()) -> tuple[n.Policy, list[Diagnostic]]:
    """Parse, build and check `text`; it must parse."""
    policy, found = check_source(SourceFile.from_text(text, "t.cchc"))
    assert policy is not None, [d.one_line() for d in found]
    return policy, [d for d in found if d.code not in INCIDENTAL - keep]


def clean(text: str) -> n.Policy:
    policy, found = checked(text)
    assert found == [], [d.one_line() for d in found]
    return policy


def diagnose(text: str, keep: frozenset[str] = frozenset()) -> list[Diagnostic]:
    return checked(text, keep)[1]


def only(text: str, keep: frozenset[str] = frozenset()) -> Diagnostic:
    """The one diagnostic a text gives."""
    found = diagnose(text, keep)
    assert len(found) == 1, [d.one_line() for d in found]
    return found[0]


def at(diagnostic: Diagnostic) -> tuple[str, int, int]:
    """(code, line, column) of a diagnostic's primary span."""
    span = diagnostic.span
    assert span is not None
    return diagnostic.code, span.line, span.column
