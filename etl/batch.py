"""Several documents' outcomes as one batch, their rows typed as Arrow tables: what an executor
hands the store.

A batch is typed where its rows were made: a worker process types them and may leave the tables
as Arrow files in a spool folder (the page cache carries them to the build, where pickling them
through a pipe would stall the workers), so the build's own process only loads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from etl.checks import Finding
from etl.rows import arrow_table
from etl.transform import DocumentRows

__all__ = ["Chunk", "batched", "chunk_of", "sources_of"]

BATCH = 400  # loose documents grouped into one chunk


@dataclass(frozen=True, slots=True)
class Chunk:
    """Several files' outcomes: their build_sources rows, their rows as Arrow tables (or Arrow
    files in a spool folder), the corrections they applied (and where, for those that followed their
    figure to a new span) and their findings inside one document."""

    sources: list[dict[str, object]]
    documents: pa.Table | Path
    facts: pa.Table | Path
    mentions: pa.Table | Path  # measured numbers no indicator took
    applied: frozenset[str]
    findings: list[Finding]  # of the checks within one document, and their corrections naming no figure now
    remapped: dict[str, str] = field(default_factory=dict)  # correction id -> the key of the figure it followed

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(s["file_name"], s["error"]) for s in self.sources if s["status"] == "failed"]

    @property
    def doc_ids(self) -> list[str]:
        """Every file of the chunk, failed ones too: their stored rows are replaced by none."""
        return [s["file_name"] for s in self.sources]  # type: ignore[misc]

    def table(self, name: str) -> pa.Table:
        value = getattr(self, name)
        return pa.ipc.open_file(pa.memory_map(str(value))).read_all() if isinstance(value, Path) else value

    def release(self) -> None:
        for value in (self.documents, self.facts, self.mentions):
            if isinstance(value, Path):
                value.unlink(missing_ok=True)


def chunk_of(done: list[DocumentRows], spool: Path | None = None) -> Chunk:
    """Documents' outcomes as one chunk; with ``spool``, its tables wait there as Arrow files."""
    rows = [d.rows for d in done if d.rows is not None]
    tables = {
        "documents": arrow_table("documents", [r.document for r in rows]),
        "facts": arrow_table("facts", [f for r in rows for f in r.facts]),
        "mentions": arrow_table("mentions", [m for r in rows for m in r.mentions]),
    }
    kept = {name: _spooled(table, spool) if spool else table for name, table in tables.items()}
    return Chunk(
        sources=[d.source for d in done],
        applied=frozenset().union(*(r.applied for r in rows)),
        findings=[f for d in done for f in d.findings],
        remapped={i: key for r in rows for i, key in r.remapped},
        **kept,  # type: ignore[arg-type]
    )


def batched(docs: Iterable[DocumentRows | Chunk], size: int = BATCH) -> Iterator[Chunk]:
    """Chunks as they come, loose documents grouped into chunks of ``size`` (in their order)."""
    pending: list[DocumentRows] = []
    for item in docs:
        if isinstance(item, Chunk):
            if pending:
                yield chunk_of(pending)
                pending = []
            yield item
            continue
        pending.append(item)
        if len(pending) >= size:
            yield chunk_of(pending)
            pending = []
    if pending:
        yield chunk_of(pending)


def sources_of(item: DocumentRows | Chunk) -> list[dict[str, object]]:
    """The build_sources rows of a document or a chunk."""
    return item.sources if isinstance(item, Chunk) else [item.source]


def _spooled(table: pa.Table, spool: Path) -> Path:
    path = spool / f"{uuid.uuid4().hex}.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return path
