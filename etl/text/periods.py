"""Dates and reporting periods in Vietnamese prose, on lower-cased normalised text.

'6 tháng đầu năm 2024', 'năm 2023', '9 tháng năm 2024', 'quý iii/2024',
'từ 01/01/2024 đến 31/7/2024', 'từ ngày 15/12 đến ngày 14/3/2024' (the first date takes its
year from the second, across a year end), '(15/12/2023 - 14/3/2024)', 'từ tháng 7 đến tháng
9/2025', 'tính đến ngày 28/10/2024', 'lũy kế từ ngày 01/7/2025 đến nay' (a start without a
stated end: kind 'since'), 'cùng kỳ năm trước', 'chỉ số dti 2024' (the assessed year).
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date

from contract import QUARTERS, quarter_number
from etl.models import Period

__all__ = [
    "PeriodMention",
    "find_period_mentions",
    "month_end",
    "names_report_period",
    "opening_since",
    "shift_months",
    "parse_date",
    "shift_years",
]

_D = r"(?:ngày\s+)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
_DW = r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
# a time of day before 'ngày' is part of the date: 'từ 12 giờ ngày 25/9/2025 đến 12 giờ ngày 25/10/2025'
_TIME = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?\s+(?=ngày))?"
DATE = rf"{_TIME}(?:{_D}|{_DW})"
_DATE_RE = re.compile(DATE)
_ROMANS = "|".join(sorted((q.lower() for q in QUARTERS), key=len, reverse=True))  # 'iv|iii|ii|i'


def _quarter_of(text: str) -> int:
    """'iii' or '3' -> 3: the quarters as the contract writes them, or a digit."""
    return int(text) if text.isdigit() else quarter_number(text)

# Between the two dates of a window: 'đến', 'tới' or a dash, perhaps after a short aside
# ('từ ngày 01/7/2025 (ngày vận hành chính quyền hai cấp) đến ngày 30/11/2025').
_ASIDE = r"(?:\s*\([^()\n]{1,80}\))?\s*,?"
_TO = rf"{_ASIDE}\s*(?:đến|tới|-|–)\s*(?:hết\s+)?"
# A window opens with 'từ', or is the whole of a bracket: '(15/12/2023 - 14/3/2024)'.
_RANGE = re.compile(rf"(?:(?:kể\s+)?từ\s+|(?<=\()\s*)(?P<a>{DATE}){_TO}(?P<b>{DATE})")
# 'từ ngày 15/12 đến ngày 14/3/2024', 'từ 25 tháng 9 đến 24 tháng 10 năm 2025': the year is said once.
_DAY_MONTH = r"(?:ngày\s+)?(\d{1,2})\s*(?:[/.\-]\s*(\d{1,2})(?!\s*[/.]\s*\d|-\d)|\s+tháng\s+(\d{1,2})(?!\s+năm\s+\d))"
_SHORT_RANGE = re.compile(rf"(?:(?:kể\s+)?từ\s+|(?<=\()\s*){_DAY_MONTH}{_TO}(?P<b>{DATE})")
_MONTH_RANGE = re.compile(
    r"từ\s+tháng\s+(\d{1,2})(?:\s*(?:/|năm\s+)(\d{4}))?\s*(?:đến|tới|-|–)\s*(?:hết\s+)?tháng\s+(\d{1,2})\s*(?:/|năm\s+)(\d{4})"
)
# A start and no end: 'lũy kế từ ngày 01/7/2025 đến nay', 'từ 01/7/2025 đến thời điểm báo cáo'.
_SINCE = re.compile(
    rf"(?:lũy kế\s+(?:kể\s+)?từ\s+(?P<c>{DATE})(?:{_TO}(?:nay|hiện nay|thời điểm (?:này|hiện tại|báo cáo)))?"
    rf"|(?:kể\s+)?từ\s+(?P<a>{DATE}){_ASIDE}\s*(?:đến|tới)\s+(?:nay|hiện nay|thời điểm (?:này|hiện tại|báo cáo)))"
)
# An index named with the year it assesses, without 'năm': 'chỉ số dti 2024', 'par index 2023'.
_INDEX_YEAR = re.compile(r"\b(?:dti|par ?index|pci|papi|sipas|ict ?index)\)?\s+(\d{4})(?![\d/\-–])")
_UNTIL = re.compile(rf"(?:đến|tới)\s+(?:hết\s+)?(?:thời điểm\s+)?({DATE})")
_FIRST_MONTHS = re.compile(r"(\d{1,2}|sáu|chín) tháng (?:đầu )?năm (\d{4})")
_LAST_HALF = re.compile(r"(?:6 tháng cuối|nửa cuối) năm (\d{4})")
_FIRST_HALF = re.compile(r"nửa đầu năm (\d{4})")
_QUARTER = re.compile(rf"quý\s+({_ROMANS}|[1-4])\s*(?:/|năm\s+)(\d{{4}})")
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm\s+)(\d{4})")
_YEAR = re.compile(r"năm\s+(\d{4})(?![\d/\-–])")
_SAME_PERIOD = re.compile(r"cùng kỳ(?: năm trước| năm (\d{4}))?")
# 'năm 2025' after these words is a horizon or a date, not the period of a figure
_NOT_A_PERIOD_YEAR = re.compile(r"(?:tháng\s+\d{1,2}|đến|tới|giai đoạn|nhiệm kỳ|tầm nhìn|định hướng|cuối|khóa|từ)\s+$")
_WORD_NUM = {"sáu": 6, "chín": 9}


@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int
    end: int
    kind: str  # range | since | until | months | quarter | month | year | same_period
    period: Period


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str) -> date | None:
    """'31/7/2024', '31-07-2024', 'ngày 31 tháng 7 năm 2024' -> date; anything else -> None."""
    m = _DATE_RE.search(text)
    return _date_of(m.groups()) if m else None


def _date_of(groups: tuple[str | None, ...]) -> date | None:
    parts = [g for g in groups if g]
    if len(parts) < 3:
        return None
    d, mth, y = (int(p) for p in parts[:3])
    try:
        return date(y, mth, d)
    except ValueError:
        return None


def names_report_period(period: Period, report: Period) -> bool:
    """'Quý I/2025' over a report of 15/12/2024–14/3/2025 is the report's own period, by its name:
    both ends within a month of the report's, and most of the report inside it ('tháng 9' is not
    the report of 25/9–25/10, which is 'tháng 10')."""
    if not (period.start and period.end and report.start and report.end):
        return False
    if abs((period.start - report.start).days) > 31 or abs((period.end - report.end).days) > 31:
        return False
    overlap = (min(period.end, report.end) - max(period.start, report.start)).days + 1
    return overlap * 2 > (report.end - report.start).days + 1


def shift_months(period: Period, months: int) -> Period:
    """The same window ``months`` earlier or later: a cycle report of 25/9–25/10 a month back is 25/8–25/9."""

    def move(d: date | None) -> date | None:
        if d is None:
            return None
        k = d.year * 12 + d.month - 1 + months
        y, m = divmod(k, 12)
        return date(y, m + 1, min(d.day, month_end(y, m + 1).day))

    return Period(move(period.start), move(period.end), period.label)


def shift_years(period: Period, years: int) -> Period:
    """The same period ``years`` earlier or later (29 Feb becomes 28 Feb)."""

    def move(d: date | None) -> date | None:
        if d is None:
            return None
        try:
            return d.replace(year=d.year + years)
        except ValueError:
            return d.replace(year=d.year + years, day=28)

    return Period(move(period.start), move(period.end), period.label)


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _range(m: re.Match[str], _text: str) -> Period | None:
    a, b = parse_date(m.group("a")), parse_date(m.group("b"))
    return Period(a, b, f"{_fmt(a)} - {_fmt(b)}") if a and b and a <= b else None


def _short_range(m: re.Match[str], _text: str) -> Period | None:
    """'từ ngày 15/12 đến ngày 14/3/2024': the start is in the year of the end, or the year
    before when its day of the year comes later."""
    b = parse_date(m.group("b"))
    day, month = int(m.group(1)), int(m.group(2) or m.group(3))
    if b is None:
        return None
    year = b.year if (month, day) <= (b.month, b.day) else b.year - 1
    try:
        a = date(year, month, day)
    except ValueError:
        return None
    return Period(a, b, f"{_fmt(a)} - {_fmt(b)}")


def _month_range(m: re.Match[str], _text: str) -> Period | None:
    first, last, y2 = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if not (1 <= first <= 12 and 1 <= last <= 12):
        return None
    y1 = int(m.group(2)) if m.group(2) else (y2 if first <= last else y2 - 1)
    start, end = date(y1, first, 1), month_end(y2, last)
    return Period(start, end, m.group(0)) if start <= end else None


def _since(m: re.Match[str], _text: str) -> Period | None:
    d = parse_date(m.group("a") or m.group("c"))
    return Period(d, None, f"từ {_fmt(d)}") if d else None


def _index_year(m: re.Match[str], _text: str) -> Period | None:
    y = int(m.group(1))
    return Period(date(y, 1, 1), date(y, 12, 31), f"năm {y}") if 2000 <= y <= 2100 else None


def _until(m: re.Match[str], _text: str) -> Period | None:
    d = parse_date(m.group(1))
    return Period(None, d, f"tính đến {_fmt(d)}") if d else None


def _first_half(m: re.Match[str], _text: str) -> Period:
    y = int(m.group(1))
    return Period(date(y, 1, 1), date(y, 6, 30), m.group(0))


def _last_half(m: re.Match[str], _text: str) -> Period:
    y = int(m.group(1))
    return Period(date(y, 7, 1), date(y, 12, 31), m.group(0))


def _quarter(m: re.Match[str], _text: str) -> Period:
    q, y = _quarter_of(m.group(1)), int(m.group(2))
    return Period(date(y, 3 * q - 2, 1), month_end(y, 3 * q), m.group(0))


def _month(m: re.Match[str], text: str) -> Period | None:
    mth, y = int(m.group(1)), int(m.group(2))
    if not 1 <= mth <= 12 or _is_date_tail(text, m.start()):
        return None
    return Period(date(y, mth, 1), month_end(y, mth), m.group(0))


def _year(m: re.Match[str], text: str) -> Period | None:
    y = int(m.group(1))
    if _NOT_A_PERIOD_YEAR.search(text[max(0, m.start() - 20) : m.start()]) or not 1990 <= y <= 2100:
        return None
    return Period(date(y, 1, 1), date(y, 12, 31), m.group(0))


def _same_period(m: re.Match[str], _text: str) -> Period:
    return Period(None, None, m.group(0))


def _first_months(m: re.Match[str], _text: str) -> Period | None:
    raw = m.group(1)
    n = _WORD_NUM.get(raw) or int(raw)
    y = int(m.group(2))
    if not 1 <= n <= 12:
        return None
    return Period(date(y, 1, 1), month_end(y, n), m.group(0))


# Most specific first: a range claims its dates before 'đến <date>' or 'năm <year>' can.
# Each finder with the words one of which every match holds: text without them is not scanned.
_FINDERS = (
    (_RANGE, "range", _range, ("từ", "(")),
    (_SHORT_RANGE, "range", _short_range, ("từ", "(")),
    (_MONTH_RANGE, "range", _month_range, ("từ",)),
    (_SINCE, "since", _since, ("từ",)),
    (_UNTIL, "until", _until, ("đến", "tới")),
    (_FIRST_MONTHS, "months", _first_months, ("tháng",)),
    (_LAST_HALF, "months", _last_half, ("cuối",)),
    (_FIRST_HALF, "months", _first_half, ("nửa",)),
    (_QUARTER, "quarter", _quarter, ("quý",)),
    (_MONTH, "month", _month, ("tháng",)),
    (_SAME_PERIOD, "same_period", _same_period, ("cùng kỳ",)),
    (_YEAR, "year", _year, ("năm",)),
    (_INDEX_YEAR, "year", _index_year, ("dti", "par", "pci", "papi", "sipas", "ict")),
)


def find_period_mentions(text: str, start: int = 0, end: int | None = None) -> tuple[PeriodMention, ...]:
    """Every period expression in ``text[start:end]`` (lower-cased), in order of position;
    positions are in ``text``."""
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping
    stop = len(text) if end is None else end
    segment = text[start:stop]
    for pattern, kind, build, words in _FINDERS:
        for word in words:
            if word in segment:
                break
        else:
            continue  # none of the words every match holds
        for m in pattern.finditer(text, start, stop):
            i = bisect.bisect_left(taken, (m.start(), -1))
            if (i < len(taken) and taken[i][0] < m.end()) or (i > 0 and taken[i - 1][1] > m.start()):
                continue
            period = build(m, text)
            if period is not None:
                found.append(PeriodMention(m.start(), m.end(), kind, period))
                taken.insert(i, (m.start(), m.end()))
    found.sort(key=lambda p: p.start)
    return tuple(_closed_windows(found, text))


_CLOSING = re.compile(r"\s*,?\s*(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?$")
_CLOSE_REACH = 90  # characters an aside may hold between a window's start and its end
_CLOSERS = ("month", "quarter", "months")
_OPENING = re.compile(rf"(?:lũy kế\s+|tính\s+|kể\s+)?từ\s+(?P<d>{DATE})")


def _closed_windows(found: list[PeriodMention], text: str) -> list[PeriodMention]:
    """A start and, after an aside, its end: '(lũy kế / tính) từ ngày 01/7/2025, khi …, đến hết
    tháng 10/2025' is one window from the start to the end of what closes it."""
    out: list[PeriodMention] = []
    for m in found:
        opened = _opening_before(text, m) if m.kind in _CLOSERS and m.period.end is not None else None
        if opened is not None and opened[1] < m.period.end:  # type: ignore[operator]
            start, day = opened
            out = [p for p in out if p.end <= start]  # the start's own mention ('lũy kế từ …') is inside
            window = Period(day, m.period.end, f"{day:%d/%m/%Y} - {m.period.label}")
            out.append(PeriodMention(start, m.end, "range", window))
            continue
        out.append(m)
    return out


def _opening_before(text: str, closer: PeriodMention) -> tuple[int, date] | None:
    """Where a window closed by ``closer`` ('đến hết tháng 10/2025') was opened, and its first day."""
    lo = max(0, closer.start - _CLOSE_REACH - 40)
    if not _CLOSING.search(text, lo, closer.start):
        return None
    opening = None
    for opening in _OPENING.finditer(text, lo, closer.start):  # noqa: B007 - the last one is wanted
        pass
    if opening is None or closer.start - opening.end() > _CLOSE_REACH:
        return None
    between = text[opening.end() : closer.start]
    if ";" in between or ". " in between:  # another sentence or clause: not the same window
        return None
    day = parse_date(opening.group("d"))
    return (opening.start(), day) if day else None


_DAY_BEFORE = re.compile(r"(?<![\d.,/])\d{1,2}\s+$")  # a day, not the end of a longer number ('1022 tháng 7')


def _is_date_tail(text: str, pos: int) -> bool:
    """'ngày 10 tháng 5 năm 2024': the 'tháng 5 năm 2024' is part of a date."""
    return bool(_DAY_BEFORE.search(text, max(0, pos - 10), pos))


# A paragraph opening 'Từ ngày 01/7/2025, …' (after its number): a window with no end said, which
# runs to the report's end. Only at an opening: 'có hiệu lực từ ngày 01/7/2025' inside a sentence is not one.
_OPENING_SINCE = re.compile(rf"(?:\d{{1,2}}[.)]\s*|[a-zđ]\)\s*|[-+•]\s*)?(?:kể\s+)?từ\s+(?P<a>{DATE})\s*,")


def opening_since(lower: str, start: int, end: int) -> PeriodMention | None:
    """The window ``lower[start:end]`` (a paragraph) opens with, when it opens 'từ ngày …,'."""
    m = _OPENING_SINCE.match(lower, start, end)
    if m is None:
        return None
    d = parse_date(m.group("a"))
    return PeriodMention(m.start("a"), m.end("a"), "since", Period(d, None, f"từ {_fmt(d)}")) if d else None
