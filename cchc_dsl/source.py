"""Source text and positions: every later stage points back into a `SourceFile` with a `Span`.

Text is normalised to NFC on reading, so that a decomposed "ế" (two code points) neither splits an
identifier nor shifts a column: lines and columns are counted in the normalised text.
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import unicodedata
from pathlib import Path
from typing import ClassVar

import attrs

# Files are refused above these sizes, before they are read: the largest shipped regulation is
# 45 KB and checking costs about 1.3 s and 75 MB of memory per MB of policy, so a 50 MB file
# would take a minute and gigabytes. Facts are lighter per byte (a unit per record, no tree).
MAX_POLICY_BYTES = 2 * 1024 * 1024
MAX_FACTS_BYTES = 256 * 1024 * 1024  # all 10,000 communes of the country: 28 MB of JSON


class FileTooLargeError(OSError):
    """A file over its size limit: an OSError, so that every reader reports it as unreadable."""

    def __init__(self, limit: int) -> None:
        super().__init__(errno.EFBIG, f"it is larger than the limit of {megabytes(limit)}")
        self.limit = limit


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The bytes of a file of at most `limit` bytes; reads no more than that, whatever the file
    is (a FIFO or /dev/zero has no size to ask for first)."""
    with Path(path).open("rb") as file:
        if os.fstat(file.fileno()).st_size > limit:  # a regular file says its size: no read
            raise FileTooLargeError(limit)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(limit)
    return data


_BRACKETS = re.compile(r'"(?:\\.|[^"\\])*"|[\[\]{}]')


def deepest_bracket(text: str) -> int:
    """Where the brackets of a JSON or TOML text (outside "strings") first reach their greatest
    depth: the place to point at when a decoder gives up on the nesting, without a position."""
    depth, deepest, at = 0, 0, 0
    for match in _BRACKETS.finditer(text):
        bracket = match.group()
        depth += 1 if bracket in "[{" else -1 if bracket in "]}" else 0
        if depth > deepest:
            deepest, at = depth, match.start()
    return at


@attrs.frozen(slots=True)
class Span:
    """A half-open range [start, end) of characters in one named source, with 1-based positions."""

    source: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0
    # whether `column` counts characters of the line, so that a caret can be drawn under it
    in_text: ClassVar[bool] = True

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"


@attrs.frozen(slots=True)
class SourceFile:
    """The text of a policy file as the parser sees it."""

    name: str
    text: str
    line_starts: tuple[int, ...] = attrs.field(eq=False, repr=False)

    @classmethod
    def from_text(cls, text: str, name: str = "<string>") -> SourceFile:
        text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
        starts = [0]
        end = text.find("\n")
        while end >= 0:  # str.find, not a loop over characters: facts files run to megabytes
            starts.append(end + 1)
            end = text.find("\n", end + 1)
        return cls(name=name, text=text, line_starts=tuple(starts))

    @classmethod
    def read(cls, path: str | Path, limit: int = MAX_POLICY_BYTES) -> SourceFile:
        """Read a UTF-8 file; the caller turns OSError (`FileTooLargeError` among them) and
        UnicodeDecodeError into diagnostics."""
        data = read_bytes(path, limit)
        return cls.from_text(data.decode("utf-8"), str(path))

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(self.name, line, column, end_line, end_column, start, end)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if not 1 <= line <= len(self.line_starts):
            return ""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")
