"""`cchc-dsl lsp`: the Language Server Protocol on stdin/stdout, for any editor.

Diagnostics are those of `check`, published as the drafter types. A file that sits in a province
folder with other `.cchc` files is checked with its folder, the editor's unsaved text standing
for the file on disk, so that an amendment is read with the regulation it amends and a change to
a regulation shows what it breaks in its amendments. Hover tells a node's max for each unit type
and its citation, or an input's declaration; go-to-definition leads from an input to where it is
declared and from a node id (an amendment's target, a bonus's `applies_to`) to that node;
formatting is `cchc-dsl fmt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from cchc_dsl import __version__
from cchc_dsl import nodes as n
from cchc_dsl.api import check_path, check_source
from cchc_dsl.checks.totals import effective_max
from cchc_dsl.diagnostics import CchcError, DiagnosticSink, Severity
from cchc_dsl.diagnostics import Diagnostic as Found
from cchc_dsl.layout import format_source
from cchc_dsl.source import SourceFile, Span
from cchc_dsl.values import format_value
from cchc_dsl.versions import read_folder
from cchc_dsl.wording import named

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.NOTE: lsp.DiagnosticSeverity.Information,
}
WORD = re.compile(r"[^\W\d]\w*|\d+(?:\.\d+)*")


class CchcServer(LanguageServer):
    """Keeps, per folder, which files were last given diagnostics, to clear them when fixed."""

    def __init__(self) -> None:
        super().__init__("cchc-dsl", __version__)
        self.lang = "vi"
        self.published: dict[str, set[str]] = {}


def server() -> CchcServer:
    ls = CchcServer()

    @ls.feature(lsp.INITIALIZE)
    def initialize(ls: CchcServer, params: lsp.InitializeParams) -> None:
        """`initializationOptions: {"lang": "en"}` for messages in English."""
        options = params.initialization_options
        if isinstance(options, dict) and options.get("lang") in {"vi", "en"}:
            ls.lang = str(options["lang"])

    @ls.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CchcServer, params: lsp.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CchcServer, params: lsp.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CchcServer, params: lsp.DidSaveTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: CchcServer, params: lsp.HoverParams) -> lsp.Hover | None:
        text = ls.workspace.get_text_document(params.text_document.uri).source
        return hover_at(_path(params.text_document.uri), text, params.position, ls.lang)

    @ls.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: CchcServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit] | None:
        text = ls.workspace.get_text_document(params.text_document.uri).source
        return format_edits(_path(params.text_document.uri), text)

    @ls.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: CchcServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        text = ls.workspace.get_text_document(params.text_document.uri).source
        return definition_at(_path(params.text_document.uri), text, params.position)

    return ls


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri)


def _uri(path: str | Path) -> str:
    return from_fs_path(str(Path(path).resolve())) or str(path)


# --- diagnostics -------------------------------------------------------------------------------


def publish(ls: CchcServer, uri: str) -> None:
    """Check the file, with its folder when it has one, and publish for every file concerned."""
    path = _path(uri)
    text = ls.workspace.get_text_document(uri).source
    texts = {path.resolve(): text}
    folder = path.parent
    in_folder = len(list(folder.glob("*.cchc"))) > 1
    found = check_path(folder if in_folder else path, texts)
    by_file: dict[str, list[lsp.Diagnostic]] = {_uri(path): []}
    for diagnostic in found:
        span = diagnostic.span
        target = _uri(span.source) if span is not None else _uri(path)
        by_file.setdefault(target, []).append(to_lsp(diagnostic, texts, ls.lang))
    key = str(folder.resolve()) if in_folder else str(path.resolve())
    for stale in ls.published.get(key, set()) - by_file.keys():
        by_file[stale] = []
    ls.published[key] = {u for u, items in by_file.items() if items}
    for target, items in by_file.items():
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=target, diagnostics=items)
        )


def to_lsp(diagnostic: Found, texts: dict[Path, str], lang: str) -> lsp.Diagnostic:
    span = diagnostic.span
    message = diagnostic.text(lang)
    hint = diagnostic.hint_text(lang)
    if hint:
        message += f"\n{'gợi ý' if lang == 'vi' else 'help'}: {hint}"
    if diagnostic.citation:
        message += f"\ncăn cứ: {diagnostic.citation}"
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri=_uri(label.span.source), range=_range(label.span, texts)),
            message=label.text(lang),
        )
        for label in diagnostic.labels[1:]
    ]
    return lsp.Diagnostic(
        range=_range(span, texts) if span is not None else _start(),
        message=message,
        severity=SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        source="cchc-dsl",
        related_information=related or None,
    )


def _start() -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(0, 0))


def _range(span: Span, texts: dict[Path, str]) -> lsp.Range:
    """Columns are characters for us and UTF-16 code units for the protocol."""
    if span.line < 1:
        return _start()
    lines = _lines(span.source, texts)
    return lsp.Range(
        start=lsp.Position(span.line - 1, _utf16(lines, span.line, span.column)),
        end=lsp.Position(span.end_line - 1, _utf16(lines, span.end_line, span.end_column)),
    )


def _lines(source: str, texts: dict[Path, str]) -> list[str]:
    path = Path(source).resolve()
    if path in texts:
        return SourceFile.from_text(texts[path], source).text.split("\n")
    try:
        return SourceFile.read(source).text.split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def _utf16(lines: list[str], line: int, column: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text[: column - 1].encode("utf-16-le")) // 2


def _column(lines: list[str], position: lsp.Position) -> int:
    """The 0-based character index of a UTF-16 position on its line."""
    text = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, char in enumerate(text):
        if units >= position.character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


# --- hover and definition -------------------------------------------------------------------------


def _word(text: str, position: lsp.Position) -> tuple[str, lsp.Range] | None:
    lines = SourceFile.from_text(text).text.split("\n")
    column = _column(lines, position)
    line = lines[position.line] if position.line < len(lines) else ""
    for match in WORD.finditer(line):
        if match.start() <= column < match.end() or match.end() == column:
            start, end = (len(line[:i].encode("utf-16-le")) // 2 for i in match.span())
            return match.group(), lsp.Range(
                lsp.Position(position.line, start), lsp.Position(position.line, end)
            )
    return None


def _policy(path: Path, text: str) -> n.Policy | None:
    policy, _ = check_source(SourceFile.from_text(text, str(path)))
    return policy


def hover_at(path: Path, text: str, position: lsp.Position, lang: str = "vi") -> lsp.Hover | None:
    word = _word(text, position)
    policy = _policy(path, text)
    if policy is None or word is None:
        return None
    name, where = word
    inputs = {d.name: d for d in policy.inputs}
    if name in inputs:
        value = _input_text(inputs[name], lang)
    else:
        node = _innermost(policy.nodes, position.line + 1)
        if node is None:
            return None
        value = _node_text(node, policy, lang)
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value), range=where
    )


def _innermost(nodes: Iterable[n.Node], line: int) -> n.Node | None:
    found = None
    for node in n.walk(tuple(nodes)):
        first, last = _lines_of(node)
        if first <= line <= last:
            found = node  # walk gives parents first, so the last hit is the innermost
    return found


def _lines_of(node: n.Node) -> tuple[int, int]:
    """The lines a node is written on, from its keyword to its rule, outcomes or last child (a
    node keeps the span of its id; the closing brace's line is not counted)."""
    spans = [node.span, node.header.span]
    if node.rule is not None:
        spans.append(node.rule.span)
    spans += [clause.span for clause in node.outcomes]
    last = max(span.end_line for span in spans if span.line > 0)
    for child in node.children:
        last = max(last, _lines_of(child)[1])
    return node.span.line, last


def _node_text(node: n.Node, policy: n.Policy, lang: str) -> str:
    said = named(node)
    lines = [f"**{said.vi if lang == 'vi' else said.en}** — {node.title}", ""]
    label = "tối đa" if lang == "vi" else "max"
    for declared in policy.unit_types:
        if declared.is_tag:
            continue
        points = effective_max(node, (declared.name, frozenset()))
        if points > 0 or node.header.applies(declared.name):
            lines.append(f"- {declared.title} (`{declared.name}`): {label} {_points(points)}")
    if node.header.citation:
        lines += ["", f"{'căn cứ' if lang == 'vi' else 'source'}: {node.header.citation}"]
    return "\n".join(lines)


def _points(value: Decimal) -> str:
    return format_value(value)


def _input_text(decl: n.InputDecl, lang: str) -> str:
    kind = "đầu vào" if lang == "vi" else "input"
    text = f"**{kind}** `{decl.name}`: {decl.type.value}"
    if decl.low is not None and decl.high is not None:
        text += f" {format_value(decl.low.value, decl.low.percent)} .. "
        text += format_value(decl.high.value, decl.high.percent)
    return text + (f"\n\n{decl.title}" if decl.title else "")


def definition_at(path: Path, text: str, position: lsp.Position) -> lsp.Location | None:
    word = _word(text, position)
    if word is None:
        return None
    name = word[0]
    policy = _policy(path, text)
    texts = {path.resolve(): text}
    if policy is not None:
        for decl in policy.inputs:
            if decl.name == name:
                return lsp.Location(uri=_uri(path), range=_range(decl.span, texts))
    for node in _nodes_around(path, text, policy):
        if node.id == name:
            return lsp.Location(uri=_uri(node.span.source), range=_range(node.span, texts))
    return None


def _nodes_around(path: Path, text: str, policy: n.Policy | None) -> list[n.Node]:
    """The nodes a name in this file may refer to: its own, then its folder's regulations'."""
    own = n.walk(policy.nodes) if policy is not None else []
    if len(list(path.parent.glob("*.cchc"))) < 2:
        return own
    folder = read_folder(path.parent, DiagnosticSink(), {path.resolve(): text})
    return own + [node for regulation in folder.regulations for node in n.walk(regulation.nodes)]


def format_edits(path: Path, text: str) -> list[lsp.TextEdit] | None:
    """`cchc-dsl fmt` as one edit of the whole document; none when the text does not parse (the
    diagnostics already say why) or is already canonical."""
    try:
        formatted = format_source(text, str(path))
    except CchcError:
        return None
    if formatted == text:
        return []
    lines = text.split("\n")
    end = lsp.Position(len(lines) - 1, len(lines[-1].encode("utf-16-le")) // 2)
    return [lsp.TextEdit(range=lsp.Range(lsp.Position(0, 0), end), new_text=formatted)]


def serve() -> None:
    server().start_io()
