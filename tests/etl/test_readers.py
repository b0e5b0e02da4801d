"""Reading files: encodings detected from content, Word and PDF, and clear errors for bad files."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from etl.pipeline import process_bytes, process_file
from etl.readers import DEFAULT_MAX_BYTES, ReadError, read_bytes
from tests.conftest import cp1258

SAMPLE = "Sở Thông tin và Truyền thông tỉnh Tây Ninh đã tiếp nhận 36 hồ sơ, trả 36 hồ sơ của người dân và các cơ quan."
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def facts_of(extraction) -> set[tuple[str, float]]:
    return {(f.indicator, f.value) for f in extraction.facts if f.role == "primary"}


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_text_encodings_are_detected(codec):
    data = SAMPLE.encode(codec)
    source = read_bytes("report.txt", data)
    assert source.text.strip() == SAMPLE


def test_windows_1258_with_combining_tones_reads_as_nfc():
    data = cp1258(SAMPLE)
    assert b"\xcc" in data or b"\xec" in data or b"\xf2" in data  # combining tone marks are there
    source = read_bytes("report.txt", data)
    assert source.text == SAMPLE
    assert source.encoding == "windows-1258"
    assert {f.indicator for f in process_bytes("r.txt", cp1258("BÁO CÁO\nNăm 2024\n" + SAMPLE)).facts} == {
        "tthc_received",
        "tthc_resolved",
    }


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not available")
def test_tcvn3_legacy_text_is_converted():
    # glibc's iconv is an independent TCVN3 encoder; our table must read it back.
    data = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=SAMPLE.encode(), capture_output=True)
    assert data.returncode == 0
    source = read_bytes("legacy.txt", data.stdout)
    assert source.text == SAMPLE
    assert source.encoding == "tcvn3"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "tệp rỗng"),
        ("blank.txt", b"  \n\n ", "tệp rỗng"),
        ("junk.txt", bytes(range(256)) * 40, "không phải tệp văn bản"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 200, "không đọc được tệp .docx"),
        ("renamed.txt", b"%PDF-1.4\n%junk", "nội dung là PDF"),
        ("broken.pdf", b"%PDF-1.4\n%junk", "không đọc được tệp PDF"),
        ("fake.pdf", SAMPLE.encode(), "nội dung là văn bản thuần"),
        ("picture.png", b"\x89PNG\r\n", "chưa được hỗ trợ"),
    ],
)
def test_bad_files_name_the_file_and_the_reason(name, data, reason):
    with pytest.raises(ReadError) as err:
        read_bytes(name, data)
    assert str(err.value).startswith(name)
    assert reason in str(err.value)


def test_oversize_text_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes((SAMPLE + "\n").encode() * (50 * 1024 * 1024 // len(SAMPLE.encode())))
    assert big.stat().st_size > DEFAULT_MAX_BYTES
    with pytest.raises(ReadError, match=r"big.txt: tệp quá lớn"):
        process_file(big)


def _docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for i, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if table and i == 1:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    t.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_keeps_tables_in_document_order():
    data = _docx_bytes(["BÁO CÁO", "Kết quả năm 2024", "Kết luận."], table=[["Chỉ tiêu", "Số lượng"], ["Hồ sơ", "36"]])
    text = read_bytes("r.docx", data).text
    assert text.index("Kết quả năm 2024") < text.index("Hồ sơ | 36") < text.index("Kết luận.")


def test_docx_version_of_a_sample_gives_the_same_facts(seed_files):
    path = seed_files[-1]
    as_text = process_file(path)
    paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    as_docx = process_bytes(path.stem + ".docx", _docx_bytes(paragraphs))
    assert facts_of(as_docx) == facts_of(as_text)
    assert as_docx.meta.province == as_text.meta.province
    assert as_docx.content_sha256 == as_text.content_sha256  # the duplicate check sees one report


def test_content_hash_ignores_wrapping_and_unicode_form_but_not_words(seed_files):
    text = seed_files[0].read_text(encoding="utf-8")
    first = process_bytes("a.txt", text.encode("utf-8")).content_sha256
    rewrapped = text.replace("\n\n", "\n\n\n").replace(" ", "  ")
    assert process_bytes("b.txt", rewrapped.encode("utf-8")).content_sha256 == first
    assert process_bytes("c.txt", unicodedata.normalize("NFD", text).encode("utf-8")).content_sha256 == first
    assert process_bytes("d.txt", text.replace("hồ sơ", "hồ  sơ", 1).encode()).content_sha256 == first
    assert process_bytes("e.txt", text.replace("hồ sơ", "hồ sơ mới", 1).encode()).content_sha256 != first


def _pdf_bytes(paragraphs: list[str], text_layer: bool = True) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=11)
    pdf.add_page()
    if not text_layer:
        pdf.rect(20, 20, 100, 60, style="F")  # a 'scan': drawing, no text
    for text in paragraphs if text_layer else []:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.mark.slow
@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
def test_pdf_version_of_a_sample_gives_the_same_facts(seed_files):
    path = seed_files[-1]
    as_text = process_file(path)
    paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    source = read_bytes(path.stem + ".pdf", _pdf_bytes(paragraphs))
    assert len(source.page_starts) > 3
    as_pdf = process_bytes(path.stem + ".pdf", _pdf_bytes(paragraphs))
    assert facts_of(as_pdf) == facts_of(as_text)
    fact = next(f for f in as_pdf.facts if f.indicator == "camera_security_total")
    assert source.page_of(fact.char_start) >= 2


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
def test_pdf_without_text_layer_is_a_scan():
    with pytest.raises(ReadError, match=r"scan.pdf: PDF không có lớp văn bản \(bản scan\)"):
        read_bytes("scan.pdf", _pdf_bytes([], text_layer=False))


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")
@pytest.mark.parametrize("user_password", ["mat-khau", ""])
def test_encrypted_pdf_is_refused(user_password):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes([SAMPLE]))))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReadError, match=r"khoa.pdf: PDF được đặt mật khẩu"):
        read_bytes("khoa.pdf", out.getvalue())
