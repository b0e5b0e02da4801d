"""Chunks of rows from the workers -> DuckDB warehouse, written beside the live file and
swapped in atomically.

A build never opens the live file: readers holding it keep their snapshot, and a
failed or killed build leaves it untouched. Rows stream in as the workers hand them over,
so memory stays flat whatever the number of reports.

A build holds the data folder's build lock from reading its inputs to the swap, so a
correction or import waits for it (or lands in the next build); it replays and fingerprints
the very bytes of the corrections log it read, and first removes what killed builds left.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from etl import __version__
from etl.catalog import Catalog, default_catalog
from etl.checks import RECORD_COLUMNS, Finding, run_checks
from etl.corrections import Correction, CorrectionsLog, build_lock, read_corrections
from etl.reference import load_reference
from etl.rows import SCHEMA_PATH, columns, source_row
from etl.sources import raw_entries, raw_files
from etl.workers import Chunk, extract_in_chunks, owner_alive, sha256_of, spool_folder, sweep_spools

__all__ = ["BuildReport", "build_warehouse", "list_sources", "sweep_leftovers", "update_warehouse"]

CORRECTIONS_FILE = "corrections.jsonl"  # beside the raw folder: data/corrections.jsonl
REFERENCE_DIR = "reference"  # beside the raw folder: data/reference/


@dataclass(slots=True)
class BuildReport:
    build_id: str
    db_path: Path
    documents: int = 0
    facts: int = 0
    mentions: int = 0  # measured numbers no indicator took
    facts_per_group: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    findings: int = 0
    changed: int = 0  # documents extracted again (incremental builds)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # one Vietnamese line each: bad lines of the log


def list_sources(raw_dir: Path) -> list[Path]:
    """Report files under ``raw_dir`` to read, in a stable order (regular files only: etl/sources.py)."""
    return list(raw_files(raw_dir))


def build_warehouse(
    raw_dir: Path,
    db_path: Path,
    catalog: Catalog | None = None,
    on_progress: object = None,
    workers: int | None = None,
    corrections_path: Path | None = None,
    reference_dir: Path | None = None,
    file_timeout: float | None = None,
) -> BuildReport:
    """Extract every file under ``raw_dir``, replay the corrections, run the checks, and swap a
    fresh warehouse into ``db_path``. Corrections default to ``corrections.jsonl`` beside ``raw_dir``.

    Rows stream into the new file in batches while workers extract, so memory stays flat
    whatever the number of reports. ``file_timeout`` is each file's time budget in seconds
    (None: ``ETL_FILE_TIMEOUT`` or 60)."""
    catalog = catalog or default_catalog()
    corrections_path = corrections_path or raw_dir.parent / CORRECTIONS_FILE
    reference_dir = reference_dir or raw_dir.parent / REFERENCE_DIR
    with build_lock(raw_dir.parent):  # from reading the inputs to the swap
        sweep_leftovers(db_path)
        log = read_corrections(corrections_path)  # replayed and fingerprinted: the same bytes
        inputs = inputs_sha256(catalog, corrections_path.name, log.data, reference_dir)
        return _build(raw_dir, db_path, catalog, log, inputs, reference_dir, workers, on_progress, file_timeout)


def _build(
    raw_dir: Path,
    db_path: Path,
    catalog: Catalog,
    log: CorrectionsLog,
    inputs: str,
    reference_dir: Path,
    workers: int | None,
    on_progress: object,
    file_timeout: float | None,
) -> BuildReport:
    """The full build itself, under the build lock."""
    reference = load_reference(reference_dir)
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    build_id = started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    report = BuildReport(build_id=build_id, db_path=db_path, warnings=list(log.problems))
    items = [(p.relative_to(raw_dir).as_posix(), p) for p in raw_entries(raw_dir)]  # refused ones fail with why
    with _new_file(db_path) as con, spool_folder(db_path) as spool:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        loader = _Loader(con, build_id)
        official = reference["reference_indices"]
        chunks = extract_in_chunks(items, catalog, log.corrections, official, workers, spool, on_progress, file_timeout)
        with closing(chunks):  # stopped early, the workers go at once
            for chunk in chunks:
                loader.add(chunk)
        loader.finish()
        sources = loader.sources
        report.errors = loader.errors
        _insert(con, "indicators", _indicators_frame(catalog, build_id))
        _insert(con, "corrections", _corrections_frame(log.corrections, loader.applied, build_id))
        for name, frame in reference.items():
            _insert(con, name, frame.assign(build_id=build_id))
        across = run_checks(loader.across, _check_documents(con, "TRUE"), catalog, scope="collection")
        findings = loader.findings + across
        _insert(con, "findings", _findings_frame(findings, build_id), ignore_duplicates=True)
        _insert_log_findings(con, log, build_id)
        report.findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
        _count(con, report)
        _insert(con, "build_sources", pd.DataFrame(sources, columns=columns("build_sources")).assign(build_id=build_id))
        row = {"build_id": build_id, "started_at": started_at, "finished_at": datetime.now(UTC).replace(tzinfo=None),
               "etl_version": __version__, "catalog_sha256": catalog.sha256, "inputs_sha256": inputs,
               "raw_dir": str(raw_dir), "mode": "full", "documents": report.documents, "facts": report.facts,
               "errors": len(report.errors)}  # fmt: skip
        _insert(con, "builds", pd.DataFrame([row]))
    report.seconds = time.perf_counter() - started
    return report


def inputs_sha256(catalog: Catalog, corrections_name: str, corrections: bytes, reference_dir: Path) -> str:
    """Everything besides the reports that shapes a build; when it changes, a full build is due.

    ``corrections`` are the bytes of the log the build replayed, never a second read of the file:
    a correction written in between would otherwise count as built and never be replayed."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(catalog.sha256.encode())
    h.update(Path(__file__).with_name("checks.toml").read_bytes())
    h.update(SCHEMA_PATH.read_bytes())
    h.update(corrections_name.encode())
    h.update(corrections)
    for path in sorted(reference_dir.glob("*.csv")):
        h.update(path.name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()


def sweep_leftovers(db_path: Path) -> int:
    """Remove the temporary warehouses (and their logs) and spool folders of builds that are gone.

    Every build does this first, whether or not it writes; returns how many were removed."""
    swept = sweep_spools(db_path)
    for stale in db_path.parent.glob(db_path.name + ".tmp-*"):
        try:
            mtime = stale.stat().st_mtime
        except OSError:
            continue
        if not owner_alive(stale.name.rsplit(".tmp-", 1)[1], mtime):
            stale.unlink(missing_ok=True)  # left by a killed build
            swept += 1
    return swept


class _Loader:
    """Appends chunks' rows to the new file in batches of a few hundred documents, committing
    every few thousand: DuckDB then writes row groups straight to the file, not through its log.
    One DuckDB thread while loading: the cores belong to the extracting workers."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, build_id: str, batch: int = 400, commit_every: int = 2000
    ) -> None:
        self.con, self.build_id, self.batch, self.commit_every = con, build_id, batch, commit_every
        self.pending: list[Chunk] = []
        self.uncommitted = 0
        self.sources: list[dict[str, object]] = []
        self.errors: list[tuple[str, str]] = []
        self.applied: set[str] = set()
        self.findings: list[Finding] = []
        self.across: list[tuple] = []
        self.documents = self.flushed = 0
        con.execute("SET threads = 1")
        con.execute("BEGIN TRANSACTION")

    def add(self, chunk: Chunk) -> None:
        errors = chunk.errors
        self.pending.append(chunk)
        self.sources.extend(chunk.sources)
        self.errors.extend(errors)
        self.applied |= chunk.applied
        self.findings.extend(chunk.findings)
        self.across.extend(chunk.across)
        self.documents += len(chunk.sources) - len(errors)
        if self.documents - self.flushed >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        for table in ("documents", "facts", "mentions"):
            _insert_arrow(self.con, table, pa.concat_tables([c.table(table) for c in self.pending]), self.build_id)
        for chunk in self.pending:
            chunk.release()
        self.uncommitted += self.documents - self.flushed
        self.flushed = self.documents
        self.pending.clear()
        if self.uncommitted >= self.commit_every:
            self.con.execute("COMMIT")
            self.con.execute("BEGIN TRANSACTION")
            self.uncommitted = 0

    def finish(self) -> None:
        self._flush()
        self.con.execute("COMMIT")
        self.con.execute("RESET threads")


def _insert_arrow(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, build_id: str) -> None:
    if rows.num_rows == 0:
        return
    cols = ", ".join(rows.column_names)
    con.register("batch", rows)
    con.execute(f"INSERT INTO {table} ({cols}, build_id) SELECT {cols}, ? FROM batch", [build_id])  # noqa: S608
    con.unregister("batch")


def _count(con: duckdb.DuckDBPyConnection, report: BuildReport) -> None:
    report.documents, report.facts, report.mentions = con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM facts), (SELECT count(*) FROM mentions)"
    ).fetchone()
    report.facts_per_group = Counter(dict(con.execute(
        "SELECT i.group_code, count(*) FROM facts f JOIN indicators i ON i.code = f.indicator "
        "WHERE f.role = 'primary' GROUP BY 1"
    ).fetchall()))  # fmt: skip


def _findings_frame(findings: list[Finding], build_id: str) -> pd.DataFrame:
    rows = [
        {
            "finding_id": finding_id, "check_id": f.check, "severity": f.severity, "title": f.title,
            "message": f.message, "province": f.province, "doc_ids": list(f.doc_ids),
            "fact_ids": list(f.fact_ids), "build_id": build_id,
        }
        for finding_id, f in {f.finding_id: f for f in findings}.items()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns("findings"))


def _insert_log_findings(con: duckdb.DuckDBPyConnection, log: CorrectionsLog, build_id: str) -> None:
    """Each bad line of the corrections log as a warning on the data-quality page."""
    rows = [
        {
            "finding_id": hashlib.sha1(f"corrections_log|{problem}".encode()).hexdigest()[:16],
            "check_id": "corrections_log", "severity": "canh_bao", "title": "Dòng hỏng trong nhật ký sửa đổi",
            "message": problem, "province": None, "doc_ids": [], "fact_ids": [], "build_id": build_id,
        }
        for problem in log.problems
    ]  # fmt: skip
    if rows:
        _insert(con, "findings", pd.DataFrame(rows, columns=columns("findings")), ignore_duplicates=True)


def _indicators_frame(catalog: Catalog, build_id: str) -> pd.DataFrame:
    rows = [
        {
            "code": i.code, "group_code": i.group, "group_label": catalog.groups.get(i.group, i.group),
            "label_vi": i.label_vi, "label_en": i.label_en, "unit": i.unit, "scope": i.scope,
            "kind": i.kind, "min_value": i.min_value, "max_value": i.max_value, "sort_order": n,
            "build_id": build_id,
        }
        for n, i in enumerate(catalog.indicators)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns("indicators"))


def _corrections_frame(corrections: list[Correction], applied: set[str], build_id: str) -> pd.DataFrame:
    rows = [
        {
            "correction_id": c.correction_id, "made_at": _naive(c.at), "who": c.who, "why": c.why,
            "doc_sha256": c.doc_sha256, "fact_key": c.fact_key, "field": c.field, "old_value": c.old_value,
            "new_value": c.new_value, "applied": c.correction_id in applied, "build_id": build_id,
        }
        for c in corrections
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns("corrections"))


def _naive(at: str) -> pd.Timestamp:
    """A correction's time as stored: UTC without a zone (a log line may carry one)."""
    ts = pd.Timestamp(at)
    return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo is not None else ts


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, ignore_duplicates: bool = False) -> None:
    cols = ", ".join(frame.columns)
    con.register("frame", frame)
    verb = "INSERT OR IGNORE" if ignore_duplicates else "INSERT"
    con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM frame")  # noqa: S608 - table names are ours
    con.unregister("frame")


@contextmanager
def _new_file(db_path: Path, copy_of: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new warehouse file beside ``db_path`` (empty, or a copy of the current one), swapped in
    with an atomic rename once the block completes; on any failure the live file is untouched."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    try:
        if copy_of is not None:
            shutil.copyfile(copy_of, tmp)
        con = duckdb.connect(str(tmp))
        try:
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        Path(str(db_path) + ".wal").unlink(missing_ok=True)
        tmp.replace(db_path)  # atomic rename: readers see the old file or the new one
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def update_warehouse(
    raw_dir: Path,
    db_path: Path,
    catalog: Catalog | None = None,
    workers: int | None = None,
    corrections_path: Path | None = None,
    reference_dir: Path | None = None,
    file_timeout: float | None = None,
) -> BuildReport | None:
    """Re-extract only new or changed files into a copy of the warehouse and swap it in.

    Unchanged files (same size and mtime, or same sha256) keep their stored facts. Returns None
    when a full build is due: no warehouse yet, or the catalog, checks, corrections, reference
    tables or ETL version changed. Findings are recomputed for the provinces touched."""
    catalog = catalog or default_catalog()
    corrections_path = corrections_path or raw_dir.parent / CORRECTIONS_FILE
    reference_dir = reference_dir or raw_dir.parent / REFERENCE_DIR
    with build_lock(raw_dir.parent):  # from reading the inputs to the swap
        sweep_leftovers(db_path)
        if not db_path.exists():
            return None
        log = read_corrections(corrections_path)  # compared and replayed: the same bytes
        inputs = inputs_sha256(catalog, corrections_path.name, log.data, reference_dir)
        previous = _previous_sources(db_path, inputs)
        if previous is None:
            return None
        return _update(raw_dir, db_path, catalog, log, reference_dir, previous, inputs, workers, file_timeout)


def _update(
    raw_dir: Path,
    db_path: Path,
    catalog: Catalog,
    log: CorrectionsLog,
    reference_dir: Path,
    previous: dict[str, dict],
    inputs: str,
    workers: int | None,
    file_timeout: float | None,
) -> BuildReport:
    """The incremental build itself, under the build lock."""
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    build_id = started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    report = BuildReport(build_id=build_id, db_path=db_path)
    sources, changed = _changed_sources(raw_dir, previous)
    removed = set(previous) - {s["file_name"] for s in sources}
    if not changed and not removed and all(_same_row(s, previous[s["file_name"]]) for s in sources):
        report = _unchanged_report(db_path, started)
        report.warnings = list(log.problems)
        return report
    reference = load_reference(reference_dir)["reference_indices"]
    with spool_folder(db_path) as spool:
        chunks = list(
            extract_in_chunks(changed, catalog, log.corrections, reference, workers, spool, budget=file_timeout)
        )
        failed = dict(e for c in chunks for e in c.errors)
        for row in sources:
            if row["file_name"] in failed:
                row.update(status="failed", error=failed[row["file_name"]])
        report.errors = [(s["file_name"], s["error"]) for s in sources if s["status"] == "failed"]
        affected = [doc_id for doc_id, _ in changed] + sorted(removed)
        with _new_file(db_path, copy_of=db_path) as con:
            _write_update(con, affected, chunks, sources, report, catalog, reference)
            _insert_log_findings(con, log, build_id)  # the refresh drops findings without a province
            report.findings = con.execute("SELECT count(*) FROM findings").fetchall()[0][0]
            row = {"build_id": build_id, "started_at": started_at,
                   "finished_at": datetime.now(UTC).replace(tzinfo=None), "etl_version": __version__,
                   "catalog_sha256": catalog.sha256, "inputs_sha256": inputs, "raw_dir": str(raw_dir),
                   "mode": "incremental", "documents": report.documents, "facts": report.facts,
                   "errors": len(report.errors)}  # fmt: skip
            _insert(con, "builds", pd.DataFrame([row]))
    report.changed = len(affected)
    report.warnings = list(log.problems)
    report.seconds = time.perf_counter() - started
    return report


def _write_update(
    con: duckdb.DuckDBPyConnection,
    affected: list[str],
    chunks: list[Chunk],
    sources: list[dict],
    report: BuildReport,
    catalog: Catalog,
    reference: pd.DataFrame,
) -> None:
    """Into a copy of the warehouse: the changed documents' rows, their provinces' findings,
    the new list of sources; the caller adds the build row."""
    provinces = _replace_documents(con, affected, chunks, report.build_id)
    report.findings = _refresh_findings(con, provinces, catalog, reference, report.build_id)
    _count(con, report)
    con.execute("DELETE FROM build_sources")
    sources_frame = pd.DataFrame(sources, columns=columns("build_sources")).assign(build_id=report.build_id)
    _insert(con, "build_sources", sources_frame)
    con.execute("DELETE FROM builds")


def _same_row(new: dict, old: dict) -> bool:
    return all(new[k] == old[k] for k in ("sha256", "size_bytes", "mtime_ns", "status"))


def _unchanged_report(db_path: Path, started: float) -> BuildReport:
    """Nothing to do: the warehouse already reflects every file."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        build_id, docs, facts, errors = con.execute("SELECT build_id, documents, facts, errors FROM builds").fetchone()
        failed = con.execute("SELECT file_name, error FROM build_sources WHERE status = 'failed'").fetchall()
        n_findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
        n_mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    finally:
        con.close()
    report = BuildReport(build_id=build_id, db_path=db_path, documents=docs, facts=facts, findings=n_findings,
                         mentions=n_mentions)  # fmt: skip
    report.errors = [(f, e) for f, e in failed]
    report.seconds = time.perf_counter() - started
    return report


def _previous_sources(db_path: Path, inputs: str) -> dict[str, dict] | None:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        build = con.execute("SELECT inputs_sha256 FROM builds").fetchone()
        if build is None or build[0] != inputs:
            return None
        rows = con.execute("SELECT file_name, sha256, size_bytes, mtime_ns, status, error FROM build_sources").df()
    except duckdb.Error:  # an older layout: rebuild whole
        return None
    finally:
        con.close()
    return {r["file_name"]: r for r in rows.to_dict("records")}


def _changed_sources(raw_dir: Path, previous: dict[str, dict]) -> tuple[list[dict], list[tuple[str, Path]]]:
    """Current source rows, and the files that must be extracted again."""
    sources, changed = [], []
    for path in raw_entries(raw_dir):  # refused ones too: they stay failed rows with their reason
        doc_id = path.relative_to(raw_dir).as_posix()
        st = path.stat()
        old = previous.get(doc_id)
        if old and old["size_bytes"] == st.st_size and old["mtime_ns"] == st.st_mtime_ns:
            sources.append({k: old[k] for k in ("file_name", "sha256", "size_bytes", "mtime_ns", "status", "error")})
            continue
        sha = sha256_of(path)
        if old and old["sha256"] == sha and old["status"] == "loaded":
            sources.append({**{k: old[k] for k in ("file_name", "sha256", "status", "error")},
                            "size_bytes": st.st_size, "mtime_ns": st.st_mtime_ns})  # fmt: skip
            continue
        sources.append(source_row(doc_id, path, sha, None))
        changed.append((doc_id, path))
    return sources, changed


def _replace_documents(con: duckdb.DuckDBPyConnection, affected: list[str], chunks: list[Chunk], build_id: str) -> list:
    """Swap the affected documents' rows; returns the provinces they belonged to before and after."""
    if not affected:
        return []
    con.register("affected", pd.DataFrame({"doc_id": affected}))
    old = [r[0] for r in con.execute("SELECT DISTINCT province FROM documents JOIN affected USING (doc_id)").fetchall()]
    con.execute("DELETE FROM facts WHERE doc_id IN (SELECT doc_id FROM affected)")
    con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM affected)")
    con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM affected)")
    loader = _Loader(con, build_id)
    for chunk in chunks:
        loader.add(chunk)
    loader.finish()
    new = [r[0] for r in con.execute("SELECT DISTINCT province FROM documents JOIN affected USING (doc_id)").fetchall()]
    con.unregister("affected")
    return sorted({*old, *new}, key=str)


def _refresh_findings(
    con: duckdb.DuckDBPyConnection, provinces: list, catalog: Catalog, reference: pd.DataFrame, build_id: str
) -> int:
    """Run every check again over the provinces touched (every check compares within a province)."""
    if provinces:
        named = [p for p in provinces if isinstance(p, str)]
        unnamed = " OR province IS NULL" if len(named) < len(provinces) else ""
        con.register("scope", pd.DataFrame({"province": pd.Series(named, dtype="string")}))
        where = f"province IN (SELECT province FROM scope){unnamed}"
        docs = _check_documents(con, where)
        facts = _check_facts(con, f"d.{where}")
        con.execute(f"DELETE FROM findings WHERE {where}")  # noqa: S608 - our own clause
        con.unregister("scope")
        findings = run_checks(facts, docs, catalog, reference=reference)
        _insert(con, "findings", _findings_frame(findings, build_id), ignore_duplicates=True)
    return con.execute("SELECT count(*) FROM findings").fetchone()[0]


def _check_documents(con: duckdb.DuckDBPyConnection, where: str) -> pd.DataFrame:
    return con.execute(
        "SELECT doc_id, province, agency, report_type, period_label, period_start, period_end, content_sha256 "
        f"FROM documents WHERE {where} ORDER BY doc_id"  # noqa: S608 - our own clause
    ).df()


def _check_facts(con: duckdb.DuckDBPyConnection, where: str) -> list[tuple]:
    """Kept facts as the checks read them, in extraction order (findings come out the same)."""
    cols = ", ".join(f"f.{c}" for c in RECORD_COLUMNS)
    return con.execute(
        f"SELECT {cols}, d.province, d.agency FROM facts f JOIN documents d USING (doc_id) "  # noqa: S608
        f"WHERE f.status <> 'rejected' AND {where} ORDER BY f.doc_id, f.char_start, f.indicator, f.fact_id"
    ).fetchall()
