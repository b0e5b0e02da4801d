"""The import page's way to the ETL: its command line, so the read side never imports etl/.

Uploads are written to a private temporary folder and named in a manifest; the ETL reads,
extracts, stores content-addressed and rebuilds. Every call returns the ETL's JSON lines.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

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


def _etl(args: list[str], db: Path) -> list[dict]:
    cmd = [sys.executable, "-m", "etl", *args, _opt("raw", raw_dir()), _opt("db", db), "--json"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode not in (0, 1) or (done.returncode and not rows):
        log.error("etl %s failed (%s): %s", args[:1], done.returncode, done.stderr.strip()[-2000:])
        rows.append({"type": "error", "file": "", "error": "Không xử lý được báo cáo do lỗi hệ thống. Vui lòng thử "
                     "lại; nếu vẫn lỗi, báo quản trị hệ thống (chi tiết đã ghi vào nhật ký máy chủ)."})  # fmt: skip
    return rows


def _with_manifest(uploads: list[Upload], args: list[str], db: Path) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        manifest = []
        for k, upload in enumerate(uploads):
            path = Path(tmp) / f"{k:03d}.bin"  # never the user's name: it may hold a path
            path.write_bytes(upload.data)
            manifest.append({"name": upload.name, "path": str(path)})
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        return _etl(["import", _opt("manifest", Path(tmp) / "manifest.json"), *args], db)


def preview(uploads: list[Upload], db: Path) -> list[dict]:
    """Read and extract without writing anything: one row per upload (staged, duplicate or error)."""
    mb = str(max_upload_bytes() // (1024 * 1024))
    return _with_manifest(uploads, ["--dry-run", _opt("max-mb", mb)], db)


def publish(uploads: list[Upload], corrections: list[dict], who: str, db: Path) -> list[dict]:
    """Store the uploads, log the corrections (each with its reason), rebuild the warehouse."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(corrections, f, ensure_ascii=False)
    try:
        mb = str(max_upload_bytes() // (1024 * 1024))
        args = ["--yes", _opt("who", who), _opt("corrections", f.name), _opt("max-mb", mb)]
        return _with_manifest(uploads, args, db)
    finally:
        Path(f.name).unlink(missing_ok=True)


def correct(corrections: list[dict], who: str, db: Path) -> list[dict]:
    """Log corrections to published documents and rebuild."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(corrections, f, ensure_ascii=False)
    try:
        return _etl(["correct", _opt("file", f.name), _opt("who", who)], db)
    finally:
        Path(f.name).unlink(missing_ok=True)
