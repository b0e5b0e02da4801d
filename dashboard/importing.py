"""The import page's way to the ETL: its command line, so the read side never imports etl/.

Uploads are written to a private temporary folder and named in a manifest; the ETL reads,
extracts, stores content-addressed and rebuilds. Both ways the messages are the contract's
(contract/messages.py): a manifest and a batch of corrections out, typed replies back.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from contract.messages import (
    CorrectionBatch,
    CorrectionRequest,
    Failed,
    Manifest,
    ManifestEntry,
    MessageError,
    Reply,
    parse_line,
)

ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
log = logging.getLogger(__name__)


def raw_dir() -> Path:
    return Path(os.environ.get("RAW_DIR", ROOT / "data" / "raw"))


def max_upload_bytes() -> int:
    return int(float(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Upload:
    name: str  # as the browser sent it
    data: bytes


def accepted(uploads: list[Upload]) -> tuple[list[Upload], list[str]]:
    """The uploads with a report's extension, and the names of the others (refused with a message)."""
    ok: list[Upload] = []
    refused: list[str] = []
    for upload in uploads:
        if upload.name.lower().endswith(EXTENSIONS):
            ok.append(upload)
        else:
            refused.append(upload.name)
    return ok, refused


def _opt(name: str, value: object) -> str:
    """'--who=VALUE' in one argument: a value starting with '-' (an editor called '--yes') is then
    still a value, never an option of the ETL's argument parser."""
    return f"--{name}={value}"


_SYSTEM_ERROR = Failed(file="", error="Không xử lý được báo cáo do lỗi hệ thống. Vui lòng thử lại; nếu vẫn lỗi, "
                      "báo quản trị hệ thống (chi tiết đã ghi vào nhật ký máy chủ).")  # fmt: skip


def _replies(stdout: str) -> list[Reply]:
    """The ETL's protocol lines; one that breaks the protocol is logged and read as a system error."""
    replies: list[Reply] = []
    for line in stdout.splitlines():
        if not line.startswith("{"):
            continue
        try:
            replies.append(parse_line(line))  # type: ignore[arg-type]
        except MessageError as exc:
            log.error("etl reply outside the protocol: %s", exc)
            replies.append(_SYSTEM_ERROR)
    return replies


def _etl(args: list[str], db: Path) -> list[Reply]:
    cmd = [sys.executable, "-m", "etl", *args, _opt("raw", raw_dir()), _opt("db", db), "--json"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    replies = _replies(done.stdout)
    if done.returncode not in (0, 1) or (done.returncode and not replies):
        log.error("etl %s failed (%s): %s", args[:1], done.returncode, done.stderr.strip()[-2000:])
        replies.append(_SYSTEM_ERROR)
    return replies


def _with_manifest(uploads: list[Upload], args: list[str], db: Path) -> list[Reply]:
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        entries = []
        for k, upload in enumerate(uploads):
            path = Path(tmp) / f"{k:03d}.bin"  # never the user's name: it may hold a path
            path.write_bytes(upload.data)
            entries.append(ManifestEntry(name=upload.name, path=str(path)))
        (Path(tmp) / "manifest.json").write_text(Manifest(tuple(entries)).to_line(), encoding="utf-8")
        return _etl(["import", _opt("manifest", Path(tmp) / "manifest.json"), *args], db)


def _batch_file(corrections: list[CorrectionRequest]) -> Path:
    """The corrections as the protocol's batch, in a temporary file the caller removes."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        f.write(CorrectionBatch(tuple(corrections)).to_line())
    return Path(f.name)


def preview(uploads: list[Upload], db: Path) -> list[Reply]:
    """Read and extract without writing anything: one row per upload (staged, duplicate or error)."""
    mb = str(max_upload_bytes() // (1024 * 1024))
    return _with_manifest(uploads, ["--dry-run", _opt("max-mb", mb)], db)


def publish(uploads: list[Upload], corrections: list[CorrectionRequest], who: str, db: Path) -> list[Reply]:
    """Store the uploads, log the corrections (each with its reason), rebuild the warehouse."""
    batch = _batch_file(corrections)
    try:
        mb = str(max_upload_bytes() // (1024 * 1024))
        args = ["--yes", _opt("who", who), _opt("corrections", batch), _opt("max-mb", mb)]
        return _with_manifest(uploads, args, db)
    finally:
        batch.unlink(missing_ok=True)


def correct(corrections: list[CorrectionRequest], who: str, db: Path) -> list[Reply]:
    """Log corrections to published documents and rebuild."""
    batch = _batch_file(corrections)
    try:
        return _etl(["correct", _opt("file", batch), _opt("who", who)], db)
    finally:
        batch.unlink(missing_ok=True)
