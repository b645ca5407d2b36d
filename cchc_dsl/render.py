"""What a person sees in a terminal: diagnostics drawn with the source line, carets under the
span, then help and căn cứ; the ranking as rich tables; a progress bar for long batches.

The same `Diagnostic` also renders as one GNU-style line and as JSON (see diagnostics.py); this is
the form a drafter reads after `cchc-dsl check`. Rich output is only for a terminal: piped, the
CLI prints the plain text of reports.py, so that scripts and golden files see the same bytes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from types import TracebackType

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from cchc_dsl.api import ScoreReport
from cchc_dsl.diagnostics import Diagnostic, Label, Severity
from cchc_dsl.history import YearOverYear
from cchc_dsl.reports import NUMERIC_COLUMNS, gone_lines, policy_line, ranking_blocks
from cchc_dsl.source import MAX_FACTS_BYTES, SourceFile


class SourceCache:
    """Source texts by name; files not seen yet are read on demand (facts files, say)."""

    def __init__(self, sources: Iterable[SourceFile] = ()) -> None:
        self._files: dict[str, SourceFile | None] = {s.name: s for s in sources}

    def get(self, name: str) -> SourceFile | None:
        if name not in self._files:
            try:
                self._files[name] = SourceFile.read(name, MAX_FACTS_BYTES)  # the larger limit
            except (OSError, UnicodeDecodeError):
                self._files[name] = None
        return self._files[name]


SEVERITY_VI = {Severity.ERROR: "lỗi", Severity.WARNING: "cảnh báo", Severity.NOTE: "ghi chú"}


def render(diagnostic: Diagnostic, sources: SourceCache, lang: str = "en") -> str:
    severity = SEVERITY_VI[diagnostic.severity] if lang == "vi" else diagnostic.severity.value
    lines = [f"{severity}[{diagnostic.code}]: {diagnostic.text(lang)}"]
    for label in diagnostic.labels:
        lines.extend(_label(label, sources, lang))
    hint = diagnostic.hint_text(lang)
    if hint:
        lines.append(f"   = {'gợi ý' if lang == 'vi' else 'help'}: {hint}")
    if diagnostic.citation:
        lines.append(f"   = căn cứ: {diagnostic.citation}")
    return "\n".join(lines)


def _label(label: Label, sources: SourceCache, lang: str) -> list[str]:
    span = label.span
    arrow = "-->" if label.primary else ":::"
    out = [f"  {arrow} {span}"]
    source = sources.get(span.source)
    shown = source is not None and span.line > 0 and span.in_text
    text = source.line_text(span.line) if shown and source is not None else ""
    if not text:
        if label.message:
            out.append(f"   = {label.text(lang)}")
        return out
    number = str(span.line)
    pad = " " * len(number)
    width = (
        (span.end_column - span.column)
        if span.end_line == span.line
        else len(text) - span.column + 1
    )
    text, column, width = _window(text, span.column, max(width, 1))
    marker = ("^" if label.primary else "-") * width
    out.append(f" {pad} |")
    out.append(f" {number} | {text}")
    out.append(f" {pad} | {' ' * (column - 1)}{marker} {label.text(lang)}".rstrip())
    return out


WIDTH = 160  # the most of one source line shown: a generated file may be one line of megabytes


def _window(text: str, column: int, width: int) -> tuple[str, int, int]:
    """A line cut to `WIDTH` characters around the span, with "…" where it was cut; the span's
    column and width within what is shown."""
    if len(text) <= WIDTH:
        return text, column, width
    start = max(0, min(column - 1 - WIDTH // 3, len(text) - WIDTH))
    shown = text[start : start + WIDTH]
    before, after = ("…" if start > 0 else ""), ("…" if start + WIDTH < len(text) else "")
    column = column - start + len(before)
    return before + shown + after, column, max(1, min(width, WIDTH + len(before) - column + 1))


def render_all(diagnostics: Iterable[Diagnostic], sources: SourceCache, lang: str = "en") -> str:
    items = list(diagnostics)
    blocks = [render(d, sources, lang) for d in items]
    errors = sum(d.severity is Severity.ERROR for d in items)
    warnings = sum(d.severity is Severity.WARNING for d in items)
    if lang == "vi":
        blocks.append(f"{errors} lỗi, {warnings} cảnh báo")
    else:
        blocks.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n\n".join(blocks) + "\n"


def gnu(diagnostics: Iterable[Diagnostic], lang: str = "en") -> str:
    return "".join(d.one_line(lang) + "\n" for d in diagnostics)


def as_json(
    diagnostics: Iterable[Diagnostic],
    extra: Mapping[str, object] | None = None,
    lang: str = "en",
) -> str:
    payload = {"diagnostics": [d.to_json(lang) for d in diagnostics], **(extra or {})}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# --- the ranking in a terminal -----------------------------------------------------------------


def rich_ranking(
    report: ScoreReport, console: Console, history: YearOverYear | None = None
) -> None:
    """The ranked blocks as rich tables: the same cells as the plain table, laid out to fit."""
    console.print(Text(policy_line(report), style="bold"))
    for block in ranking_blocks(report, history):
        table = Table(
            title=f"{block.title} ({len(block.rows)} đơn vị)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        for i, header in enumerate(block.headers):
            table.add_column(header, justify="right" if i in NUMERIC_COLUMNS else "left")
        for row in block.rows:
            table.add_row(*(Text(cell) for cell in row))  # Text: no markup read from facts
        console.print(table)
    for line in gone_lines(history):
        console.print(Text(line))


class ProgressBar:
    """A bar on stderr for a batch that takes more than a moment: it appears only once `delay`
    seconds have passed, and leaves nothing behind when done."""

    def __init__(self, console: Console, label: str, delay: float = 0.5) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task(label, total=None)
        self._delay = delay
        self._started = time.monotonic()
        self._shown = False

    def __enter__(self) -> ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self._shown and time.monotonic() - self._started >= self._delay and done < total:
            self._progress.start()
            self._shown = True
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._shown:
            self._progress.stop()
