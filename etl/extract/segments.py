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


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Segments:
    sentences: tuple[Sentence, ...]
    contexts: tuple[str, ...]  # per paragraph: lead-in + paragraph, lower case
    _starts: tuple[int, ...]

    def sentence_at(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.sentences[max(i, 0)]


def _lead_of(paragraphs: list[str], i: int) -> str:
    """The line ending in ':' that introduces paragraph ``i``, if any."""
    text = paragraphs[i]
    marker = text[:1] if text[:1] in _BULLETS else ""
    j = i - 1
    while j >= 0 and i - j <= 15:
        prev = paragraphs[j]
        if marker and prev[:1] == marker:
            j -= 1
            continue
        return prev if prev.endswith(":") else ""
    return ""


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
    sentences: list[Sentence] = []
    for i, (start, end) in enumerate(spans):
        lead = _lead_of(paragraphs, i)
        contexts.append((lead.lower() + " " + lower[start:end]) if lead else lower[start:end])
        cut = start
        for m in _SENTENCE_END.finditer(text, start, end):
            sentences.append(Sentence(cut, m.start(), i))
            cut = m.end()
        sentences.append(Sentence(cut, end, i))
    return Segments(tuple(sentences), tuple(contexts), tuple(s.start for s in sentences))
