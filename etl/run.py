"""One build's inputs as read once under the build lock, and the report it hands back: what the
plan, the executor and the store of a build share (etl/build.py makes them)."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import pandas as pd

from etl.catalog import Catalog
from etl.checks import official_ranks
from etl.corrections import CorrectionsLog

__all__ = ["FULL", "INCREMENTAL", "BuildReport", "BuildRun", "now"]

FULL, INCREMENTAL = "full", "incremental"  # builds.mode


def now() -> datetime:
    """UTC without a zone, as the warehouse stores times."""
    return datetime.now(UTC).replace(tzinfo=None)


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
    changed: int = 0  # documents extracted again or removed (incremental builds)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # one Vietnamese line each: bad lines of the log, orphans
    orphans: list[tuple[str, str]] = field(default_factory=list)  # (file, message): corrections naming no figure now
    mode: str = FULL  # full | incremental (unchanged: nothing written)


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
    started_at: datetime = field(default_factory=now)
    started: float = field(default_factory=time.perf_counter)

    @cached_property
    def build_id(self) -> str:
        return self.started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]

    @cached_property
    def worker_checks(self) -> tuple[dict, dict]:
        """What each document is checked with inside its step: the declarations, the official ranks."""
        return self.checks, official_ranks(self.reference["reference_indices"])

    def report(self, mode: str) -> BuildReport:
        return BuildReport(build_id=self.build_id, db_path=self.db_path, warnings=list(self.log.problems), mode=mode)
