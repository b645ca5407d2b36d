"""Diagnostics are data: a code from the registry, a message, labelled spans, a hint, a citation.

Every stage reports into a `DiagnosticSink` instead of raising, so that one run shows every problem
of a file; `CchcError` carries them all across the API boundary. `InternalError` marks our bugs.
"""

from __future__ import annotations

import enum
import errno
import re
from collections.abc import Iterable, Iterator

import attrs

from cchc_dsl.messages import MESSAGES
from cchc_dsl.source import FileTooLargeError, Span, megabytes

_DID_YOU_MEAN = re.compile(r"did you mean «(.*)»\?")


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@attrs.frozen(slots=True)
class Said:
    """A piece of a message said in both languages: a field of a template, or a hint. Reports
    made in code pass one where the English words would otherwise show in Vietnamese output."""

    en: str
    vi: str

    def __str__(self) -> str:
        return self.en


def _in(lang: str, value: object) -> object:
    return (value.vi if lang == "vi" else value.en) if isinstance(value, Said) else value


@attrs.frozen(slots=True)
class Label:
    """A span with what it shows; the primary label is where the caret goes first."""

    span: Span
    message: str = ""  # in English
    primary: bool = True
    message_vi: str = attrs.field(default="", eq=False)

    def text(self, lang: str = "en") -> str:
        return self.message_vi if lang == "vi" and self.message_vi else self.message


def also(span: Span, message: Said) -> Label:
    """A secondary label: another place the diagnostic concerns."""
    return Label(span, message.en, primary=False, message_vi=message.vi)


@attrs.frozen(slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str  # in English
    labels: tuple[Label, ...] = ()
    hint: str | None = None
    citation: str | None = None
    message_vi: str = attrs.field(default="", eq=False)  # in Vietnamese, when the registry has it
    hint_vi: str | None = attrs.field(default=None, eq=False)

    def text(self, lang: str = "en") -> str:
        """The message in `lang` ("vi" or "en")."""
        return self.message_vi if lang == "vi" and self.message_vi else self.message

    def hint_text(self, lang: str = "en") -> str | None:
        """The hint; the did-you-mean form is said in Vietnamese too."""
        if lang == "vi" and self.hint_vi:
            return self.hint_vi
        if lang == "vi" and self.hint:
            return _DID_YOU_MEAN.sub(r"có phải là «\1»?", self.hint)
        return self.hint

    @property
    def span(self) -> Span | None:
        return self.labels[0].span if self.labels else None

    @property
    def title(self) -> str:
        return MESSAGES[self.code].title

    def one_line(self, lang: str = "en") -> str:
        """The `file:line:col: CODE message` form that editors and CI read."""
        where = f"{self.span}: " if self.span else ""
        return f"{where}{self.severity.value} {self.code}: {self.text(lang)}"

    def to_json(self, lang: str = "en") -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "message": self.text(lang),
            "message_en": self.message,
            "hint": self.hint_text(lang),
            "citation": self.citation,
            "labels": [
                {
                    "file": label.span.source,
                    "line": label.span.line,
                    "column": label.span.column,
                    "end_line": label.span.end_line,
                    "end_column": label.span.end_column,
                    "message": label.text(lang),
                    "primary": label.primary,
                }
                for label in self.labels
            ],
        }


def make(
    code: str,
    span: Span | None = None,
    *,
    hint: str | Said | None = None,
    citation: str | None = None,
    secondary: Iterable[Label] = (),
    **fields: object,
) -> Diagnostic:
    """Build a diagnostic from the registry entry for `code`, filling its message template."""
    entry = MESSAGES[code]
    labels = ((Label(span),) if span is not None else ()) + tuple(secondary)
    return Diagnostic(
        code=code,
        severity=Severity(entry.severity),
        message=entry.template.format(**{k: _in("en", v) for k, v in fields.items()}),
        labels=labels,
        hint=str(hint) if hint is not None else None,
        citation=citation,
        message_vi=(
            entry.template_vi.format(**{k: _in("vi", v) for k, v in fields.items()})
            if entry.template_vi
            else ""
        ),
        hint_vi=hint.vi if isinstance(hint, Said) else None,
    )


class DiagnosticSink:
    """Collects the diagnostics of one run, in the order they were found."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def report(
        self,
        code: str,
        span: Span | None = None,
        *,
        hint: str | Said | None = None,
        citation: str | None = None,
        secondary: Iterable[Label] = (),
        **fields: object,
    ) -> None:
        self.add(make(code, span, hint=hint, citation=citation, secondary=secondary, **fields))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, diagnostic: object) -> bool:
        return diagnostic in self._items

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise CchcError(tuple(self._items))


class CchcError(Exception):
    """A user error: the input is wrong. Carries every diagnostic found, errors and warnings."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        first = next((d for d in diagnostics if d.severity is Severity.ERROR), None)
        summary = first.one_line() if first else "no errors"
        super().__init__(f"{len(diagnostics)} diagnostic(s); first: {summary}")

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


class InternalError(Exception):
    """A bug in cchc-dsl, never the user's fault."""


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean «x»?' hint for a misspelt name, or None when nothing is close."""
    import difflib

    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean «{close[0]}»?" if close else None


_OS_ERRORS_VI = {
    errno.ENOENT: "không có tệp hay thư mục này",
    errno.EACCES: "không có quyền đọc hoặc ghi",
    errno.EISDIR: "đây là một thư mục",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENOSPC: "hết chỗ trên ổ đĩa",
}


def read_error(error: OSError | UnicodeDecodeError) -> Said:
    """Why a file could not be read or written, in words for a message."""
    if isinstance(error, UnicodeDecodeError):
        if error.object[:2] in (b"\xff\xfe", b"\xfe\xff"):  # the byte order mark of UTF-16
            return Said(
                "it is UTF-16 text, not UTF-8; save it as UTF-8",
                "tệp là văn bản UTF-16, không phải UTF-8; hãy lưu lại bằng UTF-8",
            )
        line = error.object[: error.start].count(b"\n") + 1
        return Said(
            f"it is not UTF-8 text (line {line}, byte {error.start}); save it as UTF-8",
            f"tệp không phải văn bản UTF-8 (dòng {line}, byte {error.start}); hãy lưu bằng UTF-8",
        )
    if isinstance(error, FileTooLargeError):
        limit = megabytes(error.limit)
        return Said(f"it is larger than the limit of {limit}", f"tệp lớn hơn giới hạn {limit}")
    english = error.strerror or str(error)
    return Said(english, _OS_ERRORS_VI.get(error.errno or 0, english))
