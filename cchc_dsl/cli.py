"""The command line: a thin typer layer over `cchc_dsl.api`, the one place that picks exit codes.

Exit codes: 0 done; 1 the input is wrong (diagnostics on stderr); 2 the command line is wrong;
70 a bug in cchc-dsl ("internal error, please report"; the traceback only with --debug).
"""

from __future__ import annotations

import datetime
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
_state: dict[str, object] = {"debug": False, "lang": "vi"}


class Lang(enum.StrEnum):
    vi = "vi"
    en = "en"


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
    lang: Annotated[
        Lang, typer.Option("--lang", help="Language of messages: vi (Tiếng Việt) or en.")
    ] = Lang.vi,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _state["debug"] = debug
    _state["lang"] = lang.value


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
        _check_unit_type(compiled, unit_type)
        details = explain is not None or output_format is ScoreFormat.json  # table, csv: totals
        report = compiled.score_file(facts, unit_type, details=details)
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
        lang = _lang()
        if output_format is CheckFormat.json:
            text = render.as_json(found, {"files": [str(p) for p in policies]}, lang)
        elif output_format is CheckFormat.gnu:
            text = render.gnu(found, lang)
        elif found:
            text = render.render_all(found, render.SourceCache(), lang)
            named = {_owner(d, policies) for d in found}
            text += _checked(len(policies), len(named), lang)
        else:
            text = _checked(len(policies), 0, lang)
        failing = {Severity.ERROR} | ({Severity.WARNING} if strict else set())
        failed = any(d.severity in failing for d in found)
        (sys.stderr if failed and output_format is CheckFormat.text else sys.stdout).write(text)
        if failed:
            raise typer.Exit(EXIT_USER_ERROR)

    _guarded(run, list(policies))


def _checked(files: int, with_problems: int, lang: str) -> str:
    if lang == "vi":
        if with_problems:
            return f"Đã kiểm tra {files} tệp, {with_problems} tệp có vấn đề\n"
        return f"Đã kiểm tra {files} tệp: không thấy vấn đề nào\n"
    if with_problems:
        return f"{files} file(s) checked, {with_problems} with problems\n"
    return f"{files} file(s) checked: no problems found\n"


def _lang() -> str:
    return str(_state["lang"])


def _load(policy: Path, year: int | None, as_of: datetime.date | None = None) -> CompiledPolicy:
    """Load a file or a folder; say on stderr which regulation a folder gave."""
    from cchc_dsl.api import load

    compiled = load(policy, year=year, as_of=as_of)
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


class ShowFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class DiffFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def show(
    policy: PolicyArg,
    year: YearOption = None,
    as_of: Annotated[
        datetime.datetime | None,
        typer.Option(
            "--as-of", help="With a folder: the text in force on this date.", formats=["%Y-%m-%d"]
        ),
    ] = None,
    unit_type: Annotated[
        str | None, typer.Option("--unit-type", "-t", help="Only what applies to this unit type.")
    ] = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text, markdown, csv or json.")
    ] = ShowFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Print the regulation's criteria table as its annex looks (consolidated, for a folder)."""

    def run() -> None:
        from cchc_dsl import annex

        compiled = _load(policy, year, as_of.date() if as_of else None)
        _check_unit_type(compiled, unit_type)
        render = {
            ShowFormat.text: annex.annex_text,
            ShowFormat.markdown: annex.annex_markdown,
            ShowFormat.csv: annex.annex_csv,
            ShowFormat.json: annex.annex_json,
        }[output_format]
        _emit(render(compiled.policy, unit_type), output, inputs=(policy,))

    _guarded(run, [policy])


@app.command()
def diff(
    old: Annotated[
        str,
        typer.Argument(
            help="The earlier regulation: a file, or a folder with @YEAR or @YYYY-MM-DD.",
            metavar="OLD",
        ),
    ],
    new: Annotated[str, typer.Argument(help="The later one, written the same way.", metavar="NEW")],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, markdown or json.")
    ] = DiffFormat.text,
) -> None:
    """List what changed between two regulations, or two dates of one province."""

    def run() -> None:
        from cchc_dsl import policy_diff

        before, after = _load_at(old), _load_at(new)
        render = {
            DiffFormat.text: policy_diff.diff_text,
            DiffFormat.markdown: policy_diff.diff_markdown,
            DiffFormat.json: policy_diff.diff_json,
        }[output_format]
        sys.stdout.write(render(before.policy, after.policy, old, new))

    _guarded(run, [Path(old.partition("@")[0]), Path(new.partition("@")[0])])


@app.command("test")
def run_tests(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Worked-case files (.toml), or folders searched for tests/*.toml.",
            metavar="PATH...",
        ),
    ] = None,
) -> None:
    """Run the worked cases shipped with the policies: exit 1 if any case fails."""
    chosen = paths or [Path("policies")]

    def run() -> None:
        from cchc_dsl import expectations, render

        results, problems = expectations.run_all(chosen)
        if results or not problems:  # "none found" only when nothing failed to load either
            sys.stdout.write(expectations.report_text(results))
        if problems:
            sys.stderr.write(render.render_all(problems, render.SourceCache(), _lang()))
        failed = any(not case.passed for result in results for case in result.cases)
        if failed or problems or not results:
            raise typer.Exit(EXIT_USER_ERROR)

    _guarded(run, chosen)


@app.command()
def explain(
    code: Annotated[
        str | None,
        typer.Argument(
            help="A code such as E310; without one, every code is listed.", metavar="CODE"
        ),
    ] = None,
) -> None:
    """Explain a diagnostic code: what it finds, an example that sets it off, and the fix."""

    def run() -> None:
        from cchc_dsl import explain as explaining

        lang = _lang()
        text = explaining.code_list(lang) if code is None else explaining.explain_text(code, lang)
        sys.stdout.write(text)

    _guarded(run, [Path(f"cchc-dsl explain {code or ''}".rstrip())])


def _load_at(spec: str) -> CompiledPolicy:
    """`path`, `path@2019` (the text for index year 2019) or `path@2019-10-10` (on that day)."""
    from cchc_dsl.diagnostics import CchcError, make

    path, _, when = spec.partition("@")
    year = day = None
    try:
        if len(when) == 4:
            year = int(when)
        elif when:
            day = datetime.date.fromisoformat(when)
    except ValueError:
        message = f"«{spec}»: write a year (@2019) or a date (@2019-10-10) after '@'"
        raise CchcError((make("E603", message=message),)) from None
    return _load(Path(path), year, day)


def _check_unit_type(compiled: CompiledPolicy, unit_type: str | None) -> None:
    from cchc_dsl.diagnostics import CchcError, make

    if unit_type is not None and unit_type not in compiled.unit_types:
        message = f"--unit-type {unit_type}: the policy's unit types are " + ", ".join(
            compiled.unit_types
        )
        raise CchcError((make("E603", message=message),))


# === compile: the JSON IR and the generated Python module (issue 7) ===
#
#
#


# === fmt: the canonical layout (issue 8) ===
#
#
#


# === template: the self-assessment workbook (issue 6) ===
#
#
#


# === appraise: the council's worklist (issue 6) ===
#
#
#


# === whatif and compare: drafting aids (issue 9) ===
#
#
#


# === lsp: the language server (issue 9) ===
#
#
#


# --- the error boundary ------------------------------------------------------------------------


def _guarded(run: Callable[[], None], inputs: list[Path]) -> None:
    from cchc_dsl.diagnostics import CchcError

    try:
        run()
    except CchcError as error:
        from cchc_dsl import render

        sys.stderr.write(render.render_all(error.diagnostics, render.SourceCache(), _lang()))
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
    from cchc_dsl.diagnostics import CchcError, make, read_error

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
