"""Files -> chunks of warehouse rows, made in worker processes (one per core).

A worker reads, normalises and extracts each file, replays the corrections, turns it into
schema-ordered rows (documents, facts, unassigned mentions) typed as Arrow tables, runs the
checks that look inside one document, and leaves the tables as an Arrow file in a spool
folder: the page cache carries them to the parent, where pickling them through a pipe would
stall the workers.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from etl.catalog import Catalog
from etl.checks import Finding, compares_across_documents, official_ranks, run_checks
from etl.corrections import Correction
from etl.pipeline import process_file
from etl.readers import ReadError
from etl.rows import DocRows, arrow_table, doc_rows, source_row

__all__ = ["Chunk", "extract_in_chunks", "owner_alive", "sha256_of", "spool_folder"]

_PARALLEL_FROM = 64  # files; below this a process pool costs more than it saves
_CHUNK = 32  # files a worker extracts before handing their rows back


@dataclass(frozen=True, slots=True)
class _Outcome:
    """One file after its worker is done: its build_sources row, and its rows unless it failed."""

    doc_id: str
    source: dict[str, object]
    rows: DocRows | None


@dataclass(frozen=True, slots=True)
class Chunk:
    """Several files' outcomes as a worker hands them back, with the rows already typed as Arrow
    tables; from worker processes the tables come as Arrow files in a spool folder (the page
    cache carries them, where pickling them through a pipe would stall the workers)."""

    sources: list[dict[str, object]]
    documents: pa.Table | Path
    facts: pa.Table | Path
    mentions: pa.Table | Path  # measured numbers no indicator took
    applied: frozenset[str]
    findings: list[Finding]  # of the checks within one document
    across: list[tuple]  # fact records the checks across documents need

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(s["file_name"], s["error"]) for s in self.sources if s["status"] == "failed"]

    def table(self, name: str) -> pa.Table:
        value = getattr(self, name)
        return pa.ipc.open_file(pa.memory_map(str(value))).read_all() if isinstance(value, Path) else value

    def release(self) -> None:
        for value in (self.documents, self.facts, self.mentions):
            if isinstance(value, Path):
                value.unlink(missing_ok=True)


def _load_one(item: tuple[str, Path], catalog: Catalog, corrections: list[Correction]) -> _Outcome:
    """Read, extract and turn into rows one file; a bad file gives its reason, and stops nothing."""
    doc_id, path = item
    try:
        ex = process_file(path, catalog)
    except ReadError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - reported per file, the build goes on
        error = f"{path.name}: lỗi khi trích xuất ({type(exc).__name__}: {exc})"
    else:
        rows = doc_rows(doc_id, ex, corrections, catalog)
        return _Outcome(doc_id, source_row(doc_id, path, ex.source.sha256, None), rows)
    return _Outcome(doc_id, source_row(doc_id, path, sha256_of(path), error), None)


def _load_chunk(
    items: list[tuple[str, Path]],
    catalog: Catalog | None = None,
    corrections: list | None = None,
    official: dict | None = None,
) -> Chunk:
    """Files -> one chunk; in a worker process, with the catalog, corrections and official ranks
    it was started with."""
    catalog = catalog or _worker["catalog"]  # type: ignore[assignment]
    corrections = _worker["corrections"] if corrections is None else corrections  # type: ignore[assignment]
    official = _worker.get("official") if official is None else official
    outcomes = [_load_one(item, catalog, corrections) for item in items]
    rows = [o.rows for o in outcomes if o.rows is not None]
    records = [r for doc in rows for r in doc.check_records()]
    documents = arrow_table("documents", [r.document for r in rows])
    facts = arrow_table("facts", [f for r in rows for f in r.facts])
    mentions = arrow_table("mentions", [m for r in rows for m in r.mentions])
    spool = _worker.get("spool")
    return Chunk(
        sources=[o.source for o in outcomes],
        documents=_spooled(documents, spool) if spool else documents,  # type: ignore[arg-type]
        facts=_spooled(facts, spool) if spool else facts,  # type: ignore[arg-type]
        mentions=_spooled(mentions, spool) if spool else mentions,  # type: ignore[arg-type]
        applied=frozenset().union(*(r.applied for r in rows)),
        findings=run_checks(records, None, catalog, reference=official, scope="document"),  # type: ignore[arg-type]
        across=[r for r in records if compares_across_documents(r)],
    )


def _spooled(table: pa.Table, spool: Path) -> Path:
    path = spool / f"{uuid.uuid4().hex}.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return path


def extract_in_chunks(
    items: list[tuple[str, Path]],
    catalog: Catalog,
    corrections: list[Correction],
    reference: pd.DataFrame,
    workers: int | None,
    spool: Path,
    on_progress: object = None,
) -> Iterator[Chunk]:
    """Chunks of files in order, from worker processes when there are enough files to pay for them
    (their Arrow tables then wait in ``spool``; a chunk's ``release`` removes them).

    ``on_progress(done, total)`` is called as results arrive (for a progress bar)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(items) >= _PARALLEL_FROM else 1
    batches = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
    pool = None
    official = official_ranks(reference)
    if workers <= 1:
        results: Iterator[Chunk] = (_load_chunk(b, catalog, corrections, official) for b in batches)
    else:
        pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_set_worker, initargs=(catalog, corrections, official, spool)
        )
        results = pool.map(_load_chunk, batches)
    done = 0
    try:
        for chunk in results:
            done += len(chunk.sources)
            if callable(on_progress):
                on_progress(done, len(items))
            yield chunk
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


_worker: dict[str, object] = {}


def _set_worker(catalog: Catalog, corrections: list[Correction], official: dict, spool: Path) -> None:
    """One catalog, corrections log, table of official ranks and spool folder per worker process.

    They live as long as the worker: frozen, the garbage collector no longer walks them."""
    _worker.update(catalog=catalog, corrections=corrections, official=official, spool=spool)
    gc.freeze()


def sha256_of(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read (its build_sources row says why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def owner_alive(suffix: str) -> bool:
    """Whether the build that named a file '<pid>-<random>' still runs (then its file is not stale)."""
    pid = suffix.split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def spool_folder(db_path: Path) -> Iterator[Path]:
    """A folder beside the warehouse where workers leave their Arrow files; gone afterwards."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in db_path.parent.glob(f".{db_path.name}.spool-*"):
        if not owner_alive(stale.name.rsplit("spool-", 1)[1]):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
    folder = db_path.parent / f".{db_path.name}.spool-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
