"""The warehouse a build writes: a DuckDB file beside the live one, swapped in atomically.

Three steps, called by etl/build.py alone: ``replace(docs)`` drops the stored rows of each
document handed over and writes its new ones (removing deleted documents); ``recheck(provinces)``
runs the checks across documents and rewrites each fact's worst finding and the serving tables
for the touched provinces only; ``publish(sources)`` writes the ``builds`` row and swaps the file
in. A full build opens the store empty and replaces every document; an incremental one opens a
copy of the previous warehouse and replaces the changed ones: the same steps either way.

A build never opens the live file for writing: readers holding it keep their snapshot, and a
failed or killed build leaves it untouched (its temporary file is removed, or swept by the next
build). Rows stream in as the executor hands them over, so memory stays flat.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contract import SCHEMA_PATH
from etl import __version__
from etl.batch import Chunk, batched, sources_of
from etl.checks import COLLECTION, DOCUMENT, ORPHAN_CHECK, Finding, check_inputs, log_findings, run_checks
from etl.province_scope import ProvinceScope
from etl.rows import columns
from etl.run import FULL, INCREMENTAL, BuildReport, BuildRun, now
from etl.serving import write_depth, write_serving
from etl.sources import shown
from etl.store_frames import corrections_frame, findings_frame, vocabulary_frames
from etl.transform import DocumentRows
from etl.workers import owner_alive

__all__ = ["Province", "Store", "open_store", "published_report", "published_sources", "sweep_temp_files"]

Province = str | None  # a document's province as reported; None: a report naming none


class Store:
    """A warehouse being built: a temporary file, empty or a copy of the live one, that only
    ``publish`` puts in the live file's place."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run: BuildRun, tmp: Path, mode: str) -> None:
        self.con, self.run, self.tmp, self.mode = con, run, tmp, mode
        self._stored = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
        self._replaced: set[str] = set()  # documents replaced or removed by this build
        self._applied: set[str] = set()  # corrections the replaced documents applied
        self._remapped: dict[str, str] = {}  # of those, the ones that followed their figure: id -> key now
        self._findings: list[Finding] = []  # the replaced documents' own findings (from their step)
        self.sources: list[dict] = []  # the build_sources rows of the documents handed to ``replace``

    def replace(self, docs: Iterable[DocumentRows | Chunk], removed: Iterable[str] = ()) -> list[Province]:
        """Drop the stored rows of each document handed over and write its new ones (none when its
        file failed), then drop the documents in ``removed``; returns the provinces they were and
        are in, every check and serving row of which is now due again (``recheck``)."""
        loader = _Loader(self)
        for chunk in batched(docs):
            self.sources.extend(sources_of(chunk))
            loader.add(chunk)
        loader.drop(list(removed))
        loader.finish()
        self._mark_corrections()
        return sorted(loader.provinces, key=str)

    def recheck(self, provinces: Iterable[Province]) -> None:
        """The findings, each fact's worst finding and the serving tables again, for ``provinces``
        only (every check compares within a province); the log's warnings again too. A document's
        corrections that name no figure of it now are its own (found in its step, dropped with its
        rows by ``replace``): those of the documents that kept their rows stay as stored."""
        provinces, con = list(provinces), self.con
        if not provinces:
            self._log_findings()
            _mark_facts(con, self.run.build_id, None)
            return
        with ProvinceScope(con, provinces) as scope:
            con.execute(f"DELETE FROM findings WHERE {scope.where} AND check_id <> ?", [ORPHAN_CHECK])  # noqa: S608
            found = self._checked(scope, set(provinces))
            _insert(con, "findings", findings_frame(found, self.run.build_id), ignore_duplicates=True)
            self._log_findings()
            _mark_facts(con, self.run.build_id, scope)
            write_serving(con, scope)

    def _log_findings(self) -> None:
        """The corrections log's bad lines as warnings (the log is read again by every build)."""
        logged = findings_frame(log_findings(self.run.log.problems), self.run.build_id)
        _insert(self.con, "findings", logged, ignore_duplicates=True)

    def _checked(self, scope: ProvinceScope, provinces: set[Province]) -> list[Finding]:
        """What the checks find in the documents of ``scope``: a replaced document's own findings
        came with it, the others' are found again in their stored rows, then the checks across them."""
        run, con, where = self.run, self.con, scope.where
        inside: list[Finding] = []
        if self._stored - self._replaced:  # documents that kept their stored rows (none in a full build)
            con.register("replaced", _ids(self._replaced))
            others = f"{where} AND doc_id NOT IN (SELECT doc_id FROM replaced)"
            inside = run_checks(check_inputs(con, others), run.catalog, run.checks, scope=DOCUMENT)
            con.unregister("replaced")
        across = run_checks(check_inputs(con, where, scope=COLLECTION), run.catalog, run.checks, scope=COLLECTION)
        return [*(f for f in self._findings if f.province in provinces), *inside, *across]

    def publish(self, sources: list[dict], engine: str) -> BuildReport:
        """The build's ``build_sources`` and ``builds`` rows (``engine``: the executor's name, what
        ran ``transform``), then the atomic swap: readers see the previous warehouse or this one,
        never a half-written file."""
        run, con = self.run, self.con
        report = run.report(self.mode)
        report.errors = [(s["file_name"], s["error"]) for s in sources if s["status"] == "failed"]
        report.findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
        _warn_orphans(report, run.log.problems, _orphans(con))
        _count(con, report)
        con.execute("DELETE FROM build_sources")
        frame = pd.DataFrame(sources, columns=columns("build_sources")).assign(build_id=run.build_id)
        _insert(con, "build_sources", frame)
        row = {"build_id": run.build_id, "started_at": run.started_at, "finished_at": now(),
               "etl_version": __version__, "catalog_sha256": run.catalog.sha256, "inputs_sha256": run.inputs_sha256,
               "raw_dir": str(run.raw_dir), "mode": self.mode, "engine": engine, "documents": report.documents,
               "facts": report.facts, "errors": len(report.errors)}  # fmt: skip
        con.execute("DELETE FROM builds")
        _insert(con, "builds", pd.DataFrame([row]))
        con.execute("CHECKPOINT")
        con.close()
        Path(str(run.db_path) + ".wal").unlink(missing_ok=True)
        self.tmp.replace(run.db_path)  # atomic rename: readers see the old file or the new one
        report.seconds = time.perf_counter() - run.started
        return report

    def _mark_corrections(self) -> None:
        """A correction is applied when a document this build replaced applied it, or when one
        left as it was (the same bytes: the same outcome) had; ``applied_key`` names the figure's
        key now when the correction followed it to a new span (etl/remap.py), from the document
        that applied it."""
        con, moved = self.con, sorted(self._remapped.items())
        con.register("replaced", _ids(self._replaced))
        con.register("moved", pd.DataFrame({"correction_id": [i for i, _ in moved],
                                            "applied_key": [k for _, k in moved]}, dtype="string"))  # fmt: skip
        kept = ("applied AND doc_sha256 IN "  # applied before, by a document that kept its rows
                "(SELECT sha256 FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM replaced))")  # fmt: skip
        now = "(SELECT m.applied_key FROM moved m WHERE m.correction_id = corrections.correction_id)"
        con.execute(
            f"UPDATE corrections SET applied = list_contains(?::VARCHAR[], correction_id) OR ({kept}), "  # noqa: S608
            f"applied_key = coalesce({now}, CASE WHEN {kept} THEN applied_key END)",
            [sorted(self._applied)],
        )
        con.unregister("moved")
        con.unregister("replaced")


@contextmanager
def open_store(run: BuildRun, previous: bool) -> Iterator[Store]:
    """A store beside ``run.db_path``: empty (a full build) or a copy of the live warehouse (an
    incremental one). Left without ``publish``, its file is removed and the live one untouched."""
    db_path = run.db_path
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    try:
        if previous:
            shutil.copyfile(db_path, tmp)
        con = duckdb.connect(str(tmp))
        try:
            if not previous:
                _create(con, run)
            yield Store(con, run, tmp, INCREMENTAL if previous else FULL)
        finally:
            con.close()  # after publish: already closed
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def _create(con: duckdb.DuckDBPyConnection, run: BuildRun) -> None:
    """An empty warehouse: the schema, and the tables every document shares (the vocabulary, the
    reference tables, the corrections log as replayed: none applied yet)."""
    con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
    for table, frame in vocabulary_frames(run.catalog, run.checks, run.reference, run.build_id):
        _insert(con, table, frame)
    _insert(con, "corrections", corrections_frame(run.log.corrections, set(), run.build_id))
    write_depth(con)


class _Loader:
    """Appends chunks' rows in batches of a few hundred documents, committing every few thousand:
    DuckDB then writes row groups straight to the file, not through its log. One DuckDB thread
    while loading: the cores belong to the executor's workers."""

    def __init__(self, store: Store, batch: int = 400, commit_every: int = 2000) -> None:
        self.store, self.con, self.batch, self.commit_every = store, store.con, batch, commit_every
        self.pending: list[Chunk] = []
        self.provinces: set[Province] = set()
        self.uncommitted = self.documents = self.flushed = 0
        self.con.execute("SET threads = 1")
        self.con.execute("BEGIN TRANSACTION")

    def add(self, chunk: Chunk) -> None:
        self.pending.append(chunk)
        self.store._applied |= chunk.applied
        self.store._remapped.update(chunk.remapped)
        self.store._findings.extend(chunk.findings)
        self.documents += len(chunk.sources) - len(chunk.errors)
        if self.documents - self.flushed >= self.batch:
            self._flush()

    def drop(self, doc_ids: list[str]) -> None:
        """The stored rows of these documents gone (only those stored are looked for), their
        provinces noted."""
        store = self.store
        store._replaced.update(doc_ids)
        stale = [d for d in doc_ids if d in store._stored]
        if not stale:
            return
        self.con.register("stale", _ids(stale))
        found = self.con.execute("SELECT DISTINCT province FROM documents JOIN stale USING (doc_id)").fetchall()
        self.provinces |= {r[0] for r in found}
        for table in ("facts", "mentions", "documents"):
            self.con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM stale)")  # noqa: S608
        self.con.execute(  # its corrections naming no figure: found again in its step, if it is still there
            "DELETE FROM findings WHERE check_id = ? AND doc_ids[1] IN (SELECT doc_id FROM stale)", [ORPHAN_CHECK]
        )
        self.con.unregister("stale")
        store._stored.difference_update(stale)

    def _flush(self) -> None:
        if not self.pending:
            return
        self.drop([doc_id for chunk in self.pending for doc_id in chunk.doc_ids])
        build_id = self.store.run.build_id
        for table in ("documents", "facts", "mentions"):
            rows = pa.concat_tables([c.table(table) for c in self.pending])
            if table == "documents":
                self.provinces |= set(pc.unique(rows.column("province")).to_pylist())
                self.store._stored.update(rows.column("doc_id").to_pylist())
            _insert_arrow(self.con, table, rows, build_id)
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


def _ids(doc_ids: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": pd.Series(sorted(doc_ids), dtype="string")})


def _mark_facts(con: duckdb.DuckDBPyConnection, build_id: str, scope: ProvinceScope | None) -> None:
    """Each fact's worst finding and their titles (fact_view reads this table), for the facts of
    the documents in ``scope``; the rows of facts that are gone dropped."""
    gone = "fact_id NOT IN (SELECT fact_id FROM facts)"
    if scope is None:
        con.execute(f"DELETE FROM fact_findings WHERE {gone}")  # noqa: S608
        return
    mine = f"fact_id IN (SELECT fact_id FROM facts JOIN documents USING (doc_id) WHERE {scope.where})"
    con.execute(f"DELETE FROM fact_findings WHERE {gone} OR {mine}")  # noqa: S608 - our own clauses
    con.execute(
        "INSERT INTO fact_findings SELECT fact_id, arg_min(severity, s.sort_order), "
        "string_agg(DISTINCT title, '; ' ORDER BY title), ? FROM finding_facts JOIN severities s ON s.code = severity "
        f"WHERE {mine} GROUP BY fact_id",  # noqa: S608
        [build_id],
    )


def _orphans(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(file, message) of each correction that names no figure of its document now, as the store
    holds them (an incremental build keeps those of the documents it did not read again)."""
    sql = "SELECT doc_ids[1], message FROM findings WHERE check_id = ? ORDER BY doc_ids[1], message"
    return [(doc_id, message) for doc_id, message in con.execute(sql, [ORPHAN_CHECK]).fetchall()]


def _warn_orphans(report: BuildReport, problems: list[str], orphans: list[tuple[str, str]]) -> None:
    """The build's warnings: the log's bad lines, then each orphaned correction with its file."""
    report.orphans = orphans
    report.warnings = [*problems, *(f"{shown(doc_id)}: {message}" for doc_id, message in orphans)]


def _count(con: duckdb.DuckDBPyConnection, report: BuildReport) -> None:
    report.documents, report.facts, report.mentions = con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM facts), (SELECT count(*) FROM mentions)"
    ).fetchone()
    report.facts_per_group = Counter(dict(con.execute(
        "SELECT i.group_code, count(*) FROM facts f JOIN indicators i ON i.code = f.indicator "
        "WHERE f.role = 'primary' GROUP BY 1"
    ).fetchall()))  # fmt: skip


def _insert_arrow(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, build_id: str) -> None:
    if rows.num_rows == 0:
        return
    cols = ", ".join(rows.column_names)
    con.register("batch", rows)
    con.execute(f"INSERT INTO {table} ({cols}, build_id) SELECT {cols}, ? FROM batch", [build_id])  # noqa: S608
    con.unregister("batch")


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, ignore_duplicates: bool = False) -> None:
    cols = ", ".join(frame.columns)
    con.register("frame", frame)
    verb = "INSERT OR IGNORE" if ignore_duplicates else "INSERT"
    con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM frame")  # noqa: S608 - table names are ours
    con.unregister("frame")


def published_sources(db_path: Path, inputs_sha256: str) -> dict[str, dict] | None:
    """The live warehouse's ``build_sources`` rows by file name, when its build had these inputs
    (None: no warehouse, other inputs, or an older layout — a full build is due)."""
    if not db_path.exists():
        return None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        build = con.execute("SELECT inputs_sha256 FROM builds").fetchone()
        if build is None or build[0] != inputs_sha256:
            return None
        rows = con.execute("SELECT file_name, sha256, size_bytes, mtime_ns, status, error FROM build_sources").df()
    except duckdb.Error:  # an older layout: rebuild whole
        return None
    finally:
        con.close()
    return {r["file_name"]: r for r in rows.to_dict("records")}


def published_report(run: BuildRun) -> BuildReport:
    """The live warehouse's build, as a report of a build that had nothing to write."""
    con = duckdb.connect(str(run.db_path), read_only=True)
    try:
        build_id, docs, facts = con.execute("SELECT build_id, documents, facts FROM builds").fetchone()
        failed = con.execute("SELECT file_name, error FROM build_sources WHERE status = 'failed'").fetchall()
        n_findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
        n_mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        orphans = _orphans(con)
    finally:
        con.close()
    report = BuildReport(build_id=build_id, db_path=run.db_path, documents=docs, facts=facts, findings=n_findings,
                         mentions=n_mentions, mode=INCREMENTAL)  # fmt: skip
    _warn_orphans(report, run.log.problems, orphans)
    report.errors = [(f, e) for f, e in failed]
    report.seconds = time.perf_counter() - run.started
    return report


def sweep_temp_files(db_path: Path) -> int:
    """Remove the temporary warehouses (and their logs) of builds that are gone; returns how many."""
    swept = 0
    for stale in db_path.parent.glob(db_path.name + ".tmp-*"):
        try:
            mtime = stale.stat().st_mtime
        except OSError:
            continue
        if not owner_alive(stale.name.rsplit(".tmp-", 1)[1], mtime):
            stale.unlink(missing_ok=True)  # left by a killed build
            swept += 1
    return swept
