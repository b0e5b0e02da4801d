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
from etl.text.pdf_tables import find_unruled_tables, may_hold_unruled

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


# ---------------------------------------------------------------- unruled PDF tables (issue 20)
# A table drawn without lines (Word with borders off, a spreadsheet printout): pypdf gives each
# label cell broken over lines and a row's figures on one line; the reader rebuilds the grid
# from word positions. Labels here wrap over two or three lines in their 60 mm column.

UNRULED_HEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Lũy kế", "Cùng kỳ năm trước"]
UNRULED_ROWS = [
    ["1", "Số hồ sơ tiếp nhận trong kỳ báo cáo của các cơ quan chuyên môn", "hồ sơ", "1.234", "5.678", "1.100"],
    ["2", "Số hồ sơ đã giải quyết đúng hạn và trước hạn", "hồ sơ", "1.198", "5.600", "1.050"],
    ["3", "Tỷ lệ giải quyết đúng hạn", "%", "98,5", "97,9", "96,0"],
    ["4", "Số cuộc gọi đến tổng đài 1022 được tiếp nhận, xử lý và trả lời trong kỳ báo cáo", "cuộc gọi",
     "12.688", "40.512", "11.020"],
]  # fmt: skip


def unruled_pdf(v_align: str = "TOP", figures: str = "LEFT", two_row_header: bool = False, repeat: int = 1) -> bytes:
    """BEFORE, a borderless fpdf2 table, AFTER; cells set at the top, middle or bottom of their row."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 6, BEFORE, new_x="LMARGIN", new_y="NEXT")
    aligns = ("LEFT", "LEFT", "LEFT", figures, figures, figures)
    layout = {"col_widths": (10, 60, 20, 20, 20, 25), "v_align": v_align, "text_align": aligns}
    heads = 2 if two_row_header else 1
    with pdf.table(borders_layout="NONE", headings_style=FontFace(), num_heading_rows=heads, **layout) as table:
        if two_row_header:
            row = table.row()
            for label in UNRULED_HEADER[:3]:
                row.cell(label, rowspan=2)
            row.cell("Kết quả thực hiện", colspan=2)
            row.cell(UNRULED_HEADER[5], rowspan=2)
            row = table.row()
            row.cell(UNRULED_HEADER[3])
            row.cell(UNRULED_HEADER[4])
        else:
            table.row(UNRULED_HEADER)
        for n in range(repeat):
            for values in UNRULED_ROWS:
                table.row([str(int(values[0]) + n * len(UNRULED_ROWS)), *values[1:]])
    pdf.multi_cell(0, 6, AFTER, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@needs_font
@pytest.mark.parametrize(("v_align", "figures"), [("TOP", "LEFT"), ("MIDDLE", "RIGHT"), ("BOTTOM", "CENTER")])
def test_unruled_pdf_table_reads_cell_for_cell(v_align, figures):
    text = read_normalized("bang.pdf", unruled_pdf(v_align, figures))
    assert table_rows(text) == [UNRULED_HEADER, *UNRULED_ROWS]
    lines = text.split("\n")
    first = lines.index(BEFORE)
    assert lines[first + 1] == "| " + " | ".join(UNRULED_HEADER) + " |"
    assert lines[first + 2 + len(UNRULED_ROWS)] == AFTER


@needs_font
@pytest.mark.parametrize("v_align", ["TOP", "MIDDLE"])
def test_unruled_two_row_header_keeps_the_group_over_its_columns(v_align):
    """The group header, centred over its two columns, runs across the gap between them."""
    rows = table_rows(read_normalized("bang.pdf", unruled_pdf(v_align, "CENTER", two_row_header=True)))
    header, body = rows[:-len(UNRULED_ROWS)], rows[-len(UNRULED_ROWS) :]
    assert body == UNRULED_ROWS
    flat = [" ".join(dict.fromkeys(row[c] for row in header if row[c])) for c in range(len(UNRULED_HEADER))]
    assert flat == [*UNRULED_HEADER[:3], "Kết quả thực hiện Kỳ báo cáo", "Kết quả thực hiện Lũy kế", UNRULED_HEADER[5]]


@needs_font
def test_unruled_table_over_several_pages_keeps_every_row_once():
    source = read_bytes("bang.pdf", unruled_pdf("MIDDLE", "RIGHT", repeat=12))
    assert len(source.page_starts) > 1
    body = [row for row in table_rows(normalize(source.text).text) if row[0] != "STT"]
    want = [[str(int(r[0]) + n * len(UNRULED_ROWS)), *r[1:]] for n in range(12) for r in UNRULED_ROWS]
    assert body == want


def _positioned_pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """Pages of text set at (x, y) millimetres: a layout down to the line."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=10)
    pdf.set_auto_page_break(False)
    for items in pages:
        pdf.add_page()
        for x, y, text in items:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def _row_at(y: float, stt: str, label: str, *figures: str) -> list[tuple[float, float, str]]:
    return [(20, y, stt), (32, y, label)] + [(x, y, f) for x, f in zip((120, 150, 178), figures, strict=False)]


@needs_font
def test_unruled_row_broken_by_a_page_is_mended_and_the_table_goes_on():
    """Row 2's label runs over the page break; row 3 stands alone on the next page, without header."""
    heads = ("STT", "Chỉ tiêu", "Năm 2025", "Năm 2024", "Tăng (%)")
    first = [(x, 30, h) for x, h in zip((20, 32, 120, 150, 178), heads, strict=True)]
    first += _row_at(42, "1", "Số hồ sơ tiếp nhận", "1.234", "1.100", "12,2") + [(32, 47, "trực tuyến")]
    first += _row_at(275, "2", "Số hồ sơ đã giải", "1.198", "1.050", "14,1") + [(32, 280, "quyết đúng hạn")]
    second = [(32, 15, "và trước hạn")] + _row_at(27, "3", "Số cuộc gọi 1022", "12.688", "11.020", "15,1")
    second += [(20, 45, AFTER)]
    text = read_normalized("bang.pdf", _positioned_pdf([first, second]))
    assert table_rows(text) == [
        list(heads),
        ["1", "Số hồ sơ tiếp nhận trực tuyến", "1.234", "1.100", "12,2"],
        ["2", "Số hồ sơ đã giải quyết đúng hạn và trước hạn", "1.198", "1.050", "14,1"],
        ["3", "Số cuộc gọi 1022", "12.688", "11.020", "15,1"],
    ]
    assert AFTER in text.split("\n")


PROSE = [
    "Trong 6 tháng đầu năm 2025, Trung tâm tiếp nhận 18.742 hồ sơ, giải quyết 18.015 hồ sơ; tỷ lệ đúng hạn "
    "đạt 99,82%. Số hồ sơ trực tuyến quý I và quý II lần lượt là 7.015 7.091 hồ sơ, tăng 14,4% so với cùng kỳ.",
    "1. Tiếp nhận 1.234 hồ sơ; 2. Giải quyết 1.198 hồ sơ; 3. Tồn 36 hồ sơ, trong đó 12 15 hồ sơ quá hạn.",
    "Kinh phí năm 2024 2025 được giao lần lượt 12,5 13,2 tỷ đồng; đã giải ngân 9,8 tỷ đồng (đạt 74,2%).",
] * 6


@needs_font
def test_prose_page_with_figures_side_by_side_reads_exactly_as_before(monkeypatch):
    """pdfplumber is asked (figures side by side, as in a table row), finds no table, and the
    page's text stays pypdf's, byte for byte."""
    from fpdf import FPDF
    from pypdf import PdfReader

    found: list[list[object]] = []
    real = readers.find_unruled_tables
    monkeypatch.setattr(readers, "find_unruled_tables", lambda *a, **k: found.append(real(*a, **k)) or found[-1])
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=11)
    pdf.add_page()
    for paragraph in PROSE:
        pdf.multi_cell(0, 6, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    pypdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert read_bytes("van_ban.pdf", data).text == pypdf_text
    assert found and not any(found)


LETTERHEAD = [
    ("UBND TỈNH TÂY NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 125/BC-SKHCN", "Tây Ninh, ngày 05 tháng 3 năm 2025"),
    ("ĐT: 0276 3822 123", "Fax: 0276 3822 456"),
    ("Mã ĐVQHNS: 1 045 221", "Hộp thư: 12 Trần Hưng Đạo 2025"),
]


@needs_font
def test_two_column_letterhead_is_not_a_table():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=11)
    pdf.add_page()
    for left, right in LETTERHEAD:
        pdf.cell(80, 6, left, align="C")
        pdf.cell(0, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, f"{BEFORE} {AFTER}", new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        assert find_unruled_tables(doc.pages[0].extract_words()) == []
    assert "|" not in read_bytes("cong_van.pdf", data).text


def test_cheap_test_sees_rows_of_figures_not_dates_in_prose():
    rows = "1 Số hồ sơ tiếp nhận\nhồ sơ 52.944 153.553 57.824 -8,4\nthủ tục 1.395 - 1.661 -16,0\n"
    prose = "Ngày 05 tháng 3 năm 2025, Sở tiếp nhận 1.234 hồ sơ.\nNăm 2024 có 12 cuộc thanh tra.\n" * 5
    assert may_hold_unruled(rows)
    assert may_hold_unruled("hạng 21 30 -30,0")  # one row, three figures
    assert not may_hold_unruled(prose)


def _borderless(pdf: object, rows: list[list[str]], widths: tuple[int, ...], v_align: str, section: int = -1) -> None:
    """A borderless table, figures set right; a section heading spanning the row before ``section``."""
    from fpdf.fonts import FontFace

    aligns = ("LEFT",) + ("RIGHT",) * (len(widths) - 1)
    with pdf.table(borders_layout="NONE", col_widths=widths, headings_style=FontFace(), v_align=v_align,  # type: ignore[attr-defined]
                   text_align=aligns) as table:  # fmt: skip
        for n, values in enumerate(rows):
            if n == section:
                table.row().cell("II. Dịch vụ công trực tuyến", colspan=len(widths), align="LEFT")
            table.row(values)


INTRO = (
    "Bảng 1. Kết quả tiếp nhận và giải quyết hồ sơ trong kỳ báo cáo của các cơ quan, đơn vị trên địa bàn tỉnh "
    "như sau:"
)
BETWEEN = (
    "Ngoài ra, trong kỳ Trung tâm đã tổ chức 12 buổi tập huấn cho 340 cán bộ, công chức về quy trình "
    "tiếp nhận, giải quyết thủ tục hành chính trên Hệ thống thông tin giải quyết thủ tục hành chính."
)
BY_YEAR = [
    ["Chỉ tiêu", "Năm 2025", "Năm 2024"],
    ["Số hồ sơ tiếp nhận trực tuyến toàn trình", "12 688", "11 020"],
    ["Số hồ sơ giải quyết", "12 500", "10 900"],
    ["Tỷ lệ đúng hạn (%)", "98,5", "97,1"],
]
BY_UNIT = [
    ["STT", "Đơn vị", "Tiếp nhận", "Đúng hạn", "Tỷ lệ (%)"],
    ["1", "Sở Tư pháp", "1.204", "1.190", "98,8"],
    ["2", "Sở Xây dựng", "845", "800", "94,7"],
    ["3", "Sở Nông nghiệp và Môi trường", "2.310", "2.250", "97,4"],
]


@needs_font
def test_unruled_tables_between_paragraphs_keep_the_prose_out_and_a_section_row_apart():
    """Two tables set tight against the text around them (no spacing): the intro's last line,
    the paragraph between and the closing line stay text; a section heading is a row of its own;
    figures grouped by spaces ("12 688") stay one cell."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 6, INTRO, new_x="LMARGIN", new_y="NEXT")
    _borderless(pdf, BY_YEAR, (90, 40, 40), "MIDDLE", section=2)
    pdf.multi_cell(0, 6, BETWEEN, align="J", new_x="LMARGIN", new_y="NEXT")
    _borderless(pdf, BY_UNIT, (12, 70, 30, 30, 30), "TOP")
    pdf.multi_cell(0, 6, "Kết thúc.", new_x="LMARGIN", new_y="NEXT")
    text = read_bytes("bang.pdf", bytes(pdf.output())).text
    section = ["II. Dịch vụ công trực tuyến", "", ""]
    assert table_rows(text) == [*BY_YEAR[:2], section, *BY_YEAR[2:], *BY_UNIT]
    lines = text.split("\n")
    assert lines[1:4] == ["như sau:", "", "| Chỉ tiêu | Năm 2025 | Năm 2024 |"]
    assert lines[-1] == "Kết thúc."
