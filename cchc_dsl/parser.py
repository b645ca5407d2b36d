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

from cchc_dsl.diagnostics import DiagnosticSink, Said, did_you_mean
from cchc_dsl.source import SourceFile, Span

GRAMMAR_NAME = "cchc.lark"

# How deep a text may nest: blocks in blocks, operators in expressions (`a + b + c` is two
# levels, as it is folded; parentheses leave no node, so add none). Every later stage walks the
# tree recursively, a few Python frames a level: 200 levels still ran with 150 frames in use,
# 300 did not. The shipped regulations nest at most 9 levels.
MAX_NESTING = 100
_CHAINS = frozenset({"or_expr", "and_expr", "sum", "product"})

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
_TERMINAL_WORDS_VI = {
    "NAME": "một tên",
    "NODE_ID": "một mã như 1.2",
    "NUMBER": "một số",
    "PERCENT": "một tỷ lệ phần trăm như 95%",
    "DATE": "một ngày như 2024-01-31",
    "STRING": 'một đoạn chữ trong "ngoặc kép"',
    "COMPARE": "một phép so sánh",
    "MUL_OP": "'*' hoặc '/'",
    "$END": "cuối tệp",
}


def grammar_text() -> str:
    return resources.files("cchc_dsl").joinpath("grammar", GRAMMAR_NAME).read_text("utf-8")


@functools.cache
def build_parser(*, strict: bool = False, keep_all_tokens: bool = False) -> lark.Lark:
    """The LALR parser; `strict=True` (tests) also proves no two terminals collide;
    `keep_all_tokens=True` keeps "{", ";", "(" … in the tree, for a layout of the text."""
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=False,
        keep_all_tokens=keep_all_tokens,
        strict=strict,
        cache=not strict,
    )


def keyword_spelling(terminal: str) -> str:
    """`KW_MAX` → "'max' (tối đa)", read off the grammar so that messages never drift from it."""
    if terminal in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[terminal]
    if not terminal.startswith("KW_"):
        return f"'{build_parser().get_terminal(terminal).pattern.value}'"
    english, *vietnamese = keyword_spellings(terminal)
    return f"'{english}'" + (f" ({' / '.join(vietnamese)})" if vietnamese else "")


def keyword_spellings(terminal: str) -> list[str]:
    """A keyword's spellings, English first: `KW_MAX` → ["max", "tối đa"]."""
    pattern = build_parser().get_terminal(terminal).pattern.value
    body = pattern.removesuffix("(?!\\w)").removeprefix("(").removesuffix(")")
    body = re.sub(r"\[ (?:\t|\\t)\][+*]", " ", body).replace("\\/", "/")
    body = body.replace("t[ỷỉ]", "tỷ")
    return list(dict.fromkeys(body.split("|")))


@functools.cache
def keyword_pairs() -> dict[str, tuple[str, str | None]]:
    """Each keyword terminal → its English spelling and its first Vietnamese one, if any."""
    table: dict[str, tuple[str, str | None]] = {}
    for terminal in build_parser().terminals:
        if terminal.name.startswith("KW_"):
            english, *others = keyword_spellings(terminal.name)
            vietnamese = [word for word in others if word not in {"true", "false"}]
            table[terminal.name] = (
                english,
                vietnamese[0].replace(" / ", "/") if vietnamese else None,
            )
    return table


@functools.cache
def _vietnamese_keywords() -> dict[str, str]:
    """English keyword → its first Vietnamese spelling, for every keyword that has one."""
    table = {english: vi for english, vi in keyword_pairs().values() if vi is not None}
    return table | ROUNDING_AND_MISSING_VI


# Words that are names, not keywords, in the grammar (the builder reads them).
ROUNDING_AND_MISSING_VI = {"half_up": "nửa_lên", "rescale": "quy_đổi"}


def in_vietnamese(snippet: str) -> str:
    """An English `.cchc` snippet with its keywords in Vietnamese, for hints in Vietnamese:
    `when b = 0: not_applicable full` → `khi b = 0: không phát sinh đủ điểm`."""
    table = _vietnamese_keywords()
    return re.sub(r"\b[a-z_]+\b", lambda m: table.get(m.group(), m.group()), snippet)


def _expected(names: set[str]) -> Said:
    shown = sorted((n for n in names if n not in {"WS", "COMMENT"}), key=keyword_spelling)
    english = [keyword_spelling(n) for n in shown]
    vietnamese = [_TERMINAL_WORDS_VI.get(n, keyword_spelling(n)) for n in shown]
    return Said(
        _one_of(english, "or", "or one of {} more"),
        _one_of(vietnamese, "hoặc", "hoặc một trong {} từ khác"),
    )


def _one_of(words: list[str], either: str, more: str) -> str:
    if len(words) > 10:
        return ", ".join(words[:10]) + " " + more.format(len(words) - 10)
    return ", ".join(words[:-1]) + f" {either} {words[-1]}" if len(words) > 1 else "".join(words)


def parse(source: SourceFile, sink: DiagnosticSink) -> lark.Tree[lark.Token] | None:
    """Parse one file; on a syntax error report it and return None."""
    try:
        tree = build_parser().parse(source.text)
    except UnexpectedInput as error:
        _report(error, source, sink)
        return None
    return None if _too_deep(tree, source, sink) else tree


def _too_deep(tree: lark.Tree[lark.Token], source: SourceFile, sink: DiagnosticSink) -> bool:
    """Report the first place nested deeper than `MAX_NESTING` (E108). Lark's LALR parser
    builds any depth without recursion; this walk does not recurse either."""
    stack = [(tree, 0)]
    while stack:
        item, depth = stack.pop()
        if item.data in _CHAINS:  # folded to the left: one level per operator
            depth += len(item.children) // 2
        if depth > MAX_NESTING:
            start = getattr(item.meta, "start_pos", 0)
            sink.report("E108", source.span(start, start + 1), limit=MAX_NESTING, hint=SPLIT)
            return True
        stack.extend((c, depth + 1) for c in item.children if isinstance(c, lark.Tree))
    return False


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
            hint = UNCLOSED if "RBRACE" in accepted else None
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


SPLIT = Said(
    "split it into shorter expressions, several criteria or fewer levels of blocks",
    "hãy tách thành các biểu thức ngắn hơn, nhiều tiêu chí, hoặc bớt tầng khối lồng nhau",
)
UNCLOSED = Said(
    "a block opened with '{' is not closed with '}'", "một khối mở bằng '{' chưa được đóng bằng '}'"
)


def _hint(token: lark.Token, expected: set[str]) -> Said | str | None:
    if token.type == "NUMBER" and "PERCENT" in expected and "NUMBER" not in expected:
        return Said(
            f"write the bound as a percentage, e.g. {token.value}%",
            f"viết mốc dưới dạng phần trăm, ví dụ {token.value}%",
        )
    if token.type == "RBRACE" and expected & {"COLON", "NUMBER"}:
        return Said("the statement before '}' is not complete", "câu lệnh trước '}' chưa viết hết")
    keywords = [name for name in expected if name.startswith("KW_")]
    if token.type in {"NAME", "NODE_ID"} and keywords:
        words = {
            word.strip("'")
            for name in keywords
            for word in re.split(r" \(| / |\)", keyword_spelling(name))
            if word.strip("' ")
        }
        close = did_you_mean(token.value, words)
        return close or Said(
            "a statement here starts with a keyword; check the spelling",
            "câu lệnh ở đây bắt đầu bằng một từ khóa; hãy kiểm tra chính tả",
        )
    return None


def _point(source: SourceFile, offset: int) -> Span:
    return source.span(offset, offset)
