"""Stage 1: `SourceFile` → `lark.Tree`. Lark's exceptions become E1xx diagnostics, never escape.

The LALR parser is built once per process from `grammar/cchc.lark` and cached on disk by Lark,
so that the command line starts quickly.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from cchc_dsl.diagnostics import DiagnosticSink, did_you_mean
from cchc_dsl.source import SourceFile, Span

GRAMMAR_NAME = "cchc.lark"

# How a terminal is named in a message: the words a drafter types, not Lark's names.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "NODE_ID": "an id such as 1.2",
    "NUMBER": "a number",
    "PERCENT": "a percentage such as 95%",
    "DATE": "a date such as 2024-01-31",
    "STRING": 'a text in "quotes"',
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COLON": "':'",
    "SEMICOLON": "';'",
    "COMMA": "','",
    "DOTDOT": "'..'",
    "EQ": "'='",
    "COMPARE": "a comparison",
    "PLUS": "'+'",
    "MUL_OP": "'*' or '/'",
    "MINUS": "'-'",
    "$END": "the end of the file",
}


def grammar_text() -> str:
    return resources.files("cchc_dsl").joinpath("grammar", GRAMMAR_NAME).read_text("utf-8")


@functools.cache
def build_parser(*, strict: bool = False) -> lark.Lark:
    """The LALR parser; `strict=True` (tests) also proves no two terminals collide."""
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=False,
        strict=strict,
        cache=not strict,
    )


def keyword_spelling(terminal: str) -> str:
    """`KW_MAX` → "'max' (tối đa)", read off the grammar so that messages never drift from it."""
    if terminal in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[terminal]
    pattern = build_parser().get_terminal(terminal).pattern.value
    if not terminal.startswith("KW_"):
        return f"'{pattern}'"
    body = pattern.removesuffix("(?!\\w)").removeprefix("(").removesuffix(")")
    body = re.sub(r"\[ (?:\t|\\t)\][+*]", " ", body).replace("\\/", "/")
    body = body.replace("t[ỷỉ]", "tỷ").replace("t[ỷỉ]", "tỷ")
    english, *vietnamese = dict.fromkeys(body.split("|"))
    return f"'{english}'" + (f" ({' / '.join(vietnamese)})" if vietnamese else "")


def _expected(names: set[str]) -> str:
    words = sorted({keyword_spelling(n) for n in names if n not in {"WS", "COMMENT"}})
    if len(words) > 10:
        return ", ".join(words[:10]) + f" or one of {len(words) - 10} more"
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def parse(source: SourceFile, sink: DiagnosticSink) -> lark.Tree[lark.Token] | None:
    """Parse one file; on a syntax error report it and return None."""
    try:
        return build_parser().parse(source.text)
    except UnexpectedInput as error:
        _report(error, source, sink)
        return None


def _report(error: UnexpectedInput, source: SourceFile, sink: DiagnosticSink) -> None:
    offset = error.pos_in_stream or 0
    if isinstance(error, UnexpectedCharacters):
        char = source.text[offset] if offset < len(source.text) else ""
        span = source.span(offset, offset + 1)
        if char == '"':
            sink.report("E107", span)
        else:
            sink.report("E101", span, char=char)
    elif isinstance(error, UnexpectedEOF):
        end = len(source.text)
        sink.report("E103", source.span(end, end), expected=_expected(set(error.expected)))
    elif isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            end = len(source.text.rstrip())
            accepted = _accepted(error)
            hint = (
                "a block opened with '{' is not closed with '}'" if "RBRACE" in accepted else None
            )
            sink.report("E103", source.span(end, end), expected=_expected(accepted), hint=hint)
            return
        start = token.start_pos if token.start_pos is not None else offset
        end = token.end_pos if token.end_pos is not None else start + len(token)
        found = f"«{token.value}»" if token.value else keyword_spelling(token.type)
        expected = _accepted(error)
        sink.report(
            "E102",
            source.span(start, end),
            found=found,
            expected=_expected(expected),
            hint=_hint(token, expected),
        )
    else:  # pragma: no cover - Lark raises only the three kinds above
        sink.report("E101", _point(source, offset), char="?")


def _accepted(error: UnexpectedToken) -> set[str]:
    """What the parser could take at the error: exact, unlike Lark's own `expected` set."""
    try:
        accepts: set[str] = error.interactive_parser.accepts()  # type: ignore[no-untyped-call]
        return accepts
    except Exception:  # a best effort for a message; Lark's own set is the fallback
        return set(error.expected)


def _hint(token: lark.Token, expected: set[str]) -> str | None:
    if token.type == "NUMBER" and "PERCENT" in expected and "NUMBER" not in expected:
        return f"write the bound as a percentage, e.g. {token.value}%"
    if token.type == "RBRACE" and expected & {"COLON", "NUMBER"}:
        return "the statement before '}' is not complete"
    keywords = [name for name in expected if name.startswith("KW_")]
    if token.type in {"NAME", "NODE_ID"} and keywords:
        spellings = {
            word.strip("'")
            for name in keywords
            for word in re.split(r" \(| / |\)", keyword_spelling(name))
            if word.strip("' ")
        }
        close = did_you_mean(token.value, spellings)
        return close or "a statement here starts with a keyword; check the spelling"
    return None


def _point(source: SourceFile, offset: int) -> Span:
    return source.span(offset, offset)
