"""Figures in tables: the same report as Word, PDF and Markdown gives the same facts, each read
from its row label, column header (period) and unit."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from etl.pipeline import process_bytes
from tests.conftest import make_report

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HEAD = [
    "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "Số: 88/BC-SKHCN",
    "Khánh Hòa, ngày 05 tháng 7 năm 2025",
    "BÁO CÁO",
    "Kết quả giải quyết thủ tục hành chính quý II năm 2025",
    "Sở Khoa học và Công nghệ báo cáo kết quả giải quyết thủ tục hành chính quý II năm 2025 như sau:",
    "Biểu 01. Kết quả tiếp nhận, giải quyết hồ sơ",
]
TAIL = "Nhìn chung, tỷ lệ giải quyết đúng hạn tăng so với cùng kỳ năm trước."
HEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Lũy kế từ đầu năm", "Cùng kỳ năm trước", "So sánh (%)"]
ROWS = [
    ["I", "Thủ tục hành chính", "", "", "", "", ""],
    ["1", "Số hồ sơ tiếp nhận", "Hồ sơ", "1.234", "2.468", "1.100", "112,2"],
    ["1.1", "Trong đó: tiếp nhận trực tuyến", "Hồ sơ", "1.001", "1.990", "870", "115,1"],
    ["2", "Số hồ sơ đã giải quyết", "Hồ sơ", "1.198", "2.400", "1.050", "114,1"],
    ["3", "Số hồ sơ đang giải quyết", "Hồ sơ", "36", "36", "50", "72,0"],
    ["4", "Tỷ lệ giải quyết đúng hạn", "%", "98,5", "97,9", "96,0", "102,6"],
]
Q2 = (date(2025, 4, 1), date(2025, 6, 30))
EXPECTED = {
    ("tthc_received", 1234.0, *Q2, None),
    ("tthc_received", 2468.0, date(2025, 1, 1), date(2025, 6, 30), None),
    ("tthc_received", 1100.0, date(2024, 4, 1), date(2024, 6, 30), None),
    ("tthc_resolved", 1198.0, *Q2, None),
    ("tthc_resolved", 2400.0, date(2025, 1, 1), date(2025, 6, 30), None),
    ("tthc_resolved", 1050.0, date(2024, 4, 1), date(2024, 6, 30), None),
    ("tthc_pending", 36.0, None, None, date(2025, 6, 30)),
    ("tthc_pending", 50.0, None, None, date(2024, 6, 30)),
    ("tthc_ontime_rate", 98.5, *Q2, None),
    ("tthc_ontime_rate", 97.9, date(2025, 1, 1), date(2025, 6, 30), None),
    ("tthc_ontime_rate", 96.0, date(2024, 4, 1), date(2024, 6, 30), None),
}


def _markdown() -> bytes:
    lines = [*HEAD, "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in ROWS]
    return "\n".join([*lines, "", TAIL, ""]).encode()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in HEAD:
        document.add_paragraph(line)
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for c, label in enumerate(HEADER):
        table.cell(0, c).text = label
    table.cell(1, 0).text = ROWS[0][0]
    table.cell(1, 1).merge(table.cell(1, len(HEADER) - 1)).text = ROWS[0][1]  # a section row
    for r, row in enumerate(ROWS[1:], start=2):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(TAIL)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf() -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    for line in HEAD:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(headings_style=FontFace()) as table:
        for values in [HEADER, *ROWS]:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 6, TAIL, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _facts(name: str, data: bytes) -> set[tuple]:
    ex = process_bytes(name, data)
    return {(f.indicator, f.value, f.period_start, f.period_end, f.as_of) for f in ex.facts if f.role == "primary"}


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("bao-cao.md", _markdown),
        ("bao-cao.docx", _docx),
        pytest.param("bao-cao.pdf", _pdf, marks=pytest.mark.skipif(not FONT.exists(), reason="no DejaVu font")),
    ],
)
def test_table_figures_with_their_column_periods(name, make):
    assert _facts(name, make()) == EXPECTED


def test_a_table_cell_quotes_its_value_and_its_row():
    ex = process_bytes("bao-cao.md", _markdown())
    fact = next(f for f in ex.facts if f.indicator == "tthc_received" and f.value == 1234)
    assert fact.quote == "1.234"
    assert "Số hồ sơ tiếp nhận" in fact.sentence
    assert fact.rule == "tthc_received.table"


def test_comparison_and_part_rows_are_not_figures():
    found = _facts("bao-cao.md", _markdown())
    assert not any(v in (112.2, 1001.0, 1990.0) for _, v, *_ in found)  # 'So sánh (%)', the online part


def test_a_table_of_units_gives_only_its_total_row():
    table = (
        "Kết quả giải quyết hồ sơ theo đơn vị\n\n"
        "| Đơn vị | Hồ sơ tiếp nhận | Hồ sơ đã giải quyết |\n|---|---|---|\n"
        "| Sở Tư pháp | 120 | 118 |\n| Sở Xây dựng | 80 | 79 |\n| Tổng cộng | 200 | 197 |\n"
    )
    found = {(f.indicator, f.value) for f in make_report(table).facts if f.role == "primary"}
    assert ("tthc_received", 200.0) in found and ("tthc_resolved", 197.0) in found
    assert not found & {("tthc_received", 120.0), ("tthc_received", 80.0)}


def test_unassigned_numbers_in_a_table_are_kept_with_a_reason():
    ex = process_bytes("bao-cao.md", _markdown())
    kept = {m.value: m.reason for m in ex.mentions}
    assert 1001.0 in kept and kept[1001.0]


@pytest.mark.parametrize("group", ["Kết quả thực hiện", ""])  # a merged group header as Word repeats it, or blank
def test_a_total_column_with_its_unit_under_a_group_header_is_the_whole_of_its_parts(group):
    body = (
        "Biểu 01. Văn bản điện tử năm 2025\n\n"
        f"| STT | Kỳ báo cáo | {group} | {group} | {group} |\n|---|---|---|---|---|\n"
        "| | | Văn bản điện tử nhận (văn bản) | Văn bản điện tử gửi (văn bản) | Tổng số (văn bản) |\n"
        "| 1 | Năm 2025 | 57.703 | 253.608 | 311.311 |\n| 2 | Năm 2024 | 50.652 | 210.224 | 260.876 |\n"
    )
    facts = {(f.indicator, f.value) for f in make_report(body, "Kết quả chuyển đổi số năm 2025").facts}
    assert {("edocs_exchanged", 311311), ("edocs_exchanged", 260876), ("edocs_received", 57703)} <= facts
