"""A report as text to read: every figure highlighted with its indicator in a chip, the
unassigned figures on request, the evidence sentence, and the report's coverage."""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from dashboard.formatting import (
    md_escape,
)

READER_CSS = """<style>
.van-ban{font-size:1.02rem;line-height:1.75;white-space:pre-line;max-width:62rem}
.van-ban mark{padding:.05em .2em;border-radius:.25em;font-weight:600}
.van-ban mark.chinh{background:#ffd966;color:#1b2631;box-shadow:inset 0 -2px #d68910}
.van-ban mark.phu{background:#e5e8ec;color:#1b2631}
.van-ban mark.chua-gan{background:#e8daef;color:#1b2631}
.van-ban sup.chip{font-size:.68rem;font-weight:600;color:#1f4e79;background:#eaf1f8;border:1px solid #b6cde4;
  border-radius:.7em;padding:0 .45em;margin-left:.15em;white-space:nowrap;line-height:1}
.van-ban sup.chip.chua-gan{color:#6c3483;background:#f4ecf7;border-color:#d2b4de}
</style>"""


def marked_html(text: str, facts: pd.DataFrame, mentions: pd.DataFrame | None = None) -> str:
    """The document as HTML with each extracted figure highlighted, its indicator in a tooltip and
    in a small chip after the figure (the sentence itself stays whole); with ``mentions``, each
    measured number no indicator took is marked in its own colour as 'chưa gán'. Every piece of
    report text is HTML-escaped."""
    marks = []  # (start, rank where two start together, end, css class, label)
    for start, end, label, role in facts[["char_start", "char_end", "label_vi", "role"]].itertuples(index=False):
        primary = role == "primary"
        marks.append((start, 0 if primary else 1, end, "chinh" if primary else "phu", str(label)))
    if mentions is not None:
        for start, end, measure in mentions[["char_start", "char_end", "measure"]].itertuples(index=False):
            marks.append((start, 2, end, "chua-gan", f"chưa gán: {measure}"))
    parts, pos = [], 0
    for start, _, end, css, label in sorted(marks, key=lambda m: m[:2]):
        if start < pos:
            continue
        tip = html.escape(label, quote=True)
        parts.append(_flow(text[pos:start]))
        parts.append(f'<mark class="{css}" title="{tip}">{html.escape(text[start:end])}</mark>'
                     f'<sup class="chip {css}" title="{tip}">{html.escape(_chip(label))}</sup>')  # fmt: skip
        pos = end
    parts.append(_flow(text[pos:]))
    return READER_CSS + '<div class="van-ban">' + "".join(parts) + "</div>"


def _flow(text: str) -> str:
    """Report text as HTML: escaped, and a run of blank lines (left by Word and PDF) one line break."""
    return re.sub(r"[ \t]*\n\s*", "\n", html.escape(text))


def _chip(label: str, width: int = 28) -> str:
    """The indicator's name short enough for a chip (the tooltip holds it whole)."""
    return label if len(label) <= width else label[: width - 1].rsplit(" ", 1)[0] + "…"


def coverage_text(coverage: object) -> str:
    """'85%' of a share (rounded down, so 100% means every figure), '—' without measured figures."""
    if coverage is None or pd.isna(coverage):
        return "—"
    return f"{math.floor(float(coverage) * 100 + 1e-9)}%"


def coverage_caption(meta: dict) -> str:
    """The document's coverage as its metadata block says it."""
    if meta.get("coverage") is None or pd.isna(meta.get("coverage")):
        return "Độ phủ: văn bản không có số liệu đo đếm"
    return f"Độ phủ: {coverage_text(meta['coverage'])} số liệu đã gán chỉ tiêu"


def evidence_markdown(sentence: str, quote: str) -> str:
    """The source sentence with the figure highlighted, as escaped Markdown."""
    flat = " ".join(sentence.split())
    q = " ".join(quote.split())
    at = flat.find(q)
    if at < 0:
        return md_escape(flat)
    return md_escape(flat[:at]) + f":orange-background[**{md_escape(q)}**]" + md_escape(flat[at + len(q) :])


def quote_in_context(sentence: object, quote: str, near: int | None = None, words: int = 4) -> str:
    """'«… đối với 01 công chức; bổ nhiệm 02 …»': a figure named by the words around it in its
    sentence (the occurrence nearest ``near``, its offset in the sentence, when it recurs), so
    a picker tells apart figures without character offsets."""
    q = " ".join(str(quote).split())
    flat = " ".join(str(sentence or "").split())
    starts = [m.start() for m in re.finditer(re.escape(q), flat)] if q else []
    if not starts:
        return f"«{q}»"
    at = min(starts, key=lambda s: abs(s - near)) if near is not None else starts[0]
    before, after = flat[:at], flat[at + len(q) :]
    head = re.search(rf"(?:\S+\s*){{0,{words}}}$", before).group()  # the words as written, spaces kept
    tail = re.match(rf"(?:\s*\S+){{0,{words}}}", after).group()
    return ("«" + ("… " if len(head) < len(before) else "") + head + q + tail
            + (" …" if len(tail) < len(after) else "") + "»")  # fmt: skip
