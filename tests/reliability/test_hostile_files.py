"""Nothing lost, nothing taken down: hostile entries in the raw folder (zip bombs, FIFOs, device
and escaping links, legacy formats, mixed encodings, broken PDFs, endless numbers, forged names)
each fail on their own with one Vietnamese line naming them, and the good files load.

The builds run in a fresh interpreter, under a timeout (a FIFO must not hang them) and with
their peak memory measured (a zip bomb must not inflate).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from etl.readers import ReadError, read_bytes
from etl.sources import raw_entries, scan_raw, shown
from etl.text.numbers import parse_number, parse_numeral
from tests.conftest import RAW, ROOT, cp1258, rows

GOOD = ["000_542a35844e80859c.txt", "001_5244b78082e0eeed.txt"]
BOMB_INFLATED = 1024 * 1024 * 1024  # 1 GB of "0" in word/document.xml, about 4.5 MB zipped
MEMORY_LIMIT_KB = 1024 * 1024  # peak of a build with two bombs: 1 GB
ESCAPE_NAME = "\x1b[2K\rLỖI  gia-mao.txt\n.txt"  # would erase the line and print a fake error
UNDECODABLE = b"bao-cao-\xe1.txt"  # a Windows-1258 name on a UTF-8 file system
OVERFLOW = "1" + "0" * 400


# ---------------------------------------------------------------- the hostile raw folder


def _bomb(path: Path) -> None:
    """A real .docx zip bomb: a valid package whose document.xml inflates to 1 GB, written in
    streamed 1 MB pieces (nothing large is held in memory)."""
    piece = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>')
            for _ in range(BOMB_INFLATED // len(piece)):
                f.write(piece)


UTF8_HALF = "Sở Thông tin và Truyền thông tỉnh Tây Ninh đã tiếp nhận 36 hồ sơ của người dân và các cơ quan."
LEGACY_HALF = "Trong năm, các cơ quan được giao thực hiện 12 cuộc thanh tra của người dân và doanh nghiệp."


def _mixed_encoding() -> bytes:
    """Two reports pasted together: a UTF-8 half, then a Windows-1258 half."""
    head = f"BÁO CÁO\nKết quả công tác năm 2024\n\n{UTF8_HALF}\n".encode()
    return head + cp1258(f"\n{LEGACY_HALF}\nNơi nhận: các cơ quan của tỉnh.\n")


def _broken_pdf() -> bytes:
    """A PDF whose page content stream is overwritten: pypdf reads it as a page without text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for _ in range(5):
        pdf.multi_cell(0, 6, "Bao cao ket qua cong tac nam 2024: tiep nhan 36 ho so.", new_x="LMARGIN", new_y="NEXT")
    good = bytes(pdf.output())
    at = good.find(b"stream") + 8
    return good[:at] + b"\x00" * 300 + good[at + 300 :]


@pytest.fixture(scope="module")
def hostile_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    raw = data / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(RAW / GOOD[0], raw / GOOD[0])
    shutil.copy(RAW / GOOD[1], raw / "sub" / GOOD[1])
    outside = data / "outside"
    outside.mkdir()
    shutil.copy(RAW / GOOD[0], outside / "secret.txt")  # a good report: were it followed, it would load

    os.mkfifo(raw / "fifo.txt")
    (raw / "zero.txt").symlink_to("/dev/zero")
    (raw / "passwd.txt").symlink_to("/etc/passwd")
    (raw / "secret.txt").symlink_to(outside / "secret.txt")
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "loop_a.txt").symlink_to("loop_b.txt")
    (raw / "loop_b.txt").symlink_to("loop_a.txt")
    (raw / "outside_dir").symlink_to(outside)
    (raw / "alias.txt").symlink_to(GOOD[0])  # inside the raw folder, to a regular file: read
    (raw / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (raw / "bang.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    _bomb(raw / "bomb.docx")
    shutil.copy(raw / "bomb.docx", raw / "bomb2.docx")
    (raw / "tron.txt").write_bytes(_mixed_encoding())
    (raw / "hong.pdf").write_bytes(_broken_pdf())
    body = f"BÁO CÁO\nKết quả công tác năm 2024\n\nĐã tiếp nhận {OVERFLOW} hồ sơ, đạt 5/{OVERFLOW} thủ tục.\n"
    (raw / "so-lon.txt").write_text(body + f"Tiếp nhận 1.{'000.' * 130}000 hồ sơ; {UTF8_HALF}\n", encoding="utf-8")
    (raw / ESCAPE_NAME).write_bytes(b"")  # empty: its error message must show the name escaped
    Path(os.fsdecode(os.fsencode(raw) + b"/" + UNDECODABLE)).write_text(UTF8_HALF, encoding="utf-8")
    (raw / ".hidden.txt").write_text("ẩn", encoding="utf-8")
    return raw


EXPECTED = {  # doc_id -> the reason its message must give
    "fifo.txt": "không phải tệp thường (FIFO)",
    "zero.txt": "ngoài thư mục dữ liệu (/dev/zero)",
    "passwd.txt": "ngoài thư mục dữ liệu (/etc/passwd)",
    "secret.txt": "ngoài thư mục dữ liệu",
    "dangling.txt": "liên kết hỏng",
    "loop_a.txt": "liên kết vòng",
    "loop_b.txt": "liên kết vòng",
    "outside_dir": "ngoài thư mục dữ liệu",
    "old.doc": "old.doc: định dạng .doc chưa được hỗ trợ — hãy lưu lại dưới dạng .docx",
    "bang.xls": "bang.xls: định dạng .xls chưa được hỗ trợ",
    "bomb.docx": "bomb.docx: tệp .docx bất thường (dung lượng giải nén",
    "bomb2.docx": "bomb2.docx: tệp .docx bất thường (dung lượng giải nén",
    "hong.pdf": "hong.pdf: không đọc được tệp PDF (tệp hỏng)",
    ESCAPE_NAME: r"\x1b[2K\rLỖI  gia-mao.txt\n.txt: tệp rỗng",
    shown(os.fsdecode(UNDECODABLE)): r"bao-cao-\xe1.txt: tên tệp không phải UTF-8",
}
LOADED = {GOOD[0], f"sub/{GOOD[1]}", "alias.txt", "tron.txt", "so-lon.txt"}


# ---------------------------------------------------------------- builds in a fresh interpreter


def _child_build(raw: str, db: str) -> None:
    """In the child: a full build, an incremental one, the upload preview of a bomb; prints JSON."""
    from etl.build import build_warehouse, update_warehouse
    from etl.importer import stage

    raw_dir = Path(raw)
    started = time.perf_counter()
    full = build_warehouse(raw_dir, Path(db), workers=1)
    seconds = time.perf_counter() - started
    again = update_warehouse(raw_dir, Path(db), workers=1)
    preview = stage("bomb.docx", (raw_dir / "bomb.docx").read_bytes(), raw_dir)
    print(json.dumps({
        "errors": full.errors, "documents": full.documents, "seconds": seconds,
        "incremental": None if again is None else again.errors, "preview": preview.error,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))  # fmt: skip


def _in_child(function: str, *args: str, timeout: float = 50) -> dict:
    """Run a function of this module in a fresh interpreter; a hang fails the test, not the suite."""
    code = f"import sys; from tests.reliability.test_hostile_files import {function}; {function}(*sys.argv[1:])"
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{function} did not finish in {timeout} s (a FIFO or a bomb?): {exc.stderr!r}")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def hostile_build(hostile_raw: Path) -> tuple[dict, Path]:
    db = hostile_raw.parent / "warehouse.duckdb"
    return _in_child("_child_build", str(hostile_raw), str(db)), db


@pytest.mark.slow
def test_every_hostile_entry_is_reported_once_with_its_reason(hostile_build):
    report, _ = hostile_build
    names = Counter(name for name, _ in report["errors"])
    assert set(names) == set(EXPECTED), names
    assert all(n == 1 for n in names.values()), names
    for name, message in report["errors"]:
        assert EXPECTED[name] in message, (name, message)


def test_good_files_load_and_nothing_outside_the_raw_folder_does(hostile_build):
    report, db = hostile_build
    loaded = {r[0] for r in rows(db, "SELECT doc_id FROM documents")}
    assert loaded == LOADED
    assert report["documents"] == len(LOADED)
    assert rows(db, "SELECT count(*) FROM documents WHERE text LIKE '%root:x:0:0%'") == [(0,)]
    assert rows(db, f"SELECT count(*) FROM facts WHERE doc_id = '{GOOD[0]}'")[0][0] > 0  # noqa: S608


def test_refused_entries_stay_in_build_sources_and_incremental_builds(hostile_build):
    report, db = hostile_build
    failed = dict(rows(db, "SELECT file_name, error FROM build_sources WHERE status = 'failed'"))
    assert set(failed) == set(EXPECTED)
    assert report["incremental"] is not None, "the second build should be incremental"
    assert sorted(report["incremental"]) == sorted(report["errors"])


def test_messages_are_one_line_with_control_characters_escaped(hostile_build):
    report, _ = hostile_build
    for _, message in report["errors"]:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", message), repr(message)
    assert any(message.startswith(r"\x1b[2K\rLỖI") for _, message in report["errors"])


def test_zip_bombs_are_refused_with_bounded_memory(hostile_build):
    report, _ = hostile_build
    assert report["preview"].startswith("bomb.docx: tệp .docx bất thường (dung lượng giải nén")
    assert report["maxrss_kb"] < MEMORY_LIMIT_KB, f"peak {report['maxrss_kb'] / 1024:.0f} MB"


def test_mixed_encoding_is_read_line_by_line(hostile_build):
    _, db = hostile_build
    ((text, encoding),) = rows(db, "SELECT text, encoding FROM documents WHERE doc_id = 'tron.txt'")
    assert encoding == "utf-8+windows-1258"
    assert UTF8_HALF in text and LEGACY_HALF in text


def test_endless_numbers_are_not_numbers(hostile_build):
    _, db = hostile_build
    values = [r[0] for r in rows(db, "SELECT value FROM facts WHERE doc_id = 'so-lon.txt'")]
    assert all(v < 1e20 for v in values) and 36.0 in values  # the plain sentence beside still reads
    for text in (OVERFLOW, f"1.{'000.' * 130}000", "9" * 19):
        with pytest.raises(ValueError, match="không phải số"):
            parse_numeral(text)
    with pytest.raises(ValueError, match="không phải số"):
        parse_number(f"5/{OVERFLOW}")
    assert parse_numeral("9" * 18) == float("9" * 18)


# ---------------------------------------------------------------- files that change mid-build


def _child_swap_mid_build(raw: str, db: str) -> None:
    """In the child: after the first chunk, one file is deleted, one becomes a FIFO, one a link
    to /dev/zero, one a link out of the raw folder; the build must go on and report them."""
    from etl.build import build_warehouse

    raw_dir = Path(raw)

    def swap(done: int, total: int) -> None:
        if done != 32:
            return
        (raw_dir / "r40.txt").unlink()
        (raw_dir / "r41.txt").unlink()
        os.mkfifo(raw_dir / "r41.txt")
        (raw_dir / "r42.txt").unlink()
        (raw_dir / "r42.txt").symlink_to("/dev/zero")
        (raw_dir / "r43.txt").unlink()
        (raw_dir / "r43.txt").symlink_to("/etc/passwd")

    report = build_warehouse(raw_dir, Path(db), workers=1, on_progress=swap)
    print(json.dumps({"errors": report.errors, "documents": report.documents}))


@pytest.mark.slow
def test_files_deleted_or_swapped_mid_build_fail_alone(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    raw = data / "raw"
    raw.mkdir()
    for i in range(45):
        text = f"BÁO CÁO\nKết quả công tác năm 2024\n\nSở đã tiếp nhận {i + 1} hồ sơ của người dân.\n"
        (raw / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
    report = _in_child("_child_swap_mid_build", str(raw), str(data / "warehouse.duckdb"))
    errors = dict(report["errors"])
    assert set(errors) == {"r40.txt", "r41.txt", "r42.txt", "r43.txt"}, errors
    assert "tệp không còn" in errors["r40.txt"]
    assert "không phải tệp thường (FIFO)" in errors["r41.txt"]
    assert "liên kết tượng trưng" in errors["r42.txt"] and "liên kết tượng trưng" in errors["r43.txt"]
    assert report["documents"] == 41


# ---------------------------------------------------------------- the listing and the readers alone


def test_listing_survives_worker_processes(hostile_raw):
    entries = raw_entries(hostile_raw)
    again = pickle.loads(pickle.dumps(entries))
    assert [(str(p), p.refusal, p.target, p.identity) for p in again] == [
        (str(p), p.refusal, p.target, p.identity) for p in entries
    ]
    listing = scan_raw(hostile_raw)
    assert {Path(p).relative_to(hostile_raw).as_posix() for p, _ in listing.skipped} >= {"old.doc", "fifo.txt"}
    assert all(not p.name.startswith(".") for p in entries)


def test_upload_names_are_escaped_and_pdf_damage_is_not_a_scan():
    with pytest.raises(ReadError) as err:
        read_bytes(ESCAPE_NAME, b"")
    assert str(err.value) == r"\x1b[2K\rLỖI  gia-mao.txt\n.txt: tệp rỗng"
    with pytest.raises(ReadError, match=r"^hong.pdf: không đọc được tệp PDF \(tệp hỏng\)"):
        read_bytes("hong.pdf", _broken_pdf())
    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 60, style="F")
    with pytest.raises(ReadError, match=r"^scan.pdf: PDF không có lớp văn bản \(bản scan\)$"):
        read_bytes("scan.pdf", bytes(scan.output()))


def test_mixed_encoding_nobody_can_read_is_refused_clearly():
    data = "Báo cáo năm 2024 của các cơ quan.\n".encode() + b"\x81\x8d\x8f\x90 \x9d\n"
    with pytest.raises(ReadError, match=r"^x.txt: tệp trộn UTF-8 với một bảng mã không nhận ra \(dòng 2\)"):
        read_bytes("x.txt", data)


@pytest.mark.parametrize(
    ("inflated", "reason"),
    [(2 * 1024 * 1024, r"word/document.xml gấp \d+ lần bản nén, tối đa 100\)"), (70 * 1024 * 1024, r"tối đa 64 MB\)")],
)
def test_docx_parts_are_bounded_before_inflating(inflated, reason):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("word/document.xml", b"0" * inflated)
    with pytest.raises(ReadError, match=rf"^nen.docx: tệp .docx bất thường \(dung lượng giải nén .*{reason}"):
        read_bytes("nen.docx", out.getvalue())
