"""The command line: a thin typer layer over `cchc_dsl.api`, the one place that picks exit codes.

Exit codes: 0 done; 1 the input is wrong (diagnostics on stderr); 2 the command line is wrong;
70 a bug in cchc-dsl ("internal error, please report"; the traceback only with --debug).
"""

from __future__ import annotations

import enum
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from cchc_dsl.api import CompiledPolicy
    from cchc_dsl.diagnostics import Diagnostic

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

app = typer.Typer(
    name="cchc-dsl",
    help="Chỉ số CCHC as code: check a regulation, score units exactly, explain every point.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
_state = {"debug": False}


class ScoreFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class CheckFormat(enum.StrEnum):
    text = "text"
    gnu = "gnu"
    json = "json"


def _version(value: bool) -> None:
    if value:
        from cchc_dsl import __version__

        typer.echo(f"cchc-dsl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _state["debug"] = debug


PolicyArg = Annotated[
    Path,
    typer.Argument(
        help="The regulation: a .cchc file, or a province folder (see --year).",
        metavar="POLICY",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        "-y",
        help="With a folder: the index year; the regulation in force on 31/12 of it applies.",
        min=1900,
        max=2200,
    ),
]


@app.command()
def score(
    policy: PolicyArg,
    facts: Annotated[
        Path, typer.Argument(help="The units: a .json or .csv facts file.", metavar="FACTS")
    ],
    output_format: Annotated[
        ScoreFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = ScoreFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    unit_type: Annotated[
        str | None, typer.Option("--unit-type", "-t", help="Score only units of this type.")
    ] = None,
    explain: Annotated[
        str | None, typer.Option("--explain", "-e", help="Explain one unit point by point.")
    ] = None,
    year: YearOption = None,
) -> None:
    """Score every unit of FACTS under POLICY and print the ranking."""

    def run() -> None:
        from cchc_dsl import reports
        from cchc_dsl.diagnostics import CchcError, make

        compiled = _load(policy, year)
        if unit_type is not None and unit_type not in compiled.unit_types:
            raise CchcError(
                (
                    make(
                        "E603",
                        message=f"--unit-type {unit_type}: the policy's unit types are "
                        + ", ".join(compiled.unit_types),
                    ),
                )
            )
        report = compiled.score_file(facts, unit_type)
        if explain is not None:
            if explain not in {u.unit for u in report.units}:
                raise CchcError((make("E602", unit=explain),))
            text = reports.explanation(report, explain)
        elif output_format is ScoreFormat.json:
            text = reports.to_json(report)
        elif output_format is ScoreFormat.csv:
            text = reports.csv_text(report)
        else:
            text = reports.table(report)
        _emit(text, output, inputs=(policy, facts))

    _guarded(run, [policy, facts])


@app.command()
def check(
    policies: Annotated[
        list[Path], typer.Argument(help="One or more .cchc files.", metavar="POLICY...")
    ],
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text, gnu or json.")
    ] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check regulations for errors; every problem of every file in one run."""

    def run() -> None:
        from cchc_dsl import render
        from cchc_dsl.api import check_path
        from cchc_dsl.diagnostics import Severity

        found: list[Diagnostic] = []
        for path in policies:
            found.extend(check_path(path))
        if output_format is CheckFormat.json:
            text = render.as_json(found, {"files": [str(p) for p in policies]})
        elif output_format is CheckFormat.gnu:
            text = render.gnu(found)
        elif found:
            text = render.render_all(found, render.SourceCache())
            named = {_owner(d, policies) for d in found}
            text += f"{len(policies)} file(s) checked, {len(named)} with problems\n"
        else:
            text = f"{len(policies)} file(s) checked: no problems found\n"
        failing = {Severity.ERROR} | ({Severity.WARNING} if strict else set())
        failed = any(d.severity in failing for d in found)
        (sys.stderr if failed and output_format is CheckFormat.text else sys.stdout).write(text)
        if failed:
            raise typer.Exit(EXIT_USER_ERROR)

    _guarded(run, list(policies))


def _load(policy: Path, year: int | None) -> CompiledPolicy:
    """Load a file or a folder; say on stderr which regulation a folder gave."""
    from cchc_dsl.api import load

    compiled = load(policy, year=year)
    if compiled.chosen:
        sys.stderr.write(f"{policy}: {compiled.chosen}\n")
    return compiled


def _owner(diagnostic: Diagnostic, paths: list[Path]) -> str:
    """Which of the paths given a diagnostic belongs to (a file, or the folder holding it)."""
    if diagnostic.span is None:
        message = diagnostic.message
        return next((str(p) for p in paths if str(p) in message), str(paths[0]))
    source = diagnostic.span.source
    for path in paths:
        if source == str(path) or (path.is_dir() and Path(source).parent == path):
            return str(path)
    return source


# --- the error boundary ------------------------------------------------------------------------


def _guarded(run: Callable[[], None], inputs: list[Path]) -> None:
    from cchc_dsl.diagnostics import CchcError

    try:
        run()
    except CchcError as error:
        from cchc_dsl import render

        sys.stderr.write(render.render_all(error.diagnostics, render.SourceCache()))
        raise typer.Exit(EXIT_USER_ERROR) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception:
        _internal_error(inputs)


def _internal_error(inputs: list[Path]) -> NoReturn:
    names = ", ".join(str(p) for p in inputs)
    sys.stderr.write(
        f"internal error in cchc-dsl while processing {names}; please report it with this input.\n"
    )
    if _state["debug"]:
        traceback.print_exc()
    else:
        sys.stderr.write("run again with --debug to see the traceback\n")
    raise typer.Exit(EXIT_INTERNAL)


def _emit(text: str, output: Path | None, inputs: tuple[Path, ...]) -> None:
    """Print, or write `output` atomically; never over one of the command's inputs."""
    from cchc_dsl.diagnostics import CchcError, make
    from cchc_dsl.source import read_error

    if output is None:
        sys.stdout.write(text)
        return
    target = output.resolve()
    if not target.parent.is_dir():
        reason = f"the folder {output.parent} does not exist"
        raise CchcError((make("E601", path=str(output), reason=reason),))
    if any(target == p.resolve() for p in inputs):
        raise CchcError(
            (make("E601", path=str(output), reason="it is one of this command's inputs"),)
        )
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise CchcError((make("E601", path=str(output), reason=read_error(error)),)) from None


def main() -> None:
    """Console entry point."""
    app()
