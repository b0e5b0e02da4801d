"""The compiled report as a Word file in the layout of Nghị định 30/2020/NĐ-CP (python-docx).

Takes a ``CompiledReport`` from ``compiled``; hands back the .docx bytes. Every figure written
goes through ``_figure`` and so gets a real Word footnote naming its report (python-docx has no
footnote API: the footnotes part is added here as OXML). Every text goes through ``safe_text``
(a report's control characters would make the file unwritable).
"""

from __future__ import annotations

import functools
import io
from datetime import date

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from contract import is_rank
from dashboard.compiled import CompiledReport, Figure, Period, Row, Section, Unit, match
from dashboard.figures import NOT_REPORTED
from dashboard.formatting import agency_short, mid_sentence, period_text, vn_date, vn_datetime
from dashboard.safe_text import safe_text

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
NOTE_PT = 10
FINDING_MARK = "(*)"
CORRECTED_MARK = "(đã sửa)"
NO_DATA = "không có số liệu"
NBSP, WORD_JOINER = "\u00a0", "\u2060"  # no line break between a number, its unit and its footnote mark
# How a key figure reads in a sentence: {v} is the figure with its unit ('36 hồ sơ'), {n} without.
_PHRASES = {
    "staff_total": "có {n} cán bộ, công chức, viên chức và người lao động",
    "tthc_received": "tiếp nhận {v} TTHC",
    "tthc_resolved": "giải quyết {v} TTHC",
    "tthc_ontime_rate": "giải quyết đúng hạn, sớm hạn {v} hồ sơ TTHC",
    "hotline1022_received": "tiếp nhận {v} qua Tổng đài 1022",
    "hotline1022_resolved": "xử lý {v} qua Tổng đài 1022",
    "camera_traffic_total": "có {v} giao thông tập trung",
    "camera_traffic_ai": "có {v} AI giao thông",
    "dti_rank": "xếp hạng DTI thứ {n}",
}
_SENTENCES_PER_GROUP = 2  # sentences for a group without key figures: its first figures
_HEADERS = ("Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Cùng kỳ", "So sánh")
# 16,5 cm: A4 less the 3 cm and 1,5 cm margins; a figure's column holds '999.999.999.999' and its mark
_WIDTHS_CM = (5.0, 1.8, 3.4, 3.4, 2.9)


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@functools.cache
def _w(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """A w: child element, appended as raw lxml: python-docx's property setters cost ten times more,
    which counts in a report of hundreds of rows and footnotes."""
    return etree.SubElement(parent, _w(tag), {_w(k): v for k, v in attrs.items()})


def _run(p: etree._Element, text: str, *, bold: bool = False, italic: bool = False, size: int | None = None,
         line_break: bool = False) -> etree._Element:  # fmt: skip
    """A w:r with its text, appended to the paragraph element ``p`` (properties in schema order).
    Built detached and appended whole: children of python-docx's elements each cost a class lookup."""
    r = etree.Element(_w("r"))
    if bold or italic or size:
        r_pr = _sub(r, "rPr")
        if bold:
            _sub(r_pr, "b")
        if italic:
            _sub(r_pr, "i")
        if size:
            _sub(r_pr, "sz", val=str(size * 2))
            _sub(r_pr, "szCs", val=str(size * 2))
    if line_break:
        _sub(r, "br")
    t = _sub(r, "t")
    t.text = safe_text(text)
    t.set(_XML_SPACE, "preserve")
    p.append(r)
    return r


def _note_run(p: etree._Element, text: str | None, mark: str | None = None) -> etree._Element:
    """A run at the footnote size: text, or a footnote mark (``footnoteRef``/``footnoteReference``)."""
    r = etree.Element(_w("r"))
    r_pr = _sub(r, "rPr")
    if mark:
        _sub(r_pr, "rStyle", val="FootnoteReference")
    _sub(r_pr, "rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT)
    _sub(r_pr, "sz", val=str(NOTE_PT * 2))
    if mark:
        _sub(r_pr, "vertAlign", val="superscript")
        _sub(r, mark)
    if text is not None:
        t = _sub(r, "t")
        t.text = safe_text(text)
        t.set(_XML_SPACE, "preserve")
    p.append(r)
    return r


class Footnotes:
    """The footnotes part (word/footnotes.xml), created with the document; ids count from 1 in the
    order notes are added, which is the order Word numbers them when added in reading order."""

    def __init__(self, document: Document) -> None:
        xml = (
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
            "</w:footnote></w:footnotes>"
        )
        self._element = etree.fromstring(xml)  # plain lxml: python-docx needs no classes for this part
        part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, self._element, document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        self.count = 0
        self._first: dict[str, int] = {}

    def cite(self, p: etree._Element, figure: Figure) -> int:
        """A footnote for ``figure``: its full citation the first time, a pointer back after that."""
        first = self._first.get(figure.fact_id)
        if first is not None:
            return self.add(p, f"{figure.label}: xem chú thích {first}.")
        self._first[figure.fact_id] = self.count + 1
        return self.add(p, _citation(figure))

    def add(self, p: etree._Element, text: str) -> int:
        """A footnote reference at the end of the paragraph element ``p``, its text at the foot of the page."""
        self.count += 1
        note = _sub(self._element, "footnote", id=str(self.count))
        body = _sub(note, "p")
        p_pr = _sub(body, "pPr")
        _sub(p_pr, "pStyle", val="FootnoteText")
        _sub(p_pr, "jc", val="both")
        _note_run(body, None, "footnoteRef")
        _note_run(body, " " + text)
        _note_run(p, None, "footnoteReference").find(_w("footnoteReference")).set(_w("id"), str(self.count))
        return self.count


def _setup(document: Document) -> None:
    """A4 portrait, the decree's margins (top 2, bottom 2, left 3, right 1,5 cm), Times New Roman 14."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(0), Pt(6)
    style.paragraph_format.line_spacing = 1.0
    _sub(style.element.get_or_add_rPr(), "lang", val="vi-VN")  # Vietnamese spelling and hyphenation
    _footnote_styles(document)
    _page_numbers(section)


def _footnote_styles(document: Document) -> None:
    """The styles Word and LibreOffice use for footnote marks (superscript) and texts (10 pt)."""
    mark = document.styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
    mark.font.superscript = True
    mark.element.set(qn("w:styleId"), "FootnoteReference")
    text = document.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = document.styles["Normal"]
    text.font.size = Pt(NOTE_PT)
    text.paragraph_format.space_after = Pt(2)
    text.element.set(qn("w:styleId"), "FootnoteText")


def _page_numbers(section: docx.section.Section) -> None:
    """Page numbers centred in the top margin, not on the first page (as the decree asks)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _para(
    container: Document | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    after: int | None = None,
) -> Paragraph:
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(safe_text(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _rule_below(container: Document | _Cell, indent_cm: float, gap_pt: int = 0) -> None:
    """The short line under a letterhead line or the title: the bottom border of a tiny paragraph of
    its own, narrowed by equal indents (so the line above keeps its full width)."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(gap_pt)
    paragraph.paragraph_format.line_spacing = Pt(2)
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _cell_text(cell: _Cell | etree._Element, text: str, *, bold: bool = False, italic: bool = False,
               size: int = TABLE_PT, align: str = "center") -> etree._Element:  # fmt: skip
    """A paragraph of ``text`` in a table cell (a python-docx cell or a w:tc), as the w:p element."""
    tc = getattr(cell, "_tc", cell)
    paragraphs = tc.findall(_w("p"))
    p = paragraphs[0] if len(paragraphs) == 1 and len(paragraphs[0]) == 0 else _sub(tc, "p")
    p_pr = _sub(p, "pPr")
    _sub(p_pr, "spacing", after="0")
    _sub(p_pr, "jc", val=align)
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    return p


def _letterhead(document: Document, report: CompiledReport, today: date) -> None:
    """Issuing body, number and date as placeholders beside the national motto (ô số 1–4 of the decree)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, (7.0, 9.5))
    margins = etree.Element(_w("tblCellMar"))  # no cell padding: each line of both blocks fits on one line
    for side in ("left", "right"):
        _sub(margins, side, w="0", type="dxa")
    look = table._tbl.tblPr.find(_w("tblLook"))  # the schema puts tblCellMar just before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)
    left, right = table.rows[0].cells
    _cell_text(left, "TÊN CQ, TC CHỦ QUẢN", size=12)  # the placeholders of the decree's forms
    _cell_text(left, "TÊN CƠ QUAN, TỔ CHỨC", bold=True, size=12)
    _rule_below(left, 2.5)
    _cell_text(left, "")
    _cell_text(left, "Số: …/BC-…", size=13)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _cell_text(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _rule_below(right, 1.7)
    _cell_text(right, "")
    _cell_text(right, f"……, ngày … tháng … năm {today.year}", italic=True, size=14)
    _para(document, after=0)
    _para(document, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    title = _para(document, report.title(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    title.paragraph_format.keep_with_next = True
    _rule_below(document, 6.2, gap_pt=8)
    _para(document, after=6)


def _own_period_note(figure: Figure, period: Period) -> str:
    return "" if match(figure, period) == "exact" else f"({figure.own_period})"


def _citation(figure: Figure) -> str:
    """The footnote: which report, where in it, the words it was read from, and any caveat."""
    source = figure.source
    parts = [f"{figure.label}: {_quantity(figure, True)} ({mid_sentence(figure.own_period)}). {source.citation()}"]
    if source.title:
        parts.append(f"“{' '.join(source.title.split())}”")
    if source.kind == "pdf" and figure.page:
        parts.append(f"trang {figure.page}")
    if source.shown_name:  # the name it was uploaded under; a stored, hashed name is never shown
        parts.append(f"tệp gốc {source.shown_name}")
    parts.append(f"trích: “{figure.quote}”")
    text = ", ".join(parts) + "."
    if figure.is_corrected:
        text += f" Số liệu đã sửa: {figure.correction or 'giá trị trích xuất ban đầu ' + str(figure.extracted_value)}."
    if figure.finding_severity:
        text += f" {FINDING_MARK} {figure.finding_label}: {figure.finding_titles} (xem Phụ lục I)."
    return text


def _quantity(figure: Figure, with_unit: bool) -> str:
    """'9.280.000.000 đồng', 'hơn 340', 'hạng 3' held together by no-break spaces: a line never
    ends between a number and its unit ('12,5%' has none; in a table the unit has its own column)."""
    text = figure.value_text
    if with_unit and is_rank(figure.kind):
        text = f"hạng {text}"
    elif with_unit and figure.unit not in ("%", ""):
        text = f"{text} {figure.unit}"
    return text.replace(" ", NBSP)


def _marks(figure: Figure) -> str:
    """' (*) (đã sửa)': what the reader must know about a figure, '' for a plain one."""
    flags = ((FINDING_MARK, bool(figure.finding_severity)), (CORRECTED_MARK, figure.is_corrected))
    return "".join(f" {mark}" for mark, on in flags if on)


def _figure(p: etree._Element, figure: Figure, notes: Footnotes, *, size: int | None = None,
            period: Period | None = None, unit: bool = False, marks: bool = True) -> None:  # fmt: skip
    """A figure (with its unit when ``unit``) and its footnote mark, with no break between them (a
    word joiner), then its marks (unless the sentence puts them after its noun) and its own period
    when it is not ``period``, appended to the paragraph element ``p``."""
    _run(p, _quantity(figure, unit) + WORD_JOINER, size=size)
    notes.cite(p, figure)
    if marks and _marks(figure):
        _run(p, _marks(figure), size=size)
    own = _own_period_note(figure, period) if period is not None else ""
    if own:
        _run(p, own, italic=True, size=(size or BODY_PT) - 1, line_break=True)


def _lead(figure: Figure, period: Period) -> str:
    """How the sentence opens: the chosen period only when the figure is exactly that period."""
    if figure.as_of:
        return f"Tại ngày {vn_date(figure.as_of)}"
    if match(figure, period) == "exact":
        return f"Trong {period.label}"
    own = period_text(figure.period_start, figure.period_end, None)
    return f"Trong {mid_sentence(own)}" if own.startswith("Năm ") else f"Trong kỳ {own}"


def _sentence(document: Document, row: Row, period: Period, notes: Footnotes) -> None:
    """'Trong 6 tháng đầu năm 2024, Sở TT&TT Tây Ninh tiếp nhận 36 hồ sơ¹ TTHC, giảm 3 hồ sơ so với
    cùng kỳ.' — every figure with its unit ('9.280.000.000 đồng'), or glued to the noun it counts."""
    figure = row.current
    phrase = _PHRASES.get(row.indicator, f"báo cáo {row.label[0].lower() + row.label[1:]} là {{v}}")
    with_unit = "{v}" in phrase
    before, after = phrase.replace("{n}", "{v}").split("{v}")
    if not with_unit and after.startswith(" "):
        after = NBSP + after[1:]  # 'có 55¹ cán bộ': the number stays with the noun it counts
    p = _para(document, indent=True)._p
    _run(p, f"{_lead(figure, period)}, {agency_short(row.unit.agency, row.unit.province)} {before}")
    _figure(p, figure, notes, unit=with_unit, marks=False)
    after += _marks(figure)  # 'tiếp nhận 31 hồ sơ¹ TTHC (*)'
    previous = row.previous
    if previous is None:
        _run(p, f"{after}; cùng kỳ năm trước không có số liệu.")
    elif row.comparison.startswith(("tăng", "giảm", "bằng", "giữ")):
        _run(p, f"{after}, {row.comparison} so với cùng kỳ năm {previous.end.year}.")
    else:
        _run(p, f"{after}; cùng kỳ năm trước ")
        _figure(p, previous, notes, unit=True)
        _run(p, f" ({mid_sentence(previous.own_period)}), {row.comparison}.")


def _sentence_rows(section: Section) -> list[Row]:
    """Key figures get a sentence; a group without any gets its first figures of each unit."""
    reported = [r for r in section.rows if r.current is not None]
    key = [r for r in reported if r.is_key]
    if key:
        return key
    first: dict[Unit, list[Row]] = {}
    for row in reported:
        first.setdefault(row.unit, [])
        if len(first[row.unit]) < _SENTENCES_PER_GROUP:
            first[row.unit].append(row)
    return [r for rows in first.values() for r in rows]


def _fix_widths(table: Table, widths: tuple[float, ...]) -> None:
    """Column widths Word and LibreOffice both keep (the grid and every cell of the first row)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Cm(width)


def _grid(document: Document, headers: tuple[str, ...], widths: tuple[float, ...]) -> Table:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths)
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        keep = _sub(_cell_text(cell, header, bold=True).find(_w("pPr")), "keepNext")  # with the first row
        keep.getparent().insert(0, keep)  # keepNext comes first in w:pPr
    _repeat_header(table)
    return table


def _repeat_header(table: Table) -> None:
    """The header row is repeated at the top of every page the table runs over, and never split."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    _sub(tr_pr, "cantSplit")
    _sub(tr_pr, "tblHeader", val="true")


def _rows_whole(document: Document) -> None:
    """No table row of the report splits across two pages (w:cantSplit), the letterhead and the
    signature block included: a row, a figure's cell or a header ('Đơn vị' / 'tính') stays whole."""
    for tr in document.element.body.iter(_w("tr")):
        tr_pr = tr.find(_w("trPr"))
        if tr_pr is None:
            tr_pr = etree.Element(_w("trPr"))
            tr.insert(1 if tr.find(_w("tblPrEx")) is not None else 0, tr_pr)
        if tr_pr.find(_w("cantSplit")) is None:
            tr_pr.insert(0, etree.Element(_w("cantSplit")))


def _add_row(table: Table, widths: tuple[float, ...], span: bool = False) -> list[etree._Element]:
    """A row never split across two pages, as its w:tc elements (one cell over all columns when
    ``span``); built as raw XML, for python-docx's add_row and merge cost most of a long report."""
    tr = etree.Element(_w("tr"))
    _sub(_sub(tr, "trPr"), "cantSplit")
    cells = []
    for width in [sum(widths)] if span else widths:
        tc = _sub(tr, "tc")
        tc_pr = _sub(tc, "tcPr")
        _sub(tc_pr, "tcW", w=str(round(width * 567)), type="dxa")  # 567 twentieths of a point in a cm
        if span:
            _sub(tc_pr, "gridSpan", val=str(len(widths)))
        cells.append(tc)
    table._tbl.append(tr)
    return cells


def _value_cell(cell: etree._Element, figure: Figure | None, period: Period, notes: Footnotes, missing: str) -> None:
    if figure is None:
        _cell_text(cell, missing, italic=True)
        return
    _figure(_cell_text(cell, ""), figure, notes, size=TABLE_PT, period=period)


def _section_table(document: Document, section: Section, period: Period, notes: Footnotes, several: bool) -> None:
    """Chỉ tiêu | Đơn vị tính | Kỳ báo cáo | Cùng kỳ | So sánh; a merged line names each unit."""
    table = _grid(document, _HEADERS, _WIDTHS_CM)
    previous = period.previous_year()
    unit = None
    for row in section.rows:
        if several and row.unit != unit:
            unit = row.unit
            (merged,) = _add_row(table, _WIDTHS_CM, span=True)
            _cell_text(merged, unit.name, bold=True, align="left")
        cells = _add_row(table, _WIDTHS_CM)
        _cell_text(cells[0], row.label, align="left")
        _cell_text(cells[1], row.unit_of_measure)
        _value_cell(cells[2], row.current, period, notes, NOT_REPORTED)
        _value_cell(cells[3], row.previous, previous, notes, NO_DATA)
        _cell_text(cells[4], row.comparison if row.current and row.previous else "")
    _para(document, after=6)


def _section(document: Document, number: int, section: Section, report: CompiledReport, notes: Footnotes) -> None:
    period = report.scope.period
    heading = _para(document, f"{number}. {section.group_label}", bold=True, indent=True)
    heading.paragraph_format.keep_with_next = True
    for row in _sentence_rows(section):
        _sentence(document, row, period, notes)
    for unit in section.not_reported:
        _para(document, f"{unit.name}: {NOT_REPORTED} số liệu nhóm này trong kỳ.", indent=True)
    several = len({r.unit for r in section.rows}) > 1
    _section_table(document, section, period, notes, several)


def _report_line(unit: Unit) -> str:
    if not unit.reports:
        return f"- {unit.name}: {NOT_REPORTED}."
    listed = "; ".join(f"{s.citation(with_agency=False)}" + (f" “{' '.join(s.title.split())}”" if s.title else "")
                       + f" (kỳ: {mid_sentence(s.period_text)})" for s in unit.reports)  # fmt: skip
    return f"- {unit.name}: {listed}."


def _intro(document: Document, report: CompiledReport) -> None:
    period = report.scope.period
    built = f"; kho dữ liệu dựng lúc {vn_datetime(report.built_at)}" if report.built_at is not None else ""
    which = period.label if period.label.startswith("kỳ ") else f"kỳ {period.label}"
    which += "" if period.full == period.label else f": {period.dates}"  # 'kỳ quý III năm 2024: 01/07–30/09/2024'
    _para(document, f"Căn cứ số liệu trong các báo cáo của các cơ quan, đơn vị gửi về ({which}{built}), "
                    "tổng hợp kết quả như sau:", indent=True)  # fmt: skip
    _para(document, "Quy ước: mỗi số liệu có chú thích cuối trang ghi rõ báo cáo nguồn (số, ngày, cơ quan); "
                    f"số liệu có kỳ khác kỳ báo cáo được ghi kèm kỳ của số liệu; {FINDING_MARK} là số liệu có "
                    f"phát hiện kiểm tra chất lượng (Phụ lục I); “{CORRECTED_MARK}” là số liệu đã được hiệu đính; "
                    f"“{NOT_REPORTED}” là cơ quan không có số liệu trong kỳ.",
          italic=True, size=13, indent=True)  # fmt: skip
    _para(document, "I. TÌNH HÌNH BÁO CÁO", bold=True, indent=True)
    for unit in report.units:
        _para(document, _report_line(unit), indent=True)
    if not report.units:
        _para(document, "Không có cơ quan nào trong phạm vi đã chọn có báo cáo trong kỳ.", indent=True)


def _signature(document: Document) -> None:
    """'Nơi nhận' on the left, the signer's title on the right (ô số 7, 9 of the decree)."""
    table = document.add_table(rows=1, cols=2)
    _fix_widths(table, (7.0, 9.5))
    left, right = table.rows[0].cells
    _cell_text(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    for line in ("- Như trên;", "- …;", "- Lưu: VT, …."):
        _cell_text(left, line, size=11, align="left")
    _cell_text(right, "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", bold=True, size=13)
    _cell_text(right, "(Chữ ký của người có thẩm quyền, dấu của cơ quan, tổ chức)", italic=True, size=13)
    for _ in range(3):
        _cell_text(right, "")
    _cell_text(right, "Họ và tên", bold=True, size=14)


def _annex_heading(document: Document, number: str, title: str, report: CompiledReport) -> None:
    paragraph = _para(document, after=0)
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    _para(document, f"Phụ lục {number}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(document, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(document, f"(Kèm theo Báo cáo {report.title()[0].lower() + report.title()[1:]})", italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=12)  # fmt: skip


def _findings_annex(document: Document, report: CompiledReport, notes: Footnotes) -> None:
    _annex_heading(document, "I", "SỐ LIỆU CÓ PHÁT HIỆN KIỂM TRA CHẤT LƯỢNG", report)
    flagged = report.flagged
    if not flagged:
        _para(document, "Không có số liệu nào trong báo cáo có phát hiện kiểm tra chất lượng.", indent=True)
        return
    widths = (1.2, 3.1, 3.3, 3.5, 5.4)
    table = _grid(document, ("STT", "Đơn vị", "Chỉ tiêu", "Số liệu", "Phát hiện"), widths)
    lines = _finding_lines(report)
    for k, (row, figure) in enumerate(flagged, start=1):
        cells = _add_row(table, widths)
        _cell_text(cells[0], str(k))
        _cell_text(cells[1], row.unit.name, align="left")
        _cell_text(cells[2], row.label, align="left")
        _figure(_cell_text(cells[3], ""), figure, notes, size=TABLE_PT, period=report.scope.period)
        _cell_text(cells[4], "; ".join(lines.get(figure.fact_id, [figure.finding_titles or ""])), align="left")


def _finding_lines(report: CompiledReport) -> dict[str, list[str]]:
    """'Lỗi: <check> (<message>)' for each finding on each figure."""
    lines: dict[str, list[str]] = {}
    found = report.findings
    for fact_id, severity, title, message in zip(found["fact_id"], found["severity_label"], found["title"],
                                                 found["message"], strict=True):  # fmt: skip
        lines.setdefault(fact_id, []).append(f"{severity}: {title} ({message})")
    return lines


def _omissions_annex(document: Document, report: CompiledReport, notes: Footnotes) -> None:
    _annex_heading(document, "II", "SỐ LIỆU KHÔNG CÙNG KỲ, KHÔNG ĐƯA VÀO TỔNG HỢP", report)
    if not report.omissions:
        _para(document, "Không có số liệu nào bị để ra ngoài vì khác kỳ; số liệu chỉ phủ một phần kỳ báo cáo được "
                        "ghi kèm kỳ của nó ngay trong các bảng.", indent=True)  # fmt: skip
        return
    _para(document, f"Các số liệu dưới đây có kỳ khác kỳ báo cáo ({report.scope.period.dates}) nên không đưa vào "
                    "các bảng; ghi lại để tham khảo, không dùng như số liệu của kỳ báo cáo.", indent=True)  # fmt: skip
    widths = (1.2, 3.3, 4.2, 3.5, 4.3)
    table = _grid(document, ("STT", "Đơn vị", "Chỉ tiêu", "Số liệu", "Kỳ của số liệu"), widths)
    for k, omission in enumerate(report.omissions, start=1):
        cells = _add_row(table, widths)
        _cell_text(cells[0], str(k))
        _cell_text(cells[1], omission.unit.name, align="left")
        _cell_text(cells[2], omission.figure.label, align="left")
        _figure(_cell_text(cells[3], ""), omission.figure, notes, size=TABLE_PT)
        _cell_text(cells[4], omission.figure.own_period)


def _sources_annex(document: Document, report: CompiledReport) -> None:
    _annex_heading(document, "III", "DANH MỤC BÁO CÁO NGUỒN", report)
    sources = {f.source.doc_id: f.source for f in report.figures}
    sources.update({o.figure.source.doc_id: o.figure.source for o in report.omissions})
    widths = (1.2, 11.3, 4.0)
    table = _grid(document, ("STT", "Báo cáo", "Kỳ báo cáo"), widths)
    ordered = sorted(sources.values(), key=lambda s: (s.province or "", s.report_date or date.min, s.doc_id))
    for k, source in enumerate(ordered, start=1):
        cells = _add_row(table, widths)
        _cell_text(cells[0], str(k))
        title = f" “{' '.join(source.title.split())}”" if source.title else ""
        uploaded = f" (tệp gốc: {source.shown_name})" if source.shown_name else ""  # never a stored, hashed name
        _cell_text(cells[1], source.citation() + title + uploaded, align="left")
        _cell_text(cells[2], source.period_text)


def render_docx(report: CompiledReport, today: date | None = None) -> bytes:
    """The whole report: letterhead, title, the reports received, one section per indicator group,
    the signature block, then the annexes (findings, figures left out, source reports)."""
    document = docx.Document()
    _setup(document)
    properties = document.core_properties
    properties.title, properties.author, properties.comments = safe_text(report.title()), "Số liệu báo cáo", ""
    properties.subject = safe_text(f"Báo cáo tổng hợp – {report.scope.period.full}")
    notes = Footnotes(document)
    _letterhead(document, report, today or date.today())
    _intro(document, report)
    if report.sections:
        _para(document, "II. SỐ LIỆU THEO NHÓM CHỈ TIÊU", bold=True, indent=True)
    for number, section in enumerate(report.sections, start=1):
        _section(document, number, section, report, notes)
    if report.omissions:
        _para(document, f"Có {len(report.omissions)} số liệu có kỳ khác kỳ báo cáo không được đưa vào tổng hợp "
                        "(xem Phụ lục II).", italic=True, indent=True)  # fmt: skip
    _signature(document)
    _findings_annex(document, report, notes)
    _omissions_annex(document, report, notes)
    _sources_annex(document, report)
    _rows_whole(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


__all__ = ["render_docx"]
