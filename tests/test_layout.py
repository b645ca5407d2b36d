"""`cchc-dsl fmt`: the canonical layout keeps what a file says and every comment where it was put.

Golden pairs (a messy file → its layout, in its own language and translated) live in
tests/golden/fmt/; tests/golden/fmt/canonical/ holds files already canonical, which must print
back byte for byte. The shipped policies are laid out in memory only: they are never rewritten.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from typer.testing import CliRunner

from cchc_dsl.builder import build_document
from cchc_dsl.cli import app
from cchc_dsl.diagnostics import CchcError, DiagnosticSink
from cchc_dsl.layout import Lang, comments_of, format_source
from cchc_dsl.nodes import Document
from cchc_dsl.parser import parse
from cchc_dsl.source import SourceFile
from tests.strategies import policy_texts

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "golden" / "fmt"
CANONICAL = sorted((CASES / "canonical").glob("*.cchc"))
SHIPPED = sorted((ROOT / "policies").rglob("*.cchc"))
runner = CliRunner()


def meaning(text: str) -> Document:
    """The AST of a text; spans take no part in equality, so layouts compare by what they say."""
    source = SourceFile.from_text(text)
    sink = DiagnosticSink()
    tree = parse(source, sink)
    assert tree is not None, [d.one_line() for d in sink]
    return build_document(tree, source, DiagnosticSink())


def comment_texts(text: str) -> list[str]:
    return [c.text for c in comments_of(text)]


# --- golden pairs and the identity set ----------------------------------------------------------

GOLDEN = [
    ("messy-vi", None),
    ("messy-vi", "en"),
    ("messy-en", None),
    ("messy-en", "vi"),
    ("mixed", None),
    ("amendment", None),
    ("amendment", "en"),
]


@pytest.mark.parametrize(("name", "lang"), GOLDEN, ids=[f"{n}-{lang}" for n, lang in GOLDEN])
def test_golden_layout(name: str, lang: Lang | None, golden: Callable[[Path, str], None]) -> None:
    source = (CASES / f"{name}.cchc").read_text(encoding="utf-8")
    laid_out = format_source(source, f"{name}.cchc", lang)
    golden(CASES / (f"{name}.{lang}.out" if lang else f"{name}.out"), laid_out)
    assert meaning(laid_out) == meaning(source)
    assert comment_texts(laid_out) == comment_texts(source)
    assert format_source(laid_out, lang=lang) == laid_out


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: p.name)
def test_canonical_files_print_back_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_source(text, path.name) == text
    result = runner.invoke(app, ["fmt", "--check", str(path)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_the_two_canonical_tours_are_translations_of_each_other() -> None:
    english = (CASES / "canonical" / "constructs.en.cchc").read_text(encoding="utf-8")
    vietnamese = (CASES / "canonical" / "constructs.vi.cchc").read_text(encoding="utf-8")
    assert format_source(english, lang="vi") == vietnamese
    assert format_source(vietnamese, lang="en") == english
    # the same tree, line for line: a header breaks alike in both languages
    assert len(english.splitlines()) == len(vietnamese.splitlines())


# --- the layout, statement by statement ----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # one statement a line; ";" dropped; a keyword's inner spaces made one
        ('quy  định "A"; quyết\tđịnh "B"', 'quy định "A"\nquyết định "B"\n'),
        # operators in ASCII, spaced; ".." spaced; no space inside parentheses or before ":" ","
        (
            'regulation "A" field 1 "F" { formula min( a×2 ,b )÷( c-1 ) clamp -1..max; '
            "when a≥1 and b==2: not_done }",
            'regulation "A"\n\nfield 1 "F" {\n  formula min(a * 2, b) / (c - 1) clamp -1 .. max\n'
            "  when a >= 1 and b = 2: not_done\n}\n",
        ),
        # numbers and dates keep their spelling: 2.50 stays 2.50, 31/01/2024 stays as written
        (
            'regulation "A" field 1 "F" max 2.50 { deadline d { by 31/01/2024: 2.50 } }',
            'regulation "A"\n\nfield 1 "F" max 2.50 {\n  deadline d {\n    by 31/01/2024: 2.50\n'
            "  }\n}\n",
        ),
        # a block with nothing in it stays on one line
        ('regulation "A" unit_types {}', 'regulation "A"\n\nunit_types {}\n'),
        # other spellings of one keyword or choice word become the first one
        (
            'quy định "A" đầu vào { a: số_lượng tuỳ chọn; b: tỉ_lệ }',
            'quy định "A"\n\nđầu vào {\n  a: số_đếm tùy chọn\n  b: tỷ_lệ\n}\n',
        ),
    ],
    ids=["statements", "operators", "numbers-as-written", "empty-block", "spellings"],
)
def test_layout_of_small_texts(source: str, expected: str) -> None:
    assert format_source(source) == expected


def test_a_header_longer_than_100_columns_is_broken_before_each_item() -> None:
    title = "T" * 70
    source = f'regulation "A"\nfield 1 "{title}" max 10 for so cite "Phụ lục I" {{ yes_no a }}\n'
    assert format_source(source) == (
        f'regulation "A"\n\nfield 1 "{title}"\n    max 10 for so\n    cite "Phụ lục I" {{\n'
        "  yes_no a\n}\n"
    )


def test_empty_lines_one_at_most_none_at_the_edges_of_a_block() -> None:
    source = 'regulation "A"\n\n\n\nunit_types {\n\n  so "Sở"\n\n\n  huyen "H"\n\n}\n'
    assert format_source(source) == 'regulation "A"\n\nunit_types {\n  so "Sở"\n\n  huyen "H"\n}\n'


# --- comments, in every position -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # trailing: stays on the line of the code before it, two spaces after it
        ('regulation "A"      # cuối dòng\n', 'regulation "A"  # cuối dòng\n'),
        # own line: before the construct that follows, at that construct's depth
        (
            'regulation "A"\nunit_types {\n        # về sở\n so "Sở" }',
            'regulation "A"\n\nunit_types {\n  # về sở\n  so "Sở"\n}\n',
        ),
        # at the end of a block: inside it, at the depth of the block's body
        (
            'regulation "A"\nunit_types { so "Sở"\n# cuối khối\n}',
            'regulation "A"\n\nunit_types {\n  so "Sở"\n  # cuối khối\n}\n',
        ),
        # the only thing in a block: the block stays open around it
        (
            'regulation "A"\nunit_types {\n# sẽ bổ sung\n}',
            'regulation "A"\n\nunit_types {\n  # sẽ bổ sung\n}\n',
        ),
        # at the end of the file, after an empty line
        ('regulation "A"\n\n\n# hết\n', 'regulation "A"\n\n# hết\n'),
        # a "#" inside a string is not a comment; a '"' inside a comment does not open a string
        ('regulation "Mục #3" # ghi "chú\n', 'regulation "Mục #3"  # ghi "chú\n'),
        # two trailing comments that end up on one line: the second goes on its own line after it
        (
            'regulation "A"\nunit_types { so # một\n "Sở" # hai\n}',
            'regulation "A"\n\nunit_types {\n  so "Sở"  # một\n  # hai\n}\n',
        ),
    ],
    ids=["trailing", "own-line", "end-of-block", "empty-block", "end-of-file", "quotes", "two"],
)
def test_comments_stay_where_the_drafter_put_them(source: str, expected: str) -> None:
    assert format_source(source) == expected


# --- keywords in either language -----------------------------------------------------------------


def test_a_file_keeps_the_language_of_its_first_keyword() -> None:
    assert format_source('quy định "A" decision "B"') == 'quy định "A"\nquyết định "B"\n'
    assert format_source('regulation "A" quyết định "B"') == 'regulation "A"\ndecision "B"\n'


def test_survey_weight_says_of_in_english_and_tren_in_vietnamese() -> None:
    source = 'regulation "A" survey { weight 30 of 100; if_missing rescale }'
    vietnamese = format_source(source, lang="vi")
    assert "  trọng số 30 trên 100\n  khi thiếu quy_đổi\n" in vietnamese
    assert format_source(vietnamese, lang="en") == format_source(source)


def test_an_id_that_would_read_as_a_keyword_in_translation_is_refused() -> None:
    # "sửa" (change) then the node id "đổi" reads as "sửa đổi" (amends): refused, not miswritten
    source = 'amendment "A"\namends "B"\nchange đổi max 2\n'
    with pytest.raises(CchcError) as raised:
        format_source(source, "a.cchc", lang="vi")
    assert [d.code for d in raised.value.diagnostics] == ["E608"]
    assert "a.cchc" in raised.value.diagnostics[0].message


# --- the shipped policies -------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT / "policies")))
def test_every_shipped_policy_keeps_its_meaning_and_its_comments(path: Path) -> None:
    before = path.read_bytes()
    text = before.decode("utf-8")
    laid_out = format_source(text, str(path))
    assert meaning(laid_out) == meaning(text)
    assert comment_texts(laid_out) == comment_texts(text)
    assert len(comment_texts(text)) > 0
    assert format_source(laid_out) == laid_out
    for lang in ("en", "vi"):
        assert meaning(format_source(text, lang=lang)) == meaning(text)  # type: ignore[arg-type]
    assert path.read_bytes() == before  # never rewritten


# --- invariants over random texts -----------------------------------------------------------------


@given(policy_texts())
def test_layout_keeps_the_ast_and_the_comments(text: str) -> None:
    laid_out = format_source(text)
    assert meaning(laid_out) == meaning(text)
    assert comment_texts(laid_out) == comment_texts(text)


@given(policy_texts())
def test_layout_is_idempotent(text: str) -> None:
    laid_out = format_source(text)
    assert format_source(laid_out) == laid_out


@given(policy_texts())
def test_english_and_back_gives_the_same_ast_and_the_vietnamese_text(text: str) -> None:
    vietnamese = format_source(text, lang="vi")
    english = format_source(vietnamese, lang="en")
    assert meaning(english) == meaning(text)
    assert format_source(english, lang="vi") == vietnamese
    assert format_source(text, lang="en") == english


# --- the command line: print, --check, --write ------------------------------------------------

MESSY = 'regulation "A"   # giữ\nunit_types { so "Sở" }\n'
LAID_OUT = 'regulation "A"  # giữ\n\nunit_types {\n  so "Sở"\n}\n'


def test_fmt_prints_the_layout_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(MESSY, encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(path)])
    assert (result.exit_code, result.stdout) == (0, LAID_OUT)
    assert path.read_text(encoding="utf-8") == MESSY


def test_fmt_lang_prints_the_keywords_in_that_language(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(MESSY, encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--lang", "vi", str(path)])
    assert result.stdout == 'quy định "A"  # giữ\n\nloại đơn vị {\n  so "Sở"\n}\n'


def test_check_exits_1_with_a_unified_diff(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(MESSY, encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:3] == [f"--- {path}", f"+++ {path} (fmt)", "@@ -1,2 +1,5 @@"]
    assert '-unit_types { so "Sở" }' in result.stdout.splitlines()
    assert '+  so "Sở"' in result.stdout.splitlines()
    assert path.read_text(encoding="utf-8") == MESSY


def test_check_says_when_the_last_line_has_no_line_break(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text('regulation "A"', encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--check", str(path)])
    assert result.exit_code == 1
    assert "\\ No newline at end of file" in result.stdout


def test_check_exits_0_and_prints_nothing_when_canonical(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(LAID_OUT, encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--check", str(path)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_write_replaces_the_file_keeping_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(MESSY, encoding="utf-8")
    path.chmod(0o640)
    result = runner.invoke(app, ["fmt", "--write", str(path)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert path.read_text(encoding="utf-8") == LAID_OUT
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.cchc"]  # no temporary file left


def test_write_leaves_a_canonical_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(LAID_OUT, encoding="utf-8")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert runner.invoke(app, ["fmt", "--write", str(path)]).exit_code == 0
    assert path.stat().st_mtime == 1_000_000_000


def test_write_is_atomic_the_old_text_stays_if_the_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(MESSY, encoding="utf-8")

    def refuse(source: str, target: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = runner.invoke(app, ["--lang", "en", "fmt", "--write", str(path)])
    assert result.exit_code == 1
    assert "E601" in result.stderr and "Permission denied" in result.stderr
    assert path.read_text(encoding="utf-8") == MESSY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.cchc"]


def test_write_writes_nothing_when_the_file_does_not_parse(tmp_path: Path) -> None:
    broken = tmp_path / "broken.cchc"
    broken.write_text('regulation "A"\nfield 1 "F" {\n  yes_no\n}\n', encoding="utf-8")
    messy = tmp_path / "messy.cchc"
    messy.write_text(MESSY, encoding="utf-8")
    before = broken.read_bytes()
    result = runner.invoke(app, ["--lang", "en", "fmt", "--write", str(broken), str(messy)])
    assert result.exit_code == 1
    assert f"{broken}:4:1" in result.stderr and "E102" in result.stderr
    assert "Traceback" not in result.stderr
    assert broken.read_bytes() == before
    assert messy.read_text(encoding="utf-8") == LAID_OUT  # the other file is still laid out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.cchc", "messy.cchc"]


def test_a_missing_file_is_e106(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--lang", "en", "fmt", str(tmp_path / "none.cchc")])
    assert result.exit_code == 1
    assert "E106" in result.stderr and "none.cchc" in result.stderr


def test_check_and_write_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / "a.cchc"
    path.write_text(MESSY, encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--check", "--write", str(path)])
    assert result.exit_code == 2
    assert path.read_text(encoding="utf-8") == MESSY
