"""The pipeline's direction: no stage imports a later one; only the CLI touches typer, and only
the CLI and the terminal renderer (render.py: rich tables, the progress bar) touch rich."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cchc_dsl"

# Earlier stages first; a module may import only modules of a strictly lower rank.
ORDER = [
    "source",
    "values",
    "messages",
    "diagnostics",
    "nodes",
    "parser",
    "wording",
    "builder",
    "layout",
    "amendments",
    "versions",
    "checks",
    "scoring",
    "compiler",
    "facts",
    "ir_json",
    "readers",
    "results",
    "evaluate",
    "ranking",
    "api",
    "outputs",
    "history",
    "scorer_runtime",
    "codegen",
    "reports",
    "workbook",
    "webpage",
    "appraisal",
    "annex",
    "forms",
    "policy_diff",
    "compare",
    "recovery",
    "whatif",
    "expectations",
    "explain",
    "render",
    "lsp",
    "cli",
    "__main__",
]
RANK = {name: i for i, name in enumerate(ORDER)}


def _stage(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    return _imports_in(ast.parse(path.read_text(encoding="utf-8")))


def _imports_in(tree: ast.Module) -> set[str]:
    """Every module a tree imports: statements anywhere, and importlib.import_module("rich") or
    __import__("typer") with a literal name."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "cchc_dsl":
                found.update(f"cchc_dsl.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and _called(node) in {"import_module", "__import__"}:
            found.update(a.value for a in node.args[:1] if isinstance(a, ast.Constant))
    return found


def _called(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


def test_every_module_has_a_place_in_the_pipeline() -> None:
    assert {_stage(p) for p in MODULES} <= set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_stage_imports_a_later_one(path: Path) -> None:
    stage = _stage(path)
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] != "cchc_dsl" or len(parts) < 2 or parts[1] == stage:
            continue
        if parts[1] not in RANK:  # a name the package root defines, such as __version__
            assert parts[1].startswith("__"), f"{stage} imports unknown cchc_dsl.{parts[1]}"
            continue
        assert RANK[parts[1]] < RANK[stage], f"{stage} imports the later stage {parts[1]}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_cli_imports_typer_or_rich(path: Path) -> None:
    if _stage(path) == "cli":
        return
    roots = {name.split(".")[0] for name in _imports(path)}
    allowed = {"rich"} if _stage(path) == "render" else set()
    assert not roots & ({"typer", "rich", "click"} - allowed), (
        f"{path.name} imports a terminal library"
    )


@pytest.mark.parametrize(
    "code", ['importlib.import_module("rich.console")', '__import__("typer")', "import rich"]
)
def test_a_terminal_library_is_found_however_it_is_imported(code: str) -> None:
    """The check above cannot be dodged with importlib or __import__, nor inside a function."""
    tree = ast.parse(f"def show():\n    {code}\n")
    assert {name.split(".")[0] for name in _imports_in(tree)} & {"rich", "typer"}
