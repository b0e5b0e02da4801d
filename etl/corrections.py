"""Reviewers' corrections: an append-only log beside the originals, replayed by every build.

A correction names its target by content, not by build: the document's sha256, and for a
fact its extracted indicator and character span. The extraction itself is never changed;
the warehouse shows the corrected value with status ``corrected`` (or ``rejected``).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from etl.models import DocumentMeta, Fact

__all__ = [
    "DOC_FIELDS",
    "FACT_FIELDS",
    "Correction",
    "append_corrections",
    "apply_corrections",
    "fact_key",
    "load_corrections",
]

DOC_FIELDS = ("province", "agency", "report_type", "period_label", "period_start", "period_end")
FACT_FIELDS = ("value", "indicator", "period_start", "period_end", "as_of", "status")
_DATE_FIELDS = {"period_start", "period_end", "as_of"}


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
        allowed = FACT_FIELDS if self.fact_key else DOC_FIELDS
        if self.field not in allowed:
            raise ValueError(f"Không sửa được trường {self.field!r}")
        if self.field == "status" and self.new_value not in ("rejected", "extracted"):
            raise ValueError("Trạng thái chỉ có thể là rejected hoặc extracted")
        if self.field == "value":
            float(str(self.new_value).replace(",", "."))
        if self.field in _DATE_FIELDS and self.new_value:
            date.fromisoformat(self.new_value)
        return replace(
            self,
            at=self.at or datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
            correction_id=self.correction_id or uuid.uuid4().hex[:16],
        )


def fact_key(fact: Fact) -> str:
    """What identifies an extracted figure across builds: indicator and span in the original."""
    return f"{fact.indicator}@{fact.char_start}-{fact.char_end}"


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
    mine = [c for c in corrections if c.doc_sha256 == sha256]
    applied = {c.correction_id for c in mine if c.fact_key is None}
    out = []
    for f in facts:
        effective, status, used = apply_to_fact(f, mine)
        applied |= used
        out.append((f, effective, status))
    return apply_to_meta(meta, mine), out, applied
