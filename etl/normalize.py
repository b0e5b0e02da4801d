"""Original text -> matching copy (NFC, one tone style, joined lines) with a map back.

Rules match on ``NormalizedText.lower``; every span found there maps back to the
original through ``NormalizedText.to_original``, so evidence always quotes the file.
"""

from __future__ import annotations

import re
import unicodedata

from etl.models import NormalizedText
from etl.text.numbers import unify_digit_groups

__all__ = ["normalize", "normalize_phrase", "unify_tone_marks"]

# Old-style tone placement on the second vowel of a final "oa", "oe", "uy" (hoà, khoẻ, thuý).
_OLD_TONE = re.compile(r"([oOuU])(?<![qQ][oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])")
_PAIRS = {"o": "ae", "u": "y"}
_BULLET = re.compile(r"^(?:[-+•*–—]\s|\d{1,2}[./)]\s|\d{1,2}/\s|[IVXLC]{1,6}\.\s|[a-zđ]\)\s|[A-Z]\.\s)")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s*)?\d{1,3}(?:\s*-)?$", re.IGNORECASE)
# Characters that are not content: zero-width marks, soft hyphens, Markdown emphasis.
_INVISIBLE = "\u200b\u200c\u200d\ufeff\u00ad*"
_RUN = re.compile(rf"[^\s{_INVISIBLE}]+(?: [^\s{_INVISIBLE}]+)*")
_HEADING_MARKS = re.compile(r"^#+ ?")
# A Markdown separator row written without outer pipes ("---|:---:"); with them, the pipe at
# either end already marks the line as a table row.
_TABLE_RULE = re.compile(r":?-+:? ?(?:\| ?:?-+:? ?)+")


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    base = unicodedata.normalize("NFD", second)
    bare, marks = base[0], base[1:]
    if bare.lower() not in _PAIRS[first.lower()]:
        return match.group(0)
    return unicodedata.normalize("NFC", first + marks) + bare


def unify_tone_marks(text: str) -> str:
    """Put the tone on the first vowel of final oa/oe/uy (hoà -> hòa); length is kept."""
    return _OLD_TONE.sub(_move_tone, text)


def _nfc_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """NFC, and for text that changes, the original index of each output character."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        composed = unicodedata.normalize("NFC", text[i:j])
        out.append(composed)
        offsets.extend([i] * len(composed))
        i = j
    return "".join(out), offsets


def _continues(prev: str, nxt: str, wrapped: bool) -> bool:
    """Whether ``nxt`` carries on the sentence of ``prev`` (a wrapped or page-broken line)."""
    if _BULLET.match(nxt) or prev.endswith((".", "!", "?")) or _is_table_row(prev) or _is_table_row(nxt):
        return False
    first = nxt[0]
    lower_start = first.islower() or first.isdigit() or first in "(,;%"
    if prev.endswith((":", ";")):  # a list item ends here, unless the page width cut a line
        return wrapped and lower_start
    if lower_start:
        return True
    return wrapped and first.isupper() and len(prev) >= 60 and not prev.isupper()


def _is_table_row(line: str) -> bool:
    """A table row ("a | b", "| a | b |", "|---|---|") stays a line of its own for the table parser."""
    return " | " in line or line.startswith("|") or line.endswith("|") or _TABLE_RULE.fullmatch(line) is not None


def _is_wrapped(lines: list[tuple[str, list[tuple[int, int]]]]) -> bool:
    """Whether the text was cut into lines of a page width (PDF, Word 'save as text').

    There a line starting with a capital may still continue the sentence above it.
    """
    long_lines = [len(c) for c, _ in lines if len(c) >= 60]
    if len(long_lines) < 5:
        return False
    return sum(1 for n in long_lines if n <= 110) / len(long_lines) > 0.6


def _lines(text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each line as (content, spans of its word runs); lone page numbers dropped.

    A run is words separated by single spaces; anything else between runs becomes one
    space, or a line break where the gap holds one.
    """
    lines: list[tuple[str, list[tuple[int, int]], bool]] = []  # content, runs, blank line before
    blank_before = True
    end = -1
    for raw in text.split("\n"):
        start, end = end + 1, end + 1 + len(raw)
        if _is_one_run(raw):
            lines.append((raw, [(start, end)], blank_before))
            blank_before = False
            continue
        runs = [m.span() for m in _RUN.finditer(text, start, end)]
        if runs:
            lines.append((_content(text, runs), runs, blank_before))
            blank_before = False
        else:
            blank_before = True
    kept = []
    for i, (content, spans, blank) in enumerate(lines):
        blank_after = i + 1 >= len(lines) or lines[i + 1][2]
        if blank and blank_after and _PAGE_NUMBER.match(content):
            continue
        heading = _HEADING_MARKS.match(content)
        if heading:  # Markdown '## ' carries no meaning for matching
            a, b = spans[0]
            spans = ([(a + heading.end(), b)] if a + heading.end() < b else []) + spans[1:]
            if not spans:
                continue
            content = _content(text, spans)
        kept.append((content, spans))
    return kept


def _is_one_run(line: str) -> bool:
    """The common line: words and single spaces, nothing else (str methods, faster than _RUN).

    Every whitespace character but the space is non-printable, and so are the zero-width marks."""
    return (
        bool(line)
        and line.isprintable()
        and "  " not in line
        and "*" not in line
        and line[0] != " "
        and line[-1] != " "
    )


def _content(text: str, runs: list[tuple[int, int]]) -> str:
    return " ".join(text[a:b] for a, b in runs)


def normalize(text: str) -> NormalizedText:
    """Build the matching copy of ``text``; paragraphs end with a single newline."""
    nfc, nfc_offsets = _nfc_with_offsets(text)
    nfc = unify_digit_groups(unify_tone_marks(nfc))
    parts: list[str] = []
    anchors: list[tuple[int, int]] = []  # (normalised start, nfc start) of each copied run
    out_len = 0
    last_end = 0  # nfc index just after the last copied run
    prev = ""
    lines = _lines(nfc)
    wrapped = _is_wrapped(lines)
    for content, runs in lines:
        if parts:
            parts.append(" " if _continues(prev, content, wrapped) else "\n")
            anchors.append((out_len, min(last_end, len(nfc) - 1)))
            out_len += 1
        for k, (a, b) in enumerate(runs):
            if k:
                parts.append(" ")
                anchors.append((out_len, a - 1))
                out_len += 1
            parts.append(nfc[a:b])
            anchors.append((out_len, a))
            out_len += b - a
            last_end = b
        prev = content
    joined = "".join(parts)
    return NormalizedText(
        original=text,
        text=joined,
        lower=_lower_same_length(joined),
        anchors=tuple(anchors),
        _starts=tuple(a for a, _ in anchors),
        nfc_offsets=tuple(nfc_offsets) if nfc_offsets is not None else None,
    )


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normalize_phrase(text: str) -> str:
    """Normalise a name the way document text is normalised (NFC, tone, lower case)."""
    return unify_tone_marks(unicodedata.normalize("NFC", text)).lower()
