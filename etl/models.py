"""Frozen records handed from one ETL stage to the next."""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class SourceText:
    """Text as read from a file; offsets in facts point into ``text``."""

    name: str
    text: str
    kind: str  # txt | md | docx | pdf
    encoding: str
    sha256: str
    size_bytes: int
    page_starts: tuple[int, ...] = ()  # PDF: offset where each page starts

    def page_of(self, offset: int) -> int | None:
        """1-based page number of an offset, for PDFs."""
        if not self.page_starts:
            return None
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
        return page + 1


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Matching copy of a text: NFC, one tone style, joined lines; ``lower`` is its lower case.

    ``anchors`` are (normalised start, NFC start) of each run copied unchanged; ``nfc_offsets``
    maps NFC positions to the original where NFC changed the text (else None).
    """

    original: str
    text: str
    lower: str  # same length as ``text``
    anchors: tuple[tuple[int, int], ...]
    nfc_offsets: tuple[int, ...] | None = None
    _starts: tuple[int, ...] = field(default=(), repr=False)

    def to_original(self, pos: int) -> int:
        """Index in the original text of normalised character ``pos``."""
        starts = self._starts or tuple(a for a, _ in self.anchors)
        i = max(bisect.bisect_right(starts, pos) - 1, 0)
        norm_start, nfc_start = self.anchors[i]
        nfc_pos = nfc_start + (pos - norm_start)
        if self.nfc_offsets is not None:
            return self.nfc_offsets[min(nfc_pos, len(self.nfc_offsets) - 1)]
        return nfc_pos

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span back to the original text."""
        o_start = self.to_original(start)
        if end <= start:
            return o_start, o_start
        o_end = self.to_original(end - 1) + 1
        while o_end < len(self.original) and unicodedata.combining(self.original[o_end]):
            o_end += 1
        return o_start, o_end


@dataclass(frozen=True, slots=True)
class Period:
    start: date | None
    end: date | None
    label: str = ""


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    doc: str
    province: str | None
    agency: str | None
    report_type: str
    period_label: str
    period_start: date | None
    period_end: date | None
    report_date: date | None
    report_number: str | None
    title: str


@dataclass(frozen=True, slots=True)
class Fact:
    doc: str
    indicator: str
    value: float
    unit: str
    qualifier: str  # exact | at_least | about | at_most | sum
    period_start: date | None
    period_end: date | None
    as_of: date | None
    quote: str
    char_start: int
    char_end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    rule: str
    confidence: float
    denominator: float | None = None
    role: str = "primary"  # primary | alternative (another value the same document gives)
    parts: tuple[float, ...] = field(default=())
    extractor: str = ""  # the name of the extractor that made it ('manual': an editor's assignment)
    num_start: int | None = None  # where the number itself starts in the original: corrections follow it

    def as_json(self) -> dict[str, object]:
        """The JSON line shape of ``python -m etl extract --json``."""
        return {
            "doc": self.doc,
            "indicator": self.indicator,
            "value": int(self.value) if float(self.value).is_integer() else self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "as_of": _iso(self.as_of),
            "quote": self.quote,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "rule": self.rule,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A measured number no indicator took: kept so nothing is silently dropped."""

    doc: str
    value: float
    measure: str  # the measure word or label beside the number ("cuộc gọi đến", "hồ sơ")
    quote: str
    char_start: int
    char_end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    reason: str  # why no indicator took it, in Vietnamese
    num_start: int | None = None  # where the number itself starts in the original: assignments follow it

    def as_json(self) -> dict[str, object]:
        """The JSON line shape of an unassigned mention (``extract --json --mentions``)."""
        return {
            "type": "mention",
            "doc": self.doc,
            "value": int(self.value) if float(self.value).is_integer() else self.value,
            "measure": self.measure,
            "quote": self.quote,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "reason": self.reason,
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
