"""Writing an output file without ever losing data: what `-o/--output` of every command does.

The text or bytes go to a temporary file beside the target and are renamed into place, so a
reader never sees half a report and a crash leaves the old file whole. An existing file is
replaced only with `force`; a symbolic link is replaced itself (never written through to its
target) and also only with `force`; a path that is, or leads to, one of the command's inputs is
refused whatever the flags say.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

from cchc_dsl.diagnostics import CchcError, Diagnostic, Said, make, read_error


def write_output(
    data: str | bytes, output: Path, *, inputs: Iterable[Path] = (), force: bool = False
) -> None:
    """Write `data` (text is written as UTF-8, newlines as given) to `output` atomically."""
    folder = output.parent.resolve()
    target = folder / output.name  # the link itself when `output` is a symbolic link
    if not folder.is_dir():
        where = output.parent
        _cannot(output, f"the folder {where} does not exist", f"thư mục {where} không có")
    if _is_an_input(target, inputs):
        _cannot(output, "it is one of this command's inputs", "đó là tệp đầu vào của lệnh này")
    mode = None
    if target.is_symlink():
        if not force:
            _refuse(make("E605", path=str(output), target=os.readlink(target)))
    elif target.is_dir():
        _cannot(output, "it is a folder", "đó là một thư mục")
    elif target.exists():
        if not force:
            _refuse(make("E604", path=str(output)))
        mode = stat.S_IMODE(target.stat().st_mode)
    _replace(data, target, output, mode)


def _is_an_input(target: Path, inputs: Iterable[Path]) -> bool:
    """The output names an input, or its link leads to one: by path and by file identity."""
    for given in inputs:
        source = given.parent.resolve() / given.name
        if target in (source, source.resolve()) or target.resolve() in (source, source.resolve()):
            return True
        with contextlib.suppress(OSError):
            if target.exists() and os.path.samefile(target, source):
                return True
    return False


def _replace(data: str | bytes, target: Path, shown: Path, mode: int | None) -> None:
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None and os.path.lexists(temporary):
            os.unlink(temporary)
        _refuse(make("E601", path=str(shown), reason=read_error(error)))


def _umask() -> int:
    """The process's umask: a new report gets the permissions any new file would."""
    current = os.umask(0)
    os.umask(current)
    return current


def _cannot(output: Path, english: str, vietnamese: str) -> NoReturn:
    _refuse(make("E601", path=str(output), reason=Said(english, vietnamese)))


def _refuse(diagnostic: Diagnostic) -> NoReturn:
    raise CchcError((diagnostic,))
