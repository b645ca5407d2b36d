"""cchc-dsl: regulations of the administrative reform index (Chỉ số CCHC) as code.

The public API lives in `cchc_dsl.api`; the names below are re-exported lazily so that importing
the package (and starting the command line) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "CchcError",
    "CompiledPolicy",
    "ScoreReport",
    "load_policy",
    "load_policy_text",
]

if TYPE_CHECKING:
    from cchc_dsl.api import CompiledPolicy, ScoreReport, load_policy, load_policy_text
    from cchc_dsl.diagnostics import CchcError


def __getattr__(name: str) -> Any:
    if name == "CchcError":
        from cchc_dsl import diagnostics

        return diagnostics.CchcError
    if name in __all__:
        from cchc_dsl import api

        return getattr(api, name)
    raise AttributeError(name)
