"""Never lose data: every `-o/--output` is written beside its target and renamed into place; an
existing file, or a symbolic link, is replaced only with --force (the link itself, never its
target); a path that is, or leads to, one of the command's inputs is refused even with --force.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from cchc_dsl import outputs
from cchc_dsl.cli import app
from tests import cli_helpers
from tests.cli_helpers import FACTS, POLICY, ROOT, at_root  # noqa: F401 - at_root: autouse

OLD = "last year's report, not to be lost\n"


def run(*args: str) -> Result:
    return cli_helpers.run("--lang", "en", *args)


def plain_csv() -> str:
    result = run("score", POLICY, FACTS, "-f", "csv")
    assert result.exit_code == 0
    return result.stdout


# each command that writes an output, with its arguments
COMMANDS = {
    "score": ["score", POLICY, FACTS, "-f", "csv"],
    "show": ["show", POLICY, "-f", "markdown"],
    "appraise": ["appraise", POLICY, FACTS, "-f", "csv"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_file_is_kept_without_force(tmp_path: Path, command: str) -> None:
    target = tmp_path / "report.txt"
    target.write_text(OLD, encoding="utf-8")
    result = run(*COMMANDS[command], "-o", str(target))
    assert result.exit_code == 1
    assert f"error[E604]: {target} already exists; add --force to replace it" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_force_replaces_an_existing_file(tmp_path: Path, command: str) -> None:
    target = tmp_path / "report.txt"
    target.write_text(OLD, encoding="utf-8")
    result = run(*COMMANDS[command], "-o", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == run(*COMMANDS[command]).stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_the_existing_file_message_in_vietnamese(tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.csv"
    target.write_text(OLD, encoding="utf-8")
    result = CliRunner().invoke(app, [*COMMANDS["score"], "-o", str(target)])
    assert f"lỗi[E604]: {target} đã có; thêm --force nếu muốn ghi đè" in result.stderr


def test_a_symbolic_link_is_refused_without_force(tmp_path: Path) -> None:
    shared = tmp_path / "shared.csv"
    shared.write_text(OLD, encoding="utf-8")
    link = tmp_path / "report.csv"
    link.symlink_to(shared)
    result = run(*COMMANDS["score"], "-o", str(link))
    assert result.exit_code == 1
    expected = f"error[E605]: {link} is a symbolic link to {shared}; add --force to replace"
    assert expected in result.stderr
    assert link.is_symlink()
    assert shared.read_text(encoding="utf-8") == OLD


def test_force_replaces_the_link_itself_never_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared.csv"
    shared.write_text(OLD, encoding="utf-8")
    link = tmp_path / "report.csv"
    link.symlink_to(shared)
    result = run(*COMMANDS["score"], "-o", str(link), "--force")
    assert result.exit_code == 0, result.output
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == plain_csv()
    assert shared.read_text(encoding="utf-8") == OLD


def test_a_dangling_link_is_refused_without_force(tmp_path: Path) -> None:
    link = tmp_path / "report.csv"
    link.symlink_to(tmp_path / "nowhere.csv")
    assert run(*COMMANDS["score"], "-o", str(link)).exit_code == 1
    assert link.is_symlink() and not (tmp_path / "nowhere.csv").exists()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_link_to_an_input_is_refused_even_with_force(tmp_path: Path, force: list[str]) -> None:
    link = tmp_path / "units.json"
    link.symlink_to(ROOT / FACTS)
    before = (ROOT / FACTS).read_bytes()
    result = run(*COMMANDS["score"], "-o", str(link), *force)
    assert result.exit_code == 1
    assert "it is one of this command's inputs" in result.stderr
    assert link.is_symlink()
    assert (ROOT / FACTS).read_bytes() == before


def test_an_input_given_through_a_link_is_refused_as_output(tmp_path: Path) -> None:
    link = tmp_path / "units.json"
    link.symlink_to(ROOT / FACTS)
    result = run("score", POLICY, str(link), "-o", FACTS, "--force")
    assert result.exit_code == 1
    assert "it is one of this command's inputs" in result.stderr


def test_a_hard_link_to_an_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "units.json"
    copy.write_bytes((ROOT / FACTS).read_bytes())
    other = tmp_path / "same-file.json"
    os.link(copy, other)
    result = run("score", POLICY, str(copy), "-o", str(other), "--force")
    assert result.exit_code == 1
    assert "it is one of this command's inputs" in result.stderr
    assert other.read_bytes() == (ROOT / FACTS).read_bytes()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_the_previous_results_are_an_input_too(tmp_path: Path, force: list[str]) -> None:
    last_year = tmp_path / "2023.json"
    assert run("score", POLICY, FACTS, "-f", "json", "-o", str(last_year)).exit_code == 0
    before = last_year.read_bytes()
    result = run("score", POLICY, FACTS, "--previous", str(last_year), "-o", str(last_year), *force)
    assert result.exit_code == 1
    assert "it is one of this command's inputs" in result.stderr
    assert last_year.read_bytes() == before


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"
    target.write_text(OLD, encoding="utf-8")

    def full_disk(source: str, destination: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", full_disk)
    result = run(*COMMANDS["score"], "-o", str(target), "--force")
    assert result.exit_code == 1
    assert f"error[E601]: cannot write {target}: No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    mask = os.umask(0o022)
    try:
        fresh = tmp_path / "new.csv"
        assert run(*COMMANDS["score"], "-o", str(fresh)).exit_code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text(OLD, encoding="utf-8")
        kept.chmod(0o600)
        assert run(*COMMANDS["score"], "-o", str(kept), "--force").exit_code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(mask)


def test_a_workbook_goes_to_a_pipe_as_bytes() -> None:
    result = CliRunner().invoke(app, ["score", POLICY, FACTS, "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(result.stdout_bytes))
    assert book.sheetnames[0] == "Sở, ban, ngành"
