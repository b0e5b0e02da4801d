"""The seam between the extractors and the one resolver: what an extractor reads (a document's
``Context`` and the catalog as its vocabulary) and what it hands back (``Proposals``).

An extractor only proposes readings; ``resolve`` alone decides which become facts, so a
second extractor can stand beside the rules without knowing them, and every fact names the
extractor whose reading it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeAlias, runtime_checkable

from etl.catalog import Catalog, Indicator
from etl.models import DocumentMeta, NormalizedText
from etl.text.segments import Sentence

__all__ = ["Context", "Extractor", "Proposal", "Proposals", "Unread", "Vocabulary"]

Vocabulary: TypeAlias = Catalog  # the indicators, their names, frames and rules


@dataclass(frozen=True, slots=True)
class Context:
    """One document as every extractor reads it: offsets in proposals are into ``norm.text``."""

    norm: NormalizedText
    meta: DocumentMeta


@dataclass(frozen=True, slots=True)
class Proposal:
    """One reading of a number as a figure of an indicator, with the evidence ``resolve`` weighs.

    Offsets are into the normalised text; ``period`` is (start, end, as_of)."""

    indicator: Indicator
    rule: str  # how it was read (a catalog rule's id, 'mention', 'table', …): the fact's rule suffix
    value: float
    qualifier: str
    denominator: float | None
    num_start: int  # where the number starts: one number is one figure
    start: int  # where the evidence starts (a qualifier before the number counts)
    end: int
    sentence: Sentence
    in_parens: bool  # inside brackets: a sentence's figures outside them are preferred
    confidence: float
    period: tuple[date | None, date | None, date | None]
    parts: tuple[float, ...] = ()
    loose: bool = False  # losing to another value, kept as an unassigned number, not a conflict
    said_total: bool = False  # its sentence calls it a total ('tính chung'): preferred to parts
    said_dated: bool = False  # its sentence names the date it is of before it ('tính đến ngày …')
    extractor: str = ""  # set by resolve: the name of the extractor that proposed it


@dataclass(frozen=True, slots=True)
class Unread:
    """A measured number an extractor saw and no indicator took, with why (in Vietnamese)."""

    value: float
    measure: str  # the measure word or label beside it ('hồ sơ', '%', 'đồng'), '' when none
    num_start: int
    start: int
    end: int
    sentence: Sentence
    reason: str


@dataclass(frozen=True, slots=True)
class Proposals:
    """What one extractor read in one document: its readings and the numbers it left."""

    figures: tuple[Proposal, ...] = ()
    unread: tuple[Unread, ...] = ()


@runtime_checkable
class Extractor(Protocol):
    """Finds figures in a document; ``name`` is recorded on every fact made of its proposals."""

    @property
    def name(self) -> str: ...

    def propose(self, context: Context, vocabulary: Vocabulary) -> Proposals:
        """Every reading the extractor makes of the document, and the numbers it leaves."""
        ...
