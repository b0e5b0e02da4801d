"""Paragraphs, sentences and lead-in lines of a normalised text.

A bullet's meaning often sits in the line that introduces its list
("Hệ thống camera an ninh trật tự:" above "+ Tổng 375 camera"), so each
paragraph knows its lead-in.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["Segments", "Sentence", "segment"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\-+•(“\"])")
_BULLETS = "+-•*–"
_HEADING = re.compile(r"^(?:[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-zA-ZđĐ]\)|[A-Z]\.)\s+\S")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Segments:
    sentences: tuple[Sentence, ...]
    paragraphs: tuple[tuple[int, int], ...]
    leads: tuple[int, ...]  # per paragraph: index of its lead-in paragraph, or -1
    contexts: tuple[str, ...]  # per paragraph: lead-in + paragraph, lower case
    _starts: tuple[int, ...]
    _paragraph_starts: tuple[int, ...]
    _followers: dict[int, tuple[int, ...]]  # lead-in paragraph -> the paragraphs it introduces

    def sentence_at(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.sentences[max(i, 0)]

    def paragraphs_mentioning(self, lower: str, word: str) -> set[int]:
        """Paragraphs whose text or lead-in contains ``word``."""
        starts = self._paragraph_starts
        hits: set[int] = set()
        pos = lower.find(word)
        while pos != -1:
            i = bisect.bisect_right(starts, pos) - 1
            hits.add(i)
            pos = lower.find(word, self.paragraphs[i][1])  # next paragraph on
        for lead in list(hits):
            hits.update(self._followers.get(lead, ()))
        return hits


def _is_heading(text: str) -> bool:
    """A short numbered title line: '3. Tổng đài 1022', 'III. CÔNG TÁC THANH TRA'."""
    return len(text) <= 120 and not text.endswith((".", ";", ",")) and bool(_HEADING.match(text))


def _lead_of(paragraphs: list[str], i: int) -> int:
    """Index of the line that introduces paragraph ``i`` (ends in ':' or is a heading), or -1."""
    text = paragraphs[i]
    marker = text[:1] if text[:1] in _BULLETS else ""
    j = i - 1
    while j >= 0 and i - j <= 15:
        prev = paragraphs[j]
        if marker and prev[:1] == marker:
            j -= 1
            continue
        return j if prev.endswith(":") or _is_heading(prev) else -1
    return -1


def segment(text: str, lower: str) -> Segments:
    """Split normalised text (paragraphs end with '\\n') into sentences with context."""
    paragraphs: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for chunk in text.split("\n"):
        paragraphs.append(chunk)
        spans.append((pos, pos + len(chunk)))
        pos += len(chunk) + 1
    contexts = []
    leads = []
    sentences: list[Sentence] = []
    for i, (start, end) in enumerate(spans):
        lead = _lead_of(paragraphs, i)
        leads.append(lead)
        own = lower[start:end]
        contexts.append(lower[spans[lead][0] : spans[lead][1]] + " " + own if lead >= 0 else own)
        cut = start
        for m in _SENTENCE_END.finditer(text, start, end):
            sentences.append(Sentence(cut, m.start(), i))
            cut = m.end()
        sentences.append(Sentence(cut, end, i))
    return Segments(
        tuple(sentences),
        tuple(spans),
        tuple(leads),
        tuple(contexts),
        tuple(s.start for s in sentences),
        tuple(a for a, _ in spans),
        _followers(leads),
    )


def _followers(leads: list[int]) -> dict[int, tuple[int, ...]]:
    out: dict[int, list[int]] = {}
    for i, lead in enumerate(leads):
        if lead >= 0:
            out.setdefault(lead, []).append(i)
    return {k: tuple(v) for k, v in out.items()}
