"""Extractions -> DuckDB warehouse, written beside the live file and swapped in atomically.

A build never opens the live file: readers holding it keep their snapshot, and a
failed or killed build leaves it untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import __version__
from etl.catalog import Catalog, default_catalog
from etl.checks import Finding, run_checks
from etl.corrections import Correction, apply_corrections, fact_key, load_corrections
from etl.models import Fact
from etl.pipeline import Extraction, process_file
from etl.readers import SUFFIXES, ReadError
from etl.reference import load_reference

__all__ = ["BuildReport", "build_warehouse", "list_sources", "update_warehouse"]

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
CORRECTIONS_FILE = "corrections.jsonl"  # beside the raw folder: data/corrections.jsonl
REFERENCE_DIR = "reference"  # beside the raw folder: data/reference/
_LOAD_ORDER = (
    "builds", "build_sources", "indicators", "documents", "facts", "findings", "corrections",
    "reference_indices", "admin_units", "agency_lineage", "report_schedule",
)  # fmt: skip
_PARALLEL_FROM = 64  # files; below this a process pool costs more than it saves


@dataclass(slots=True)
class BuildReport:
    build_id: str
    db_path: Path
    documents: int = 0
    facts: int = 0
    facts_per_group: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    findings: int = 0
    changed: int = 0  # documents extracted again (incremental builds)
    seconds: float = 0.0


def list_sources(raw_dir: Path) -> list[Path]:
    """Report files under ``raw_dir``, in a stable order; hidden files and folders are skipped."""
    found: list[str] = []
    stack = [str(raw_dir)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif os.path.splitext(entry.name)[1].lower() in SUFFIXES:  # noqa: PTH122 - scandir strings, fast
                    found.append(entry.path)
    return [Path(p) for p in sorted(found)]


def build_warehouse(
    raw_dir: Path,
    db_path: Path,
    catalog: Catalog | None = None,
    on_progress: object = None,
    workers: int | None = None,
    corrections_path: Path | None = None,
    reference_dir: Path | None = None,
) -> BuildReport:
    """Extract every file under ``raw_dir``, replay the corrections, run the checks, and swap a
    fresh warehouse into ``db_path``. Corrections default to ``corrections.jsonl`` beside ``raw_dir``."""
    catalog = catalog or default_catalog()
    corrections = load_corrections(corrections_path or raw_dir.parent / CORRECTIONS_FILE)
    reference = load_reference(reference_dir or raw_dir.parent / REFERENCE_DIR)
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    build_id = started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    report = BuildReport(build_id=build_id, db_path=db_path)
    extractions: list[tuple[str, Extraction]] = []
    sources: list[dict[str, object]] = []
    paths = list_sources(raw_dir)
    for path, outcome in zip(paths, _extract_all(paths, catalog, workers, on_progress), strict=True):
        doc_id = path.relative_to(raw_dir).as_posix()
        if isinstance(outcome, str):
            report.errors.append((doc_id, outcome))
            sources.append(_source_row(doc_id, path, _sha256(path), outcome))
            continue
        extractions.append((doc_id, outcome))
        sources.append(_source_row(doc_id, path, outcome.source.sha256, None))
    tables = _tables(extractions, catalog, build_id, corrections)
    kept = tables["facts"][tables["facts"]["status"] != "rejected"]
    findings = run_checks(kept, tables["documents"], catalog, reference=reference["reference_indices"])
    for name, frame in reference.items():
        tables[name] = frame.assign(build_id=build_id)
    tables["findings"] = _findings_frame(findings, build_id)
    report.findings = len(findings)
    report.documents = len(tables["documents"])
    report.facts = len(tables["facts"])
    groups = {i.code: i.group for i in catalog.indicators}
    report.facts_per_group = Counter(
        groups[code]
        for code, role in zip(tables["facts"]["indicator"], tables["facts"]["role"], strict=True)
        if role == "primary"
    )
    build_row = {
        "build_id": build_id,
        "started_at": started_at,
        "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "etl_version": __version__,
        "catalog_sha256": catalog.sha256,
        "inputs_sha256": inputs_sha256(
            catalog,
            corrections_path or raw_dir.parent / CORRECTIONS_FILE,
            reference_dir or raw_dir.parent / REFERENCE_DIR,
        ),  # fmt: skip
        "raw_dir": str(raw_dir),
        "mode": "full",
        "documents": report.documents,
        "facts": report.facts,
        "errors": len(report.errors),
    }
    tables["builds"] = pd.DataFrame([build_row])
    tables["build_sources"] = pd.DataFrame(sources, columns=_columns("build_sources")).assign(build_id=build_id)
    _write_atomically(db_path, tables)
    report.seconds = time.perf_counter() - started
    return report


def _source_row(doc_id: str, path: Path, sha: str | None, error: str | None) -> dict[str, object]:
    st = path.stat()
    return {"file_name": doc_id, "sha256": sha, "size_bytes": st.st_size, "mtime_ns": st.st_mtime_ns,
            "status": "failed" if error else "loaded", "error": error}  # fmt: skip


def inputs_sha256(catalog: Catalog, corrections_path: Path, reference_dir: Path) -> str:
    """Everything besides the reports that shapes a build; when it changes, a full build is due."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(catalog.sha256.encode())
    h.update(Path(__file__).with_name("checks.toml").read_bytes())
    h.update(SCHEMA_PATH.read_bytes())
    for path in [corrections_path, *sorted(reference_dir.glob("*.csv"))]:
        h.update(path.name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()


def _extract_one(path: Path, catalog: Catalog | None = None) -> Extraction | str:
    """An extraction, or the reason the file could not be read (one bad file stops nothing)."""
    try:
        return process_file(path, catalog or _worker_catalog)
    except ReadError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - reported per file, the build goes on
        return f"{path.name}: lỗi khi trích xuất ({type(exc).__name__}: {exc})"


def _extract_all(
    paths: list[Path], catalog: Catalog, workers: int | None, on_progress: object = None
) -> list[Extraction | str]:
    """Extract in worker processes when there are enough files to pay for them.

    ``on_progress(done, total)`` is called as results arrive (for a progress bar)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(paths) >= _PARALLEL_FROM else 1
    results: list[Extraction | str] = []

    def collect(outcomes: Iterator[Extraction | str]) -> list[Extraction | str]:
        for outcome in outcomes:
            results.append(outcome)
            if callable(on_progress):
                on_progress(len(results), len(paths))
        return results

    if workers <= 1:
        return collect(_extract_one(p, catalog) for p in paths)
    with ProcessPoolExecutor(max_workers=workers, initializer=_set_worker_catalog, initargs=(catalog,)) as pool:
        return collect(pool.map(_extract_one, paths, chunksize=16))


_worker_catalog: Catalog | None = None


def _set_worker_catalog(catalog: Catalog) -> None:
    global _worker_catalog  # noqa: PLW0603 - one catalog per worker process
    _worker_catalog = catalog


def _findings_frame(findings: list[Finding], build_id: str) -> pd.DataFrame:
    rows = [
        {
            "finding_id": f.finding_id, "check_id": f.check, "severity": f.severity, "title": f.title,
            "message": f.message, "province": f.province, "doc_ids": list(f.doc_ids),
            "fact_ids": list(f.fact_ids), "build_id": build_id,
        }
        for f in {f.finding_id: f for f in findings}.values()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=_columns("findings"))


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _tables(
    extractions: list[tuple[str, Extraction]], catalog: Catalog, build_id: str, corrections: list[Correction]
) -> dict[str, pd.DataFrame]:
    docs, facts, applied = [], [], set()
    for doc_id, ex in extractions:
        s = ex.source
        m, corrected_facts, used = apply_corrections(ex.meta, ex.facts, s.sha256, corrections)
        applied |= used
        docs.append(
            {
                "doc_id": doc_id, "file_name": s.name, "sha256": s.sha256,
                "content_sha256": hashlib.sha256(" ".join(s.text.split()).encode()).hexdigest(), "kind": s.kind,
                "encoding": s.encoding, "size_bytes": s.size_bytes, "province": m.province,
                "agency": m.agency, "report_type": m.report_type, "period_label": m.period_label,
                "period_start": m.period_start, "period_end": m.period_end,
                "report_date": m.report_date, "report_number": m.report_number, "title": m.title,
                "text": s.text, "page_starts": list(s.page_starts) or None,
                "metadata_status": "corrected" if m != ex.meta else "extracted", "build_id": build_id,
            }
        )  # fmt: skip
        for extracted, f, status in corrected_facts:
            when = f.as_of or f.period_end or f.period_start
            key = f"{doc_id}|{fact_key(extracted)}|{extracted.role}|{extracted.value}"
            facts.append(
                {
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
                    "extracted_value": extracted.value, "extracted_indicator": extracted.indicator,
                    "build_id": build_id,
                }
            )  # fmt: skip
    indicators = [
        {
            "code": i.code, "group_code": i.group, "group_label": catalog.groups.get(i.group, i.group),
            "label_vi": i.label_vi, "label_en": i.label_en, "unit": i.unit, "scope": i.scope,
            "kind": i.kind, "min_value": i.min_value, "max_value": i.max_value, "sort_order": n,
            "build_id": build_id,
        }
        for n, i in enumerate(catalog.indicators)
    ]  # fmt: skip
    log = [
        {
            "correction_id": c.correction_id, "made_at": pd.Timestamp(c.at), "who": c.who, "why": c.why,
            "doc_sha256": c.doc_sha256, "fact_key": c.fact_key, "field": c.field, "old_value": c.old_value,
            "new_value": c.new_value, "applied": c.correction_id in applied, "build_id": build_id,
        }
        for c in corrections
    ]  # fmt: skip
    return {
        "documents": pd.DataFrame(docs, columns=_columns("documents")),
        "facts": pd.DataFrame(facts, columns=_columns("facts")),
        "indicators": pd.DataFrame(indicators, columns=_columns("indicators")),
        "corrections": pd.DataFrame(log, columns=_columns("corrections")),
    }


def _basis(f: Fact) -> str:
    """How a figure's period reads: a stock at a date, counted from 1 January, or within its period."""
    if f.as_of is not None or f.period_start is None:
        return "stock"
    return "cumulative" if (f.period_start.month, f.period_start.day) == (1, 1) else "in_period"


def _columns(table: str) -> list[str]:
    """Column names of a table in schema.sql, in order."""
    sql = SCHEMA_PATH.read_text(encoding="utf-8")
    body = sql.split(f"CREATE TABLE {table} (", 1)[1].split(");", 1)[0]
    cols = []
    for line in body.splitlines():
        line = line.strip()
        if line and not line.startswith("--"):
            cols.append(line.split()[0])
    return cols


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
    for stale in db_path.parent.glob(db_path.name + ".tmp-*"):
        stale.unlink(missing_ok=True)  # left by a killed build
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


def _write_atomically(db_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write a complete new warehouse beside ``db_path`` and swap it in."""
    with _new_file(db_path) as con:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        for name in _LOAD_ORDER:
            _insert(con, name, tables[name])


def update_warehouse(
    raw_dir: Path,
    db_path: Path,
    catalog: Catalog | None = None,
    workers: int | None = None,
    corrections_path: Path | None = None,
    reference_dir: Path | None = None,
) -> BuildReport | None:
    """Re-extract only new or changed files into a copy of the warehouse and swap it in.

    Unchanged files (same size and mtime, or same sha256) keep their stored facts. Returns None
    when a full build is due: no warehouse yet, or the catalog, checks, corrections, reference
    tables or ETL version changed. Findings are recomputed for the provinces touched."""
    catalog = catalog or default_catalog()
    corrections_path = corrections_path or raw_dir.parent / CORRECTIONS_FILE
    reference_dir = reference_dir or raw_dir.parent / REFERENCE_DIR
    if not db_path.exists():
        return None
    inputs = inputs_sha256(catalog, corrections_path, reference_dir)
    previous = _previous_sources(db_path, inputs)
    if previous is None:
        return None
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    build_id = started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    report = BuildReport(build_id=build_id, db_path=db_path)
    sources, changed = _changed_sources(raw_dir, previous)
    removed = set(previous) - {s["file_name"] for s in sources}
    if not changed and not removed and all(_same_row(s, previous[s["file_name"]]) for s in sources):
        return _unchanged_report(db_path, started)
    extractions: list[tuple[str, Extraction]] = []
    for (doc_id, _), outcome in zip(changed, _extract_all([p for _, p in changed], catalog, workers), strict=True):
        row = next(s for s in sources if s["file_name"] == doc_id)
        if isinstance(outcome, str):
            row.update(status="failed", error=outcome)
        else:
            extractions.append((doc_id, outcome))
    report.errors = [(s["file_name"], s["error"]) for s in sources if s["status"] == "failed"]
    affected = [doc_id for doc_id, _ in changed] + sorted(removed)
    tables = _tables(extractions, catalog, build_id, load_corrections(corrections_path))
    reference = load_reference(reference_dir)["reference_indices"]
    with _new_file(db_path, copy_of=db_path) as con:
        provinces = _replace_documents(con, affected, tables)
        report.findings = _refresh_findings(con, provinces, catalog, reference, build_id)
        report.documents, report.facts = con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM facts)"
        ).fetchone()
        report.facts_per_group = Counter(dict(con.execute(
            "SELECT i.group_code, count(*) FROM facts f JOIN indicators i ON i.code = f.indicator "
            "WHERE f.role = 'primary' GROUP BY 1"
        ).fetchall()))  # fmt: skip
        con.execute("DELETE FROM build_sources")
        _insert(
            con, "build_sources", pd.DataFrame(sources, columns=_columns("build_sources")).assign(build_id=build_id)
        )
        con.execute("DELETE FROM builds")
        row = {"build_id": build_id, "started_at": started_at, "finished_at": datetime.now(UTC).replace(tzinfo=None),
               "etl_version": __version__, "catalog_sha256": catalog.sha256, "inputs_sha256": inputs,
               "raw_dir": str(raw_dir), "mode": "incremental", "documents": report.documents,
               "facts": report.facts, "errors": len(report.errors)}  # fmt: skip
        _insert(con, "builds", pd.DataFrame([row]))
    report.changed = len(affected)
    report.seconds = time.perf_counter() - started
    return report


def _same_row(new: dict, old: dict) -> bool:
    return all(new[k] == old[k] for k in ("sha256", "size_bytes", "mtime_ns", "status"))


def _unchanged_report(db_path: Path, started: float) -> BuildReport:
    """Nothing to do: the warehouse already reflects every file."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        build_id, docs, facts, errors = con.execute("SELECT build_id, documents, facts, errors FROM builds").fetchone()
        failed = con.execute("SELECT file_name, error FROM build_sources WHERE status = 'failed'").fetchall()
        n_findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
    finally:
        con.close()
    report = BuildReport(build_id=build_id, db_path=db_path, documents=docs, facts=facts, findings=n_findings)
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
    for path in list_sources(raw_dir):
        doc_id = path.relative_to(raw_dir).as_posix()
        st = path.stat()
        old = previous.get(doc_id)
        if old and old["size_bytes"] == st.st_size and old["mtime_ns"] == st.st_mtime_ns:
            sources.append({k: old[k] for k in ("file_name", "sha256", "size_bytes", "mtime_ns", "status", "error")})
            continue
        sha = _sha256(path)
        if old and old["sha256"] == sha and old["status"] == "loaded":
            sources.append({**{k: old[k] for k in ("file_name", "sha256", "status", "error")},
                            "size_bytes": st.st_size, "mtime_ns": st.st_mtime_ns})  # fmt: skip
            continue
        sources.append(_source_row(doc_id, path, sha, None))
        changed.append((doc_id, path))
    return sources, changed


def _replace_documents(con: duckdb.DuckDBPyConnection, affected: list[str], tables: dict[str, pd.DataFrame]) -> list:
    """Swap the affected documents' rows; returns the provinces they belonged to before and after."""
    if not affected:
        return []
    ids = pd.DataFrame({"doc_id": affected})
    con.register("affected", ids)
    old = [r[0] for r in con.execute("SELECT DISTINCT province FROM documents JOIN affected USING (doc_id)").fetchall()]
    con.execute("DELETE FROM facts WHERE doc_id IN (SELECT doc_id FROM affected)")
    con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM affected)")
    con.unregister("affected")
    _insert(con, "documents", tables["documents"])
    _insert(con, "facts", tables["facts"])
    return sorted({*old, *tables["documents"]["province"].tolist()}, key=str)


def _refresh_findings(
    con: duckdb.DuckDBPyConnection, provinces: list, catalog: Catalog, reference: pd.DataFrame, build_id: str
) -> int:
    """Run the checks again over the provinces touched (every check compares within a province)."""
    if provinces:
        named = [p for p in provinces if isinstance(p, str)]
        unnamed = " OR province IS NULL" if len(named) < len(provinces) else ""
        con.register("scope", pd.DataFrame({"province": pd.Series(named, dtype="string")}))
        docs = con.execute(
            "SELECT doc_id, province, agency, report_type, period_label, period_start, period_end, content_sha256 "
            f"FROM documents WHERE province IN (SELECT province FROM scope){unnamed}"
        ).df()
        con.register("scope_docs", docs[["doc_id"]])
        facts = con.execute(
            "SELECT * FROM facts WHERE status <> 'rejected' AND doc_id IN (SELECT doc_id FROM scope_docs)"
        ).df()
        con.execute(f"DELETE FROM findings WHERE province IN (SELECT province FROM scope){unnamed}")
        con.unregister("scope")
        con.unregister("scope_docs")
        findings = run_checks(facts, docs, catalog, reference=reference)
        _insert(con, "findings", _findings_frame(findings, build_id), ignore_duplicates=True)
    return con.execute("SELECT count(*) FROM findings").fetchone()[0]
