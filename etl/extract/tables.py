"""Tables read as rows × column headers × units, whatever file they came from.

Readers hand every table on as one line per row with cells joined by '|' (Word, PDF and
markdown alike). A figure in a cell is read from its row label (classified with the same
frames as prose), its column header (the period: kỳ báo cáo, lũy kế, cùng kỳ, a quarter; or
not a figure at all: so sánh, kế hoạch, ghi chú) and its unit (a unit column, or a unit in
the header or label: 'nghìn hồ sơ', 'triệu đồng').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from contract import QUARTERS, quarter_number
from etl.extract.mentions import Quantity, find_quantities
from etl.models import Period
from etl.text.periods import find_period_mentions, month_end, names_report_period, parse_date, shift_years
from etl.text.segments import Segments

__all__ = ["TableCell", "read_tables"]

_SEPARATOR = re.compile(r"^:?-{2,}:?$")
_NUMERIC = re.compile(r"^(?:hơn |khoảng |trên |gần |dưới )?\d[\d.,]*(?:/[\d.]+)?\s?%?(?:\s?\([^()|]{1,30}\))?$")
_FILLER = re.compile(r"^(?:\(?\d{1,2}\)?|\([a-z]\)|[a-z]|)$")
_STT_HEADER = re.compile(r"^(?:stt|tt|số tt|số thứ tự)$")
_STT_VALUE = re.compile(r"^(?:[ivxlc]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]?$")
_LABEL_HEADER = re.compile(r"chỉ tiêu|nội dung|tên|lĩnh vực|hạng mục|danh mục|loại|đơn vị thực hiện|cơ quan")
_UNIT_HEADER = re.compile(r"^(?:đơn vị tính|đvt|đơn vị đo|đơn vị(?= |$)(?! thực hiện| báo cáo))")
# Columns that are no figure of a period (a change, a comparison, a note) …
_SKIP_HEADER = re.compile(r"so sánh|so với|tăng,? giảm|tăng/giảm|tăng \(|chênh lệch|ghi chú|% ?kh|tỷ lệ (?:%|tăng|so)")
# … and columns whose figures have a role only some indicators take: a plan, an average.
_PLAN_HEADER = re.compile(r"kế hoạch|mục tiêu|dự kiến|chỉ tiêu (?:năm|giao|kh)|dự toán")
_AVERAGE_HEADER = re.compile(r"bình quân|trung bình")
_CUMULATIVE = re.compile(r"lũy kế|luỹ kế|từ đầu năm|cộng dồn")
_SAME_PERIOD = re.compile(r"cùng kỳ")
_AT_DATE = re.compile(r"(?:tại|vào) (?:thời điểm|ngày) (\d{1,2}/\d{1,2}/\d{4})")
_REPORT_ROW = re.compile(r"(?:số liệu )?(?:kỳ báo cáo|kỳ này|trong kỳ|thực hiện trong kỳ)")
_PERIOD_WORDS = re.compile(r"cùng kỳ|năm (?:trước|\d{4})|\d{1,2} tháng|quý [ivx]+|tháng \d{1,2}|/\d{4}")
_TOTAL = re.compile(r"^(?:tổng(?: cộng| số| chung)?|cộng|toàn tỉnh|toàn thành phố)\b")
# a column header ending in a total word, its unit after it maybe: "Kết quả thực hiện | Tổng số (người)"
_TOTAL_LEAF = re.compile(r"(?:^| )(?:tổng cộng|tổng số|tổng|cộng)(?: \([^()]{1,25}\))?$")
_SCALE_UNIT = re.compile(r"(tỷ|tỉ|triệu|nghìn|ngàn)\s+(.*)")
_UNIT_IN_TEXT = re.compile(r"\(([^()]{1,25})\)\s*$")
_BODY_NAME = re.compile(
    r"(?:sở|ubnd|ủy ban|phòng|trung tâm|ban|chi cục|cục|văn phòng|huyện|xã|phường|thành phố|thị xã|tỉnh|công an|bộ"
    r"|tổng|cộng|toàn)\b"
)
_TITLE_UNIT = re.compile(r"(?:đvt|đơn vị tính|đv tính|đơn vị)\s?:\s?([^()|,;]{1,20}?)\s*(?:\)|$|,|;|\|)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_ROMANS = "|".join(sorted((q.lower() for q in QUARTERS), key=len, reverse=True))  # 'iv|iii|ii|i'
_YEARLESS = re.compile(
    r"(?:^|\s)(?:tháng (?P<month>\d{1,2})(?![\d/])|(?P<months>\d{1,2}) tháng|quý (?P<quarter>" + _ROMANS + r")\b)"
)
_FROM_DATE = re.compile(r"từ (?:ngày )?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_PAGE_BREAK_LINES = 4  # lines of page furniture ('Trang 1', a running header) a table may run across
_PAGE_LINE_CHARS = 120
_PART_NUMBER = re.compile(r"^(?:\d{1,2}\.\d{1,2}|[a-zđ]|-|\+)[.)]?$")
_PART_LABEL = re.compile(r"^(?:trong đó|-|\+)")
_SCALES = {"tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3}


@dataclass(frozen=True, slots=True)
class TableCell:
    """One figure of a table with what its row and column say about it (lower case)."""

    quantity: Quantity
    label: str  # the row label
    header_label: str  # the column header, for tables whose rows are units and columns measures
    unit: str  # the measure word from the unit column, the header or the label ('hồ sơ', '%')
    scale: float  # 1000 for 'nghìn hồ sơ', 1e6 for 'triệu đồng'
    period: Period | None  # the column's period; None: the report's
    topic: str  # the section row above and the table's title line
    is_total: bool  # a total row ('Tổng cộng') of a table listing units
    role: str = ""  # plan | average: what the column header says its figures are ('' a result)
    as_of: date | None = None  # the date the row label gives a count ('Hồ sơ tồn (đến ngày 14/12/2024)')
    across: bool = False  # measures across the columns, periods down the rows: a row's cells are its parts
    column: int = 0  # the cell's column in its table
    table: int = 0  # the paragraph of the table's first line: tells one table from another
    part_of: int | None = None  # the paragraph of the row this one is a part of ('1.1', 'Trong đó: …')


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    start: int
    end: int


def read_tables(lower: str, segments: Segments, report: Period) -> list[TableCell]:
    """Every figure in every table of a normalised, lower-cased text."""
    out: list[TableCell] = []
    if "|" not in lower:
        return out
    units_seen: dict[tuple[str, ...], list[str]] = {}  # a header repeated after a page break keeps its units
    for block in _continued(lower, segments, _blocks(lower, segments)):
        if len(block) >= 2:  # a table is two rows or more: one line with a bar is text
            out.extend(_read_table(lower, segments, block, report, units_seen))
    return out


def _continued(lower: str, segments: Segments, blocks: list[list[int]]) -> list[list[int]]:
    """A table continued after a page break without its header ('Trang 1', a running header
    between) is one table with the part before it: the part has the same columns and opens on a
    figure row."""
    out: list[list[int]] = []
    for block in blocks:
        if out and _continues(lower, segments, out[-1], block):
            out[-1] = out[-1] + block
        else:
            out.append(block)
    return out


def _continues(lower: str, segments: Segments, before: list[int], block: list[int]) -> bool:
    gap = range(before[-1] + 1, block[0])
    if len(gap) > _PAGE_BREAK_LINES or any(
        segments.paragraphs[i][1] - segments.paragraphs[i][0] > _PAGE_LINE_CHARS for i in gap
    ):
        return False
    first, last = _cells(lower, *segments.paragraphs[block[0]]), _cells(lower, *segments.paragraphs[before[-1]])
    return len(first) == len(last) and _is_data_row(first)


def _blocks(lower: str, segments: Segments) -> list[list[int]]:
    """Runs of consecutive lines that are table rows (a single row may continue a table)."""
    blocks: list[list[int]] = []
    run: list[int] = []
    for i, (a, b) in enumerate(segments.paragraphs):
        if lower.find("|", a, b) != -1:
            run.append(i)
            continue
        if run:
            blocks.append(run)
        run = []
    if run:
        blocks.append(run)
    return blocks


def _cells(lower: str, a: int, b: int) -> list[_Cell]:
    text = lower[a:b]
    lo, hi = 0, len(text)
    stripped = text.strip()
    if stripped.startswith("|"):
        lo = text.index("|") + 1
    if stripped.endswith("|"):
        hi = text.rindex("|")
    cells, pos = [], lo
    while pos <= hi:
        bar = text.find("|", pos, hi)
        stop = hi if bar == -1 else bar
        raw = text[pos:stop]
        left = len(raw) - len(raw.lstrip())
        value = raw.strip()
        cells.append(_Cell(value, a + pos + left, a + pos + left + len(value)))
        if bar == -1:
            break
        pos = bar + 1
    return cells


def _read_table(
    lower: str, segments: Segments, block: list[int], report: Period, units_seen: dict[tuple[str, ...], list[str]]
) -> list[TableCell]:
    every = [(i, _cells(lower, *segments.paragraphs[i])) for i in block]
    kept = [(i, r) for i, r in every if not all(_SEPARATOR.match(c.text) or not c.text for c in r)]
    rows = [r for _, r in kept]
    width = max((len(r) for r in rows), default=0)
    if width < 2:
        return []
    rows = [r + [_Cell("", r[-1].end, r[-1].end)] * (width - len(r)) for r in rows]
    first_data = next((k for k, r in enumerate(rows) if _is_data_row(r)), None)
    if first_data is None:
        return []
    header_rows = [r for r in rows[:first_data] if not all(_FILLER.match(c.text) for c in r) and not _is_section(r)]
    headers, column_units = _headers_and_units(header_rows, width, units_seen)
    data = rows[first_data:]
    data_paragraphs = [i for i, _ in kept[first_data:]]
    stt, label_col, unit_col = _roles(headers, data)
    if label_col is None:
        return []
    title = _title_above(lower, segments, block[0])
    title_unit = _TITLE_UNIT.search(title) or _TITLE_UNIT.search(" ".join(headers))
    default_unit = title_unit.group(1).strip() if title_unit else ""
    periods = [_column_period(h, report) for h in headers]
    out: list[TableCell] = []
    section = ""
    whole: int | None = None  # the paragraph of the last row that is not a part
    for row, paragraph in zip(data, data_paragraphs, strict=True):
        label = row[label_col].text
        values = [c for k, c in enumerate(row) if k not in (stt, label_col, unit_col) and _NUMERIC.match(c.text)]
        if not values:
            section = label or section
            continue
        part = _is_part(row[stt].text if stt is not None else "", label)
        parent = whole if part else None
        if not part:
            whole = paragraph
        unit = (row[unit_col].text if unit_col is not None else "") or default_unit
        for col, cell in enumerate(row):
            if col in (stt, label_col, unit_col) or not _NUMERIC.match(cell.text) or _SKIP_HEADER.search(headers[col]):
                continue
            made = _cell(lower, cell, label, headers[col], column_units[col] or unit, periods[col], report)
            if made is not None:
                role = (
                    "plan"
                    if _PLAN_HEADER.search(headers[col])
                    else "average"
                    if _AVERAGE_HEADER.search(headers[col])
                    else ""
                )
                out.append(
                    replace(made, topic=section + " \n " + title, column=col, table=block[0], part_of=parent, role=role)
                )
    return out


def _headers_and_units(
    header_rows: list[list[_Cell]], width: int, units_seen: dict[tuple[str, ...], list[str]]
) -> tuple[list[str], list[str]]:
    """Each column's header (header rows joined) and unit; a header repeated after a page break
    without its unit row keeps the units it had before."""
    header_rows, column_units = _unit_row(header_rows, width)
    headers = [_join(r[col].text for r in header_rows) for col in range(width)]
    if any(column_units):
        units_seen[tuple(headers)] = column_units
    return headers, column_units if any(column_units) else units_seen.get(tuple(headers), column_units)


def _unit_row(header_rows: list[list[_Cell]], width: int) -> tuple[list[list[_Cell]], list[str]]:
    """A header row under the first saying 'Đơn vị tính' in its first cells, beside no label
    header, gives each column its unit (tables whose measures are columns); it is taken out of
    the headers. Units '' when there is none."""
    for k, row in enumerate(header_rows):
        named = [c for c in row[:3] if _UNIT_HEADER.match(c.text)]
        if named and k > 0 and not any(_LABEL_HEADER.search(c.text) for c in row):  # not the unit column's header
            units = ["" if _UNIT_HEADER.match(c.text) or _STT_HEADER.match(c.text) else c.text for c in row]
            return header_rows[:k] + header_rows[k + 1 :], units
    return header_rows, [""] * width


def _is_part(stt: str, label: str) -> bool:
    """A row counting part of the row above: numbered under it ('1.1', 'a') or 'Trong đó: …'."""
    return bool(_PART_NUMBER.match(stt)) or bool(_PART_LABEL.match(label))


def _is_section(row: list[_Cell]) -> bool:
    """A numbered row naming a group ('I | Thủ tục hành chính', merged across the columns)."""
    rest = {c.text for c in row[1:] if c.text}
    return bool(_STT_VALUE.match(row[0].text)) and row[0].text != "" and len(rest) == 1


def _is_data_row(row: list[_Cell]) -> bool:
    """A row with a figure beside some text: the header rows end above it."""
    numeric = [c for c in row[1:] if _NUMERIC.match(c.text)]
    texts = [c for c in row if _is_label_text(c.text)]
    return bool(numeric) and bool(texts) and not all(_FILLER.match(c.text) for c in row)


def _is_label_text(text: str) -> bool:
    """Words that can label a row, or a year labelling a row of a table by year."""
    return bool(text) and (bool(_YEAR.fullmatch(text)) or not (_NUMERIC.match(text) or _STT_VALUE.match(text)))


def _join(parts: object) -> str:
    seen: list[str] = []
    for p in parts:  # type: ignore[attr-defined]
        if p and p not in seen:
            seen.append(p)
    return " ".join(seen)


def _roles(headers: list[str], data: list[list[_Cell]]) -> tuple[int | None, int | None, int | None]:
    """Columns holding the row number, the row label and the unit."""
    width = len(headers)
    stt = next((k for k in range(min(2, width)) if _STT_HEADER.match(headers[k])), None)
    if stt is None and all(not r[0].text or _STT_VALUE.match(r[0].text) for r in data):
        stt = 0
    unit = next((k for k in range(width) if _UNIT_HEADER.match(headers[k]) and _short_cells(data, k)), None)
    candidates = [k for k in range(width) if k not in (stt, unit)]

    def wordiness(k: int) -> int:
        return sum(1 for r in data if _is_label_text(r[k].text))

    # a header naming labels ('Chỉ tiêu', 'Nội dung') over cells of words; not a measure's header
    # that happens to hold such a word ('… của cơ quan' over figures)
    labelled = [k for k in candidates[:3] if _LABEL_HEADER.search(headers[k]) and wordiness(k) * 2 >= len(data)]
    if labelled:
        return stt, labelled[0], unit

    best = max(candidates[:3], key=wordiness, default=None)
    return stt, best if best is not None and wordiness(best) else None, unit


def _short_cells(data: list[list[_Cell]], col: int) -> bool:
    """Units of measure are a word or two ('hồ sơ', '%', 'triệu đồng'), not the names of bodies."""
    texts = [r[col].text for r in data if r[col].text]
    return not texts or (max(len(t) for t in texts) <= 16 and not any(_BODY_NAME.match(t) for t in texts))


def _title_above(lower: str, segments: Segments, first: int) -> str:
    """The line just above a table (its title: 'Biểu 01. Kết quả giải quyết TTHC quý I/2025')."""
    for j in range(first - 1, max(-1, first - 3), -1):
        a, b = segments.paragraphs[j]
        if b > a:
            return lower[a:b]
    return ""


def _column_period(header: str, report: Period) -> Period | None:
    """The period a column's figures cover; None when it is the report's."""
    if not header:
        return None
    mentions = find_period_mentions(header)
    if _SAME_PERIOD.search(header):
        said = [m.period for m in mentions if m.kind in ("range", "months", "quarter", "month") and m.period.start]
        if said and said[0].end:  # 'Cùng kỳ 10 tháng năm 2024' names its window
            return said[0]
        years = [m.period.end.year for m in mentions if m.kind == "year" and m.period.end]
        if report.end is None:
            return None
        return shift_years(report, (years[0] - report.end.year) if years else -1)
    if _CUMULATIVE.search(header):
        return _cumulative_period(header, mentions, report)
    for m in mentions:
        if m.kind == "year" and report.end and m.period.end and m.period.end.year == report.end.year:
            return None
        if m.kind in ("range", "months", "quarter", "month", "year") and m.period.start and m.period.end:
            return None if names_report_period(m.period, report) else m.period
    found = _yearless_period(header, report)
    return None if found is not None and names_report_period(found, report) else found


def _yearless_period(header: str, report: Period) -> Period | None:
    """'Tháng 10', '10 tháng', 'Quý III' without a year: of the report's year."""
    if report.end is None:
        return None
    year = report.end.year
    m = _YEARLESS.search(header)
    if m is None:
        return None
    if m.group("month"):
        month = int(m.group("month"))
        return Period(date(year, month, 1), month_end(year, month)) if 1 <= month <= 12 else None
    if m.group("months"):
        months = int(m.group("months"))
        return Period(date(year, 1, 1), month_end(year, months)) if 1 <= months <= 12 else None
    quarter = quarter_number(m.group("quarter"))
    return Period(date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter))


def _cumulative_period(header: str, mentions: tuple, report: Period) -> Period | None:
    """'Lũy kế' runs from 1 January, or from the date it names ('lũy kế từ 01/7'), to the report's end."""
    if report.end is None:
        return None
    start = next((m.period.start for m in mentions if m.kind in ("range", "until", "since") and m.period.start), None)
    named = _FROM_DATE.search(header)
    if start is None and named:
        start = date(int(named.group(3) or report.end.year), int(named.group(2)), int(named.group(1)))
    return Period(start or _year_start(report), report.end)


def _year_start(report: Period) -> date:
    """Where 'từ đầu năm' starts: 1 January, or the start of the reporting year when the report
    runs on a cycle (15/12 of the year before, for a cycle from the 15th to the 14th)."""
    assert report.end is not None
    if report.start is not None and report.start.day > 1:
        return date(report.end.year - 1, 12, report.start.day)
    return date(report.end.year, 1, 1)


def _cell(
    lower: str, cell: _Cell, label: str, header: str, unit: str, period: Period | None, report: Period
) -> TableCell | None:
    found = find_quantities(lower, cell.start, cell.end)
    if not found:
        return None
    q = found[0]
    unit_text = unit or _unit_in(header) or _unit_in(label)
    scale = 1.0
    m = _SCALE_UNIT.match(unit_text)
    if m:
        scale, unit_text = _SCALES[m.group(1)], m.group(2)
    if "%" in unit_text and q.kind == "count":
        q = replace(q, kind="pct", measure="")
    elif "đồng" in unit_text and q.kind == "count":
        q = replace(q, kind="money", measure="")
    row_period = _row_period(label, report)
    if row_period is not None:  # periods down the rows, measures across the columns
        total = bool(_TOTAL.match(header) or _TOTAL_LEAF.search(header))  # 'Kết quả thực hiện | Tổng số'
        return TableCell(q, header, "", unit_text, scale, row_period, "", total, across=True)
    cell_ = TableCell(q, label, header, unit_text, scale, period, "", bool(_TOTAL.match(label)))
    return replace(cell_, as_of=_label_date(label))


def _label_date(label: str) -> date | None:
    """A date the row label says its count is of: '(đến ngày 14/12/2024)', 'tại thời điểm 30/9/2025'."""
    for m in find_period_mentions(label):
        if m.kind == "until" and m.period.end:
            return m.period.end
    found = _AT_DATE.search(label)
    return parse_date(found.group(1)) if found else None


def _unit_in(text: str) -> str:
    m = _UNIT_IN_TEXT.search(text)
    return m.group(1).strip() if m else ""


def _row_period(label: str, report: Period) -> Period | None:
    """A row label that is only a period ('Quý I/2025', 'Tháng 3/2025', 'Năm 2024', '2024',
    'Cùng kỳ năm 2024', 'Kỳ báo cáo'); a change or comparison row is none."""
    if _YEAR.fullmatch(label):
        year = int(label)
        return Period(date(year, 1, 1), date(year, 12, 31))
    if _SKIP_HEADER.search(label):
        return None
    if _REPORT_ROW.fullmatch(label):
        return report
    if _SAME_PERIOD.search(label) and len(_PERIOD_WORDS.sub("", label).strip(" .:-–()")) <= 12:
        return _column_period(label, report)
    mentions = find_period_mentions(label)
    if len(mentions) != 1:
        return None
    m = mentions[0]
    rest = (label[: m.start] + label[m.end :]).strip(" .:-–")
    if len(rest) > 12 or not m.period.start or not m.period.end:
        return None
    return m.period
