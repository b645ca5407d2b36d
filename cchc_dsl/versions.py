"""Stage 2c: a province folder of regulations and amendments → the text in force on a date.

A folder holds the `.cchc` files of one province (its `tests/` and data files are ignored). Each
regulation is in force from `effective` until `until` (or until a later regulation takes effect);
the regulation for index year Y is the one in force on 31 December of Y, with the amendments to
it that took effect by then — so an amendment issued in October applies to that year's scoring.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from cchc_dsl import nodes as n
from cchc_dsl.amendments import amendment_order, apply_amendments
from cchc_dsl.builder import build_document
from cchc_dsl.diagnostics import DiagnosticSink, Said, read_error
from cchc_dsl.parser import parse
from cchc_dsl.source import SourceFile
from cchc_dsl.wording import hint


@attrs.frozen(slots=True)
class Folder:
    """The documents of one province, each with the file it came from."""

    path: str
    sources: tuple[SourceFile, ...]
    regulations: tuple[n.Policy, ...]
    amendments: tuple[n.Amendment, ...]


@attrs.frozen(slots=True)
class Version:
    """A regulation as in force on a date: the consolidated text and what it was made of."""

    policy: n.Policy
    base: n.Policy
    amendments: tuple[n.Amendment, ...]
    as_of: datetime.date | None

    def describe(self) -> str:
        parts = [_name(self.base)]
        if self.amendments:
            amended = ", ".join(_name(a) for a in self.amendments)
            parts.append(f"sửa đổi bởi {amended}")
        when = f" — văn bản có hiệu lực ngày {_vn(self.as_of)}" if self.as_of else ""
        return " ".join(parts) + when


def index_year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def read_folder(
    path: Path, sink: DiagnosticSink, texts: Mapping[Path, str] | None = None
) -> Folder:
    """Parse and build every `.cchc` file directly in `path`, in name order; `texts` gives the
    text of files being edited (by resolved path), which stands for what is on disk."""
    sources: list[SourceFile] = []
    regulations: list[n.Policy] = []
    amendments: list[n.Amendment] = []
    for file in sorted(path.glob("*.cchc")):
        try:
            edited = (texts or {}).get(file.resolve())
            source = (
                SourceFile.read(file) if edited is None else SourceFile.from_text(edited, str(file))
            )
        except (OSError, UnicodeDecodeError) as error:
            sink.report("E106", None, path=str(file), reason=read_error(error))
            continue
        sources.append(source)
        tree = parse(source, sink)
        if tree is None:
            continue
        document = build_document(tree, source, sink)
        if isinstance(document, n.Amendment):
            amendments.append(document)
        else:
            regulations.append(document)
    if not sources:
        reason = Said("the folder holds no .cchc file", "thư mục không có tệp .cchc nào")
        sink.report("E106", None, path=str(path), reason=reason)
    return Folder(str(path), tuple(sources), tuple(regulations), tuple(amendments))


def timeline(folder: Folder, sink: DiagnosticSink) -> None:
    """What only the folder as a whole shows: missing dates, orphan amendments, gaps."""
    decisions = {r.metadata.decision for r in folder.regulations}
    documents: list[n.Document] = [*folder.regulations, *folder.amendments]
    for document in documents:
        if document.metadata.effective is None:
            sink.report(
                "E236",
                document.metadata.span,
                what=Said("«effective» date", "ngày «hiệu lực»"),
                hint=hint("add: {code}", "thêm: {code}", "effective YYYY-MM-DD"),
            )
    here = ", ".join(sorted(filter(None, decisions)))
    for amendment in folder.amendments:
        if amendment.amends and amendment.amends not in decisions:
            sink.report(
                "E234",
                amendment.metadata.span,
                decision=amendment.metadata.decision or amendment.metadata.title,
                amends=amendment.amends,
                hint=Said(f"the regulations here are: {here}", f"các quy định ở đây là: {here}"),
            )
    dated = sorted((r for r in folder.regulations if r.metadata.effective), key=_start)
    for earlier, later in itertools.pairwise(dated):
        end = earlier.metadata.until
        start = later.metadata.effective
        if end is not None and start is not None and start > end:
            sink.report(
                "E233",
                later.metadata.span,
                start=_vn(end),
                end=_vn(start - datetime.timedelta(days=1)),
            )


def in_force(folder: Folder, as_of: datetime.date | None, sink: DiagnosticSink) -> Version | None:
    """The regulation in force on `as_of` (None: the latest), consolidated with its amendments."""
    dated = [r for r in folder.regulations if r.metadata.effective is not None]
    if as_of is None:
        candidates = dated
    else:
        candidates = [r for r in dated if _start(r) <= as_of and not _ended(r, as_of)]
    if not candidates:
        known = "; ".join(_span_text(r) for r in sorted(dated, key=_start)) or "none"
        when = f"on {_vn(as_of)}" if as_of else "at all"
        sink.report(
            "E237",
            None,
            message=f"no regulation in {folder.path} is in force {when}",
            hint=f"the regulations there: {known}",
        )
        return None
    base = max(candidates, key=_start)  # a later regulation replaces an earlier one
    return consolidate(base, folder.amendments, as_of, sink)


def consolidate(
    base: n.Policy,
    amendments: Sequence[n.Amendment],
    as_of: datetime.date | None,
    sink: DiagnosticSink,
) -> Version:
    """`base` with those of `amendments` that amend it and took effect by `as_of`."""
    chosen = tuple(
        sorted(
            (
                a
                for a in amendments
                if a.amends == base.metadata.decision
                and a.metadata.effective is not None
                and (as_of is None or a.metadata.effective <= as_of)
            ),
            key=amendment_order,
        )
    )
    return Version(apply_amendments(base, chosen, sink), base, chosen, as_of)


def every_version(folder: Folder, sink: DiagnosticSink) -> list[Version]:
    """Each regulation alone, then after each of its amendments: what `check` must prove clean."""
    versions: list[Version] = []
    for base in folder.regulations:
        own = sorted(
            (a for a in folder.amendments if a.amends == base.metadata.decision),
            key=amendment_order,
        )
        versions.append(Version(base, base, (), None))
        for index in range(1, len(own) + 1):
            versions.append(
                Version(apply_amendments(base, own[:index], sink), base, tuple(own[:index]), None)
            )
    return versions


def _start(regulation: n.Policy) -> datetime.date:
    return regulation.metadata.effective or datetime.date.min


def _ended(regulation: n.Policy, day: datetime.date) -> bool:
    until = regulation.metadata.until
    return until is not None and day >= until


def _name(document: n.Document) -> str:
    return document.metadata.decision or document.metadata.title


def _span_text(regulation: n.Policy) -> str:
    meta = regulation.metadata
    until = f" đến {_vn(meta.until)}" if meta.until else ""
    return f"{_name(regulation)} từ {_vn(meta.effective)}{until}"


def _vn(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "?"
