"""The command line: a thin typer layer over `cchc_dsl.api`, the one place that picks exit codes.

Exit codes: 0 done; 1 the input is wrong (diagnostics on stderr); 2 the command line is wrong;
70 a bug in cchc-dsl ("internal error, please report"; the traceback only with --debug).
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

if TYPE_CHECKING:
    from cchc_dsl.api import CompiledPolicy, Progress, ScoreReport
    from cchc_dsl.diagnostics import Diagnostic
    from cchc_dsl.history import YearOverYear

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
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"


class Locale(enum.StrEnum):
    vi = "vi"


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
AsOfOption = Annotated[
    datetime.datetime | None,
    typer.Option(
        "--as-of", help="With a folder: the text in force on this date.", formats=["%Y-%m-%d"]
    ),
]

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write here instead of stdout (a temporary file renamed into place).",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing --output file, or a symbolic link (not its target)."
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


@app.command()
def score(
    policy: PolicyArg,
    facts: Annotated[
        Path,
        typer.Argument(
            help="The units: a .json, .csv, .yaml or filled .xlsx form, or a folder of them.",
            metavar="FACTS",
        ),
    ],
    output_format: Annotated[
        ScoreFormat,
        typer.Option("--format", "-f", help="table, json, csv, markdown, html or xlsx."),
    ] = ScoreFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    unit_type: Annotated[
        str | None, typer.Option("--unit-type", "-t", help="Score only units of this type.")
    ] = None,
    explain: Annotated[
        str | None, typer.Option("--explain", "-e", help="Explain one unit point by point.")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Last year's results (the JSON of score --format json): show each unit's change.",
            metavar="RESULTS.json",
        ),
    ] = None,
    quiet: QuietOption = False,
    year: YearOption = None,
    locale: Annotated[
        Locale | None,
        typer.Option("--locale", help="vi: numbers in FACTS are written 78,84 and 1.234,5."),
    ] = None,
) -> None:
    """Score every unit of FACTS under POLICY and print the ranking."""
    inputs = [p for p in (policy, facts, previous) if p is not None]

    def run() -> None:
        from cchc_dsl import reports
        from cchc_dsl.diagnostics import CchcError, make
        from cchc_dsl.history import year_over_year

        compiled = _load(policy, year)
        _check_unit_type(compiled, unit_type)
        # table, csv, markdown: the totals are enough, and 10,000 units' details weigh GBs
        details = explain is not None or output_format in DETAILED_FORMATS
        with _progress(quiet) as progress:
            report = compiled.score_file(
                facts, unit_type, progress, locale.value if locale else None, details=details
            )
        history = year_over_year(report, previous) if previous is not None else None
        if explain is not None:
            if explain not in {u.unit for u in report.units}:
                raise CchcError((make("E602", unit=explain),))
            _emit(reports.explanation(report, explain), output, tuple(inputs), force)
        elif output_format is ScoreFormat.table and output is None and sys.stdout.isatty():
            from rich.console import Console

            from cchc_dsl.render import rich_ranking

            rich_ranking(report, Console(), history)
        else:
            with _progress(quiet, "Ghi tệp") as progress:  # a workbook of many units is slow
                data = _score_formats(progress)[output_format](report, history)
            _emit(data, output, tuple(inputs), force)

    _guarded(run, inputs)


# The formats that show each criterion of each unit; the others need only a unit's totals.
DETAILED_FORMATS = frozenset({ScoreFormat.json, ScoreFormat.html, ScoreFormat.xlsx})


def _score_formats(
    progress: Progress | None,
) -> dict[ScoreFormat, Callable[[ScoreReport, YearOverYear | None], str | bytes]]:
    import functools

    from cchc_dsl import reports, webpage, workbook

    return {
        ScoreFormat.table: reports.table,
        ScoreFormat.json: reports.to_json,
        ScoreFormat.csv: reports.csv_text,
        ScoreFormat.markdown: reports.markdown,
        ScoreFormat.html: webpage.html_page,
        ScoreFormat.xlsx: functools.partial(workbook.workbook_bytes, progress=progress),
    }


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
    as_of: AsOfOption = None,
    unit_type: Annotated[
        str | None, typer.Option("--unit-type", "-t", help="Only what applies to this unit type.")
    ] = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text, markdown, csv or json.")
    ] = ShowFormat.text,
    output: OutputOption = None,
    force: ForceOption = False,
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
        _emit(render(compiled.source_policy("show"), unit_type), output, (policy,), force)

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
        sys.stdout.write(
            render(before.source_policy("diff"), after.source_policy("diff"), old, new)
        )

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


class CompileTarget(enum.StrEnum):
    json = "json"
    python = "python"


@app.command("compile")
def compile_policy(
    policy: PolicyArg,
    to: Annotated[
        CompileTarget,
        typer.Option("--to", help="json: the IR (docs/ir.md); python: a standalone module."),
    ],
    year: YearOption = None,
    as_of: AsOfOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Compile POLICY for systems that score without reading .cchc text."""

    def run() -> None:
        compiled = _load(policy, year, as_of.date() if as_of else None)
        text = compiled.to_ir() if to is CompileTarget.json else _python_module(compiled)
        _emit(text, output, (policy,), force)

    _guarded(run, [policy])


def _python_module(compiled: CompiledPolicy) -> str:
    """The generated module; the generator is loaded only when asked for."""
    from cchc_dsl import codegen

    return codegen.generate_module(compiled)


# === fmt: the canonical layout (issue 8) ===


@app.command()
def fmt(
    files: Annotated[
        list[Path], typer.Argument(help="One or more .cchc files.", metavar="FILE...")
    ],
    check_only: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 with a diff if not canonical.")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", "-w", help="Rewrite the files in place (atomically).")
    ] = False,
    keywords: Annotated[
        Lang | None,
        typer.Option("--lang", help="Keywords in vi or en (default: each file's own language)."),
    ] = None,
) -> None:
    """Print .cchc files in the canonical layout, keeping every comment where it was written."""
    if check_only and write:
        raise typer.BadParameter("--check and --write exclude each other")

    def run() -> None:
        from cchc_dsl.diagnostics import CchcError
        from cchc_dsl.layout import lay_out

        lang: Literal["vi", "en"] | None = None if keywords is None else keywords.value
        done = lay_out(files, check=check_only, write=write, lang=lang)
        sys.stdout.write(done.output)
        if done.diagnostics:
            raise CchcError(done.diagnostics)
        if check_only and done.not_canonical:
            raise typer.Exit(EXIT_USER_ERROR)

    _guarded(run, list(files))


# === template: the self-assessment workbook (issue 6) ===


class TemplateFormat(enum.StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@app.command()
def template(
    policy: PolicyArg,
    unit_type: Annotated[
        str, typer.Option("--unit-type", "-t", help="The unit type whose form to make.")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The form to write; a folder with --one-file-per-unit."
        ),
    ],
    year: YearOption = None,
    units: Annotated[
        Path | None,
        typer.Option("--units", help="Facts whose units of this type get a form each, named."),
    ] = None,
    one_file_per_unit: Annotated[
        bool, typer.Option("--one-file-per-unit", help="One file per unit in the folder --output.")
    ] = False,
    output_format: Annotated[
        TemplateFormat, typer.Option("--format", "-f", help="xlsx or csv.")
    ] = TemplateFormat.xlsx,
    force: ForceOption = False,
) -> None:
    """Write the self-assessment form of a unit type: one sheet (or file) per unit."""

    def run() -> None:
        from cchc_dsl import forms
        from cchc_dsl.diagnostics import CchcError, make

        compiled = _load(policy, year)
        _check_unit_type(compiled, unit_type)
        facts = compiled.read_facts(units).units if units is not None else ()
        made = forms.templates(
            compiled,
            unit_type,
            facts,
            csv_format=output_format is TemplateFormat.csv,
            one_file_per_unit=one_file_per_unit,
        )
        inputs = (policy, *([units] if units else []))
        if one_file_per_unit and not output.is_dir():
            reason = "with --one-file-per-unit, --output is an existing folder"
            raise CchcError((make("E601", path=str(output), reason=reason),))
        for name, data in made:
            target = output / name if name else output
            _emit(data, target, inputs, force)
            sys.stderr.write(f"{'đã ghi' if _lang() == 'vi' else 'wrote'} {target}\n")

    _guarded(run, [policy, *([units] if units else [])])


# === appraise: the council's worklist (issue 6) ===


class AppraiseFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"


@app.command()
def appraise(
    policy: PolicyArg,
    self_facts: Annotated[
        Path,
        typer.Argument(
            help="The self-assessment facts file; alone, it carries the appraised values too.",
            metavar="SELF",
        ),
    ],
    appraised: Annotated[
        Path | None,
        typer.Argument(
            help="The council's values: every value, or only those it changed.",
            metavar="[APPRAISED]",
        ),
    ] = None,
    output_format: Annotated[
        AppraiseFormat, typer.Option("--format", "-f", help="text, markdown, csv or json.")
    ] = AppraiseFormat.text,
    output: OutputOption = None,
    force: ForceOption = False,
    unit_type: Annotated[
        str | None, typer.Option("--unit-type", "-t", help="Only units of this type.")
    ] = None,
    quiet: QuietOption = False,
    year: YearOption = None,
) -> None:
    """The appraisal council's worklist: every criterion appraised differently from the claim."""
    inputs = [p for p in (policy, self_facts, appraised) if p is not None]

    def run() -> None:
        from cchc_dsl import appraisal

        compiled = _load(policy, year)
        _check_unit_type(compiled, unit_type)
        with _progress(quiet) as progress:
            if appraised is None:
                report = compiled.score_file(self_facts, unit_type, progress)
            else:
                facts = appraisal.appraisal_facts(compiled, self_facts, appraised)
                report = compiled.score(facts, unit_type, progress)
        work = appraisal.worklist(report, [str(p) for p in inputs[1:]])
        render = {
            AppraiseFormat.text: appraisal.worklist_text,
            AppraiseFormat.markdown: appraisal.worklist_markdown,
            AppraiseFormat.csv: appraisal.worklist_csv,
            AppraiseFormat.json: appraisal.worklist_json,
        }[output_format]
        _emit(render(work), output, tuple(inputs), force)

    _guarded(run, inputs)


# === whatif and compare: drafting aids (issue 9) ===


@app.command()
def whatif(
    policy: PolicyArg,
    facts: Annotated[
        Path, typer.Argument(help="The units: a .json or .csv facts file.", metavar="FACTS")
    ],
    unit: Annotated[str, typer.Option("--unit", "-u", help="The unit's id in the facts.")],
    target_band: Annotated[
        str | None,
        typer.Option("--target-band", help="The band to reach (or better), e.g. Tốt."),
    ] = None,
    target_rank: Annotated[
        int | None,
        typer.Option("--target-rank", min=1, help="The rank to reach (or better) in its block."),
    ] = None,
    year: YearOption = None,
) -> None:
    """The points a unit lost, how to recover each, and the fewest changes to reach a target."""

    def run() -> None:
        from cchc_dsl import whatif as answering
        from cchc_dsl.diagnostics import CchcError, Said, make

        if target_band is not None and target_rank is not None:
            message = Said(
                "give --target-band or --target-rank, not both",
                "chỉ ghi --target-band hoặc --target-rank, không ghi cả hai",
            )
            raise CchcError((make("E603", message=message),))
        compiled = _load(policy, year)
        target = None
        if target_band is not None or target_rank is not None:
            target = answering.Target(band=target_band, rank=target_rank)
        answer = answering.what_if(compiled, compiled.read_facts(facts), unit, target)
        sys.stdout.write(answering.whatif_text(answer))

    _guarded(run, [policy, facts])


class CompareFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"


@app.command()
def compare(
    left: Annotated[
        str,
        typer.Argument(
            help="A regulation: a file, or a folder with @YEAR or @YYYY-MM-DD.", metavar="A"
        ),
    ],
    right: Annotated[str, typer.Argument(help="The other, written the same way.", metavar="B")],
    pair: Annotated[
        list[str] | None,
        typer.Option("--pair", "-p", help="Pair node X of A with node Y of B: X=Y (repeatable)."),
    ] = None,
    output_format: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="text, markdown or csv.")
    ] = CompareFormat.text,
) -> None:
    """Two regulations side by side: fields and criteria paired by title, maxima, methods, bands."""

    def run() -> None:
        from cchc_dsl import compare as comparing

        forced = comparing.parse_pairs(pair or [])
        a, b = _load_at(left), _load_at(right)
        result = comparing.compare(a.policy, b.policy, left, right, forced)
        render = {
            CompareFormat.text: comparing.compare_text,
            CompareFormat.markdown: comparing.compare_markdown,
            CompareFormat.csv: comparing.compare_csv,
        }[output_format]
        sys.stdout.write(render(result))

    _guarded(run, [Path(left.partition("@")[0]), Path(right.partition("@")[0])])


#
#
#


# === lsp: the language server (issue 9) ===


@app.command()
def lsp() -> None:
    """Run the language server on stdin/stdout: check as you type, hover, go to definition."""

    def run() -> None:
        try:
            from cchc_dsl import lsp as server
        except ImportError:
            sys.stderr.write(
                "cchc-dsl lsp needs pygls: pip install 'cchc-dsl[lsp]'\n"
                "cchc-dsl lsp cần gói pygls: pip install 'cchc-dsl[lsp]'\n"
            )
            raise typer.Exit(EXIT_USER_ERROR) from None
        server.serve()

    _guarded(run, [])


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


def _emit(
    data: str | bytes, output: Path | None, inputs: tuple[Path, ...], force: bool = False
) -> None:
    """Print, or write `output` safely (see outputs.py): never over an input, never over an
    existing file or through a symbolic link without --force."""
    from cchc_dsl.diagnostics import CchcError, make
    from cchc_dsl.outputs import write_output

    if output is not None:
        write_output(data, output, inputs=inputs, force=force)
    elif isinstance(data, str):
        sys.stdout.write(data)
    elif sys.stdout.isatty():
        message = "a workbook is not for a terminal: add --output FILE.xlsx"
        raise CchcError((make("E603", message=message),))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@contextlib.contextmanager
def _progress(quiet: bool, label: str = "Chấm điểm") -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal, unless --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    from cchc_dsl.render import ProgressBar

    with ProgressBar(Console(stderr=True), label) as bar:
        yield bar


def main() -> None:
    """Console entry point."""
    app()
