"""Regenerate docs/diagnostics.md from the diagnostic registry (cchc_dsl/messages.py)."""

from __future__ import annotations

from pathlib import Path

from cchc_dsl.explain import diagnostics_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "diagnostics.md"
DOC.write_text(diagnostics_markdown(), encoding="utf-8", newline="\n")
