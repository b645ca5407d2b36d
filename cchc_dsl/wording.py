"""How messages name what they report on, and say code in a hint, in both languages."""

from __future__ import annotations

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import Said
from cchc_dsl.parser import in_vietnamese

FIRST_DECLARED = Said("first declared here", "khai báo lần đầu ở đây")
FIRST_HERE = Said("first here", "lần đầu ở đây")
FIRST_USED = Said("first used here", "dùng lần đầu ở đây")
UNUSED_HINT = Said(
    "remove it, or use it in a rule", "bỏ khai báo này, hoặc dùng nó trong một quy tắc"
)


def kind(value: str) -> Said:
    """`criterion` / `tiêu chí`: the keyword of a node's or an adjustment's kind."""
    return code(value)


def named(item: n.Node | n.Adjustment) -> Said:
    """`criterion 3.1` / `tiêu chí 3.1`."""
    return node_named(item.kind.value, item.id)


def node_named(kind: str, item_id: str) -> Said:
    return code(f"{kind} {item_id}")


def code(snippet: str) -> Said:
    """A `.cchc` snippet written in English keywords, and the same in Vietnamese ones."""
    return Said(snippet, in_vietnamese(snippet))


def hint(en: str, vi: str, snippet: str = "") -> Said:
    """A hint whose `{code}` stands for `snippet`, in the keywords of each language."""
    return Said(en.format(code=snippet), vi.format(code=in_vietnamese(snippet)))
