"""A build's plan: which files to transform and which documents are gone.

A full build transforms every file into an empty store; an incremental one only the new and
changed files into a copy of the previous warehouse (whose build had the same inputs), the other
files keeping their stored rows. The same steps follow either plan (etl/build.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from etl.run import FULL, INCREMENTAL
from etl.sources import raw_entries
from etl.transform import sha256_of

__all__ = ["Plan", "full_plan", "incremental_plan"]

_SOURCE = ("file_name", "sha256", "size_bytes", "mtime_ns", "status", "error")


@dataclass(frozen=True, slots=True)
class Plan:
    """What one build does: the files to transform (doc_id, path), the documents to drop, and the
    build_sources rows of the files not read again."""

    mode: str  # full: into an empty store; incremental: into a copy of the previous warehouse
    files: list[tuple[str, Path]]
    removed: list[str] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)
    unchanged: bool = False  # the previous warehouse already reflects every file: nothing to write

    @property
    def changed(self) -> int:
        """Documents read again or dropped."""
        return len(self.files) + len(self.removed)


def full_plan(raw_dir: Path) -> Plan:
    """Every entry of the raw folder (a refused one fails with its reason)."""
    return Plan(FULL, [(p.relative_to(raw_dir).as_posix(), p) for p in raw_entries(raw_dir)])


def incremental_plan(raw_dir: Path, previous: dict[str, dict] | None) -> Plan | None:
    """Only new or changed files against the previous build's ``build_sources`` rows (by file
    name); None when there is no previous build of the same inputs (a full build is due).

    A file of the same size and mtime, or of the same sha256 when it loaded, is not read again."""
    if previous is None:
        return None
    kept, files = [], []
    prefix = f"{raw_dir}{os.sep}"  # the listing joins names onto this string: cut it, not Path.relative_to
    listed = set()
    for path in raw_entries(raw_dir):  # refused ones too: they stay failed rows with their reason
        text = str(path)
        doc_id = text[len(prefix):] if text.startswith(prefix) else path.relative_to(raw_dir).as_posix()
        listed.add(doc_id)
        st = path.stat()
        old = previous.get(doc_id)
        if old and old["size_bytes"] == st.st_size and old["mtime_ns"] == st.st_mtime_ns:
            kept.append({k: old[k] for k in _SOURCE})
            continue
        sha = sha256_of(path)
        if old and old["sha256"] == sha and old["status"] == "loaded":
            kept.append({**{k: old[k] for k in _SOURCE}, "size_bytes": st.st_size, "mtime_ns": st.st_mtime_ns})
            continue
        files.append((doc_id, path))
    removed = sorted(set(previous) - listed)
    unchanged = not files and not removed and all(_same(s, previous[s["file_name"]]) for s in kept)
    return Plan(INCREMENTAL, files, removed, kept, unchanged)


def _same(new: dict, old: dict) -> bool:
    return all(new[k] == old[k] for k in ("sha256", "size_bytes", "mtime_ns", "status"))
