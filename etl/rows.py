"""One extraction -> the rows it adds to the warehouse (corrections replayed), in schema order:
its document, its facts, and the measured numbers no indicator took (``mentions``).

Built in the worker that extracted the file, so a build's parent process only batches rows
into DuckDB and never holds more than a batch of documents' text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from contract import SCHEMA_PATH, is_kept
from etl.catalog import Catalog, default_catalog
from etl.checks import RECORD_COLUMNS, FactRecord
from etl.corrections import ASSIGN_RULE, Correction, apply_corrections, assign_mentions, fact_key, mention_key
from etl.metadata import period_code
from etl.models import Fact
from etl.pipeline import Extraction
from etl.remap import orphan_messages, resolve

__all__ = ["DocRows", "arrow_table", "columns", "doc_rows", "source_row"]

_ARROW_TYPES = {
    "VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
    "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "BOOLEAN": pa.bool_(),
}  # fmt: skip


@lru_cache(maxsize=32)
def _declared(table: str) -> tuple[tuple[str, str], ...]:
    """(name, SQL type) of each column of a table in schema.sql, in order."""
    sql = SCHEMA_PATH.read_text(encoding="utf-8")
    body = sql.split(f"CREATE TABLE {table} (", 1)[1].split(");", 1)[0]
    cols = []
    for line in body.splitlines():
        line = line.strip()
        if line and not line.startswith("--"):
            name, sql_type = line.split()[:2]
            cols.append((name, sql_type.rstrip(",")))
    return tuple(cols)


def columns(table: str) -> tuple[str, ...]:
    """Column names of a table in schema.sql, in order."""
    return tuple(name for name, _ in _declared(table))


def _arrow_type(sql_type: str) -> pa.DataType:
    if sql_type.endswith("[]"):
        return pa.list_(_ARROW_TYPES[sql_type[:-2]])
    return _ARROW_TYPES[sql_type]


@lru_cache(maxsize=32)
def _arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, _arrow_type(t)) for name, t in _declared(table) if name != "build_id"])


def arrow_table(table: str, rows: list[tuple]) -> pa.Table:
    """Schema-ordered tuples (without build_id) as an Arrow table typed as schema.sql declares."""
    schema = _arrow_schema(table)
    values = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.table([pa.array(v, type=f.type) for v, f in zip(values, schema, strict=True)], schema=schema)


@dataclass(frozen=True, slots=True)
class DocRows:
    """A document's row, its facts' and its unassigned mentions' rows, each a tuple in schema
    order without ``build_id``."""

    doc_id: str
    document: tuple
    facts: tuple[tuple, ...]
    applied: frozenset[str]  # corrections that found their document or figure
    mentions: tuple[tuple, ...] = ()
    orphans: tuple[str, ...] = ()  # one Vietnamese line per correction of the document naming no figure of it now
    remapped: tuple[tuple[str, str], ...] = ()  # (correction id, key of the figure it followed when its span moved)

    @property
    def province(self) -> str | None:
        return self.document[_DOC_PROVINCE]

    @property
    def sha256(self) -> str:
        return self.document[_DOC_SHA256]

    def check_records(self) -> list[FactRecord]:
        """The document's kept facts as the checks read them (as ``checks.check_inputs`` reads
        them from a warehouse)."""
        where = (self.document[_DOC_PROVINCE], self.document[_DOC_AGENCY] or "")
        return [FactRecord(*(f[i] for i in _RECORD_AT), *where) for f in self.facts if is_kept(f[_FACT_STATUS])]


@lru_cache(maxsize=8)
def _without_build_id(table: str) -> tuple[str, ...]:
    return tuple(c for c in columns(table) if c != "build_id")


_DOC_PROVINCE = _without_build_id("documents").index("province")
_DOC_AGENCY = _without_build_id("documents").index("agency")
_DOC_SHA256 = _without_build_id("documents").index("sha256")
_FACT_STATUS = _without_build_id("facts").index("status")
_RECORD_AT = tuple(_without_build_id("facts").index(c) for c in RECORD_COLUMNS)


def doc_rows(doc_id: str, ex: Extraction, corrections: list[Correction], catalog: Catalog | None = None) -> DocRows:
    """The rows one extraction adds, with the corrections for its file replayed: an assigned
    mention becomes a fact, the others stay mentions."""
    s, catalog = ex.source, catalog or default_catalog()
    resolved = resolve(s.sha256, s.text, ex.facts, ex.mentions, corrections, catalog)
    m, corrected_facts, applied = apply_corrections(ex.meta, ex.facts, s.sha256, resolved.corrections)
    assigned, unassigned, used = assign_mentions(m, ex.mentions, ex.facts, s.sha256, resolved.corrections, catalog)
    applied |= used | resolved.satisfied
    document = {
        "doc_id": doc_id, "file_name": s.name, "sha256": s.sha256,
        "content_sha256": ex.content_sha256, "kind": s.kind,
        "encoding": s.encoding, "size_bytes": s.size_bytes, "province": m.province,
        "agency": m.agency, "report_type": m.report_type, "period_label": m.period_label,
        "period_start": m.period_start, "period_end": m.period_end,
        "report_date": m.report_date, "report_number": m.report_number, "title": m.title,
        "text": s.text, "page_starts": list(s.page_starts) or None,
        "metadata_status": "corrected" if m != ex.meta else "extracted",
        "period_code": period_code(m.period_label, m.period_end),
    }  # fmt: skip
    facts = []
    for extracted, f, status in [*corrected_facts, *assigned]:
        when = f.as_of or f.period_end or f.period_start
        key = f"{doc_id}|{fact_key(extracted)}|{extracted.role}|{extracted.value}"
        row = {
            "fact_id": hashlib.sha1(key.encode()).hexdigest()[:16], "doc_id": doc_id,
            "indicator": f.indicator, "value": f.value, "unit": f.unit,
            "qualifier": f.qualifier, "period_start": f.period_start,
            "period_end": f.period_end, "as_of": f.as_of,
            "year": when.year if when else None, "quote": f.quote,
            "char_start": f.char_start, "char_end": f.char_end, "sentence": f.sentence,
            "sentence_start": f.sentence_start, "sentence_end": f.sentence_end,
            "page": s.page_of(f.char_start), "rule": f.rule, "confidence": f.confidence,
            "denominator": f.denominator, "role": f.role,
            "parts": list(f.parts) or None, "period_basis": _basis(f), "status": status,
            "fact_key": fact_key(extracted),
            "extracted_value": extracted.value,
            "extracted_indicator": "" if extracted.rule == ASSIGN_RULE else extracted.indicator,
            "extractor": _extractor(f),
        }  # fmt: skip
        facts.append(tuple(row[c] for c in _without_build_id("facts")))
    mentions, seen = [], set()
    for x in unassigned:
        key = mention_key(x)
        if key in seen:
            continue
        seen.add(key)
        row = {
            "doc_id": doc_id, "mention_key": key, "char_start": x.char_start, "char_end": x.char_end,
            "value": x.value, "measure": x.measure, "quote": x.quote, "sentence": x.sentence,
            "sentence_start": x.sentence_start, "sentence_end": x.sentence_end,
            "page": s.page_of(x.char_start), "reason": x.reason,
        }  # fmt: skip
        mentions.append(tuple(row[c] for c in _without_build_id("mentions")))
    return DocRows(
        doc_id=doc_id,
        document=tuple(document[c] for c in _without_build_id("documents")),
        facts=tuple(facts),
        applied=frozenset(applied),
        mentions=tuple(mentions),
        orphans=tuple(orphan_messages(resolved, applied, s.text, catalog)),
        remapped=tuple((i, key) for i, key in resolved.remapped.items() if i in applied),
    )


def source_row(doc_id: str, path: Path, sha: str | None, error: str | None) -> dict[str, object]:
    """The build_sources row of one file: what was read, and why it failed if it did. A file gone
    since (deleted mid-build) has no size or time, so the next incremental build reads it again."""
    try:
        st = path.stat()
    except OSError:
        size = mtime = None
    else:
        size, mtime = st.st_size, st.st_mtime_ns
    return {"file_name": doc_id, "sha256": sha, "size_bytes": size, "mtime_ns": mtime,
            "status": "failed" if error else "loaded", "error": error}  # fmt: skip


def _extractor(f: Fact) -> str:
    """Which extractor made a fact: every fact names one (facts.extractor is NOT NULL and never '')."""
    if not f.extractor:
        raise ValueError(f"{f.doc}: số liệu {f.indicator}@{f.char_start}-{f.char_end} không ghi bộ trích xuất nào")
    return f.extractor


def _basis(f: Fact) -> str:
    """How a figure's period reads: a stock at a date, counted from 1 January, or within its period."""
    if f.as_of is not None or f.period_start is None:
        return "stock"
    return "cumulative" if (f.period_start.month, f.period_start.day) == (1, 1) else "in_period"
