"""Editor support: the TextMate grammar colours what the parser reads, in both languages.

The grammar is applied here the way a TextMate engine applies a list of `match` patterns: at each
position the pattern that matches earliest wins, ties going to the first listed. Its regexes use
only what Oniguruma (editors) and Python's `re` read alike.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from lark import Token

from cchc_dsl.diagnostics import DiagnosticSink
from cchc_dsl.parser import build_parser, keyword_spellings, parse
from cchc_dsl.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "editors/vscode/syntaxes/cchc.tmLanguage.json"
SAMPLES = sorted(
    [*ROOT.glob("policies/**/*.cchc"), *ROOT.glob("tests/data/*.cchc")],
    key=lambda p: p.as_posix(),
)


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_textmate", ROOT / "scripts/gen_textmate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    return [(p["name"], re.compile(p["match"], re.MULTILINE)) for p in grammar["patterns"]]


def tokenize(line: str) -> list[tuple[int, int, str]]:
    """(start, end, scope) of each token a TextMate engine gives the line; gaps are plain."""
    patterns = _patterns()
    out, position = [], 0
    while position < len(line):
        found = [
            (m.start(), i, m, name)
            for i, (name, regex) in enumerate(patterns)
            if (m := regex.search(line, position)) and m.end() > m.start()
        ]
        if not found:
            break
        start, _, match, name = min(found, key=lambda f: (f[0], f[1]))
        out.append((start, match.end(), name))
        position = match.end()
    return out


def test_the_committed_grammar_is_generated_from_the_parser() -> None:
    assert GRAMMAR.read_text(encoding="utf-8") == _generator().text(), (
        "editors/vscode/syntaxes/cchc.tmLanguage.json is out of date: "
        "run python scripts/gen_textmate.py"
    )


def test_the_extension_manifest_names_the_grammar() -> None:
    manifest = json.loads((ROOT / "editors/vscode/package.json").read_text(encoding="utf-8"))
    (language,) = manifest["contributes"]["languages"]
    (grammar,) = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".cchc"]
    assert grammar["scopeName"] == "source.cchc"
    assert (ROOT / "editors/vscode" / grammar["path"]).resolve() == GRAMMAR
    config = json.loads(
        (ROOT / "editors/vscode" / language["configuration"]).read_text(encoding="utf-8")
    )
    assert config["comments"]["lineComment"] == "#"


def _expected_scope(token: Token) -> str:
    kind = token.type
    if kind.startswith("KW_"):
        return str(_generator()._scope(kind))
    return {
        "STRING": "string.quoted.double.cchc",
        "PERCENT": "constant.numeric.percent.cchc",
        "DATE": "constant.numeric.date.cchc",
        "DAY_MONTH": "constant.numeric.date.cchc",
        "NUMBER": "constant.numeric.cchc",
    }.get(kind, "")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.relative_to(ROOT).as_posix() for p in SAMPLES])
def test_every_word_the_parser_reads_is_coloured_as_such(path: Path) -> None:
    """Each keyword, string, number, percentage and date token of the parse is one token of
    the right scope for the editor; comments never swallow code, and code never a comment."""
    source = SourceFile.read(path)
    tree = parse(source, DiagnosticSink())
    assert tree is not None
    lines = source.text.split("\n")
    by_line: dict[int, list[tuple[int, int, str]]] = {}
    checked = 0
    for token in tree.scan_values(lambda v: isinstance(v, Token)):
        assert token.line is not None and token.column is not None
        scope = _expected_scope(token)
        if not scope:
            continue  # names and ids: plain or variable, either is fine
        if token.line not in by_line:
            by_line[token.line] = tokenize(lines[token.line - 1])
        start = token.column - 1
        spans = {(s, e): name for s, e, name in by_line[token.line]}
        assert spans.get((start, start + len(token.value))) == scope, (
            f"{path.name}:{token.line}:{token.column} {token.type} {token.value!r}: "
            f"{by_line[token.line]}"
        )
        checked += 1
    assert checked > 0
    for number, line in enumerate(lines, 1):
        comments = [s for s, _, name in tokenize(line) if name.startswith("comment")]
        code = line.split("#")[0] if '"' not in line else line
        if comments and '"' not in line:
            assert comments == [len(code)], f"{path.name}:{number}"


def test_each_keyword_in_each_language_is_one_token() -> None:
    terminals = [t.name for t in build_parser().terminals if t.name.startswith("KW_")]
    generator = _generator()
    for terminal in terminals:
        for word in keyword_spellings(terminal):
            assert tokenize(word) == [(0, len(word), generator._scope(terminal))], (terminal, word)
