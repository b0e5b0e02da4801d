"""One document's whole step as a pure, picklable function: read -> normalise -> metadata ->
extract -> corrections -> typed rows -> the findings of the checks inside one document.

``transform(file, inputs)`` reads nothing but the file and ``inputs`` and keeps no state, so any
executor can run it: the local process pool (etl/workers.py) does today, file by file; another
engine's map over the raw files could run the same function.
"""

from __future__ import annotations

import hashlib
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.catalog import Catalog
from etl.checks import DOCUMENT, CheckInputs, Finding, orphan_findings, run_checks
from etl.corrections import Correction
from etl.pipeline import process_file
from etl.readers import ReadError
from etl.rows import DocRows, doc_rows, source_row
from etl.sources import shown

__all__ = [
    "DocumentRows",
    "TransformInputs",
    "document_findings",
    "given_up",
    "overtime_message",
    "sha256_of",
    "transform",
]


@dataclass(frozen=True, slots=True)
class TransformInputs:
    """Everything a document's step reads besides the file: the same for every file of a build."""

    catalog: Catalog
    corrections: tuple[Correction, ...]
    checks: tuple[dict, dict]  # the checks' declarations, and the official ranks they compare with
    budget: float | None = None  # seconds one file may take (None: no limit)


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """One file after its step: its build_sources row, its rows unless it failed, and the
    findings of the checks that look inside one document."""

    doc_id: str
    source: dict[str, object]
    rows: DocRows | None
    findings: tuple[Finding, ...] = ()


class _Overtime(BaseException):
    """Raised by the alarm in the middle of a file; a BaseException, so no reader's
    ``except Exception`` turns it into a read error."""


def _raise_overtime(signum: int, frame: object) -> None:
    raise _Overtime


def _within(budget: float | None, work: Callable[[], DocumentRows]) -> DocumentRows:
    """Run ``work`` under an alarm of ``budget`` seconds, where an alarm can be set: the main
    thread, with no other timer running (the caller's timer is left alone)."""
    usable = budget and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        return work()
    previous = signal.signal(signal.SIGALRM, _raise_overtime)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def overtime_message(path: Path, budget: float) -> str:
    """Why a file over its time budget was given up on (by the alarm here, or by a pool's kill)."""
    seconds = f"{budget:g}".replace(".", ",")
    return f"{shown(path.name)}: quá thời gian trích xuất (quá {seconds} giây); bỏ qua tệp này"


def sha256_of(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read (its build_sources row says why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def given_up(file: tuple[str, Path], error: str) -> DocumentRows:
    """A file given up on: its build_sources row says why (no hash of a file that is not a plain file)."""
    doc_id, path = file
    return DocumentRows(doc_id, source_row(doc_id, path, sha256_of(path) if path.is_file() else None, error), None)


def document_findings(rows: DocRows, catalog: Catalog, checks: tuple[dict, dict]) -> tuple[Finding, ...]:
    """What the checks that look inside one document find in it, and its corrections that name
    no figure of it now."""
    checked = CheckInputs.of(rows.check_records(), official=checks[1])
    orphans = orphan_findings(rows.doc_id, rows.province, rows.orphans)
    return (*run_checks(checked, catalog, checks[0], scope=DOCUMENT), *orphans)


def _step(file: tuple[str, Path], inputs: TransformInputs) -> DocumentRows:
    doc_id, path = file
    ex = process_file(path, inputs.catalog)
    rows = doc_rows(doc_id, ex, list(inputs.corrections), inputs.catalog)
    findings = document_findings(rows, inputs.catalog, inputs.checks)
    return DocumentRows(doc_id, source_row(doc_id, path, ex.source.sha256, None), rows, findings)


def transform(file: tuple[str, Path], inputs: TransformInputs) -> DocumentRows:
    """Read, extract and turn into rows one file (doc_id, path) within its time budget; a bad or
    slow file gives its reason, and stops nothing."""
    path = file[1]
    try:
        return _within(inputs.budget, lambda: _step(file, inputs))
    except ReadError as exc:
        return given_up(file, str(exc))
    except _Overtime:
        return given_up(file, overtime_message(path, inputs.budget or 0))
    except MemoryError:
        return given_up(file, f"{shown(path.name)}: hết bộ nhớ khi trích xuất; bỏ qua tệp này")
    except Exception as exc:  # noqa: BLE001 - reported per file, the build goes on
        return given_up(file, f"{shown(path.name)}: lỗi khi trích xuất ({type(exc).__name__}: {shown(str(exc))})")
