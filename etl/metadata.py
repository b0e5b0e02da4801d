"""Who reported what, for when: province, agency, report type, period, date and number.

Where the text says nothing the field stays empty; nothing is guessed from the file name.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache

from etl.extract.periods import PeriodMention, find_period_mentions
from etl.extract.segments import numeric_paragraphs, paragraph_spans
from etl.gazetteer import (
    AGENCIES,
    AGENCY_ALIASES,
    AMBIGUOUS_PROVINCES,
    PROVINCE_ALIASES,
    PROVINCES,
    agency_code,
)
from etl.models import DocumentMeta, NormalizedText, Period
from etl.normalize import normalize_phrase

__all__ = [
    "REPORT_TYPES",
    "detect_agency",
    "detect_metadata",
    "detect_period",
    "detect_province",
    "detect_report_type",
    "find_title",
]

# Checked in the title first; the family named earliest in the title wins.
REPORT_TYPES: dict[str, str] = {
    "dan_chu_co_so": r"dân chủ ở cơ sở|dân chủ cơ sở|quy chế dân chủ|thực hiện dân chủ",
    "dan_van_chinh_quyen": r"dân vận chính quyền|công tác dân vận",
    "cai_cach_hanh_chinh": r"cải cách hành chính|cchc|cải cách thủ tục hành chính",
    "chuyen_doi_so": r"chuyển đổi số|chính quyền số|chính quyền điện tử",
    "thanh_tra": r"công tác thanh tra|kết quả thanh tra|thanh tra, kiểm tra",
    "tiep_cong_dan": r"tiếp công dân|giải quyết khiếu nại|khiếu nại, tố cáo",
    "phong_chong_tham_nhung": r"phòng, chống tham nhũng|phòng chống tham nhũng",
}
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
        if _TITLE_STOP.match(p) or len(" ".join(lines)) > 250:
            break
        lines.append(p.strip(" *#"))
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
    for line in body[:_LETTERHEAD_CHARS].split("\n")[:_LETTERHEAD_LINES]:
        letterhead = _LETTERHEAD_UNIT.match(line.strip(" *#"))
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


def detect_agency(lower: str) -> str | None:
    """The reporting agency: the one in the letterhead, the one that 'báo cáo', else the most named."""
    body = _body(lower)
    pattern, names = _agency_finder()
    scores: Counter[str] = Counter()
    for line in body[:_LETTERHEAD_CHARS].split("\n")[:_LETTERHEAD_LINES]:
        hit = pattern.fullmatch(line.strip(" *#"))
        if hit:  # 'UBND TỈNH X' then 'SỞ Y TẾ': the issuing body of an administrative document
            scores[names[hit.group(0)]] += 50
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
    symbols = _agency_symbols()
    for m in _NUMBER_SYMBOL.finditer(body, 0, _HEAD_CHARS):
        for name in symbols.get(m.group(1), ()):
            scores[name] += 5
    return scores.most_common(1)[0][0] if scores else None


@lru_cache(maxsize=1)
def _agency_symbols() -> dict[str, list[str]]:
    """Agencies by the symbol their document numbers carry ('/BC-STTTT')."""
    symbols: dict[str, list[str]] = {}
    for name in AGENCIES:
        symbols.setdefault(agency_code(name).lower(), []).append(name)
    return symbols


def detect_report_type(title_lower: str, head_lower: str) -> str:
    """The report family named earliest in the title (else in the opening text)."""
    for text in (title_lower, head_lower):
        best, best_pos = None, len(text) + 1
        for code, pattern in REPORT_TYPES.items():
            m = re.search(pattern, text)
            if m and m.start() < best_pos:
                best, best_pos = code, m.start()
        if best:
            return best
    return "khac"


def detect_period(title: str, lower: str) -> Period:
    """The period from the title, its end moved to the data cut-off the body states."""
    title_lower = normalize_phrase(title)
    nominal = _first_period(title_lower)
    if nominal is not None and len(title_lower) == len(title) and nominal.label in title_lower:
        at = title_lower.index(nominal.label)
        nominal = Period(nominal.start, nominal.end, title[at : at + len(nominal.label)])
    if nominal is None:
        nominal = _first_period(lower[:_HEAD_CHARS], prefer_range=True)
    if nominal is None or nominal.start is None or nominal.end is None:
        return nominal or Period(None, None, "")
    cutoff = _data_cutoff(lower, nominal)
    return Period(nominal.start, cutoff or nominal.end, nominal.label)


def _first_period(text: str, prefer_range: bool = False) -> Period | None:
    mentions = [m for m in find_period_mentions(text) if m.kind != "same_period"]
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
    period = detect_period(title, norm.lower)
    report_date = detect_report_date(norm.text)
    return DocumentMeta(
        doc=doc,
        province=detect_province(norm.lower),
        agency=detect_agency(norm.lower),
        report_type=detect_report_type(title_lower, head),
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        report_date=report_date,
        report_number=detect_report_number(norm.text),
        title=title,
    )
