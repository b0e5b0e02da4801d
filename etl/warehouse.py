"""A build's rows -> DuckDB warehouse, written beside the live file and swapped in atomically.

``write_full`` makes a new file from every report; ``write_incremental`` a copy of the live one
with only new or changed reports read again. Both take a ``BuildRun`` — the inputs
``etl.build`` read once under the build lock — and write the ``builds`` row the same way.

A build never opens the live file: readers holding it keep their snapshot, and a failed or
killed build leaves it untouched. Rows stream in as the workers hand them over, so memory
stays flat whatever the number of reports.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from contract import REPORT_TYPE_LABELS, SCHEMA_PATH, SEVERITIES, STATUSES
from etl import __version__
from etl.catalog import Catalog
from etl.checks import COLLECTION, ORPHAN_CHECK, Finding, check_inputs, log_findings, official_ranks, run_checks
from etl.corrections import Correction, CorrectionsLog
from etl.rows import DocRows, columns, source_row
from etl.serving import write_serving
from etl.sources import raw_entries, raw_files, shown
from etl.workers import (
    Chunk,
    chunk_of_rows,
    extract_in_chunks,
    owner_alive,
    sha256_of,
    spool_folder,
    sweep_spools,
)

__all__ = [
    "BuildReport", "BuildRun", "list_sources", "sweep_leftovers", "write_full", "write_incremental", "write_rows",
]


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
    warnings: list[str] = field(default_factory=list)  # one Vietnamese line each: bad lines of the log, orphans
    orphans: list[tuple[str, str]] = field(default_factory=list)  # (file, message): corrections naming no figure now
    mode: str = "full"  # full | incremental (unchanged: nothing written)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class BuildRun:
    """One build: its inputs as read once under the build lock, their fingerprint, its options."""

    raw_dir: Path
    db_path: Path
    catalog: Catalog
    checks: dict  # checks.toml as read
    log: CorrectionsLog  # the corrections log as read: replayed and fingerprinted
    reference: dict[str, pd.DataFrame]  # data/reference/*.csv as read
    inputs_sha256: str
    workers: int | None = None
    file_timeout: float | None = None
    on_progress: Callable[[int, int], None] | None = None
    started_at: datetime = field(default_factory=_now)
    started: float = field(default_factory=time.perf_counter)

    @cached_property
    def build_id(self) -> str:
        return self.started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]

    @cached_property
    def worker_checks(self) -> tuple[dict, dict]:
        """What the workers check inside each document with: the declarations, the official ranks."""
        return self.checks, official_ranks(self.reference["reference_indices"])

    def report(self, mode: str) -> BuildReport:
        return BuildReport(build_id=self.build_id, db_path=self.db_path, warnings=list(self.log.problems), mode=mode)

    def extract(self, items: list[tuple[str, Path]], spool: Path) -> Iterator[Chunk]:
        return extract_in_chunks(items, self.catalog, self.log.corrections, self.worker_checks, self.workers, spool,
                                 self.on_progress, self.file_timeout)  # fmt: skip


def list_sources(raw_dir: Path) -> list[Path]:
    """Report files under ``raw_dir`` to read, in a stable order (regular files only: etl/sources.py)."""
    return list(raw_files(raw_dir))


def write_full(run: BuildRun) -> BuildReport:
    """Extract every report, replay the corrections, run the checks, and swap a fresh warehouse in."""
    items = [(p.relative_to(run.raw_dir).as_posix(), p) for p in raw_entries(run.raw_dir)]  # refused: fail with why
    with spool_folder(run.db_path) as spool:
        return _write_new(run, lambda: run.extract(items, spool))


def write_rows(run: BuildRun, rows: Iterable[DocRows], batch: int = 400) -> BuildReport:
    """A fresh warehouse from rows made without reading reports (synthetic corpora for the
    benchmarks): the same loading, vocabulary, checks and ``builds`` row as a full build."""

    def chunks() -> Iterator[Chunk]:
        pending: list[DocRows] = []
        for row in rows:
            pending.append(row)
            if len(pending) >= batch:
                yield chunk_of_rows(pending, run.catalog, run.worker_checks)
                pending = []
        if pending:
            yield chunk_of_rows(pending, run.catalog, run.worker_checks)

    return _write_new(run, chunks)


def _write_new(run: BuildRun, chunks: Callable[[], Iterator[Chunk]]) -> BuildReport:
    """A new file: the schema, the chunks' rows in batches, the vocabulary, the findings, the build."""
    report = run.report("full")
    with _new_file(run.db_path) as con:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        loader = _Loader(con, run.build_id)
        with closing(chunks()) as stream:  # stopped early, the workers go at once
            for chunk in stream:
                loader.add(chunk)
        loader.finish()
        _insert_vocabulary(con, run)
        _insert(con, "corrections", _corrections_frame(run.log.corrections, loader, run.build_id))
        across = run_checks(check_inputs(con, scope=COLLECTION), run.catalog, run.checks, scope=COLLECTION)
        findings = loader.findings + across + log_findings(run.log.problems)
        _insert(con, "findings", _findings_frame(findings, run.build_id), ignore_duplicates=True)
        _finish(con, run, report, loader.sources)
    return report


def _insert_vocabulary(con: duckdb.DuckDBPyConnection, run: BuildRun) -> None:
    """The tables that say what the codes mean: indicators, severities, report types, statuses,
    and the reference tables."""
    _insert(con, "indicators", _indicators_frame(run.catalog, run.checks, run.build_id))
    severities = [{"code": s.code, "label": s.label, "sort_order": s.order} for s in SEVERITIES]
    _insert(con, "severities", pd.DataFrame(severities).assign(build_id=run.build_id))
    types = [{"code": c, "label": label, "sort_order": n} for n, (c, label) in enumerate(REPORT_TYPE_LABELS.items())]
    _insert(con, "report_types", pd.DataFrame(types).assign(build_id=run.build_id))
    statuses = [{"code": s.code, "label": s.label, "kept": s.kept, "sort_order": n} for n, s in enumerate(STATUSES)]
    _insert(con, "statuses", pd.DataFrame(statuses).assign(build_id=run.build_id))
    for name, frame in run.reference.items():
        _insert(con, name, frame.assign(build_id=run.build_id))


def _mark_facts(con: duckdb.DuckDBPyConnection, build_id: str, provinces: list | None = None) -> None:
    """Each fact's worst finding and their titles (fact_view reads this table). A full build
    writes every fact's row; an incremental one only the rows of the provinces it touched (every
    check compares within a province) and drops the rows of facts that are gone."""
    scope = ""
    if provinces is None:
        con.execute("DELETE FROM fact_findings")
    else:
        where = _province_scope(con, provinces)
        scope = f"WHERE fact_id IN (SELECT fact_id FROM facts JOIN documents USING (doc_id) WHERE {where})"
        gone = "fact_id NOT IN (SELECT fact_id FROM facts)"
        con.execute(f"DELETE FROM fact_findings WHERE {gone} OR {scope.removeprefix('WHERE ')}")  # noqa: S608
    con.execute(
        "INSERT INTO fact_findings SELECT fact_id, arg_min(severity, s.sort_order), "
        "string_agg(DISTINCT title, '; ' ORDER BY title), ? FROM finding_facts JOIN severities s ON s.code = severity "
        f"{scope} GROUP BY fact_id",
        [build_id],
    )
    if provinces is not None:
        con.unregister("scope")


def _serve(con: duckdb.DuckDBPyConnection, provinces: list | None) -> None:
    """The serving tables, once the findings are marked: whole, or the touched provinces' rows."""
    if provinces is None:
        write_serving(con)
    elif provinces:
        write_serving(con, _province_scope(con, provinces))
        con.unregister("scope")


def _province_scope(con: duckdb.DuckDBPyConnection, provinces: list) -> str:
    """A clause on ``province`` for the touched provinces (None, a report of no province, included);
    it reads the ``scope`` relation this registers."""
    named = [p for p in provinces if isinstance(p, str)]
    unnamed = " OR province IS NULL" if len(named) < len(provinces) else ""
    con.register("scope", pd.DataFrame({"province": pd.Series(named, dtype="string")}))
    return f"(province IN (SELECT province FROM scope){unnamed})"


def _finish(
    con: duckdb.DuckDBPyConnection,
    run: BuildRun,
    report: BuildReport,
    sources: list[dict],
    provinces: list | None = None,
) -> None:
    """The report's counts, the list of sources and the one ``builds`` row, full or incremental
    (``provinces``: the ones an incremental build touched)."""
    report.errors = [(s["file_name"], s["error"]) for s in sources if s["status"] == "failed"]
    _mark_facts(con, run.build_id, provinces)
    _serve(con, provinces)
    report.findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
    _warn_orphans(report, run.log.problems, _orphans(con))
    _count(con, report)
    con.execute("DELETE FROM build_sources")
    _insert(con, "build_sources", pd.DataFrame(sources, columns=columns("build_sources")).assign(build_id=run.build_id))
    row = {"build_id": run.build_id, "started_at": run.started_at, "finished_at": _now(),
           "etl_version": __version__, "catalog_sha256": run.catalog.sha256, "inputs_sha256": run.inputs_sha256,
           "raw_dir": str(run.raw_dir), "mode": report.mode, "documents": report.documents, "facts": report.facts,
           "errors": len(report.errors)}  # fmt: skip
    con.execute("DELETE FROM builds")
    _insert(con, "builds", pd.DataFrame([row]))
    report.seconds = time.perf_counter() - run.started


def _orphans(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(file, message) of each correction that names no figure of its document now, as the
    warehouse holds them (an incremental build keeps those of the documents it did not read again)."""
    sql = "SELECT doc_ids[1], message FROM findings WHERE check_id = ? ORDER BY doc_ids[1], message"
    return [(doc_id, message) for doc_id, message in con.execute(sql, [ORPHAN_CHECK]).fetchall()]


def _warn_orphans(report: BuildReport, problems: list[str], orphans: list[tuple[str, str]]) -> None:
    """The build's warnings: the log's bad lines, then each orphaned correction with its file."""
    report.orphans = orphans
    report.warnings = [*problems, *(f"{shown(doc_id)}: {message}" for doc_id, message in orphans)]


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
        self.remapped: dict[str, str] = {}
        self.findings: list[Finding] = []
        self.documents = self.flushed = 0
        con.execute("SET threads = 1")
        con.execute("BEGIN TRANSACTION")

    def add(self, chunk: Chunk) -> None:
        errors = chunk.errors
        self.pending.append(chunk)
        self.sources.extend(chunk.sources)
        self.errors.extend(errors)
        self.applied |= chunk.applied
        self.remapped.update(chunk.remapped)
        self.findings.extend(chunk.findings)
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


def _indicators_frame(catalog: Catalog, checks: dict, build_id: str) -> pd.DataFrame:
    """The catalog's indicators, each with the published index checks.toml compares it with."""
    official = {code: index for index, code in checks.get("reference_rank", {}).get("indices", {}).items()}
    rows = [
        {
            "code": i.code, "group_code": i.group, "group_label": catalog.groups.get(i.group, i.group),
            "label_vi": i.label_vi, "label_en": i.label_en, "unit": i.unit, "scope": i.scope,
            "kind": i.kind, "min_value": i.min_value, "max_value": i.max_value, "sort_order": n,
            "build_id": build_id, "short_label": i.short_label, "kpi_order": i.kpi_order,
            "lower_is_better": i.lower_is_better, "official_index": official.get(i.code),
        }
        for n, i in enumerate(catalog.indicators)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns("indicators"))


def _corrections_frame(corrections: list[Correction], loader: _Loader, build_id: str) -> pd.DataFrame:
    """The log as replayed: each correction, whether it found its figure, and where it found it
    when the figure's span had moved."""
    rows = [
        {
            "correction_id": c.correction_id, "made_at": _naive(c.at), "who": c.who, "why": c.why,
            "doc_sha256": c.doc_sha256, "fact_key": c.fact_key, "field": c.field, "old_value": c.old_value,
            "new_value": c.new_value, "applied": c.correction_id in loader.applied,
            "applied_key": loader.remapped.get(c.correction_id), "build_id": build_id,
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


def write_incremental(run: BuildRun) -> BuildReport | None:
    """Re-extract only new or changed reports into a copy of the warehouse and swap it in.

    Unchanged files (same size and mtime, or same sha256) keep their stored facts. Returns None
    when a full build is due: no warehouse yet, or the catalog, checks, corrections, reference
    tables or ETL version changed. Findings are recomputed for the provinces touched."""
    previous = _previous_sources(run.db_path, run.inputs_sha256) if run.db_path.exists() else None
    if previous is None:
        return None
    sources, changed = _changed_sources(run.raw_dir, previous)
    removed = set(previous) - {s["file_name"] for s in sources}
    if not changed and not removed and all(_same_row(s, previous[s["file_name"]]) for s in sources):
        return _unchanged_report(run)
    report = run.report("incremental")
    with spool_folder(run.db_path) as spool:
        chunks = list(run.extract(changed, spool))
        failed = dict(e for c in chunks for e in c.errors)
        for row in sources:
            if row["file_name"] in failed:
                row.update(status="failed", error=failed[row["file_name"]])
        affected = [doc_id for doc_id, _ in changed] + sorted(removed)
        with _new_file(run.db_path, copy_of=run.db_path) as con:
            provinces = _replace_documents(con, affected, chunks, run.build_id)
            _refresh_findings(con, provinces, run)
            _finish(con, run, report, sources, provinces)
    report.changed = len(affected)
    return report


def _same_row(new: dict, old: dict) -> bool:
    return all(new[k] == old[k] for k in ("sha256", "size_bytes", "mtime_ns", "status"))


def _unchanged_report(run: BuildRun) -> BuildReport:
    """Nothing to do: the warehouse already reflects every file."""
    con = duckdb.connect(str(run.db_path), read_only=True)
    try:
        build_id, docs, facts, errors = con.execute("SELECT build_id, documents, facts, errors FROM builds").fetchone()
        failed = con.execute("SELECT file_name, error FROM build_sources WHERE status = 'failed'").fetchall()
        n_findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
        n_mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        orphans = _orphans(con)
    finally:
        con.close()
    report = BuildReport(build_id=build_id, db_path=run.db_path, documents=docs, facts=facts, findings=n_findings,
                         mentions=n_mentions, mode="incremental")  # fmt: skip
    _warn_orphans(report, run.log.problems, orphans)
    report.errors = [(f, e) for f, e in failed]
    report.seconds = time.perf_counter() - run.started
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
    prefix = f"{raw_dir}{os.sep}"  # the listing joins names onto this string: cut it, not Path.relative_to
    for path in raw_entries(raw_dir):  # refused ones too: they stay failed rows with their reason
        text = str(path)
        doc_id = text[len(prefix):] if text.startswith(prefix) else path.relative_to(raw_dir).as_posix()
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
    _replace_orphans(con, affected, loader, build_id)
    con.unregister("affected")
    return sorted({*old, *new}, key=str)


def _replace_orphans(con: duckdb.DuckDBPyConnection, affected: list[str], loader: _Loader, build_id: str) -> None:
    """The corrections of the documents read again: their orphan warnings anew, and those that
    found their figure marked applied (with the key they followed it to). The log is the same as
    the last build's, or the build would be full."""
    con.execute("DELETE FROM findings WHERE check_id = ? AND list_has_any(doc_ids, ?)", [ORPHAN_CHECK, affected])
    orphans = [f for f in loader.findings if f.check == ORPHAN_CHECK]
    _insert(con, "findings", _findings_frame(orphans, build_id), ignore_duplicates=True)
    ids = sorted(loader.applied)
    found = pd.DataFrame({"correction_id": ids, "applied_key": [loader.remapped.get(i) for i in ids]}, dtype="string")
    con.register("found", found)
    con.execute(
        "UPDATE corrections SET applied = true, applied_key = coalesce(found.applied_key, corrections.applied_key) "
        "FROM found WHERE corrections.correction_id = found.correction_id"
    )
    con.unregister("found")


def _refresh_findings(con: duckdb.DuckDBPyConnection, provinces: list, run: BuildRun) -> None:
    """Run every check again over the provinces touched (every check compares within a province);
    the log's warnings again too (they belong to no province)."""
    if provinces:
        where = _province_scope(con, provinces)
        inputs = check_inputs(con, where)
        con.execute(f"DELETE FROM findings WHERE {where} AND check_id <> ?", [ORPHAN_CHECK])  # noqa: S608 - ours
        con.unregister("scope")
        found = run_checks(inputs, run.catalog, run.checks)
        _insert(con, "findings", _findings_frame(found, run.build_id), ignore_duplicates=True)
    _insert(con, "findings", _findings_frame(log_findings(run.log.problems), run.build_id), ignore_duplicates=True)
