"""The canonical layout of a `.cchc` file (`cchc-dsl fmt`): text → the same text, laid out.

The layout is printed from the parse tree rather than the AST, so that statements keep their order,
numbers, dates and strings keep the spelling the drafter wrote (their exact value is that text),
and parentheses stay where they were put. Keywords take one spelling per language. Comments,
which the grammar ignores, come from a scan of the text beside the tokens and are attached by
position to the nearest printed line. Before anything is returned, the printed text is parsed again
and must give the same AST: a layout never changes what a regulation says.
"""

from __future__ import annotations

import bisect
import difflib
import enum
import functools
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal, TypeAlias, TypeGuard

import attrs
from lark import Token, Tree

from cchc_dsl import builder
from cchc_dsl.diagnostics import CchcError, Diagnostic, DiagnosticSink, Said, make, read_error
from cchc_dsl.nodes import Document, InputType
from cchc_dsl.parser import build_parser, keyword_pairs, keyword_spellings, parse
from cchc_dsl.source import SourceFile

Lang: TypeAlias = Literal["vi", "en"]
Item: TypeAlias = Tree[Token] | Token

WIDTH = 100  # a node's header longer than this is broken, one header item a line
INDENT = "  "
CONTINUATION = 2  # extra indent levels of a broken header's items

# Operators have one spelling; the builder reads both the same way.
_OPERATORS = {"×": "*", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!=", "==": "="}
# A choice with two Vietnamese spellings is printed as the shipped policies write it.
_VIETNAMESE_CHOICE = {InputType.COUNT: "số_đếm"}
# Tokens the layout itself supplies: separators, braces.
_LAYOUT_TOKENS = {"SEMICOLON", "LBRACE", "RBRACE"}
_GLUED_LEFT = {"COMMA", "COLON"}
_COMMENT_SCAN = re.compile(r'"(?:\\.|[^"\\\n])*"|#[^\n]*')


@attrs.frozen(slots=True)
class _Spelling:
    english: str
    vietnamese: str
    english_forms: frozenset[str]  # what marks a file as written in English


@functools.cache
def _keywords() -> Mapping[str, _Spelling]:
    table = {}
    for terminal, (english, vietnamese) in keyword_pairs().items():
        english_forms = {english} | ({"true", "false"} & set(keyword_spellings(terminal)))
        table[terminal] = _Spelling(english, vietnamese or english, frozenset(english_forms))
    return table


def _choices(table: Mapping[str, enum.Enum]) -> dict[str, dict[str, str]]:
    """A builder table of bilingual words → for each spelling, its word in each language."""
    vietnamese: dict[enum.Enum, str] = {}
    for word, member in table.items():
        if word != member.value:
            vietnamese.setdefault(member, _VIETNAMESE_CHOICE.get(member, word))  # type: ignore[call-overload]
    return {
        word: {"en": str(member.value), "vi": vietnamese.get(member, str(member.value))}
        for word, member in table.items()
    }


# Which NAME of a statement is a word from a fixed set, and the set.
_CHOICE_WORDS = {
    "rounding": (0, _choices(builder.ROUNDING_MODES)),
    "input_decl": (1, _choices(builder.INPUT_TYPES)),
    "survey_missing": (0, _choices(builder.MISSING_SURVEY)),
    "ties": (0, _choices(builder.TIE_RULES)),
}


def detect_language(tree: Tree[Token]) -> Lang:
    """A file's language is that of its first keyword that differs between the two."""
    keywords = _keywords()
    for token in tree.scan_values(lambda v: isinstance(v, Token) and v.type in keywords):
        spelling = keywords[token.type]
        if spelling.english != spelling.vietnamese:
            return "en" if _words(token.value) in spelling.english_forms else "vi"
    return "vi"


def _words(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text)


# --- comments ----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Comment:
    start: int
    text: str
    trailing: bool  # written after code on its line


def comments_of(text: str) -> list[Comment]:
    """Every comment of a text that parses: a `#` outside a string starts one."""
    found = []
    for match in _COMMENT_SCAN.finditer(text):
        if match.group().startswith("#"):
            line_start = text.rfind("\n", 0, match.start()) + 1
            trailing = bool(text[line_start : match.start()].strip())
            found.append(Comment(match.start(), match.group().rstrip(), trailing))
    return found


# --- printing the tree as lines ----------------------------------------------------------------


@attrs.define(slots=True)
class _Line:
    indent: int
    text: str
    start: int  # where its first token is in the source
    closes: bool = False  # "}": a comment before it belongs inside the block
    continues: bool = False  # a broken header's item: never an empty line before it
    opens: bool = False  # ends with "{"
    top_block: bool | None = None  # first line of a top-level statement: is that a block?
    comments: list[tuple[str, bool]] = attrs.field(factory=list)  # own-line, before it
    trailing: str | None = None


def _first_token(item: Item) -> Token:
    if isinstance(item, Token):
        return item
    return _first_token(item.children[0])


def _start(item: Item) -> int:
    return _first_token(item).start_pos or 0


def _brace(children: Sequence[Item], kind: str) -> int | None:
    found = [i for i, c in enumerate(children) if _is_token(c, kind)]
    if not found:
        return None
    return found[0] if kind == "LBRACE" else found[-1]


class _Printer:
    def __init__(self, lang: Lang, comment_starts: Sequence[int]) -> None:
        self.lang = lang
        self.comment_starts = comment_starts

    def document(self, tree: Tree[Token]) -> list[_Line]:
        lines: list[_Line] = []
        for item in tree.children:
            if isinstance(item, Tree):
                printed = self.statement(item, 0)
                printed[0].top_block = _has_brace(item)
                lines.extend(printed)
        return lines

    def statement(self, tree: Tree[Token], indent: int, prefix: Sequence[Item] = ()) -> list[_Line]:
        """One statement: a line, or a block whose body items are statements one level in."""
        children = tree.children
        opening = _brace(children, "LBRACE")
        if opening is None:
            inner = next((i for i, c in enumerate(children) if _has_block(c)), None)
            if inner is None:
                return [_Line(indent, self.inline([*prefix, tree]), _start(tree))]
            # `replace criterion …` / `add criterion … { … } after 1.2`: the block's own lines
            block = self.statement(children[inner], indent, children[:inner])  # type: ignore[arg-type]
            block[0].start = _start(tree)
            tail = self.inline(children[inner + 1 :])
            block[-1].text += f" {tail}" if tail else ""
            return block
        closing = _brace(children, "RBRACE")
        assert closing is not None
        head = self.header(tree, [*prefix, *children[:opening]], len(prefix), indent)
        tail = self.inline(children[closing + 1 :])
        close = "}" + (f" {tail}" if tail else "")
        body = [c for c in children[opening + 1 : closing] if isinstance(c, Tree)]
        start, end = _start(children[opening]), _start(children[closing])
        inside = bisect.bisect_left(self.comment_starts, end) - bisect.bisect_right(
            self.comment_starts, start
        )
        if not body and not inside:
            head[-1].text += " {" + close
            return head
        head[-1].text += " {"
        head[-1].opens = True
        lines = head
        for item in body:
            lines.extend(self.statement(item, indent + 1))
        lines.append(_Line(indent, close, end, closes=True))
        return lines

    def header(
        self, tree: Tree[Token], head: Sequence[Item], prefix: int, indent: int
    ) -> list[_Line]:
        """A block's first line. A node's or an adjustment's that is too long (in either language,
        so that a file and its translation break alike) is broken before each header item; the
        first `prefix` items (`replace`, `add`) belong to the statement around it."""
        line = _Line(indent, self.inline(head), _start(head[0]))
        widest = max(len(_Printer(lang, ()).inline(head)) for lang in ("vi", "en"))
        lead = prefix + 3  # kind, id, title
        if len(INDENT * indent) + widest + 2 <= WIDTH or tree.data not in {"node", "adjustment"}:
            return [line]
        lines = [_Line(indent, self.inline(head[:lead]), line.start)]
        for item in head[lead:]:
            lines.append(
                _Line(indent + CONTINUATION, self.inline([item]), _start(item), continues=True)
            )
        return lines

    def inline(self, items: Iterable[Item]) -> str:
        """Tokens on one line: one space apart, none before "," and ":"."""
        out = ""
        for item in items:
            if isinstance(item, Token):
                if item.type in _LAYOUT_TOKENS:
                    continue
                text = self.token(item)
                glued = item.type in _GLUED_LEFT
            else:
                text, glued = self.tree(item), False
            out += text if glued or not out else " " + text
        return out

    def tree(self, tree: Tree[Token]) -> str:
        children = tree.children
        if tree.data in {"neg", "signed_number"}:
            return "".join(self.inline([c]) for c in children)
        if tree.data == "atom":  # "(" expr ")"
            return "(" + self.inline(children[1:-1]) + ")"
        if tree.data == "call":
            args = [c for c in children[2:-1] if not _is_token(c, "COMMA")]
            return self.inline(children[:1]) + "(" + ", ".join(self.inline([a]) for a in args) + ")"
        if tree.data == "survey_weight":  # "30 of 100" and "30 trên 100" mean the same
            out_of = Token("KW_OF" if self.lang == "en" else "KW_ABOVE", "")
            children = [out_of if _is_token(c, "KW_OF", "KW_ABOVE") else c for c in children]
        if tree.data in _CHOICE_WORDS:
            which, words = _CHOICE_WORDS[tree.data]
            names = [c for c in children if _is_token(c, "NAME")]
            chosen = names[which]
            if chosen in words:
                spelled = Token("NAME", words[chosen][self.lang])
                children = [spelled if c is chosen else c for c in children]
        return self.inline(children)

    def token(self, token: Token) -> str:
        spelling = _keywords().get(token.type)
        if spelling is not None:
            return spelling.english if self.lang == "en" else spelling.vietnamese
        return _OPERATORS.get(token.value, str(token.value))


def _is_token(item: Item, *types: str) -> TypeGuard[Token]:
    return isinstance(item, Token) and item.type in types


def _has_brace(tree: Tree[Token]) -> bool:
    return any(tree.scan_values(lambda v: isinstance(v, Token) and v.type == "LBRACE"))


def _has_block(item: Item) -> bool:
    return isinstance(item, Tree) and _brace(item.children, "LBRACE") is not None


# --- lines and comments → text -----------------------------------------------------------------


def _blank_before(text: str, position: int) -> bool:
    """Whether the drafter left an empty line before what starts at `position`."""
    i = position
    while i > 0 and text[i - 1] in " \t\r\n":
        i -= 1
    return i > 0 and text.count("\n", i, position) >= 2


@attrs.frozen(slots=True)
class _Entry:
    indent: int
    text: str
    blank: bool  # an empty line before it
    opens: bool = False


def _render(lines: list[_Line], comments: list[Comment], text: str) -> str:
    """Lines with the comments put back: a trailing comment stays on the line of the code before
    it (one a line; a second one goes on its own line), an own-line comment goes before the line
    of the code after it, at that line's depth. Empty lines are kept where the drafter left one,
    never at the start or the end of a block, and always around a top-level block."""
    starts = [line.start for line in lines]
    at_end: list[tuple[str, bool]] = []
    for comment in comments:
        if comment.trailing:
            index = bisect.bisect_left(starts, comment.start) - 1
            if index >= 0 and lines[index].trailing is None:
                lines[index].trailing = comment.text
                continue
        index = bisect.bisect_right(starts, comment.start)
        blank = not comment.trailing and _blank_before(text, comment.start)
        (lines[index].comments if index < len(lines) else at_end).append((comment.text, blank))
    entries: list[_Entry] = []
    block_before = False
    for number, line in enumerate(lines):
        forced = False
        if line.top_block is not None:
            forced = number > 0 and (line.top_block or block_before)
            block_before = line.top_block
        for comment_text, blank in line.comments:
            entries.append(_Entry(line.indent + line.closes, comment_text, blank or forced))
            forced = False
        written = line.text + (f"  {line.trailing}" if line.trailing else "")
        blank = (forced or _blank_before(text, line.start)) and not (line.closes or line.continues)
        entries.append(_Entry(line.indent, written, blank, line.opens))
    entries.extend(_Entry(0, comment_text, blank) for comment_text, blank in at_end)
    out: list[str] = []
    for k, entry in enumerate(entries):
        if entry.blank and k > 0 and not entries[k - 1].opens:
            out.append("")
        out.append(INDENT * entry.indent + entry.text)
    return "\n".join(out) + "\n" if out else ""


# --- the API -----------------------------------------------------------------------------------


def format_source(text: str, name: str = "<string>", lang: Lang | None = None) -> str:
    """The canonical layout of a `.cchc` text, every comment kept; keywords in `lang`, by default
    in the file's own language. Raises `CchcError` when the text does not parse."""
    source = SourceFile.from_text(text, name)
    sink = DiagnosticSink()
    tree = parse(source, sink)
    if tree is None:
        sink.raise_if_errors()
        raise AssertionError("a parse error without a diagnostic")
    full = build_parser(keep_all_tokens=True).parse(source.text)  # with "(" and ")"
    language = lang or detect_language(full)
    comments = comments_of(source.text)
    printer = _Printer(language, [c.start for c in comments])
    out = _render(printer.document(full), comments, source.text)
    _check_same(source, tree, out, len(comments), language)
    return out


def _check_same(source: SourceFile, tree: Tree[Token], out: str, comments: int, lang: Lang) -> None:
    """The printed text must say what the source says, with as many comments (E608 if not:
    the node id «đổi» after «change», printed in Vietnamese, reads as «sửa đổi», 'amends')."""
    printed = SourceFile.from_text(out, source.name)
    again = parse(printed, DiagnosticSink())
    if (
        again is None
        or _meaning(again, printed) != _meaning(tree, source)
        or len(comments_of(printed.text)) != comments
    ):
        language = (
            Said("English", "tiếng Anh") if lang == "en" else Said("Vietnamese", "tiếng Việt")
        )
        raise CchcError((make("E608", path=source.name, lang=language),))


def _meaning(tree: Tree[Token], source: SourceFile) -> Document:
    return builder.build_document(tree, source, DiagnosticSink())


def read_text(path: str | Path) -> str:
    """A file's text as it is on disk (E106 when it cannot be read)."""
    try:
        return Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CchcError((make("E106", path=str(path), reason=read_error(error)),)) from None


def format_file(path: str | Path, lang: Lang | None = None) -> str:
    return format_source(read_text(path), str(path), lang)


def layout_diff(path: str | Path, lang: Lang | None = None) -> str:
    """A unified diff from the file to its canonical layout; empty when it already is."""
    original = read_text(path)
    formatted = format_source(original, str(path), lang)
    lines = difflib.unified_diff(
        original.splitlines(keepends=True),
        formatted.splitlines(keepends=True),
        f"{path}",
        f"{path} (fmt)",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def write_layout(path: str | Path, lang: Lang | None = None) -> bool:
    """Lay a file out in place; False, and nothing written, when it already is canonical."""
    original = read_text(path)
    formatted = format_source(original, str(path), lang)
    if formatted == original:
        return False
    replace_atomically(Path(path), formatted)
    return True


def replace_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside `path` with its mode, then rename it over `path`: a reader
    sees the old text or the new one, never half of it."""
    target = path.resolve()
    temporary = None
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise CchcError((make("E601", path=str(path), reason=read_error(error)),)) from None


@attrs.frozen(slots=True)
class LayoutRun:
    """What `cchc-dsl fmt` did to its files: the text to print, which files were not canonical,
    and the diagnostics of those it could not read or parse (they are left as they are)."""

    output: str
    not_canonical: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


def lay_out(
    paths: Iterable[str | Path],
    *,
    check: bool = False,
    write: bool = False,
    lang: Lang | None = None,
) -> LayoutRun:
    """Print, check (a diff for each file not canonical) or rewrite each file; every file is
    tried, and the problems of all of them are returned together."""
    output: list[str] = []
    changed: list[str] = []
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            if check:
                diff = layout_diff(path, lang)
                output.append(diff)
                changed.extend([str(path)] if diff else [])
            elif write:
                changed.extend([str(path)] if write_layout(path, lang) else [])
            else:
                output.append(format_file(path, lang))
        except CchcError as error:
            problems.extend(error.diagnostics)
    return LayoutRun("".join(output), tuple(changed), tuple(problems))
