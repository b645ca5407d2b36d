"""What each diagnostic code means, told from the registry: `cchc-dsl explain` and
docs/diagnostics.md are both rendered here, so that the terminal and the docs never disagree.

A drafter who meets E310 in `cchc-dsl check` reads what the check finds, a small regulation that
sets it off and the same regulation fixed, in Vietnamese (the default) or English. Prints nothing.
"""

from __future__ import annotations

import textwrap

import attrs

from cchc_dsl.diagnostics import CchcError, Diagnostic, did_you_mean, make
from cchc_dsl.messages import MESSAGES, Message

# Stages by code prefix (the longest prefix wins): heading in Vietnamese, in English, code range.
STAGES: tuple[tuple[str, str, str, str], ...] = (
    ("E1", "Đọc tệp và cú pháp", "Reading and syntax", "E1xx"),
    ("E2", "Tên và kiểu trong quy định", "Names and types in a policy", "E20x–E22x"),
    ("E23", "Phiên bản và văn bản sửa đổi", "Versions and amendments", "E23x"),
    ("E3", "Mâu thuẫn trong quy định (cchc-dsl check)", "Conflicts in a regulation", "E3xx"),
    ("E4", "Tệp dữ liệu đánh giá", "Facts files", "E4xx"),
    ("E5", "Chấm điểm một đơn vị", "Scoring one unit", "E5xx"),
    ("E6", "Dòng lệnh", "The command line", "E6xx"),
    ("E7", "Trường hợp tính mẫu (cchc-dsl test)", "Worked cases (cchc-dsl test)", "E7xx"),
    ("E8", "Quy định đã biên dịch (IR JSON)", "Compiled policies (the JSON IR)", "E8xx"),
)
SEVERITY = {
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "note": ("ghi chú", "note"),
}
_LABELS = {
    "vi": ("Thông báo", "Giải thích", "Ví dụ sai", "Sửa lại"),
    "en": ("Message", "What it finds", "Example", "Fixed"),
}
_WIDTH = 100
# What stands for a message worded at each call site (the `{message}` entries).
_WORDED = {"vi": "tùy trường hợp, xem ví dụ", "en": "worded for each case; see the example"}


def stage_of(code: str) -> tuple[str, str, str, str]:
    """The stage a code belongs to: E23x are versions, though they start like E2xx."""
    return max((s for s in STAGES if code.startswith(s[0])), key=lambda s: len(s[0]))


def by_stage() -> list[tuple[tuple[str, str, str, str], list[Message]]]:
    """Every entry, grouped by stage in pipeline order, and by code within a stage."""
    groups: dict[str, list[Message]] = {stage[0]: [] for stage in STAGES}
    for code in sorted(MESSAGES):
        groups[stage_of(code)[0]].append(MESSAGES[code])
    return [(stage, groups[stage[0]]) for stage in STAGES if groups[stage[0]]]


def lookup(code: str) -> Message:
    """The entry for `code` (`e310` and `310` are read as E310); an unknown code is E603."""
    key = code.strip().upper()
    key = f"E{key}" if key.isdigit() else key
    if key in MESSAGES:
        return MESSAGES[key]
    raise CchcError((_unknown(code, key),))


def _unknown(code: str, key: str) -> Diagnostic:
    """E603 with a did-you-mean: a code cut short (E31) is taken as the first it begins."""
    english = f"no diagnostic code «{code}»; `cchc-dsl explain` lists every code"
    vietnamese = f"không có mã «{code}»; `cchc-dsl explain` liệt kê mọi mã"
    started = sorted(c for c in MESSAGES if key and c.startswith(key))
    hint = f"did you mean «{started[0]}»?" if started else did_you_mean(key, MESSAGES)
    diagnostic = make("E603", message=english, hint=hint)
    return attrs.evolve(diagnostic, message_vi=vietnamese)


def _vi(lang: str) -> bool:
    return lang == "vi"


def _title(entry: Message, lang: str) -> str:
    return entry.title_vi if _vi(lang) and entry.title_vi else entry.title


def _severity(entry: Message, lang: str) -> str:
    vi, en = SEVERITY[entry.severity]
    return vi if _vi(lang) else en


def explain_text(code: str, lang: str = "vi") -> str:
    """One code as `cchc-dsl explain CODE` prints it: title, message, explanation, examples."""
    entry = lookup(code)
    vi = _vi(lang)
    message_label, finds_label, bad_label, fix_label = _LABELS["vi" if vi else "en"]
    template = entry.template_vi if vi and entry.template_vi else entry.template
    template = _WORDED["vi" if vi else "en"] if template == "{message}" else template
    explanation = entry.explanation_vi if vi and entry.explanation_vi else entry.explanation
    lines = [
        f"{entry.code} — {_title(entry, lang)} ({_severity(entry, lang)})",
        f"{message_label}: {template}",
        "",
        f"{finds_label}:",
        textwrap.fill(explanation, _WIDTH, initial_indent="  ", subsequent_indent="  "),
    ]
    for label, example in ((bad_label, entry.bad), (fix_label, entry.fix)):
        if example:
            lines += ["", f"{label}:", textwrap.indent(example.rstrip("\n"), "    ")]
    return "\n".join(lines) + "\n"


def code_list(lang: str = "vi") -> str:
    """Every code with its title, by stage: what `cchc-dsl explain` prints without a code."""
    vi = _vi(lang)
    out: list[str] = []
    for (_, heading_vi, heading_en, codes), entries in by_stage():
        out.append(f"{heading_vi if vi else heading_en} ({codes})")
        for entry in entries:
            warning = "" if entry.severity == "error" else f" ({_severity(entry, lang)})"
            out.append(f"  {entry.code}  {_title(entry, lang)}{warning}")
        out.append("")
    if vi:
        out.append("cchc-dsl explain MÃ: giải thích một mã, kèm ví dụ sai và cách sửa.")
    else:
        out.append("cchc-dsl explain CODE: what a code means, with an example and its fix.")
    return "\n".join(out) + "\n"


# --- docs/diagnostics.md -----------------------------------------------------------------------

_DOC_INTRO = """\
# Mã lỗi và cảnh báo — Diagnostics

<!-- Generated from cchc_dsl/messages.py by scripts/gen_diagnostics_doc.py; do not edit by hand:
     edit the registry, then run `python scripts/gen_diagnostics_doc.py`. -->

Mỗi lỗi và cảnh báo của `cchc-dsl` có một mã cố định. `cchc-dsl explain MÃ` in nội dung của một
mã dưới đây ra màn hình (`--lang en`: bằng tiếng Anh); `cchc-dsl explain` liệt kê mọi mã. Thông
báo in bằng tiếng Việt theo mặc định. Các ví dụ quy định là tệp `.cchc` hoàn chỉnh: ví dụ sai báo
đúng mã đó, bản sửa không báo gì. Thư mục của một tỉnh được viết thành các phần `# file: TÊN.cchc`.
Ví dụ dữ liệu đánh giá dùng các đầu vào của `policies/example/mau.cchc` và chỉ ghi những đầu vào
liên quan.

Every error and warning of `cchc-dsl` has a stable code. `cchc-dsl explain CODE` prints one
code's entry below (`--lang en` in English); `cchc-dsl explain` lists every code. Messages are in
Vietnamese by default. Policy examples are whole `.cchc` files: the bad one reports its code, the
fixed one nothing. A province folder is written as `# file: NAME.cchc` sections. Facts examples
use the inputs of `policies/example/mau.cchc` and show only those that matter.
"""


def _code(text: str) -> str:
    """Inline code that survives backticks inside the text."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _shown(template: str, lang: str) -> str:
    return f"*{_WORDED[lang]}*" if template == "{message}" else _code(template)


def _fence(text: str) -> list[str]:
    return ["```", text.rstrip("\n"), "```"]


def diagnostics_markdown() -> str:
    """docs/diagnostics.md: a contents table, then every code by stage, in both languages."""
    out = [_DOC_INTRO]
    out += ["| Mã / Code | Mức / Severity | Tiếng Việt | English |", "|---|---|---|---|"]
    for _, entries in by_stage():
        for entry in entries:
            vi, en = SEVERITY[entry.severity]
            out.append(
                f"| [{entry.code}](#{entry.code.lower()}) | {vi} / {en} "
                f"| {entry.title_vi} | {entry.title} |"
            )
    for (_, heading_vi, heading_en, codes), entries in by_stage():
        out += ["", f"## {codes} — {heading_vi} / {heading_en}"]
        for entry in entries:
            out += _doc_entry(entry)
    return "\n".join(out) + "\n"


def _doc_entry(entry: Message) -> list[str]:
    vi, en = SEVERITY[entry.severity]
    out = [
        "",
        f'<a id="{entry.code.lower()}"></a>',
        "",
        f"### {entry.code} — {entry.title_vi} / {entry.title}",
        "",
        f"*{vi} / {en}*",
        "",
        f"**Tiếng Việt.** Thông báo: {_shown(entry.template_vi, 'vi')}",
        "",
        entry.explanation_vi,
        "",
        f"**English.** Message: {_shown(entry.template, 'en')}",
        "",
        entry.explanation,
    ]
    if entry.bad:
        out += ["", "Ví dụ sai / Example:", "", *_fence(entry.bad)]
    if entry.fix:
        out += ["", "Sửa lại / Fixed:", "", *_fence(entry.fix)]
    return out
