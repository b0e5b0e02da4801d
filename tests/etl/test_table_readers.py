"""Word, PDF and Markdown tables reach the table parser in one form: pipe rows, one per line.

The same figures table is built three ways and read with ``read_bytes`` then ``normalize``.

Merged cells (the decision): Word and PDF both repeat a merged cell's text in every grid cell
it covers, across ("Kết quả | Kết quả") and down ("STT" again in the second header row), so
every row has one cell per grid column and the two must agree exactly. Markdown has no merged
cells; the hand-written table here leaves the covered cells blank, so a blank Markdown cell is
accepted where the Word cell repeats its left neighbour or the cell above. Markdown separator
rows (|---|) are left out of the comparison.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from etl import readers
from etl.normalize import normalize
from etl.readers import read_bytes

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_font = pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed (fonts-dejavu-core)")

BEFORE = "Kết quả giải quyết thủ tục hành chính 6 tháng đầu năm 2025 như sau:"
AFTER = "Nhìn chung, tỷ lệ giải quyết đúng hạn tăng so với cùng kỳ năm trước."
HEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Kết quả", "Cùng kỳ năm trước", "So sánh (%)"]
SUBHEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Lũy kế", "Cùng kỳ năm trước", "So sánh (%)"]
SECTION = ["I", *["Thủ tục hành chính"] * 6]
FIGURES = [
    ["1", "Số hồ sơ tiếp nhận", "Hồ sơ", "1.234", "5.678", "1.100", "112,2"],
    ["2", "Số hồ sơ đã giải quyết", "Hồ sơ", "1.198", "5.600", "1.050", "114,1"],
    ["3", "Tỷ lệ giải quyết đúng hạn", "%", "98,5%", "97,9%", "96,0%", "102,6"],
]
GRID = [HEADER, SUBHEADER, SECTION, *FIGURES]  # as Word and PDF give it: merged text repeated
SPANNED = ("STT", "Chỉ tiêu", "Đơn vị tính", "Cùng kỳ năm trước", "So sánh (%)")  # two header rows

MARKDOWN = f"""{BEFORE}

| STT | Chỉ tiêu | Đơn vị tính | Kết quả | | Cùng kỳ năm trước | So sánh (%) |
|---|---|---|:---:|---|---|---|
| | | | Kỳ báo cáo | Lũy kế | | |
| I | Thủ tục hành chính | | | | | |
{chr(10).join("| " + " | ".join(row) + " |" for row in FIGURES)}

{AFTER}
"""


def cells(line: str) -> list[str]:
    """A pipe row's cells: one outer pipe at either end is optional, as in Markdown."""
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") else line
    return [cell.strip() for cell in line.split("|")]


def is_rule(row: list[str]) -> bool:
    return all(set(cell) <= set(":-") and cell for cell in row)


def table_rows(text: str) -> list[list[str]]:
    """The table rows of a normalised text: its lines holding a pipe, separator rows left out."""
    rows = [cells(line) for line in text.split("\n") if "|" in line]
    return [row for row in rows if not is_rule(row)]


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(BEFORE)
    table = document.add_table(rows=len(GRID), cols=len(HEADER))
    table.style = "Table Grid"
    for col, label in enumerate(HEADER):
        if label in SPANNED:
            table.cell(0, col).merge(table.cell(1, col)).text = label
    table.cell(0, 3).merge(table.cell(0, 4)).text = "Kết quả"
    table.cell(1, 3).text, table.cell(1, 4).text = "Kỳ báo cáo", "Lũy kế"
    table.cell(2, 0).text = "I"
    table.cell(2, 1).merge(table.cell(2, 6)).text = "Thủ tục hành chính"
    for r, row in enumerate(FIGURES, start=3):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(AFTER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(before: tuple[str, ...] = (BEFORE,), after: tuple[str, ...] = (AFTER,), pages_before: int = 0) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=10)
    for _ in range(pages_before):
        pdf.add_page()
        pdf.multi_cell(0, 6, "Trang trước bảng: văn bản không có bảng số liệu.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    for text in before:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(headings_style=FontFace(), num_heading_rows=2) as table:  # ruled: every cell boxed
        row = table.row()
        for label in HEADER[:3]:
            row.cell(label, rowspan=2)
        row.cell("Kết quả", colspan=2)
        for label in HEADER[5:]:
            row.cell(label, rowspan=2)
        row = table.row()
        row.cell("Kỳ báo cáo")
        row.cell("Lũy kế")
        row = table.row()
        row.cell("I")
        row.cell("Thủ tục hành chính", colspan=6)
        for values in FIGURES:
            row = table.row()
            for value in values:
                row.cell(value)
    for text in after:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def read_normalized(name: str, data: bytes) -> str:
    return normalize(read_bytes(name, data).text).text


def test_docx_table_has_one_cell_per_grid_column_with_merged_text_repeated():
    assert table_rows(read_normalized("bang.docx", docx_bytes())) == GRID


@needs_font
def test_pdf_table_reads_like_the_docx_table():
    assert table_rows(read_normalized("bang.pdf", pdf_bytes())) == GRID


def test_markdown_table_reads_like_the_docx_table_but_for_merged_blanks():
    rows = table_rows(read_normalized("bang.md", MARKDOWN.encode()))
    assert len(rows) == len(GRID)
    for r, (got, want) in enumerate(zip(rows, GRID, strict=True)):
        assert len(got) == len(want)
        for c, (cell, expected) in enumerate(zip(got, want, strict=True)):
            merged_copy = (c and want[c - 1] == expected) or (r and GRID[r - 1][c] == expected)
            assert cell == expected or (cell == "" and merged_copy), (r, c, cell, expected)


@needs_font
@pytest.mark.parametrize(("name", "make"), [("bang.docx", docx_bytes), ("bang.pdf", pdf_bytes)])
def test_text_before_and_after_a_table_stays_in_order_on_lines_of_its_own(name, make):
    lines = read_normalized(name, make()).split("\n")
    first = lines.index(BEFORE)
    assert lines[first + 1].startswith("| STT |")
    assert lines[first + len(GRID)].startswith("| 3 | Tỷ lệ giải quyết đúng hạn |")
    assert lines[first + len(GRID) + 1] == AFTER


def test_reader_puts_a_blank_line_around_each_table():
    text = read_bytes("bang.docx", docx_bytes()).text
    assert f"{BEFORE}\n\n| STT |" in text
    assert f"| 102,6 |\n\n{AFTER}" in text


@needs_font
def test_pdf_text_and_table_keep_their_page():
    source = read_bytes("bang.pdf", pdf_bytes(pages_before=2))
    assert len(source.page_starts) == 3
    assert source.page_of(source.text.index("| 1 | Số hồ sơ tiếp nhận |")) == 3
    assert source.page_of(source.text.index("Trang trước bảng")) == 1
    assert source.text.index(BEFORE) < source.text.index("| STT |") < source.text.index(AFTER)


@needs_font
def test_pdf_page_pdfplumber_fails_on_is_read_by_pypdf(monkeypatch):
    def broken(page: object) -> str:
        raise RuntimeError("pdfminer gave up")

    monkeypatch.setattr(readers, "_plumber_page_text", broken)
    text = read_bytes("bang.pdf", pdf_bytes()).text
    assert text.index(BEFORE) < text.index("1.234") < text.index(AFTER)
    assert "| 1.234 |" not in text  # pypdf knows no tables


@needs_font
def test_pdf_pages_without_ruled_lines_skip_pdfplumber(monkeypatch):
    """pdfplumber takes ~0.1 s a page; a plain text page is read by pypdf alone."""

    def unused(self: object, index: int) -> str:
        raise AssertionError("pdfplumber opened for a page without lines")

    monkeypatch.setattr(readers._PlumberPages, "text", unused)
    source = read_bytes("van_ban.pdf", _plain_pdf())
    assert len(source.page_starts) == 2
    assert AFTER in normalize(source.text).text


def _plain_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=11)
    pdf.add_page()
    pdf.line(20, 12, 190, 12)  # a header rule is not a table
    for _ in range(40):
        pdf.multi_cell(0, 6, f"{BEFORE} {AFTER}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _docx_with(build: object) -> str:
    import docx

    document = docx.Document()
    document.add_paragraph(BEFORE)
    build(document)  # type: ignore[operator]
    out = io.BytesIO()
    document.save(out)
    return read_bytes("bang.docx", out.getvalue()).text


def test_docx_cell_pipes_line_breaks_and_nested_tables_stay_in_the_cell():
    def build(document: object) -> None:
        table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
        table.cell(0, 0).text = "Chỉ tiêu"
        table.cell(0, 1).text = "Kết quả"
        table.cell(1, 0).text = "Số hồ sơ | trực tuyến"
        cell = table.cell(1, 1)
        cell.text = "1.234"
        cell.add_paragraph("hồ sơ")
        nested = cell.add_table(rows=1, cols=2)
        nested.cell(0, 0).text, nested.cell(0, 1).text = "Toàn trình", "512"

    rows = [line for line in _docx_with(build).split("\n") if line.startswith("|")]
    assert rows == ["| Chỉ tiêu | Kết quả |", "| Số hồ sơ / trực tuyến | 1.234 hồ sơ Toàn trình 512 |"]
