"""The compiled report ("Báo cáo tổng hợp"): built from the samples' warehouse, opened back with
python-docx and openpyxl, and checked for the honesty rules of issue 15."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from dashboard import compiled
from dashboard.compiled_cli import generate, main
from tests.conftest import RAW, REPORTS, ROOT, golden_fact_key

TAY_NINH_2024 = compiled.Scope(compiled.parse_period("2024"), provinces=("Tây Ninh",))
TAY_NINH_6T = compiled.Scope(compiled.parse_period("6T/2024"), provinces=("Tây Ninh",))
VINH_LONG_Q3 = compiled.Scope(compiled.parse_period("Q3/2024"), provinces=("Vĩnh Long",))


def plain(text: str) -> str:
    """Text as read: the no-break space a space, the (invisible) word joiner gone."""
    return text.replace("\u2060", "").replace("\u00a0", " ")


class Opened:
    """A generated .docx read back: paragraphs, tables and footnotes by number."""

    def __init__(self, data: bytes) -> None:
        self.doc = docx.Document(io.BytesIO(data))
        self.paragraphs = [p.text for p in self.doc.paragraphs]
        part = next(p for p in self.doc.part.package.iter_parts() if str(p.partname) == "/word/footnotes.xml")
        root = etree.fromstring(part.blob)
        self.footnotes = {
            int(n.get(qn("w:id"))): plain("".join(t.text or "" for t in n.iter(qn("w:t"))))
            for n in root.iter(qn("w:footnote"))
            if int(n.get(qn("w:id"))) > 0
        }

    def rows(self) -> list[list]:
        """Every row of the sections' tables (Chỉ tiêu | Đơn vị tính | …) as its cells."""
        tables = [t for t in self.doc.tables if t.rows[0].cells[0].text == "Chỉ tiêu"]
        return [row.cells for t in tables for row in t.rows]

    def row(self, label: str) -> list:
        return next(cells for cells in self.rows() if cells[0].text == label)

    def notes_of(self, cell_or_paragraph) -> list[str]:
        """The footnote texts referenced inside a cell or paragraph ("xem chú thích 3" followed to note 3)."""
        element = cell_or_paragraph._tc if hasattr(cell_or_paragraph, "_tc") else cell_or_paragraph._p
        ids = [int(r.get(qn("w:id"))) for r in element.iter(qn("w:footnoteReference"))]
        texts = [self.footnotes[i] for i in ids]
        return [self.footnotes[int(t.rsplit(" ", 1)[1].rstrip("."))] if "xem chú thích" in t else t for t in texts]

    def paragraph(self, pattern: str):
        return next(p for p in self.doc.paragraphs if re.search(pattern, p.text))


@pytest.fixture(scope="module")
def year_report(warehouse: Path) -> tuple[compiled.CompiledReport, Opened, bytes]:
    report, document, workbook = generate(warehouse, TAY_NINH_2024)
    return report, Opened(document), workbook


@pytest.fixture(scope="module")
def half_year(warehouse: Path) -> Opened:
    return Opened(generate(warehouse, TAY_NINH_6T)[1])


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "năm 2024"),
        ("6T/2024", date(2024, 1, 1), date(2024, 6, 30), "6 tháng đầu năm 2024"),
        ("9t/2024", date(2024, 1, 1), date(2024, 9, 30), "9 tháng năm 2024"),
        ("Q3/2024", date(2024, 7, 1), date(2024, 9, 30), "quý III năm 2024"),
        ("T2/2024", date(2024, 2, 1), date(2024, 2, 29), "tháng 2 năm 2024"),
        ("01/01/2024-31/07/2024", date(2024, 1, 1), date(2024, 7, 31), "kỳ 01/01–31/07/2024"),
    ],
)
def test_periods_are_read_as_officials_write_them(code, start, end, label):
    period = compiled.parse_period(code)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert compiled.parse_period("T2/2024").previous_year().end == date(2023, 2, 28)
    # in full, in the one date style: the dates only where the words do not already say them
    full = {"2024": "năm 2024", "6T/2024": "6 tháng đầu năm 2024 (01/01–30/06/2024)",
            "01/01/2024-31/07/2024": "kỳ 01/01–31/07/2024"}  # fmt: skip
    assert compiled.parse_period(code).full == full.get(code, compiled.parse_period(code).full)


@pytest.mark.parametrize("code", ["2024/6", "Q5/2024", "31/07/2024-01/01/2024", "32/01/2024-01/02/2024", ""])
def test_a_period_it_cannot_read_is_refused_in_vietnamese(code):
    with pytest.raises(ValueError, match="[Kk]ỳ"):
        compiled.parse_period(code)


def test_layout_follows_the_decree(year_report):
    _, opened, _ = year_report
    section = opened.doc.sections[0]
    size = [round(x.cm, 1) for x in (section.page_width, section.page_height)]
    margins = [round(x.cm, 1) for x in (section.left_margin, section.right_margin, section.top_margin)]
    assert size == [21.0, 29.7] and margins == [3.0, 1.5, 2.0]  # A4; the decree's left 30-35, right 15-20 mm
    normal = opened.doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and Pt(13) <= normal.size <= Pt(14)
    letterhead = " ".join(c.text for c in opened.doc.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in letterhead and "Độc lập - Tự do - Hạnh phúc" in letterhead
    assert "TÊN CQ, TC CHỦ QUẢN" in letterhead and "TÊN CƠ QUAN, TỔ CHỨC" in letterhead and "Số: …/BC-…" in letterhead
    assert "ngày … tháng … năm" in letterhead
    assert "BÁO CÁO" in opened.paragraphs
    assert "Tổng hợp số liệu năm 2024 – Tây Ninh" in opened.paragraphs


def test_one_section_per_indicator_group(year_report):
    report, opened, _ = year_report
    headings = [p for p in opened.paragraphs if re.fullmatch(r"\d+\. .+", p)]
    assert headings[:3] == ["1. Nhân sự", "2. Thủ tục hành chính", "3. Tổng đài 1022"]
    assert len(headings) == len(report.sections) == 8
    header = [c.text for c in opened.doc.tables[1].rows[0].cells]
    assert header == ["Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Cùng kỳ", "So sánh"]


def test_table_cells_hold_vietnamese_numbers_with_their_own_period(year_report):
    _, opened, _ = year_report
    edocs = opened.row("Văn bản điện tử trao đổi liên thông")
    assert edocs[1].text == "văn bản"
    assert edocs[2].text.startswith("2.813.493")
    # its period (to 31/07) is not the whole year: the cell says so
    assert "(01/01–31/07/2024)" in edocs[2].text
    staff = opened.row("Tổng số cán bộ công chức viên chức và người lao động")
    assert staff[2].text.startswith("55") and "tại 28/10/2024" in staff[2].text
    assert staff[3].text.startswith("53") and "tại 25/10/2023" in staff[3].text
    assert staff[4].text == "tăng 2 người (+3,8%)"
    # a figure of last year with nothing this year
    assert opened.row("Công chức viên chức hoàn thành xuất sắc nhiệm vụ")[2].text == "không báo cáo"


def test_a_rate_keeps_its_decimal_comma(warehouse):
    scope = compiled.Scope(compiled.parse_period("2020"), provinces=("Trà Vinh",))
    opened = Opened(generate(warehouse, scope)[1])
    assert opened.row("Tỷ lệ tinh giản biên chế")[2].text.startswith("12,5%")


def test_every_figure_has_a_footnote_naming_its_report(year_report):
    report, opened, _ = year_report
    edocs = opened.row("Văn bản điện tử trao đổi liên thông")
    (note,) = opened.notes_of(edocs[2])
    assert "2.813.493 văn bản" in note and "004_f3cae4251c6f1b42.txt" not in note and "tệp" not in note
    assert "của Sở Thông tin và Truyền thông (Tây Ninh)" in note
    assert "trích: “2.813.493 văn bản”" in note  # the figure's own words, as the extraction quotes it
    for cells in opened.rows():
        for cell in cells[2:4]:
            if re.match(r"\d", cell.text):
                assert opened.notes_of(cell), cell.text
    assert len(opened.footnotes) >= len(report.figures)


def test_a_footnote_cites_number_date_and_agency(warehouse):
    opened = Opened(generate(warehouse, VINH_LONG_Q3)[1])
    row = opened.row("Đơn thư khiếu nại tố cáo phản ánh kiến nghị tiếp nhận")
    assert row[2].text.startswith("25") and row[3].text.startswith("18")
    assert row[4].text == "tăng 7 đơn (+38,9%)"
    (note,) = opened.notes_of(row[2])
    assert "Báo cáo số 215/BC-STP ngày 05/10/2024 của Sở Tư pháp (Vĩnh Long)" in note
    # an exact period is named as the chosen period in the sentence
    assert any(p.startswith("Trong quý III năm 2024, Sở Tư pháp Vĩnh Long") for p in opened.paragraphs)


def test_a_figure_with_an_open_finding_is_marked_and_annexed(year_report):
    report, opened, _ = year_report
    received = opened.row("Hồ sơ thủ tục hành chính tiếp nhận")
    assert plain(received[2].text).startswith("31 (*)")
    annex_start = opened.paragraphs.index("SỐ LIỆU CÓ PHÁT HIỆN KIỂM TRA CHẤT LƯỢNG")
    assert opened.paragraphs[annex_start - 1] == "Phụ lục I"
    annex = next(t for t in opened.doc.tables if t.rows[0].cells[-1].text == "Phát hiện")
    lines = {r.cells[2].text: r.cells[4].text for r in annex.rows[1:]}
    assert lines["Hồ sơ thủ tục hành chính tiếp nhận"].startswith("Lỗi: Số lũy kế giảm khi kỳ báo cáo dài hơn")
    assert len(annex.rows) - 1 == len(report.flagged) == 4


def test_a_period_mismatch_is_never_presented_as_the_chosen_period(half_year):
    opened = half_year
    # figures up to 31/07 are not figures of the first six months: out of the tables, into annex II
    tables = [t for t in opened.doc.tables if t.rows[0].cells[0].text == "Chỉ tiêu"]
    in_tables = [c.text for t in tables for r in t.rows for c in r.cells]
    assert not any(text.startswith("2.813.493") for text in in_tables)
    annex = next(t for t in opened.doc.tables if t.rows[0].cells[-1].text == "Kỳ của số liệu")
    edocs = next(r.cells for r in annex.rows if r.cells[2].text == "Văn bản điện tử trao đổi liên thông")
    assert edocs[3].text.startswith("2.813.493") and edocs[4].text == "01/01–31/07/2024"
    # a figure to 31/05 is shown with its own period, in the table and in the sentence
    received = opened.row("Hồ sơ thủ tục hành chính tiếp nhận")
    assert received[2].text.startswith("36") and "(01/01–31/05/2024)" in received[2].text
    sentence = opened.paragraph("tiếp nhận 36")
    assert plain(sentence.text).startswith("Trong kỳ 01/01–31/05/2024, Sở TT&TT Tây Ninh tiếp nhận 36 hồ sơ TTHC")
    assert not any("Trong 6 tháng đầu năm 2024" in p for p in opened.paragraphs)


def test_an_agency_that_gave_nothing_is_listed_as_not_reporting(warehouse):
    agencies = ("Sở Nội vụ", "Sở Thông tin và Truyền thông")
    scope = compiled.Scope(compiled.parse_period("6T/2024"), ("Bình Dương", "Tây Ninh"), agencies)
    report, document, _ = generate(warehouse, scope)
    opened = Opened(document)
    assert "- Sở Nội vụ (Tây Ninh): không báo cáo." in opened.paragraphs
    assert "- Sở Thông tin và Truyền thông (Bình Dương): không báo cáo." in opened.paragraphs
    assert any(p.startswith("Sở Nội vụ (Tây Ninh): không báo cáo số liệu") for p in opened.paragraphs)
    assert [u.name for u in report.units if not u.reports] == [
        "Sở Thông tin và Truyền thông (Bình Dương)", "Sở Nội vụ (Tây Ninh)"]  # fmt: skip
    # several units: each table names them on a merged line
    merged = {cells[0].text for cells in opened.rows() if cells[0].text == cells[-1].text}
    assert {"Sở Nội vụ (Bình Dương)", "Sở Thông tin và Truyền thông (Tây Ninh)"} <= merged


def test_a_corrected_figure_says_so(tmp_path):
    from etl.build import build_warehouse

    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copytree(RAW.parent / "reference", tmp_path / "data" / "reference")
    source = REPORTS / "vinh_long_stp_tiep_cong_dan_q3_2024.txt"
    shutil.copy(source, raw / source.name)
    key = golden_fact_key(source.name, "citizen_receptions", 12)
    correction = {"doc_sha256": hashlib.sha256(source.read_bytes()).hexdigest(), "field": "value",
                  "fact_key": key, "old_value": "12", "new_value": "13",
                  "why": "Sai lỗi đánh máy", "who": "kiểm thử", "at": "2026-11-30T09:00:00"}  # fmt: skip
    (tmp_path / "data" / "corrections.jsonl").write_text(json.dumps(correction, ensure_ascii=False) + "\n")
    db = tmp_path / "warehouse.duckdb"
    assert not build_warehouse(raw, db, workers=1).errors
    opened = Opened(generate(db, VINH_LONG_Q3)[1])
    row = opened.row("Lượt tiếp công dân")
    assert plain(row[2].text).startswith("13 (đã sửa)")
    note = opened.notes_of(row[2])[0]
    assert "Số liệu đã sửa: giá trị trích xuất 12, sửa thành 13" in note and "Sai lỗi đánh máy" in note


def test_the_excel_annex_holds_the_figures_of_the_report(year_report):
    report, _, workbook = year_report
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    assert wb.sheetnames == ["Số liệu", "Nguồn", "Thông tin"]
    rows = list(wb["Số liệu"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(set(report.fact_ids))
    values = {(r[4], r[5]) for r in rows}
    assert ("Văn bản điện tử trao đổi liên thông", 2813493) in values
    assert {r[1] for r in rows} == {"Tây Ninh"}
    sources = list(wb["Nguồn"].iter_rows(min_row=2, values_only=True))
    assert len(sources) == len(rows) and all(s[1] for s in sources)


def test_the_command_line_writes_both_files(warehouse, tmp_path, capsys):
    out = tmp_path / "bao-cao.docx"
    code = main(["--db", str(warehouse), "--province", "Tây Ninh", "--period", "6T/2024", "--out", str(out)])
    assert code == 0
    assert out.exists() and out.with_suffix(".xlsx").exists()
    printed = capsys.readouterr().out
    assert "6 tháng đầu năm 2024" in printed and "không cùng kỳ (phụ lục II)" in printed
    assert main(["--db", str(tmp_path / "khong-co.duckdb"), "--period", "2024"]) == 1
    assert "không tìm thấy kho dữ liệu" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(warehouse), "--period", "Q9/2024"])
    assert exit_info.value.code == 2
    assert "lỗi: tham số --period: Không hiểu kỳ báo cáo" in capsys.readouterr().err


def test_python_m_dashboard_report_writes_the_report_and_etl_points_to_it(warehouse, tmp_path):
    out = tmp_path / "tong-hop.docx"
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "report", "--db", str(warehouse), "--period", "2024", "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Tổng hợp số liệu năm 2024" in " ".join(p.text for p in docx.Document(out).paragraphs)
    moved = subprocess.run([sys.executable, "-m", "etl", "report", "--period", "2024"],
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert moved.returncode == 2 and "python -m dashboard report" in moved.stderr


def test_the_read_side_modules_stay_in_their_layer():
    for name in ("compiled.py", "compiled_docx.py", "compiled_cli.py"):
        text = (ROOT / "dashboard" / name).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(streamlit|etl)\b", text, re.M), name


def test_the_page_offers_both_downloads(app):
    at = app("pages/bao_cao_tong_hop.py", tinh="Tây Ninh")
    assert not at.exception
    assert any(t.value == "Báo cáo tổng hợp" for t in at.title)
    at.selectbox(key="nam_bc").set_value(2024).run()
    at.button[0].click().run()
    assert not at.exception
    assert any("Đã tạo: Tổng hợp số liệu năm 2024 – Tây Ninh" in s.value for s in at.success)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Tải báo cáo (.docx)", "Tải phụ lục số liệu (.xlsx)"]


# ------------------------------------------------------------------ layout as a word processor lays it out (issue 21)

NBSP, WORD_JOINER = "\u00a0", "\u2060"
# a report's period written twice over with its year: '01/01/2024 – 31/07/2024' instead of '01/01–31/07/2024'
_TWO_FULL_DATES = re.compile(r"\d{2}/\d{2}/(\d{4}) ?[–-] ?\d{2}/\d{2}/\1")


def _body(opened: Opened):
    return opened.doc.element.body


def _all_text(opened: Opened) -> list[str]:
    """Every text the reader sees: paragraphs, table cells and footnotes."""
    cells = [c.text for t in opened.doc.tables for r in t.rows for c in r.cells]
    return [*opened.paragraphs, *cells, *opened.footnotes.values()]


def test_no_table_row_breaks_across_pages_and_headers_repeat(year_report):
    _, opened, _ = year_report
    rows = list(_body(opened).iter(qn("w:tr")))
    assert rows
    for tr in rows:
        tr_pr = tr.find(qn("w:trPr"))
        assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None, "a row may split across pages"
    for table in opened.doc.tables[1:-1]:  # every grid but the letterhead and the signature block
        if table.rows[0].cells[0].text in ("Chỉ tiêu", "STT"):
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_a_number_keeps_its_unit_and_its_footnote(year_report):
    _, opened, _ = year_report
    for ref in _body(opened).iter(qn("w:footnoteReference")):
        run = ref.getparent()
        before = run.getprevious()
        text = "".join(t.text or "" for t in before.iter(qn("w:t")))
        # no break opportunity between the figure and its mark: nothing but the figure (and its unit) before it
        assert text.endswith(WORD_JOINER), repr(text)
        assert re.search(r"\d%?(\u00a0\S+)*\u2060$", text), repr(text)
    money = opened.paragraph("kế hoạch vốn đầu tư công được giao")
    assert f"9.280.000.000{NBSP}đồng" in money.text  # a money sentence carries its unit
    received = opened.paragraph("tiếp nhận 31")
    assert f"tiếp nhận 31{NBSP}hồ{NBSP}sơ" in received.text


def test_a_report_speaks_of_its_own_dates_not_the_year_end(year_report):
    _, opened, _ = year_report
    # the August 2024 report states the plan 'tính đến 31/7/2024': not 'tại ngày 31/12/2024'
    assert not [t for t in _all_text(opened) if "31/12/2024" in t]
    money = opened.paragraph("kế hoạch vốn đầu tư công được giao")
    assert money.text.startswith("Tại ngày 31/07/2024, ")


def test_only_reports_of_the_period_are_listed_as_sent(half_year):
    opened = half_year
    start = opened.paragraphs.index("I. TÌNH HÌNH BÁO CÁO")
    listed = " ".join(opened.paragraphs[start + 1 : opened.paragraphs.index("II. SỐ LIỆU THEO NHÓM CHỈ TIÊU")])
    assert "Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2024" in listed
    assert "năm 2024”" not in listed.replace("6 tháng đầu năm 2024”", "")  # the full-year report is not of the period
    assert "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH" not in listed  # nor the one to 31/07


def test_dates_read_in_the_one_date_style(year_report, half_year):
    for opened in (year_report[1], half_year):
        texts = _all_text(opened)
        assert not [t for t in texts if _TWO_FULL_DATES.search(t)]
        assert not [t for t in texts if re.search(r"\d{2}/\d{2}/\d{4} - \d{2}/\d{2}/\d{4}", t)]
    opened = year_report[1]
    edocs = opened.row("Văn bản điện tử trao đổi liên thông")
    assert "(01/01–31/07/2024)" in edocs[2].text
    sources = next(t for t in opened.doc.tables if t.rows[0].cells[1].text == "Báo cáo")
    periods = {r.cells[2].text for r in sources.rows[1:]}
    assert periods == {"6 tháng đầu năm 2024", "Năm 2024", "Năm 2023", "01/01–31/07/2024"}


# ------------------------------------------------------------------ the comparison with the same period last year


def figure(value: float, *, kind: str = "flow", unit: str = "hồ sơ", year: int = 2024, qualifier: str = "exact",
           start: tuple[int, int] = (1, 1), end: tuple[int, int] = (6, 30)) -> compiled.Figure:  # fmt: skip
    """A figure of a flow over ``start``–``end`` of ``year`` (a stock when ``kind`` is 'stock': at ``end``)."""
    source = compiled.Source(doc_id="a.txt", file_name="a.txt", report_number=None, report_date=None, agency=None,
                             province=None, title=None, kind="bao_cao", period_label=None)  # fmt: skip
    stock = kind == "stock"
    return compiled.Figure(
        fact_id=f"f{year}", indicator="x", label="X", unit=unit, kind=kind, value=float(value), qualifier=qualifier,
        period_start=None if stock else date(year, *start), period_end=None if stock else date(year, *end),
        as_of=date(year, *end) if stock else None, page=None, quote="", status="extracted",
        extracted_value=float(value), correction=None, finding_severity=None, finding_label=None,
        finding_titles=None, source=source,
    )  # fmt: skip


def test_a_smaller_rank_is_a_better_one():
    """A rank going 44 → 40 has risen four places; 40 → 44 has fallen four."""
    rank = {"kind": "rank", "unit": "hạng", "start": (1, 1), "end": (12, 31)}
    assert compiled.comparison(figure(40, **rank), figure(44, year=2023, **rank)) == "tăng 4 bậc"
    assert compiled.comparison(figure(44, **rank), figure(40, year=2023, **rank)) == "giảm 4 bậc"
    assert compiled.comparison(figure(40, **rank), figure(40, year=2023, **rank)) == "giữ nguyên thứ hạng"


def test_a_flow_compares_in_its_unit_with_a_signed_share_and_a_rate_in_points():
    assert compiled.comparison(figure(36), figure(37, year=2023)) == "giảm 1 hồ sơ (−2,7%)"
    assert compiled.comparison(figure(40), figure(32, year=2023)) == "tăng 8 hồ sơ (+25,0%)"
    assert compiled.comparison(figure(5), figure(0, year=2023)) == "tăng 5 hồ sơ"  # no share of nothing
    assert compiled.comparison(figure(7), figure(7, year=2023)) == "bằng cùng kỳ"
    rate = {"kind": "rate", "unit": "%"}
    assert compiled.comparison(figure(91, **rate), figure(89, year=2023, **rate)) == "tăng 2 điểm %"
    assert compiled.comparison(figure(88, **rate), figure(89, year=2023, **rate)) == "giảm 1 điểm %"


def test_no_comparison_without_both_figures_of_the_same_period_or_with_an_estimate():
    assert compiled.comparison(figure(36), None) == "không có số liệu để so sánh"
    assert compiled.comparison(None, figure(36, year=2023)) == "không có số liệu để so sánh"
    assert compiled.comparison(None, None) == ""
    assert compiled.comparison(figure(36), figure(37, year=2023, end=(9, 30))) == "không cùng kỳ, không so sánh"
    assert compiled.comparison(figure(36), figure(37, year=2022)) == "không cùng kỳ, không so sánh"
    for qualifier in ("at_least", "about", "at_most"):
        assert compiled.comparison(figure(36, qualifier=qualifier), figure(37, year=2023)) == (
            "số liệu ước tính, không so sánh")  # fmt: skip
        assert compiled.comparison(figure(36), figure(37, year=2023, qualifier=qualifier)) == (
            "số liệu ước tính, không so sánh")  # fmt: skip
    assert compiled.comparison(figure(36, qualifier="sum"), figure(37, year=2023)) == "giảm 1 hồ sơ (−2,7%)"


def test_stocks_compare_within_a_month_of_the_same_date_a_year_earlier():
    stock = {"kind": "stock", "unit": "người"}
    now = figure(55, end=(7, 31), **stock)
    assert compiled.comparable(now, figure(50, year=2023, end=(7, 31), **stock))
    assert compiled.comparable(now, figure(50, year=2023, end=(8, 31), **stock))  # 31 days apart
    assert not compiled.comparable(now, figure(50, year=2023, end=(9, 1), **stock))  # 32 days
    assert not compiled.comparable(now, figure(50, year=2023, end=(6, 29), **stock))
    assert not compiled.comparable(now, figure(50, year=2023))  # a stock and a flow
    assert not compiled.comparable(figure(50), figure(50, year=2023, end=(7, 31), **stock))


def test_a_leap_day_and_a_months_last_day_move_a_year_as_officials_count():
    from datetime import date as day

    assert compiled.shift_year(day(2024, 2, 29), -1) == day(2023, 2, 28)
    assert compiled.shift_year(day(2023, 2, 28), 1) == day(2024, 2, 29)  # the month's last day stays last
    assert compiled.shift_year(day(2024, 2, 28), -1) == day(2023, 2, 28)
    assert compiled.shift_year(day(2024, 6, 15), -1) == day(2023, 6, 15)
    previous = compiled.parse_period("6T/2024").previous_year()
    assert (previous.start, previous.end, previous.label) == (day(2023, 1, 1), day(2023, 6, 30), "6 tháng đầu năm 2023")
    assert compiled.parse_period("2024").full == "năm 2024"
    assert compiled.parse_period("Q3/2024").full == "quý III năm 2024 (01/07–30/09/2024)"


@pytest.mark.parametrize("text", ["31/02/2024-31/03/2024", "01/08/2024-31/07/2024", "Q5/2024", "T13/2024", "2024/6T"])
def test_a_wrong_period_is_refused_with_its_reason(text):
    with pytest.raises(ValueError, match="^(Kỳ|Không hiểu kỳ)") as caught:
        compiled.parse_period(text)
    if text.startswith("01/08"):
        assert "ngày kết thúc trước ngày bắt đầu" in str(caught.value)
    if text.startswith("31/02"):
        assert "ngày không hợp lệ" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "part", "code"),
    [("year", 1, "2024"), ("6T", 1, "6T/2024"), ("9T", 1, "9T/2024"), ("Q", 3, "Q3/2024"), ("T", 5, "T5/2024")],
)
def test_a_choice_on_the_page_is_a_period_code_it_reads_back(kind, part, code):
    assert compiled.period_code(kind, 2024, part) == code
    assert compiled.parse_period(code).code == code


def test_a_figure_matches_the_period_exactly_partly_or_not_at_all():
    half = compiled.parse_period("6T/2024")
    assert compiled.match(figure(1), half) == "exact"
    assert compiled.match(figure(1, end=(5, 31)), half) == "partial"
    assert compiled.match(figure(1, end=(7, 31)), half) == "outside"
    assert compiled.match(figure(1, start=(2, 1)), half) == "outside"
    stock = {"kind": "stock", "unit": "người"}
    assert compiled.match(figure(1, end=(6, 30), **stock), half) == "exact"
    assert compiled.match(figure(1, end=(3, 31), **stock), half) == "partial"
    assert compiled.match(figure(1, year=2023, end=(12, 31), **stock), half) == "outside"
    assert compiled.match(figure(1, end=(7, 1), **stock), half) == "outside"


def test_a_figure_reads_with_its_qualifier_and_a_source_with_its_period():
    assert figure(340, qualifier="at_least").value_text == "hơn 340"
    assert figure(340, qualifier="sum").value_text == "340"
    assert figure(12.5, unit="%", kind="rate").value_text == "12,5%"
    source = compiled.Source(doc_id="a", file_name="a", report_number="412/BC-STTTT", report_date=date(2023, 12, 12),
                             agency="Sở TT&TT", province="Quảng Ninh", title=None, kind="bao_cao",
                             period_label="  6 tháng   đầu năm 2024", period_start=date(2024, 1, 1),
                             period_end=date(2024, 6, 30))  # fmt: skip
    assert source.period_text == "6 tháng đầu năm 2024"
    assert source.citation() == "Báo cáo số 412/BC-STTTT ngày 12/12/2023 của Sở TT&TT (Quảng Ninh)"
    assert source.citation(with_agency=False) == "Báo cáo số 412/BC-STTTT ngày 12/12/2023"
    assert source.stated_on == date(2024, 6, 30)
    dated = dataclasses.replace(source, period_label="01/01/2024 - 31/07/2024", report_number=None, report_date=None,
                                province=None, agency=None, period_end=date(2024, 7, 31))  # fmt: skip
    assert dated.period_text == "01/01–31/07/2024" and dated.stated_on == date(2024, 7, 31)
    assert dated.citation() == "Báo cáo không số, không ghi ngày, của cơ quan không rõ"
    bare = compiled.Source(doc_id="b", file_name="b", report_number=None, report_date=None, agency=None,
                           province=None, title=None, kind="", period_label=None)  # fmt: skip
    assert bare.period_text == "không rõ kỳ" and bare.stated_on is None


def test_the_file_name_says_what_where_which_period_and_when():
    scope = compiled.Scope(compiled.parse_period("6T/2024"), provinces=("Tây Ninh", "Bắc Ninh"))
    assert compiled.file_stem(scope, date(2026, 12, 1)) == "bao-cao-tong-hop_tay-ninh-bac-ninh_6t-2024_2026-12-01"
    assert compiled.file_stem(compiled.Scope(compiled.parse_period("2024")), date(2026, 12, 1)) == (
        "bao-cao-tong-hop_2024_2026-12-01")  # fmt: skip
    annex = compiled.annex_filters(scope)
    assert (annex.provinces, annex.year_from, annex.year_to) == (("Tây Ninh", "Bắc Ninh"), 2023, 2024)


def _sent(fig: compiled.Figure, fact_id: str, report_date: date | None = None) -> compiled.Figure:
    return dataclasses.replace(fig, fact_id=fact_id, source=dataclasses.replace(fig.source, report_date=report_date))


def test_the_figure_for_a_period_is_the_exact_one_else_the_longest_and_the_latest_report_of_it():
    half = compiled.parse_period("6T/2024")
    early, late = _sent(figure(10), "early", date(2024, 7, 5)), _sent(figure(11), "late", date(2024, 7, 20))
    may = _sent(figure(9, end=(5, 31)), "may", date(2024, 8, 1))
    april = _sent(figure(8, end=(4, 30)), "april", date(2024, 9, 1))
    assert compiled._pick([early, late, may], half).fact_id == "late"  # a later report of the period supersedes
    assert compiled._pick([may, early], half).fact_id == "early"  # exact before partial, whatever its date
    assert compiled._pick([april, may], half).fact_id == "may"  # the one covering most of it
    assert compiled._pick([_sent(figure(1, end=(7, 31)), "july")], half) is None


def test_last_years_figure_is_the_one_of_the_same_period_as_this_years():
    half = compiled.parse_period("6T/2024")
    unit = compiled.Unit("Tây Ninh", "Sở X")
    meta = {"indicator": "x", "label_vi": "X", "unit": "hồ sơ", "sort_order": 3, "kpi_order": None}
    now = _sent(figure(30, end=(5, 31)), "now")  # only January–May reported this year
    whole = _sent(figure(50, year=2023), "whole")  # January–June last year
    same = _sent(figure(20, year=2023, end=(5, 31)), "same")  # January–May last year
    row = compiled._row(unit, [now, whole, same], meta, half)
    assert (row.current.fact_id, row.previous.fact_id, row.current_match) == ("now", "same", "partial")
    assert row.comparison == "tăng 10 hồ sơ (+50,0%)" and not row.is_key
    alone = compiled._row(unit, [now, whole], meta, half)
    assert alone.previous.fact_id == "whole" and alone.comparison == "không cùng kỳ, không so sánh"


def test_a_figure_left_out_says_why():
    half = compiled.parse_period("6T/2024")
    unit = compiled.Unit("Tây Ninh", "Sở X")
    left = compiled._omission(unit, [_sent(figure(5, start=(4, 1)), "q2"), _sent(figure(6, year=2023), "old")], half)
    assert left.figure.fact_id == "q2"
    assert left.reason == "kỳ của số liệu (01/04–30/06/2024) không khớp kỳ báo cáo (01/01–30/06/2024)"
    assert compiled._omission(unit, [_sent(figure(6, year=2023), "old")], half) is None
