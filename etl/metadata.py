"""Who reported what, for when: province, agency, report type, period, date and number.

Where the text says nothing the field stays empty; nothing is guessed from the file name.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from contract import REPORT_TYPES, quarter_number
from etl.gazetteer import (
    AGENCIES,
    AGENCY_ALIASES,
    AMBIGUOUS_PROVINCES,
    CITY_PROVINCES,
    PROVINCE_ALIASES,
    PROVINCES,
    UNIT_HEADS,
    agency_code,
)
from etl.models import DocumentMeta, NormalizedText, Period
from etl.normalize import normalize_phrase
from etl.text.periods import PeriodMention, find_period_mentions
from etl.text.segments import numeric_paragraphs, paragraph_spans

__all__ = [
    "period_code",
    "detect_agency",
    "detect_metadata",
    "detect_period",
    "detect_province",
    "detect_report_type",
    "find_title",
]

_TITLE_LINE_CHARS = 200
# Case matters: mid-line, a capitalised opening word starts the text after the title.
_TITLE_INTO_TEXT = re.compile(r"\s(?=(?:Thực hiện|Căn cứ|Theo|Kính gửi|Triển khai|Nhằm|Để)\s)")
_TITLE_STOP = re.compile(r"^(?:thực hiện|căn cứ|kính gửi|theo|trên cơ sở|phần|i\.|a\.|1\.)", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^([^\n,]{2,40}),\s*ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.MULTILINE)
_NUMBER = re.compile(r"^số\s*:?\s*([0-9]{1,6}\s*/[^\s\n]*)", re.MULTILINE)
_RECIPIENTS = re.compile(r"\nnơi nhận\s*:?", re.IGNORECASE)
_HEAD_CHARS = 2500
_INTRO_START = re.compile(r"(?:thực hiện|căn cứ|theo|để|nhằm|triển khai)\b")
_LETTERHEAD_CHARS, _LETTERHEAD_LINES = 400, 6
_LETTERHEAD_UNIT = re.compile(r"(?:ubnd|ủy ban nhân dân)\s+(?:tỉnh|thành phố|tp\.?)\s+(.+)$")
_PROVINCE_PREFIX = re.compile(r"(?:tỉnh|thành phố|tp\.?)\s?")
# No look-behind in front: a literal-led pattern scans several times faster (checked in code).
_AGENCY_ANCHOR = re.compile(r"(?:sở|thanh tra|văn phòng|ban|công an)\s")
_NUMBER_SYMBOL = re.compile(r"/(?:bc|kh|tb|cv)-([^\W\d_]+)\b")
_REPORTS = re.compile(r"\s*(?:tỉnh [^\s,]+ )?(?:[^\s,]+ ){0,3}báo cáo")


@lru_cache(maxsize=4)  # province, agency and cut-off each ask for it
def _body(lower: str) -> str:
    """The text before the distribution list, where names of recipients would mislead."""
    m = _RECIPIENTS.search(lower)
    return lower[: m.start()] if m else lower


def find_title(text: str) -> str:
    """The report's title: the lines after 'BÁO CÁO', else the opening lines."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    start = 0
    for i, p in enumerate(paragraphs[:15]):
        if re.fullmatch(r"báo cáo", p.strip(" *#").lower()):
            start = i + 1
            break
    else:
        for i, p in enumerate(paragraphs[:8]):
            low = p.lower()
            if low.startswith(("số:", "số ", "cộng hòa", "độc lập")) or _PLACE_DATE.match(p):
                start = i + 1
    lines: list[str] = []
    for p in paragraphs[start : start + 4]:
        line = p.strip(" *#")
        if _TITLE_STOP.match(p) or len(" ".join(lines)) > 250:
            break
        if lines and (line.endswith((".", ";")) or len(line) > _TITLE_LINE_CHARS):
            break  # a sentence of the text, not a line of the title
        cut = _TITLE_INTO_TEXT.search(line)
        lines.append(line[: cut.start()] if cut else line)
        if cut:  # a wrapped line ran the title into the opening sentence ('… năm 2024 Thực hiện …')
            break
    return " ".join(lines)[:300]


def _phrase_finder(canonical: tuple[str, ...], aliases: dict[str, str]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation over names and aliases (longest first) and the map back to canonical names."""
    names = {normalize_phrase(n): n for n in canonical}
    names.update({normalize_phrase(a): n for a, n in aliases.items()})
    alternation = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])"), names


@lru_cache(maxsize=1)
def _province_finder() -> tuple[re.Pattern[str], dict[str, str]]:
    return _phrase_finder(PROVINCES, PROVINCE_ALIASES)


@lru_cache(maxsize=1)
def _agency_finder() -> tuple[re.Pattern[str], dict[str, str]]:
    return _phrase_finder(AGENCIES, AGENCY_ALIASES)


def _header_provinces(body: str, pattern: re.Pattern[str], names: dict[str, str]) -> Counter[str]:
    """The letterhead ('UBND TỈNH X') and the place-and-date line name the issuing province."""
    scores: Counter[str] = Counter()
    m = _PLACE_DATE.search(body[:_HEAD_CHARS])
    if m:
        for hit in pattern.finditer(m.group(1).strip()):
            scores[names[hit.group(0)]] += 30
    lines = [line.strip(" *#") for line in body[:_LETTERHEAD_CHARS].split("\n")[:_LETTERHEAD_LINES]]
    for unit in dict.fromkeys(lines + _letterhead_units(body, None)):  # a unit may be wrapped
        letterhead = _LETTERHEAD_UNIT.match(unit)
        hit = pattern.fullmatch(letterhead.group(1)) if letterhead else None
        if hit:
            scores[names[hit.group(0)]] += 50
    return scores


def detect_province(lower: str) -> str | None:
    """The province the report is from: the place-and-date line, then 'tỉnh X' mentions.

    Bare names count only when the text never says 'tỉnh'/'thành phố' before one.
    """
    body = _body(lower)
    pattern, names = _province_finder()
    scores: Counter[str] = Counter()
    scores.update(_header_provinces(body, pattern, names))
    for anchor in _PROVINCE_PREFIX.finditer(body):
        hit = pattern.match(body, anchor.end())
        if hit:
            scores[names[hit.group(0)]] += 3
    if not scores:
        for hit in pattern.finditer(body):
            name = names[hit.group(0)]
            if name not in AMBIGUOUS_PROVINCES:
                scores[name] += 1
    if scores.get("Thừa Thiên Huế"):
        scores.pop("Huế", None)  # 'Huế' inside 'Thừa Thiên Huế' is not a second province
    return scores.most_common(1)[0][0] if scores else None


def detect_agency(
    lower: str, text: str | None = None, province: str | None = None, report_date: date | None = None
) -> str | None:
    """The reporting agency: the most specific unit of the letterhead, else the unit that says
    it 'báo cáo' at the head of the report, else the agency the text names most as reporting.

    ``text`` (the matching copy, same length as ``lower``) gives names their written case;
    ``province`` completes the name of a unit that does not say where it is
    ('Trung tâm Phục vụ hành chính công' → '… tỉnh Quảng Nam'); ``report_date`` maps an agency
    that no longer existed then to its successor (``agency_lineage_2025.csv``) — unless the
    letterhead itself names it.
    """
    body = _body(lower)
    return _letterhead_agency(body, text, province) or _successor(
        _issuer_clause(body, text, province) or _named_agency(body), report_date
    )


def _named_agency(body: str) -> str | None:
    """The gazetteer agency named most, and most as the one reporting ('Sở Y tế báo cáo')."""
    pattern, names = _agency_finder()
    scores: Counter[str] = Counter()
    for anchor in _AGENCY_ANCHOR.finditer(body):
        if anchor.start() and (body[anchor.start() - 1].isalnum() or body[anchor.start() - 1] == "_"):
            continue
        hit = pattern.match(body, anchor.start())
        if not hit:
            continue
        after = body[hit.end() : hit.end() + 40]
        before = body[max(0, hit.start() - 8) : hit.start()]
        weight = 5 if _REPORTS.match(after) else 1
        scores[names[hit.group(0)]] += 0 if "gửi" in before else weight
    for name in _number_agencies(body):
        scores[name] += 5
    return scores.most_common(1)[0][0] if scores else None


def _number_agencies(body: str) -> list[str]:
    """Agencies the document number's symbol names ('Số: 12/BC-STTTT')."""
    symbols = _agency_symbols()
    return [name for m in _NUMBER_SYMBOL.finditer(body, 0, _HEAD_CHARS) for name in symbols.get(m.group(1), ())]


# ---- The letterhead: the issuing unit under its parents ---------------------------------------

_LETTERHEAD_MAX_LINES, _LETTERHEAD_MAX_CHARS, _UNIT_MAX_CHARS = 14, 800, 90
# The right-hand column of a letterhead, wherever a reader put it (a table cell, the same line).
_RIGHT_COLUMN = re.compile(r"\s\|\s|cộng hòa xã hội|độc lập\s*[-–—]\s*tự do")
# Where the letterhead ends: the number, the place and date, the document kind, the text.
_LETTERHEAD_END = re.compile(
    r"(?:số\b|v/v\b|về việc\b|kính gửi\b|báo cáo\b|thực hiện\b|căn cứ\b|kết quả\b|tình hình\b"
    r"|[^,]{2,40},\s*ngày\b|ngày\s+\d{0,2}\s*tháng\b)"
)
_LOCALITY = re.compile(r"\s(tỉnh|thành phố|tp\.?|phường|xã(?!\s+hội)|đặc khu|quận|huyện|thị xã|tại)(?:\s+(.+))?$")
_UNIT_VERBS = re.compile(
    r"\b(?:đã|sẽ|đang|được|phải|có|không|chưa|về|của|cho|theo|với|để|định kỳ|thường xuyên|kịp thời|việc|tổng hợp)\b"
)


@lru_cache(maxsize=1)
def _unit_head() -> re.Pattern[str]:
    heads = sorted(UNIT_HEADS, key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(re.escape(h) for h in heads)})(?!\w)")


def _letterhead_units(body: str, text: str | None) -> list[str]:
    """The units of the letterhead, parent first, each on one line however it was wrapped:
    a line starting with a unit word opens a unit, any other line continues the one above
    ('TRUNG TÂM KIỂM SOÁT THỦ TỤC HÀNH CHÍNH' / 'VÀ PHỤC VỤ HÀNH CHÍNH CÔNG',
    'ỦY BAN NHÂN DÂN' / 'TỈNH THANH HÓA'). Empty when the text does not open with one."""
    units: list[list[str]] = []
    upper = True
    pos = 0
    head = body[:_LETTERHEAD_MAX_CHARS]
    for n, line in enumerate(head.split("\n")):
        start, pos = pos, pos + len(line) + 1
        if n >= _LETTERHEAD_MAX_LINES:
            return []
        part = _left_column(line)
        if not part:
            continue
        if _LETTERHEAD_END.match(part) or _PLACE_DATE.match(part):
            break
        *parents, part = _split_units(part) if not units else (part,)  # 'UBND TỈNH X TRUNG TÂM …'
        units.extend([u] for u in parents)
        if len(part) > _UNIT_MAX_CHARS or (not units and not _unit_head().match(part)):
            if units:  # text, not a letterhead line
                return []
            continue
        if text is not None:
            offset = start + line.find(part)
            original = text[offset : offset + len(part)]
            upper = upper and original == original.upper()
        if _unit_head().match(part) or _has_place(units[-1][-1]):
            units.append([part])  # a unit word, or a unit under one already complete with its place
        else:
            units[-1].append(part)
    else:
        if not upper:  # no number, date or title came: only capitals make it a letterhead
            return []
    return [re.sub(r"\s+", " ", " ".join(u)) for u in units]


_NUMBER_IN_LINE = re.compile(r"\bsố\s*:")


def _left_column(line: str) -> str:
    """A letterhead line's left column, without the document number a Word cell may run on to."""
    cut = _RIGHT_COLUMN.search(line)
    part = (line[: cut.start()] if cut else line).strip(" |*#_-–—=.:")
    number = _NUMBER_IN_LINE.search(part)
    return part[: number.start()].strip() if number and number.start() > 0 else part


def _split_units(part: str) -> list[str]:
    """A letterhead cell holding a parent and its unit on one line, split where a unit word
    follows a unit already complete with its place."""
    if not _unit_head().match(part):
        return [part]
    out, start = [], 0
    for m in _unit_head().finditer(part):
        if m.start() > start and part[m.start() - 1] == " " and _has_place(part[start : m.start()]):
            out.append(part[start : m.start()].strip())
            start = m.start()
    out.append(part[start:].strip())
    return out


def _has_place(unit_line: str) -> bool:
    m = _LOCALITY.search(unit_line)
    return bool(m and m.group(2) and m.group(1) != "tại")


def _letterhead_agency(body: str, text: str | None, province: str | None) -> str | None:
    units = _letterhead_units(body, text)
    if not units:
        return None
    unit, parent = units[-1], (units[-2] if len(units) > 1 else None)
    if _is_people_committee(unit) and parent is None:
        symbols = {m.group(1) for m in _NUMBER_SYMBOL.finditer(body, 0, _HEAD_CHARS)}
        if symbols - {"ubnd"}:  # the number names another issuer: the letterhead lost a line
            return None
    if unit in UNIT_HEADS and parent is not None:  # 'UBND TỈNH X' / 'VĂN PHÒNG'
        unit = f"{unit} {parent}"
    return _unit_name(unit, parent, body, text, province)


def _issuer_clause(body: str, text: str | None, province: str | None) -> str | None:
    """'…, Trung tâm Phục vụ hành chính công tỉnh báo cáo …' at the head of a report without a
    letterhead: the unit opening the clause whose verb is 'báo cáo'."""
    head = body[:_HEAD_CHARS]
    for m in _issuer_pattern().finditer(head):
        unit = m.group("unit").strip()
        if _UNIT_VERBS.search(unit):
            continue
        known = _known_agency(unit)
        word = _unit_head().match(unit)
        if known or (word and len(unit[word.end() :].split()) >= 2):  # 'Trung tâm báo cáo' names nothing
            return known or _unit_name(unit, None, body, text, province)
    return None


@lru_cache(maxsize=1)
def _issuer_pattern() -> re.Pattern[str]:
    heads = "|".join(re.escape(h) for h in sorted(UNIT_HEADS, key=len, reverse=True))
    return re.compile(
        rf"(?:^|[,;:.][^\S\n]*|\n)(?P<unit>(?:{heads})[^\S\n][^,;:()\n]{{1,110}}?)[^\S\n]*"
        r"(?:\([^()\n]{1,40}\)[^\S\n]*)?(?:xin |trân trọng |kính |tổng hợp )?báo cáo\b",
        re.MULTILINE,
    )


def _is_people_committee(unit: str) -> bool:
    return unit.startswith(("ủy ban nhân dân", "ubnd"))


def _unit_name(unit: str, parent: str | None, body: str, text: str | None, province: str | None) -> str:
    """The unit's name as the gazetteer spells it, else as the text writes it, with the place it
    serves: its own ('… phường Phú An', '… tại TP. Hồ Chí Minh'), its parent's, or the province."""
    known = _known_agency(unit)
    if known:
        return known
    m = _LOCALITY.search(unit)
    name, level, place = (unit[: m.start()], m.group(1), m.group(2)) if m else (unit, None, None)
    if place is None:
        inherited = _locality_of(parent) if parent else None
        if inherited and (level is None or level == inherited[0]):
            level, place = inherited
        elif province and level in (None, "tỉnh", "thành phố", "tp", "tp."):
            level = "thành phố" if province in CITY_PROVINCES else "tỉnh"
            place = normalize_phrase(province)
    cased = _cased(name, body, text)
    return f"{cased} {_place_name(level, place)}" if level and place else cased


def _locality_of(unit: str) -> tuple[str, str] | None:
    m = _LOCALITY.search(unit)
    return (m.group(1), m.group(2)) if m and m.group(2) and m.group(1) != "tại" else None


def _place_name(level: str, place: str) -> str:
    """'tỉnh quảng nam' → 'tỉnh Quảng Nam', 'tại thành phố hồ chí minh' → 'tại TP. Hồ Chí Minh'."""
    if level == "tại":
        inner = _LOCALITY.search(" " + place)
        if inner and inner.group(2):
            province = _province_named(inner.group(2))
            if province and province.startswith("TP."):
                return f"tại {province}"
            return f"tại {_place_name(inner.group(1), inner.group(2))}"
        return f"tại {_title_words(place)}"
    level = "thành phố" if level in ("tp", "tp.") else level
    province = _province_named(place) if level in ("tỉnh", "thành phố") else None
    if province:
        return f"{level} {province.removeprefix('TP. ')}"
    return f"{level} {_title_words(place)}"


def _province_named(place: str) -> str | None:
    pattern, names = _province_finder()
    hit = pattern.fullmatch(place.strip())
    return names[hit.group(0)] if hit else None


def _title_words(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in words.split())


def _known_agency(unit: str) -> str | None:
    """The gazetteer agency a unit is, with or without its province ('sở y tế tỉnh cà mau')."""
    pattern, names = _agency_finder()
    m = _LOCALITY.search(unit)
    candidates = [unit]
    if m and m.group(1) in ("tỉnh", "thành phố", "tp", "tp.") and m.group(2) and _province_named(m.group(2)):
        candidates += [unit[: m.start(2)].strip(), unit[: m.start()]]
    for candidate in candidates:
        hit = pattern.fullmatch(candidate)
        if hit:
            return names[hit.group(0)]
    return None


_CASED_WORDS = {"trung ương": "Trung ương", "ubnd": "Ủy ban nhân dân", "hđnd": "Hội đồng nhân dân"}


def _cased(name: str, body: str, text: str | None) -> str:
    """The name as the text writes it in running prose, else capitalised as names of units are:
    the unit word and the first word of what it is ('Trung tâm Phục vụ hành chính công')."""
    if text is not None:
        at = body.find(name)
        while at != -1:
            written = text[at : at + len(name)]
            if written != written.upper():
                return written[:1].upper() + written[1:]
            at = body.find(name, at + 1)
    head = _unit_head().match(name)
    words = name.split()
    first_after = len(head.group(0).split()) if head else 1
    out = []
    for i, w in enumerate(words):
        capital = i in (0, first_after) or (i > 0 and words[i - 1] in ("và", "-"))
        out.append(w[:1].upper() + w[1:] if capital else w)
    cased = " ".join(out)
    for word, written in _CASED_WORDS.items():
        cased = re.sub(rf"(?i)(?<!\w){re.escape(word)}(?!\w)", written, cased)
    pattern, names = _agency_finder()
    inner = pattern.search(name, 1)  # a unit of a known agency: 'Đảng ủy Sở Nội vụ'
    if inner and len(cased) == len(name):
        cased = cased[: inner.start()] + names[inner.group(0)] + cased[inner.end() :]
    return cased


@lru_cache(maxsize=1)
def _lineage() -> tuple[tuple[str, str, date], ...]:
    """(old agency, new agency, from) of ``data/reference/agency_lineage_2025.csv``."""
    path = Path(__file__).resolve().parents[1] / "data" / "reference" / "agency_lineage_2025.csv"
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as f:
        return tuple(
            (r["old_agency"], r["new_agency"], date.fromisoformat(r["effective_date"]))
            for r in csv.DictReader(f)
            if r.get("old_agency") and r.get("new_agency") and r.get("effective_date")
        )


def _successor(agency: str | None, report_date: date | None) -> str | None:
    """An agency that had been merged away by the report's date cannot have signed it: its
    successor did (a report of 2025 citing the old Sở's plans is the new Sở's)."""
    if agency is None or report_date is None:
        return agency
    for old, new, since in _lineage():
        if agency == old and report_date >= since:
            return new
    return agency


@lru_cache(maxsize=1)
def _agency_symbols() -> dict[str, list[str]]:
    """Agencies by the symbol their document numbers carry ('/BC-STTTT')."""
    symbols: dict[str, list[str]] = {}
    for name in AGENCIES:
        symbols.setdefault(agency_code(name).lower(), []).append(name)
    return symbols


_OTHER_TYPE = next(r.code for r in REPORT_TYPES if not r.pattern)  # every report of no family


def detect_report_type(title_lower: str, head_lower: str) -> str:
    """The report family named earliest in the title (else in the opening text)."""
    for text in (title_lower, head_lower):
        best, best_pos = None, len(text) + 1
        for code, pattern in ((r.code, r.pattern) for r in REPORT_TYPES if r.pattern):
            m = re.search(pattern, text)
            if m and m.start() < best_pos:
                best, best_pos = code, m.start()
        if best:
            return best
    return _OTHER_TYPE


def detect_period(title: str, lower: str, report_date: date | None = None) -> Period:
    """The report's period: a window the title or the opening statement gives ('số liệu từ ngày
    15/12/2022 đến ngày 14/12/2023') where it agrees with the period the title names, else that
    period ('quý I năm 2024'), its end moved to the data cut-off the body states.

    What the title plans ('… và phương hướng, nhiệm vụ 6 tháng cuối năm') is never the period;
    it lends its year to a period the title leaves without one ('6 tháng đầu năm và …').
    Nothing stated, nothing returned: the period is not guessed from dates of other documents.
    """
    title_lower = normalize_phrase(title)
    reported, planned = _split_planned(title_lower)
    nominal = _first_period(reported) or _elliptic_period(reported, planned, report_date)
    if nominal is not None and len(title_lower) == len(title) and nominal.label in title_lower:
        at = title_lower.index(nominal.label)
        nominal = Period(nominal.start, nominal.end, title[at : at + len(nominal.label)])
    statement = _statement(lower, title_lower)
    window = _stated_window(title_lower, statement, _body(lower), nominal)
    if window is not None:
        return Period(window.start, window.end, nominal.label if nominal else window.label)
    if nominal is None:
        nominal = _first_period(statement, prefer_range=True)
    if nominal is None or nominal.start is None or nominal.end is None:
        return nominal or Period(None, None, "")
    cutoff = _stated_cutoff(title_lower, statement, nominal) or _data_cutoff(lower, nominal)
    return Period(nominal.start, cutoff or nominal.end, nominal.label)


# Where a title turns from the period reported to the one planned.
_PLANNED = re.compile(
    r"(?:\s+và|,|;|\s+[-–])\s+(?:đề ra\s+)?(?:phương hướng|nhiệm vụ|kế hoạch|giải pháp|định hướng|dự kiến|mục tiêu"
    r"|chương trình công tác)\b"
)
# A period the title names without its year: '6 tháng đầu năm', 'quý iii', 'tháng 10'.
_ELLIPTIC = re.compile(
    r"(?<!\w)(?:(?:\d{1,2}|sáu|chín) tháng(?: đầu| cuối)?(?: năm)?|quý\s+(?:iv|iii|ii|i|[1-4])|tháng\s+\d{1,2})"
    r"(?![\w/.\-])(?!\s*(?:đầu|cuối|năm)(?!\w))(?!\s*/?\s*\d)"
)
_YEAR_NUMBER = re.compile(r"(?<![\d/.\-])(?:19|20)\d{2}(?![\d/.\-])")
# The words that make a date in the opening statement the data's: 'số liệu tính đến ngày …';
# anywhere in the text, only words naming the data's window make a window the report's.
_DATA_WORDS = re.compile(r"(?:số liệu|kỳ báo cáo|thời gian|thời điểm|chốt|tính)[^.;\n]{0,24}$")
_WINDOW_STARTS = ("số liệu", "kỳ báo cáo")  # every _WINDOW_WORDS match holds one
_WINDOW_WORDS = re.compile(r"(?:số liệu|kỳ báo cáo|thời gian (?:lấy|chốt|tính) số liệu)[^.;\n]{0,24}$")
_STATEMENT_END = re.compile(r"(?:như sau|cụ thể)\s*:")
_STATEMENT_CHARS, _STATEMENT_PARAGRAPHS = 1600, 2
_SECTION = re.compile(r"(?:[ivxlc]{1,6}|\d{1,2}|[a-zđ])[.)/]\s")  # 'I. KẾT QUẢ', '1. Công tác …', 'a) …'
_BODY_WINDOW_CHARS = 20000
_WINDOW_LEAD = timedelta(days=92)  # a reporting window may open up to a quarter before its period


def _split_planned(title_lower: str) -> tuple[str, str]:
    m = _PLANNED.search(title_lower)
    return (title_lower[: m.start()], title_lower[m.start() :]) if m else (title_lower, "")


def _elliptic_period(reported: str, planned: str, report_date: date | None) -> Period | None:
    """'6 tháng đầu năm và phương hướng … 6 tháng cuối năm 2025' → the first half of 2025: the
    year of the plan, or of the report's date, moved back a year when the period would not
    come before the plan (or the date)."""
    m = _ELLIPTIC.search(reported)
    if m is None:
        return None
    year_m = _YEAR_NUMBER.search(planned)
    year = int(year_m.group(0)) if year_m else (report_date.year if report_date else None)
    if year is None:
        return None
    later = _first_period(planned)
    for y in (year, year - 1):
        named = m.group(0) if m.group(0).endswith("năm") else f"{m.group(0)} năm"
        found = [p for p in find_period_mentions(f"{named} {y}") if p.period.start and p.period.end]
        if not found:
            return None
        p = found[0].period
        if (later and later.start and p.end < later.start) or (not later and report_date and p.start <= report_date):
            return Period(p.start, p.end, m.group(0))
        if not later and not report_date:
            return Period(p.start, p.end, m.group(0))
    return None


def _statement(lower: str, title_lower: str) -> str:
    """The title and the opening statement after it: the paragraphs up to its 'như sau:', at
    most two ('(Số liệu từ … đến …)' on a line of its own, then 'Thực hiện …, Sở X báo cáo')."""
    at = lower.find(title_lower[:40]) if title_lower else -1
    if at < 0:
        return title_lower or lower[:_HEAD_CHARS]
    chunk = lower[at : at + len(title_lower) + _STATEMENT_CHARS]
    end = _STATEMENT_END.search(chunk, len(title_lower))
    if end:
        chunk = chunk[: end.end()]
    kept: list[str] = []
    for p in chunk[len(title_lower) :].split("\n"):
        if _SECTION.match(p.strip()) or len(kept) == _STATEMENT_PARAGRAPHS:
            break  # the report's first section: the statement is over
        if p.strip():
            kept.append(p)
    return "\n".join([chunk[: len(title_lower)], *kept])


def _data_windows(body: str) -> list[Period]:
    """Windows the body calls the data's ('số liệu từ … đến …'); periods are read only just
    after those words, not over the whole body."""
    limit, seen, found = min(len(body), _BODY_WINDOW_CHARS), set(), []
    starts = []
    for word in _WINDOW_STARTS:  # str.find: far faster than a regex alternation over the body
        at = body.find(word, 0, limit)
        while at != -1:
            starts.append(at)
            at = body.find(word, at + 1, limit)
    for at in sorted(starts):
        for m in find_period_mentions(body, at, min(limit, at + 180)):
            if m.kind == "range" and m.start not in seen and _WINDOW_WORDS.search(body, max(0, m.start - 40), m.start):
                seen.add(m.start)
                found.append(m.period)
    return found


def _stated_window(title_lower: str, statement: str, body: str, nominal: Period | None) -> Period | None:
    """A 'từ … đến …' window that fits the named period: it ends inside it and opens at most a
    quarter before it ('quý I năm 2024 (từ 15/12/2023 đến 14/3/2024)', a monthly cycle from the
    25th). The title's window is the report's; the opening statement's when it calls it the
    data's ('số liệu tính từ …'), opens with the period or covers nearly all of it (not the
    dates of a campaign the statement cites); elsewhere only the data's and nearly all of it."""
    in_title = find_period_mentions(title_lower)
    candidates: list[tuple[Period, bool]] = [(m.period, True) for m in in_title if m.kind == "range"]
    for m in find_period_mentions(statement):
        if m.kind == "range":
            candidates.append((m.period, bool(_DATA_WORDS.search(statement, max(0, m.start - 40), m.start))))
    candidates += [(p, False) for p in _data_windows(body)]
    for p, trusted in candidates:
        if p.start is None or p.end is None:
            continue
        if nominal is None or nominal.start is None or nominal.end is None:
            return p
        if not (nominal.start <= p.end <= nominal.end and p.start >= nominal.start - _WINDOW_LEAD):
            continue
        if trusted or p.start == nominal.start or (p.end - p.start) >= (nominal.end - nominal.start) * 0.8:
            return p
    return None


def _stated_cutoff(title_lower: str, statement: str, nominal: Period) -> date | None:
    """'(số liệu tính đến ngày 15/11/2024)' in the title or opening statement: the data's end."""
    assert nominal.start and nominal.end
    for text in (title_lower, statement):
        for m in find_period_mentions(text):
            if m.kind != "until" or m.period.end is None or not nominal.start <= m.period.end <= nominal.end:
                continue
            if text is title_lower or _DATA_WORDS.search(text, max(0, m.start - 40), m.start):
                return m.period.end
    return None


def _first_period(text: str, prefer_range: bool = False) -> Period | None:
    mentions = [m for m in find_period_mentions(text) if m.kind not in ("same_period", "since")]
    if prefer_range:
        ranked = [m for m in mentions if m.kind == "range"] or mentions
        mentions = ranked
    for m in mentions:
        p = m.period
        if m.kind == "until" and p.end:
            return Period(date(p.end.year, 1, 1), p.end, p.label)
        if p.start and p.end:
            return p
    return None


def _data_cutoff(lower: str, nominal: Period) -> date | None:
    """Where the data stop inside the period: 'từ <start> đến <d>' (once is enough), or
    'tính đến <d>' said at least twice — once may be one figure's own date."""
    assert nominal.start and nominal.end
    ranges: Counter[date] = Counter()
    untils: Counter[date] = Counter()
    body_end = len(_body(lower))
    for m in _dated_mentions(lower):
        p = m.period
        if m.end > body_end:
            break
        if p.end is None or not nominal.start <= p.end <= nominal.end:
            continue
        if m.kind == "range" and p.start == nominal.start:
            ranges[p.end] += 1
        elif m.kind == "until":
            untils[p.end] += 1
    if ranges:
        return ranges.most_common(1)[0][0]
    repeated = [(n, d) for d, n in untils.items() if n >= 2]
    return max(repeated)[1] if repeated else None


def _dated_mentions(lower: str) -> list[PeriodMention]:
    """Period mentions of the paragraphs that can state a cut-off: a date ('từ … đến …',
    'đến ngày …') always has a digit and one of the words 'từ', 'đến', 'tới'."""
    spans = paragraph_spans(lower)
    return [
        m
        for i in numeric_paragraphs(lower)
        if any(lower.find(w, *spans[i]) != -1 for w in ("đến", "tới", "từ"))
        for m in find_period_mentions(lower, *spans[i])
    ]


def detect_report_date(text: str) -> date | None:
    m = _PLACE_DATE.search(text[:_HEAD_CHARS])
    if not m or not m.group(2):
        return None
    try:
        return date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
    except ValueError:
        return None


def detect_report_number(text: str) -> str | None:
    m = _NUMBER.search(text[:_HEAD_CHARS].lower())
    if not m:
        return None
    start = m.start(1)
    return text[:_HEAD_CHARS][start : start + len(m.group(1))].strip()


def _intro(lower: str, title_lower: str) -> str:
    """The paragraph after the title when it cites the instruction the report answers
    ('Thực hiện Kế hoạch … về công tác cải cách hành chính'): it may name the report's family."""
    at = lower.find(title_lower[:40]) if title_lower else -1
    if at < 0:
        return lower[:_HEAD_CHARS]
    for paragraph in lower[at + len(title_lower) :].split("\n")[:4]:
        if _INTRO_START.match(paragraph.strip()):
            return paragraph
    return ""


def detect_metadata(norm: NormalizedText, doc: str) -> DocumentMeta:
    """Read the document's header and body for its metadata."""
    title = find_title(norm.text)
    title_lower = normalize_phrase(title)
    head = _intro(norm.lower, title_lower)
    report_date = detect_report_date(norm.text)
    period = detect_period(title, norm.lower, report_date)
    province = detect_province(norm.lower)
    return DocumentMeta(
        doc=doc,
        province=province,
        agency=detect_agency(norm.lower, norm.text, province, report_date),
        report_type=detect_report_type(title_lower, head),
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        report_date=report_date,
        report_number=detect_report_number(norm.text),
        title=title,
    )


_QUARTER = re.compile(r"quý\s+(iv|iii|ii|i|[1-4])")


def period_code(label: str | None, end: date | None) -> str | None:
    """The reporting period a report covers, as the schedule names it: 'Qn', 'H1' or 'Y' (of the
    year its period ends), its label first, else where its period ends; None without an end."""
    if end is None:
        return None
    text = (label or "").lower()
    quarter = _QUARTER.search(text)
    if quarter:
        q = quarter.group(1)
        return f"Q{q if q.isdigit() else quarter_number(q)}"
    if "6 tháng đầu" in text or (end.month <= 7 and "năm" not in text.replace("đầu năm", "")):
        return "H1"
    return "Y"
