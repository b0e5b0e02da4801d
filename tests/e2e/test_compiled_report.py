"""The compiled report as an official gets it: made on the page, downloaded, and opened by a real
word processor (LibreOffice converts it to PDF without error, and the PDF reads right)."""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from pathlib import Path

import openpyxl
import pypdfium2
import pytest

from dashboard import compiled
from dashboard.compiled_cli import generate
from tests.e2e.conftest import ARTIFACTS, no_exception_box, open_page, settle, shot, soffice

pytestmark = pytest.mark.browser


def to_pdf(docx_path: Path, out: Path) -> Path:
    """LibreOffice Writer, headless, with a profile of its own (a running instance cannot block it)."""
    if soffice() is None:
        pytest.fail("soffice is missing: apt-get install libreoffice-writer-nogui")
    profile = out / "lo-profile"
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(docx_path)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    pdf = out / (docx_path.stem + ".pdf")
    hint = " (LibreOffice Writer missing? apt-get install libreoffice-writer-nogui)"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr + hint
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def first_page_png(pdf: Path, name: str) -> Path:
    """The first page as a picture, kept with the other browser artefacts to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        path = ARTIFACTS / f"{name}.png"
        document[0].render(scale=1.5).to_pil().save(path)
        return path
    finally:
        document.close()


def test_libreoffice_converts_the_report_and_the_pdf_reads_right(server, tmp_path):
    scope = compiled.Scope(compiled.parse_period("6T/2024"), provinces=("Tây Ninh",))
    _, document, _ = generate(server["db"], scope)
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(document)
    pages = pdf_pages(to_pdf(path, tmp_path))
    text = " ".join(" ".join(pages).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0]
    assert "Tổng hợp số liệu 6 tháng đầu năm 2024 – Tây Ninh" in text
    assert "Trong kỳ 01/01–31/05/2024, Sở TT&TT Tây Ninh tiếp nhận 36 hồ sơ" in text
    # a footnote, printed at the foot of a page, cites the report by its title, never by its stored file name
    assert "“Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2024”, trích:" in text
    assert not re.search(r"\d{3}_[0-9a-f]{16}", text)
    assert "Phụ lục II" in text and "2.813.493" in text
    assert first_page_png(tmp_path / "bao-cao.pdf", "bao-cao-tong-hop-6t-2024").stat().st_size > 10_000


def test_no_number_and_no_table_row_breaks_in_libreoffice(server, tmp_path):
    """Laid out by LibreOffice: a figure never breaks inside its digits ('9.280.000.00' / '0'), and a
    table row (the header 'Đơn vị' / 'tính' included) never splits across two pages."""
    scope = compiled.Scope(compiled.parse_period("2024"), provinces=("Tây Ninh",))
    _, document, _ = generate(server["db"], scope)
    path = tmp_path / "nam-2024.docx"
    path.write_bytes(document)
    pages = pdf_pages(to_pdf(path, tmp_path))
    # a digit group cut short at a line's end ('9.280.000.00' / '0'), or a line starting with '.000'
    cut = re.compile(r"\S*(?:\d\.\d{1,2}\r?\n\d|\d\r?\n\.\d{3})\S*")
    broken = [m.group() for page in pages for m in cut.finditer(page)]
    assert not broken, broken
    for number, page in enumerate(pages, start=1):
        headers = [m.group(1) for m in re.finditer(r"Chỉ tiêu\s+Đơn vị(\s+\S+)", page)]
        assert all(h.split() == ["tính"] for h in headers), (number, headers)
    text = " ".join(" ".join(pages).split())
    assert "9.280.000.000 đồng" in text


def test_the_page_makes_both_files_for_download(page, server, tmp_path):
    open_page(page, server, "bao_cao_tong_hop?tinh=" + urllib.parse.quote("Tây Ninh"))
    no_exception_box(page)
    page.get_by_role("button", name="Tạo báo cáo").click()
    settle(page, timeout=60_000)
    no_exception_box(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải báo cáo (.docx)").click()
    docx_download = info.value
    assert docx_download.suggested_filename.startswith("bao-cao-tong-hop_tay-ninh_2024_")
    path = tmp_path / docx_download.suggested_filename
    docx_download.save_as(path)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải phụ lục số liệu (.xlsx)").click()
    xlsx = tmp_path / info.value.suggested_filename
    info.value.save_as(xlsx)
    shot(page, "page-bao-cao-tong-hop")
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Số liệu", "Nguồn", "Thông tin"]
    text = " ".join(" ".join(pdf_pages(to_pdf(path, tmp_path))).split())
    assert "Tổng hợp số liệu năm 2024 – Tây Ninh" in text and "2.813.493" in text
