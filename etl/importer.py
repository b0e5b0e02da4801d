"""New reports into the raw folder, content-addressed, then a rebuild — nothing overwritten.

``stage`` reads and extracts an upload without writing anything; ``publish`` stores the
originals under ``<raw>/imports/<sha256>__<name>``, appends the reviewer's corrections to the
log, and rebuilds the warehouse (written beside the live file and swapped in atomically).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.build import BuildInputs, BuildReport, build
from etl.corrections import Correction, append_corrections, build_lock
from etl.pipeline import Extraction, process_bytes, process_file
from etl.readers import DEFAULT_MAX_BYTES, SUFFIXES, ReadError
from etl.remap import stamped
from etl.sources import raw_files
from etl.transform import sha256_of
from etl.workers import owner_alive

__all__ = ["Staged", "known_hashes", "publish", "safe_name", "stage"]

IMPORTS = "imports"
_UNSAFE = re.compile(r"[^\w\-. ()]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Staged:
    """One upload, read and extracted, not yet written anywhere."""

    name: str
    sha256: str
    data: bytes
    extraction: Extraction | None = None
    error: str | None = None
    duplicate_of: str | None = None

    @property
    def publishable(self) -> bool:
        return self.extraction is not None and self.duplicate_of is None


def safe_name(name: str) -> str:
    """A plain file name: no folders, no control or shell characters, at most 120 characters."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    base = _UNSAFE.sub("_", base).strip(" ._") or "bao-cao"
    stem, dot, suffix = base.rpartition(".")
    return (stem[:100] + dot + suffix[:10]) if dot else base[:120]


def _name_problem(name: str) -> str | None:
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name or "\x00" in name:
        return (
            f"{safe_name(name)}: tên tệp chứa đường dẫn hoặc ký tự không hợp lệ ({name!r}); hãy đổi tên tệp rồi tải lại"
        )
    if Path(name).suffix.lower() not in SUFFIXES:
        return f"{safe_name(name)}: chỉ nhận tệp {', '.join(SUFFIXES)}"
    return None


def known_hashes(raw_dir: Path) -> dict[str, str]:
    """sha256 → file (relative to ``raw_dir``) of every report already there."""
    out: dict[str, str] = {}
    for path in raw_files(raw_dir):
        rel = path.relative_to(raw_dir).as_posix()
        prefix = path.name.split("__", 1)[0]
        if path.parent.name == IMPORTS and re.fullmatch(r"[0-9a-f]{64}", prefix):
            out[prefix] = rel
        else:
            out[hashlib.sha256(path.read_bytes()).hexdigest()] = rel
    return out


def stage(
    name: str, data: bytes, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES, known: dict[str, str] | None = None
) -> Staged:
    """Check and extract one upload; the result says why it cannot be published, if it cannot."""
    sha = hashlib.sha256(data).hexdigest()
    problem = _name_problem(name)
    if problem:
        return Staged(safe_name(name), sha, data, error=problem)
    if len(data) > max_bytes:
        return Staged(
            name, sha, data, error=f"{name}: tệp quá lớn ({len(data) / 1e6:.1f} MB, tối đa {max_bytes / 1e6:.0f} MB)"
        )
    known = known if known is not None else known_hashes(raw_dir)
    try:
        extraction = process_bytes(name, data)
    except ReadError as exc:
        return Staged(name, sha, data, error=str(exc))
    return Staged(name, sha, data, extraction=extraction, duplicate_of=known.get(sha))


def _store(raw_dir: Path, item: Staged) -> Path:
    """Write the original under its content hash; an existing file is never overwritten."""
    folder = raw_dir / IMPORTS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{item.sha256}__{safe_name(item.name)}"
    if target.exists():
        return target
    tmp = folder / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:6]}-{item.sha256[:12]}"
    with tmp.open("wb") as out:
        out.write(item.data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(target)
    return target


def _sweep_stored(raw_dir: Path) -> None:
    """Remove half-written originals of imports that were killed (their process is gone)."""
    for stale in (raw_dir / IMPORTS).glob(".tmp-*"):
        try:
            mtime = stale.stat().st_mtime
        except OSError:
            continue
        if not owner_alive(stale.name.removeprefix(".tmp-"), mtime):
            stale.unlink(missing_ok=True)


def publish(
    items: list[Staged],
    inputs: BuildInputs,
    db_path: Path,
    corrections: list[Correction] = (),  # type: ignore[assignment]
) -> tuple[list[Path], BuildReport | None]:
    """Store the publishable uploads in ``inputs.raw_dir``, log the corrections in
    ``inputs.corrections``, rebuild; returns stored paths and the build.

    With nothing to publish and no correction, nothing is written and nothing is rebuilt. The
    whole of it holds the build lock: no other build can swap in a warehouse without these.
    The build decides itself whether it can be incremental (a new correction makes it full)."""
    checked = [c.validated() for c in corrections]  # refuse bad corrections before writing anything
    if not checked and not any(item.publishable for item in items):
        return [], None
    with build_lock(inputs.lock_dir):
        _sweep_stored(inputs.raw_dir)
        stored = [_store(inputs.raw_dir, item) for item in items if item.publishable]
        if checked:
            append_corrections(inputs.corrections, _with_figures(checked, items, inputs, db_path))
        report = build(inputs, db_path)
    return stored, report


def _with_figures(
    corrections: list[Correction], items: list[Staged], inputs: BuildInputs, db_path: Path
) -> list[Correction]:
    """Each correction of a figure with the figure as the extractor reads it now (where its number
    starts, its value, its quote), so a later build can follow the figure if its span moves."""
    wanted = {c.doc_sha256 for c in corrections if c.fact_key is not None and c.num_start is None}
    extractions = {i.sha256: i.extraction for i in items if i.extraction is not None and i.sha256 in wanted}
    for sha in sorted(wanted - set(extractions)):
        extractions[sha] = _published_extraction(inputs, db_path, sha)
    out = []
    for c in corrections:
        ex = extractions.get(c.doc_sha256)
        out.append(stamped(c, ex.facts, ex.mentions, ex.source.text) if ex is not None else c)
    return out


def _published_extraction(inputs: BuildInputs, db_path: Path, sha256: str) -> Extraction | None:
    """A published report read again, found by the warehouse's list of documents; None when it
    cannot be (the correction is then written without its figure, as before)."""
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        sql = "SELECT doc_id FROM documents WHERE sha256 = ? ORDER BY doc_id LIMIT 1"
        found = con.execute(sql, [sha256]).fetchone()
    except duckdb.Error:
        found = None
    finally:
        con.close()
    path = inputs.raw_dir / found[0] if found else None
    if path is None or not path.is_file() or sha256_of(path) != sha256:
        return None
    try:
        return process_file(path, inputs.catalog)
    except Exception:  # noqa: BLE001 - recording the figure must never keep a correction from being written
        return None
