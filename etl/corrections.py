"""Reviewers' corrections: an append-only log beside the originals, replayed by every build.

A correction names its target by content, not by build: the document's sha256, and for a
fact its extracted indicator and character span. The extraction itself is never changed;
the warehouse shows the corrected value with status ``corrected`` (or ``rejected``).

An assignment (field ``assign``) names a measured number no indicator took by its span
(``mention@<start>-<end>``) and gives it an indicator: on replay the mention becomes a fact
(rule ``manual.assign``, status ``corrected``) with the document's period, and later
corrections name that fact like any other (``<indicator>@<start>-<end>``).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from etl.models import DocumentMeta, Fact, Mention

if TYPE_CHECKING:
    from etl.catalog import Catalog

__all__ = [
    "ASSIGN",
    "ASSIGN_RULE",
    "DOC_FIELDS",
    "FACT_FIELDS",
    "Correction",
    "append_corrections",
    "apply_corrections",
    "assign_mentions",
    "fact_key",
    "load_corrections",
    "mention_key",
]

DOC_FIELDS = ("province", "agency", "report_type", "period_label", "period_start", "period_end")
FACT_FIELDS = ("value", "indicator", "period_start", "period_end", "as_of", "status")
_DATE_FIELDS = {"period_start", "period_end", "as_of"}
ASSIGN = "assign"  # the field of an assignment: a mention given an indicator
ASSIGN_RULE = "manual.assign"  # the rule of the fact an assignment makes
_MENTION_KEY = re.compile(r"mention@\d+-\d+")


@dataclass(frozen=True, slots=True)
class Correction:
    doc_sha256: str
    field: str
    new_value: str | None
    why: str
    who: str
    fact_key: str | None = None  # None: the document's metadata
    old_value: str | None = None
    at: str = ""
    correction_id: str = ""

    def validated(self) -> Correction:
        """Fill id and time; refuse a correction without a reason or on an unknown field."""
        if not self.why.strip():
            raise ValueError("Cần ghi lý do sửa")
        if not self.who.strip():
            raise ValueError("Cần ghi người sửa")
        if self.field == ASSIGN or (self.fact_key or "").startswith("mention@"):
            return self._validated_assignment()
        allowed = FACT_FIELDS if self.fact_key else DOC_FIELDS
        if self.field not in allowed:
            raise ValueError(f"Không sửa được trường {self.field!r}")
        if self.field == "status" and self.new_value not in ("rejected", "extracted"):
            raise ValueError("Trạng thái chỉ có thể là rejected hoặc extracted")
        if self.field == "value":
            float(str(self.new_value).replace(",", "."))
        if self.field in _DATE_FIELDS and self.new_value:
            date.fromisoformat(self.new_value)
        return self._stamped()

    def _validated_assignment(self) -> Correction:
        """An assignment names a mention by its span and a catalog indicator."""
        from etl.catalog import default_catalog  # the catalog only when an assignment is checked

        if self.field != ASSIGN or not _MENTION_KEY.fullmatch(self.fact_key or ""):
            raise ValueError("Gán chỉ tiêu cần một số liệu chưa gán (mention@<đầu>-<cuối>) và trường 'assign'")
        try:
            default_catalog().get(str(self.new_value))
        except KeyError:
            raise ValueError(f"Không có chỉ tiêu {self.new_value!r} trong danh mục") from None
        return self._stamped()

    def _stamped(self) -> Correction:
        return replace(
            self,
            at=self.at or datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
            correction_id=self.correction_id or uuid.uuid4().hex[:16],
        )


def fact_key(fact: Fact) -> str:
    """What identifies an extracted figure across builds: indicator and span in the original."""
    return f"{fact.indicator}@{fact.char_start}-{fact.char_end}"


def mention_key(mention: Mention) -> str:
    """What identifies a measured number no indicator took: its span in the original."""
    return f"mention@{mention.char_start}-{mention.char_end}"


def load_corrections(path: Path) -> list[Correction]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(Correction(**json.loads(line)))
    return out


def append_corrections(path: Path, corrections: list[Correction]) -> list[Correction]:
    """Validate and append; the log is only ever appended to, and flushed to disk."""
    checked = [c.validated() for c in corrections]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for c in checked:
            out.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return checked


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _meta_value(field: str, value: str | None) -> object:
    return _date(value) if field in ("period_start", "period_end") else value


def apply_to_meta(meta: DocumentMeta, corrections: list[Correction]) -> DocumentMeta:
    """The document's metadata with its corrections, latest last."""
    for c in corrections:
        if c.fact_key is None:
            meta = replace(meta, **{c.field: _meta_value(c.field, c.new_value)})
    return meta


def apply_to_fact(fact: Fact, corrections: list[Correction]) -> tuple[Fact, str, set[str]]:
    """The fact with its corrections, its status, and the ids of the corrections applied."""
    status, applied = "extracted", set()
    for c in corrections:
        if c.fact_key != fact_key(fact):
            continue
        applied.add(c.correction_id)
        if c.field == "status":
            status = "rejected" if c.new_value == "rejected" else "extracted"
            continue
        if c.field == "value":
            fact = replace(fact, value=float(str(c.new_value).replace(",", ".")))
        elif c.field in _DATE_FIELDS:
            fact = replace(fact, **{c.field: _date(c.new_value)})
        else:
            fact = replace(fact, **{c.field: c.new_value})
        status = "corrected" if status != "rejected" else status
    return fact, status, applied


def apply_corrections(
    meta: DocumentMeta, facts: tuple[Fact, ...], sha256: str, corrections: list[Correction]
) -> tuple[DocumentMeta, list[tuple[Fact, Fact, str]], set[str]]:
    """One document's corrected metadata, (extracted, effective, status) per fact, and applied ids."""
    mine = [c for c in corrections if c.doc_sha256 == sha256 and c.field != ASSIGN]
    applied = {c.correction_id for c in mine if c.fact_key is None}
    out = []
    for f in facts:
        effective, status, used = apply_to_fact(f, mine)
        applied |= used
        out.append((f, effective, status))
    return apply_to_meta(meta, mine), out, applied


def _assigned_fact(mention: Mention, code: str, meta: DocumentMeta, catalog: Catalog) -> Fact | None:
    """The fact an assignment makes of a mention: the indicator's unit, the document's period
    (a calendar year for annual indicators), or the period's end for a stock; None for a code
    the catalog no longer has."""
    try:
        ind = catalog.get(code)
    except KeyError:
        return None
    start, end = meta.period_start, meta.period_end
    if ind.period == "calendar_year" and end is not None:
        start, end = date(end.year, 1, 1), date(end.year, 12, 31)
    as_of = None
    if ind.kind == "stock":
        as_of = min(end, meta.report_date) if end and meta.report_date else end  # not known after signing
        start = end = None
    return Fact(
        doc=mention.doc, indicator=code, value=mention.value, unit=ind.unit, qualifier="exact",
        period_start=start, period_end=end, as_of=as_of, quote=mention.quote,
        char_start=mention.char_start, char_end=mention.char_end, sentence=mention.sentence,
        sentence_start=mention.sentence_start, sentence_end=mention.sentence_end,
        rule=ASSIGN_RULE, confidence=1.0,
    )  # fmt: skip


def assign_mentions(
    meta: DocumentMeta,
    mentions: tuple[Mention, ...],
    facts: tuple[Fact, ...],
    sha256: str,
    corrections: list[Correction],
    catalog: Catalog,
) -> tuple[list[tuple[Fact, Fact, str]], list[Mention], set[str]]:
    """Replay one document's assignments: (assigned, effective, status) of each fact they make,
    the mentions left unassigned, and the ids of the corrections applied.

    ``meta`` is the document's corrected metadata (its period dates the new facts). The latest
    assignment of a mention wins; corrections naming the new fact (its value, indicator, status)
    then apply as to any fact. An assignment whose mention is gone, or whose span an extracted
    fact now holds, is not applied."""
    mine = [c for c in corrections if c.doc_sha256 == sha256]
    wanted = {c.fact_key: c for c in mine if c.field == ASSIGN}
    if not wanted:
        return [], list(mentions), set()
    taken = {(f.char_start, f.char_end) for f in facts}
    out, left, applied = [], [], set()
    for m in mentions:
        c = wanted.get(mention_key(m))
        made = None
        if c is not None and (m.char_start, m.char_end) not in taken:
            made = _assigned_fact(m, str(c.new_value), meta, catalog)
        if made is None:
            left.append(m)
            continue
        taken.add((m.char_start, m.char_end))
        effective, status, used = apply_to_fact(made, [x for x in mine if x.field != ASSIGN])
        applied |= used | {c.correction_id}
        out.append((made, effective, "rejected" if status == "rejected" else "corrected"))
    return out, left, applied
