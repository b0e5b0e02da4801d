"""The one orchestrator of every build: plan -> map -> store -> recheck -> publish.

``build(inputs, db)`` takes the build lock, sweeps what killed builds left, reads every input
besides the reports exactly once (the corrections log, the reference tables, the checks; the
build fingerprints and loads those very bytes), then: plans (every file into an empty store, or,
when the previous warehouse had the same inputs, only the new and changed files into a copy of
it), maps ``transform`` over the planned files by an executor (etl/executor.py: the local process
pool, or Spark), replaces their documents in the store, rechecks the touched provinces and
publishes. A full build is an incremental build over everything. The command line and the
importer both come through here.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from contract import SCHEMA_PATH, VOCABULARY_PATH
from etl import __version__
from etl.batch import Chunk
from etl.catalog import Catalog, default_catalog
from etl.checks import CHECKS_PATH
from etl.corrections import CorrectionsLog, build_lock, read_corrections
from etl.executor import Executor, LocalPool
from etl.extract import extractors
from etl.pipeline import Extraction
from etl.plan import Plan, full_plan, incremental_plan
from etl.reference import ReferenceSnapshot, read_reference
from etl.rows import doc_rows
from etl.run import INCREMENTAL, BuildReport, BuildRun
from etl.store import open_store, published_report, published_sources, sweep_temp_files
from etl.transform import DocumentRows, TransformInputs, document_findings
from etl.workers import file_timeout as budget_of
from etl.workers import spool_folder, sweep_spools

__all__ = [
    "CORRECTIONS_FILE", "REFERENCE_DIR", "BuildInputs", "BuildReport", "build", "build_from_extractions",
    "build_warehouse", "inputs_sha256", "sweep_leftovers", "update_warehouse",
]

CORRECTIONS_FILE = "corrections.jsonl"  # in the data folder: data/corrections.jsonl
REFERENCE_DIR = "reference"  # in the data folder: data/reference/
RAW_DIR = "raw"


@dataclass(frozen=True, slots=True)
class BuildInputs:
    """Everything a build reads, named: where the reports, the corrections log, the reference
    tables and the checks are, the catalog, and the folder whose build lock it holds."""

    raw_dir: Path
    corrections: Path
    reference_dir: Path
    lock_dir: Path  # the data folder: builds, corrections and imports take turns on its lock
    catalog: Catalog = field(default_factory=default_catalog)
    checks: Path = CHECKS_PATH

    @classmethod
    def in_folder(cls, data_dir: Path, raw_dir: Path | None = None, catalog: Catalog | None = None) -> BuildInputs:
        """The product's layout: ``data/raw``, ``data/corrections.jsonl``, ``data/reference/``."""
        return cls(raw_dir=raw_dir or data_dir / RAW_DIR, corrections=data_dir / CORRECTIONS_FILE,
                   reference_dir=data_dir / REFERENCE_DIR, lock_dir=data_dir,
                   catalog=catalog or default_catalog())  # fmt: skip


def build(
    inputs: BuildInputs,
    db_path: Path,
    full: bool = False,
    *,
    workers: int | None = None,
    file_timeout: float | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    executor: Executor | None = None,
) -> BuildReport:
    """Build ``db_path`` from ``inputs``: in place of a full build, only new or changed reports are
    read again when the previous build had the same inputs (unless ``full``).

    ``workers``: extracting processes (None: by the number of cores); ``file_timeout``: each
    file's budget in seconds (None: ``ETL_FILE_TIMEOUT`` or 60); ``on_progress(done, total)``;
    ``executor``: what runs ``transform`` over the files (None: the local pool of ``workers``)."""
    with build_lock(inputs.lock_dir):  # from reading the inputs to the swap
        sweep_leftovers(db_path)
        run = _read_inputs(inputs, db_path, workers, file_timeout, on_progress)
        plan = None if full else incremental_plan(run.raw_dir, published_sources(db_path, run.inputs_sha256))
        return _build(run, plan or full_plan(run.raw_dir), executor or LocalPool(workers))


def _build(run: BuildRun, plan: Plan, executor: Executor) -> BuildReport:
    """The plan carried out: its files mapped through ``transform``, their documents replaced in
    the store (empty, or a copy of the live warehouse), the touched provinces rechecked, published."""
    if plan.unchanged:
        return published_report(run)  # nothing to write
    with spool_folder(run.db_path) as spool, open_store(run, previous=plan.mode == INCREMENTAL) as store:
        with closing(_map(run, plan, spool, executor)) as chunks:  # stopped early, the workers go at once
            provinces = store.replace(chunks, removed=plan.removed)
        store.recheck(provinces)
        report = store.publish(sorted([*plan.kept, *store.sources], key=lambda s: s["file_name"]), engine=executor.name)
    report.changed = plan.changed if plan.mode == INCREMENTAL else 0
    return report


def _map(run: BuildRun, plan: Plan, spool: Path, executor: Executor) -> Iterator[DocumentRows | Chunk]:
    """``transform`` over the planned files by the build's executor, in their order."""
    inputs = TransformInputs(run.catalog, tuple(run.log.corrections), run.worker_checks, budget_of(run.file_timeout))
    return executor.map(plan.files, inputs, spool, run.on_progress)


def sweep_leftovers(db_path: Path) -> int:
    """Remove the temporary warehouses and spool folders of builds that are gone (every build does
    this first, whether or not it writes); returns how many were removed."""
    return sweep_spools(db_path) + sweep_temp_files(db_path)


def _read_inputs(
    inputs: BuildInputs,
    db_path: Path,
    workers: int | None,
    file_timeout: float | None,
    on_progress: Callable[[int, int], None] | None,
) -> BuildRun:
    """Each input besides the reports read once; the fingerprint is of the bytes loaded."""
    log = read_corrections(inputs.corrections)
    reference = read_reference(inputs.reference_dir)
    checks = inputs.checks.read_bytes()
    return BuildRun(
        raw_dir=inputs.raw_dir, db_path=db_path, catalog=inputs.catalog,
        checks=tomllib.loads(checks.decode("utf-8")), log=log, reference=reference.tables,
        inputs_sha256=_fingerprint(inputs, log, reference, checks), workers=workers,
        file_timeout=file_timeout, on_progress=on_progress,
    )  # fmt: skip


def _fingerprint(inputs: BuildInputs, log: CorrectionsLog, reference: ReferenceSnapshot, checks: bytes) -> str:
    """Everything besides the reports that shapes a build (the extractors run, by name too); when it
    changes, a full build is due."""
    h = hashlib.sha256()
    for part in (__version__.encode(), inputs.catalog.sha256.encode(), checks, SCHEMA_PATH.read_bytes(),
                 VOCABULARY_PATH.read_bytes(), inputs.corrections.name.encode(), log.data,
                 reference.sha256.encode(), " ".join(e.name for e in extractors()).encode()):  # fmt: skip
        h.update(part)
    return h.hexdigest()


def inputs_sha256(inputs: BuildInputs, log: CorrectionsLog | None = None) -> str:
    """The fingerprint a build of ``inputs`` would store now (given the log's bytes: of those)."""
    log = log if log is not None else read_corrections(inputs.corrections)
    return _fingerprint(inputs, log, read_reference(inputs.reference_dir), inputs.checks.read_bytes())


def build_from_extractions(
    inputs: BuildInputs, db_path: Path, extractions: Iterable[tuple[str, Extraction]]
) -> BuildReport:
    """A warehouse from extractions made without reading reports (the benchmarks' synthetic
    corpora), through the same store steps as a full build: rows, vocabulary, checks, the builds row."""
    with build_lock(inputs.lock_dir):
        sweep_leftovers(db_path)
        run = _read_inputs(inputs, db_path, None, None, None)
        docs = (_made(doc_id, ex, run) for doc_id, ex in extractions)
        with open_store(run, previous=False) as store:
            store.recheck(store.replace(docs))
            return store.publish(store.sources, engine=LocalPool().name)  # made in this process


def _made(doc_id: str, ex: Extraction, run: BuildRun) -> DocumentRows:
    """One extraction as a document's step would hand it over (no file: no size or time)."""
    rows = doc_rows(doc_id, ex, run.log.corrections, run.catalog)
    source = {"file_name": doc_id, "sha256": rows.sha256, "size_bytes": None, "mtime_ns": None,
              "status": "loaded", "error": None}  # fmt: skip
    return DocumentRows(doc_id, source, rows, document_findings(rows, run.catalog, run.worker_checks))


def build_warehouse(
    raw_dir: Path,
    db_path: Path,
    catalog: Catalog | None = None,
    *,
    workers: int | None = None,
    file_timeout: float | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    executor: Executor | None = None,
) -> BuildReport:
    """A full build of a folder laid out as the product's data folder, ``raw_dir`` inside it
    (``BuildInputs.in_folder``): for tests and benchmarks."""
    inputs = BuildInputs.in_folder(raw_dir.parent, raw_dir, catalog)
    return build(inputs, db_path, full=True, workers=workers, file_timeout=file_timeout, on_progress=on_progress,
                 executor=executor)  # fmt: skip


def update_warehouse(
    raw_dir: Path, db_path: Path, *, workers: int | None = None, file_timeout: float | None = None
) -> BuildReport | None:
    """An incremental build of such a folder, or None when a full build is due (nothing written)."""
    inputs = BuildInputs.in_folder(raw_dir.parent, raw_dir)
    with build_lock(inputs.lock_dir):
        sweep_leftovers(db_path)
        run = _read_inputs(inputs, db_path, workers, file_timeout, None)
        plan = incremental_plan(run.raw_dir, published_sources(db_path, run.inputs_sha256))
        return None if plan is None else _build(run, plan, LocalPool(workers))
