"""Small helpers the stage tests share: check a policy text, take its one diagnostic, locate it."""

from __future__ import annotations

from cchc_dsl import nodes as n
from cchc_dsl.api import check_source
from cchc_dsl.diagnostics import Diagnostic
from cchc_dsl.source import SourceFile


def checked(text: str) -> tuple[n.Policy, list[Diagnostic]]:
    """Parse, build and check `text`; it must parse."""
    policy, found = check_source(SourceFile.from_text(text, "t.cchc"))
    assert policy is not None, [d.one_line() for d in found]
    return policy, list(found)


def clean(text: str) -> n.Policy:
    policy, found = checked(text)
    assert found == [], [d.one_line() for d in found]
    return policy


def diagnose(text: str) -> list[Diagnostic]:
    return checked(text)[1]


def only(text: str) -> Diagnostic:
    """The one diagnostic a text gives."""
    found = diagnose(text)
    assert len(found) == 1, [d.one_line() for d in found]
    return found[0]


def at(diagnostic: Diagnostic) -> tuple[str, int, int]:
    """(code, line, column) of a diagnostic's primary span."""
    span = diagnostic.span
    assert span is not None
    return diagnostic.code, span.line, span.column
