"""Importing new reports: bad input changes nothing; readers never see a half state."""

from __future__ import annotations

import io
import multiprocessing as mp
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.build import BuildInputs, build_warehouse
from etl.importer import known_hashes, publish, safe_name, stage
from tests.conftest import RAW, ROOT

REPORT = (
    "BÁO CÁO\nKết quả công tác năm 2025\n\nSở Y tế tỉnh Cà Mau báo cáo: trong năm 2025, Sở đã tiếp nhận "
    "1.204 hồ sơ, đã giải quyết 1.190 hồ sơ.\n"
).encode()


@pytest.fixture
def site(tmp_path):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(RAW, raw)
    db = tmp_path / "data" / "warehouse.duckdb"
    build_warehouse(raw, db)
    return raw, db


def snapshot(raw: Path, db: Path) -> tuple:
    files = sorted(p.relative_to(raw.parent).as_posix() for p in raw.parent.rglob("*") if p.is_file() and p != db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        build = con.execute("SELECT build_id FROM builds").fetchone()[0]
    finally:
        con.close()
    return files, build


def docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả năm 2025: Sở đã tiếp nhận 12 hồ sơ.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def corrupt_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document><oops")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("anh.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 30, "không phải tệp văn bản"),
        ("bao_cao.docx", REPORT, "nội dung là văn bản thuần nhưng tên tệp có đuôi .docx"),
        ("hong.docx", corrupt_docx(), "không đọc được tệp .docx"),
        ("to.txt", REPORT * 200_000, "tệp quá lớn"),
        ("../../x.txt", REPORT, "tên tệp chứa đường dẫn"),
        ("..\\..\\x.txt", REPORT, "tên tệp chứa đường dẫn"),
        ("bang_tinh.xlsx", REPORT, "chỉ nhận tệp"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(site, name, data, message):
    raw, db = site
    before = snapshot(raw, db)
    item = stage(name, data, raw)
    assert item.error and message in item.error
    assert not item.publishable
    stored, _ = publish([item], BuildInputs.in_folder(raw.parent, raw), db)
    assert stored == []
    files, _ = snapshot(raw, db)
    assert files == before[0]  # nothing written beside the originals
    assert not (raw.parent.parent / "x.txt").exists() and not (raw.parent / "x.txt").exists()


def test_the_same_file_twice_is_reported_not_duplicated(site):
    raw, db = site
    first = stage("moi.txt", REPORT, raw)
    assert first.publishable
    publish([first], BuildInputs.in_folder(raw.parent, raw), db)
    before = snapshot(raw, db)
    again = stage("ten_khac.txt", REPORT, raw)
    assert again.duplicate_of and again.duplicate_of.startswith("imports/") and not again.publishable
    seed = stage("copy.txt", (RAW / "000_542a35844e80859c.txt").read_bytes(), raw)
    assert seed.duplicate_of == "000_542a35844e80859c.txt"
    assert snapshot(raw, db) == before


def test_cli_import_bad_files_exit_non_zero_and_write_nothing(site, tmp_path):
    raw, db = site
    before = snapshot(raw, db)
    bad = tmp_path / "hong.docx"
    bad.write_bytes(corrupt_docx())
    junk = tmp_path / "rac.txt"
    junk.write_bytes(bytes(range(256)) * 50)
    out = subprocess.run([sys.executable, "-m", "etl", "import", str(bad), str(junk), "--yes", "--raw", str(raw),
                          "--db", str(db)], capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert out.returncode == 1
    assert "hong.docx: không đọc được tệp .docx" in out.stdout and "rac.txt: không phải tệp văn bản" in out.stdout
    assert snapshot(raw, db) == before


def test_cli_import_publishes_content_addressed(site, tmp_path):
    raw, db = site
    new = tmp_path / "Báo cáo Sở Y tế 2025.docx"
    new.write_bytes(docx_bytes())
    out = subprocess.run([sys.executable, "-m", "etl", "import", str(new), "--yes", "--raw", str(raw), "--db", str(db)],
                         capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    [stored] = (raw / "imports").iterdir()
    sha = stored.name.split("__")[0]
    assert len(sha) == 64 and stored.read_bytes() == new.read_bytes()
    assert known_hashes(raw)[sha] == f"imports/{stored.name}"


def test_safe_names():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("báo cáo; rm -rf.txt") == "báo cáo_ rm -rf.txt"
    assert safe_name("\x00\x01.txt") == "txt"
    assert len(safe_name("a" * 500 + ".docx")) <= 120


def _reader(db: str, seconds: float, queue: mp.Queue) -> None:
    sys.path.insert(0, str(ROOT))
    from dashboard import queries
    from dashboard.db import connect
    from dashboard.filters import Filters

    seen, errors = set(), []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            con = connect(Path(db))
            try:
                docs = queries.documents(con, Filters())
                facts = queries.facts(con, Filters())
                seen.add((len(docs), int(docs["facts"].sum()), len(facts)))
            finally:
                con.close()
        except Exception as exc:  # noqa: BLE001 - any reader failure is what this test looks for
            errors.append(repr(exc))
    queue.put((sorted(seen), errors))


@pytest.mark.slow
def test_readers_see_old_or_new_never_half_while_an_import_publishes(site, tmp_path):
    raw, db = site
    new = tmp_path / "moi.txt"
    new.write_bytes(REPORT)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    reader = ctx.Process(target=_reader, args=(str(db), 8.0, queue))
    reader.start()
    time.sleep(2.0)
    out = subprocess.run([sys.executable, "-m", "etl", "import", str(new), "--yes", "--raw", str(raw), "--db", str(db)],
                         capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert out.returncode == 0, out.stderr
    seen, errors = queue.get(timeout=60)
    reader.join(timeout=10)
    assert errors == []
    assert len(seen) == 2, seen  # the old warehouse, then the new one — nothing in between
    (old_docs, old_sum, old_facts), (new_docs, new_sum, new_facts) = seen
    assert (new_docs, new_facts) == (old_docs + 1, old_facts + 2) and new_sum == old_sum + 2
