"""Paragraphs, sentences and lead-in lines of a normalised text.

A bullet's meaning often sits in the line that introduces its list
("Hệ thống camera an ninh trật tự:" above "+ Tổng 375 camera"), so each
paragraph knows its lead-in.

Most of a report is prose without a single digit, and a figure is always written
with one; sentences and lead-ins are worked out only for the paragraphs asked about.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Segments", "Sentence", "numeric_paragraphs", "paragraph_spans", "segment"]

# A sentence end: '.', '!' or '?' then a capital, a bullet or a quote.
_SPLIT = re.compile(r"(?<=[.!?])[^\S\n]+(?=[A-ZĐÀ-Ỹ\-+•(“\"])")
_BULLETS = "+-•*–"
_HEADING = re.compile(r"^(?:[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-zA-ZđĐ]\)|[A-Z]\.)\s+\S")
_LEAD_REACH = 15  # paragraphs a list may run under its lead-in line
_MAX_SENTENCE = 1200  # longer runs without a full stop are cut, at '; ' where there is one


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@lru_cache(maxsize=4)
def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each line of ``text``."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return tuple(spans)


@lru_cache(maxsize=4)
def numeric_paragraphs(text: str) -> tuple[int, ...]:
    """Indexes of the paragraphs holding a digit: the only places a written figure can be.

    One ``str.find`` per digit, jumping to the next paragraph on a hit: several times faster
    than a regex over the whole text, which is mostly prose."""
    spans = paragraph_spans(text)
    starts = [a for a, _ in spans]
    found: set[int] = set()
    for digit in "0123456789":
        pos = text.find(digit)
        while pos != -1:
            i = bisect.bisect_right(starts, pos) - 1
            found.add(i)
            pos = text.find(digit, spans[i][1])
    return tuple(sorted(found))


class Segments:
    """Paragraphs (with their lead-in lines) and sentences of one normalised text."""

    def __init__(self, text: str, lower: str) -> None:
        self.text = text
        self.lower = lower
        # keyed on ``lower`` (same lines and digits as ``text``): metadata asked for the same
        self.paragraphs: tuple[tuple[int, int], ...] = paragraph_spans(lower)
        self.numeric: tuple[int, ...] = numeric_paragraphs(lower)
        self._paragraph_starts = [a for a, _ in self.paragraphs]
        self._sentences: dict[int, tuple[list[int], list[Sentence]]] = {}
        self._leads: dict[int, int] = {}
        self._contexts: dict[int, str] = {}

    def paragraph_at(self, pos: int) -> int:
        return bisect.bisect_right(self._paragraph_starts, pos) - 1

    def sentences_of(self, paragraph: int) -> list[Sentence]:
        return self._split(paragraph)[1]

    def sentence_at(self, pos: int) -> Sentence:
        i = max(self.paragraph_at(pos), 0)
        starts, sentences = self._split(i)
        return sentences[max(bisect.bisect_right(starts, pos) - 1, 0)]

    def _split(self, paragraph: int) -> tuple[list[int], list[Sentence]]:
        if paragraph not in self._sentences:
            a, b = self.paragraphs[paragraph]
            sentences, cut = [], a
            for m in _SPLIT.finditer(self.text, a, b):
                sentences.extend(self._bounded(cut, m.start(), paragraph))
                cut = m.end()
            sentences.extend(self._bounded(cut, b, paragraph))
            self._sentences[paragraph] = ([s.start for s in sentences], sentences)
        return self._sentences[paragraph]

    def _bounded(self, start: int, end: int, paragraph: int) -> list[Sentence]:
        """A sentence, cut at '; ' (else at a space) where it runs past ``_MAX_SENTENCE`` characters:
        everything read per figure looks back within its sentence, so this keeps it linear."""
        out = []
        while end - start > _MAX_SENTENCE:
            cut = self.text.rfind("; ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
            if cut == -1:
                cut = self.text.rfind(" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
            cut = cut + 1 if cut != -1 else start + _MAX_SENTENCE
            out.append(Sentence(start, cut, paragraph))
            start = cut + 1 if self.text.startswith(" ", cut) else cut
        out.append(Sentence(start, end, paragraph))
        return out

    def lead(self, paragraph: int) -> int:
        """Index of the line that introduces ``paragraph`` (ends in ':' or is a heading), or -1."""
        if paragraph not in self._leads:
            self._leads[paragraph] = self._lead_of(paragraph)
        return self._leads[paragraph]

    def _lead_of(self, i: int) -> int:
        a, b = self.paragraphs[i]
        marker = self.text[a] if b > a and self.text[a] in _BULLETS else ""
        j = i - 1
        while j >= 0 and i - j <= _LEAD_REACH:
            pa, pb = self.paragraphs[j]
            if marker and pb > pa and self.text[pa] == marker:
                j -= 1
                continue
            return j if self._may_lead(j) else -1
        return -1

    def context(self, paragraph: int) -> str:
        """The paragraph with the line that introduces it, lower case."""
        if paragraph not in self._contexts:
            a, b = self.paragraphs[paragraph]
            lead = self.lead(paragraph)
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
        for j in [j for j in hits if self._may_lead(j)]:
            for i in range(j + 1, min(j + _LEAD_REACH, len(self.paragraphs) - 1) + 1):
                if self.lead(i) == j:
                    hits.add(i)
        return hits

    def _may_lead(self, j: int) -> bool:
        """A line that can introduce the ones below it: it ends in ':' or is a heading."""
        a, b = self.paragraphs[j]
        return self.text.endswith(":", a, b) or _is_heading(self.text[a:b])


def _is_heading(text: str) -> bool:
    """A short numbered title line: '3. Tổng đài 1022', 'III. CÔNG TÁC THANH TRA'."""
    return len(text) <= 120 and not text.endswith((".", ";", ",")) and bool(_HEADING.match(text))


def segment(text: str, lower: str) -> Segments:
    """Split normalised text (paragraphs end with '\\n') into sentences with context."""
    return Segments(text, lower)
