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

# A paragraph break, or a sentence end: '.', '!' or '?' then a capital, a bullet or a quote.
_SPLIT = re.compile(r"\n|(?<=[.!?])[^\S\n]+(?=[A-ZĐÀ-Ỹ\-+•(“\"])")
_BULLETS = "+-•*–"
_HEADING = re.compile(r"^(?:[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-zA-ZđĐ]\)|[A-Z]\.)\s+\S")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


class Segments:
    """Paragraphs (with their lead-in lines) and sentences of one normalised text."""

    def __init__(self, text: str, lower: str) -> None:
        self.lower = lower
        self.paragraphs: list[tuple[int, int]] = []
        self.sentences: list[Sentence] = []
        start = cut = 0
        for m in _SPLIT.finditer(text):
            self.sentences.append(Sentence(cut, m.start(), len(self.paragraphs)))
            cut = m.end()
            if m.group(0) == "\n":
                self.paragraphs.append((start, m.start()))
                start = cut
        self.sentences.append(Sentence(cut, len(text), len(self.paragraphs)))
        self.paragraphs.append((start, len(text)))
        texts = [text[a:b] for a, b in self.paragraphs]
        self.leads = [_lead_of(texts, i) for i in range(len(texts))]
        self.followers: dict[int, list[int]] = {}
        for i, lead in enumerate(self.leads):
            if lead >= 0:
                self.followers.setdefault(lead, []).append(i)
        self._sentence_starts = [s.start for s in self.sentences]
        self._paragraph_starts = [a for a, _ in self.paragraphs]
        self._contexts: dict[int, str] = {}

    def sentence_at(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self.sentences[max(i, 0)]

    def paragraph_at(self, pos: int) -> int:
        return bisect.bisect_right(self._paragraph_starts, pos) - 1

    def context(self, paragraph: int) -> str:
        """The paragraph with the line that introduces it, lower case."""
        if paragraph not in self._contexts:
            a, b = self.paragraphs[paragraph]
            lead = self.leads[paragraph]
            own = self.lower[a:b]
            if lead >= 0:
                la, lb = self.paragraphs[lead]
                own = self.lower[la:lb] + " " + own
            self._contexts[paragraph] = own
        return self._contexts[paragraph]

    def paragraphs_mentioning(self, word: str) -> set[int]:
        """Paragraphs whose text or lead-in line contains ``word``."""
        hits: set[int] = set()
        pos = self.lower.find(word)
        while pos != -1:
            i = self.paragraph_at(pos)
            hits.add(i)
            pos = self.lower.find(word, self.paragraphs[i][1])  # on from the next paragraph
        for lead in list(hits):
            hits.update(self.followers.get(lead, ()))
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
    return Segments(text, lower)
