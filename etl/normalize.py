"""Original text -> matching copy (NFC, one tone style, joined lines) with a map back.

Rules match on ``NormalizedText.lower``; every span found there maps back to the
original through ``NormalizedText.offsets``, so evidence always quotes the file.
"""

from __future__ import annotations

import re
import unicodedata

from etl.models import NormalizedText

__all__ = ["normalize", "normalize_phrase", "unify_tone_marks"]

_VOWELS_TONED = "àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ"
_LETTER = re.compile(r"[^\W\d_]")
# Old-style tone placement on the second vowel of a final "oa", "oe", "uy" (hoà, khoẻ, thuý).
_OLD_TONE = re.compile(r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])")
_PAIRS = {"o": "ae", "u": "y"}
_BULLET = re.compile(r"^(?:[-+•*–—]\s|\d{1,2}[./)]\s|\d{1,2}/\s|[IVXLC]{1,6}\.\s|[a-zđ]\)\s|[A-Z]\.\s)")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s*)?\d{1,3}(?:\s*-)?$", re.IGNORECASE)
_SPACE_LIKE = {"\t", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000", "\x0b", "\x0c"}
_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "*", "\r"}


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


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC per cluster so each output character keeps the index of its cluster."""
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        composed = unicodedata.normalize("NFC", cluster) if j - i > 1 else cluster
        out.append(composed)
        offsets.extend([i] * len(composed))
        i = j
    return "".join(out), offsets


def _lines(text: str, offsets: list[int]) -> list[tuple[str, list[int]]]:
    """Split into stripped lines with collapsed spaces, each with its offsets."""
    lines: list[tuple[str, list[int]]] = []
    chars: list[str] = []
    offs: list[int] = []
    for ch, off in zip(text + "\n", offsets + [offsets[-1] + 1 if offsets else 0], strict=True):
        if ch == "\n":
            lines.append(_tidy(chars, offs))
            chars, offs = [], []
            continue
        if ch in _DROP:
            continue
        if ch in _SPACE_LIKE:
            ch = " "
        if ch == " " and (not chars or chars[-1] == " "):
            continue
        chars.append(ch)
        offs.append(off)
    return lines


def _tidy(chars: list[str], offs: list[int]) -> tuple[str, list[int]]:
    while chars and chars[-1] == " ":
        chars.pop()
        offs.pop()
    # Markdown heading marks carry no meaning for matching.
    k = 0
    while k < len(chars) and chars[k] == "#":
        k += 1
    if k and k < len(chars) and chars[k] == " ":
        k += 1
    return "".join(chars[k:]), offs[k:]


def _continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` carries on the sentence of ``prev`` (a wrapped or page-broken line)."""
    if _BULLET.match(nxt) or prev.endswith((".", ":", ";", "!", "?", "./.")):
        return False
    first = nxt[0]
    if first.islower() or first.isdigit() or first in "(,;%":
        return True
    return first.isupper() and len(prev) >= 60 and not prev.isupper()


def normalize(text: str) -> NormalizedText:
    """Build the matching copy of ``text``; paragraphs end with a single newline."""
    nfc, offsets = _nfc_with_offsets(text)
    nfc = unify_tone_marks(nfc)
    lines = _lines(nfc, offsets)
    kept = _drop_page_numbers(lines)
    out: list[str] = []
    out_offsets: list[int] = []
    prev = ""
    for line, offs in kept:
        if out:
            sep_offset = out_offsets[-1] + 1
            out.append(" " if _continues(prev, line) else "\n")
            out_offsets.append(sep_offset)
        out.append(line)
        out_offsets.extend(offs)
        prev = line
    joined = "".join(out)
    lower = _lower_same_length(joined)
    return NormalizedText(original=text, text=joined, lower=lower, offsets=tuple(out_offsets))


def _drop_page_numbers(lines: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """Drop blank lines, and lone page numbers standing between blank lines."""
    kept = []
    for i, (line, offs) in enumerate(lines):
        if not line:
            continue
        blank_before = i == 0 or not lines[i - 1][0]
        blank_after = i + 1 >= len(lines) or not lines[i + 1][0]
        if blank_before and blank_after and _PAGE_NUMBER.match(line):
            continue
        kept.append((line, offs))
    return kept


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normalize_phrase(text: str) -> str:
    """Normalise a rule or a name the way document text is normalised (NFC, tone, lower)."""
    return unify_tone_marks(unicodedata.normalize("NFC", text)).lower()
