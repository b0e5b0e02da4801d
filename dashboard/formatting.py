"""Vietnamese display: 1.234.567; 12,5%; dd/mm/yyyy, whatever the browser's locale."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd

from contract import QUARTERS, is_rank

QUALIFIER_LABELS = {"exact": "", "at_least": "hơn", "about": "khoảng", "at_most": "dưới", "sum": "tổng các phần"}
_ALPHABET = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
_ORDER = {c: i for i, c in enumerate(_ALPHABET)}


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def vn_number(value: float | None, decimals: int = 0) -> str:
    """1234567 -> '1.234.567'; 12.5 with decimals=1 -> '12,5'; None -> ''."""
    if _missing(value):
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vn_value(value: float | None, unit: str = "") -> str:
    """A figure as officials write it: whole numbers without decimals, rates with a comma."""
    if _missing(value):
        return ""
    decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 10 or unit == "%" else 2)
    text = vn_number(value, decimals)
    return f"{text}%" if unit == "%" else text


def vn_date(value: date | datetime | pd.Timestamp | None) -> str:
    """2024-07-31 -> '31/07/2024'."""
    if _missing(value):
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def vn_datetime(value: datetime | pd.Timestamp | None) -> str:
    if _missing(value):
        return ""
    return pd.Timestamp(value).strftime("%H:%M %d/%m/%Y")


def period_text(period_start: object, period_end: object, as_of: object) -> str:
    """'01/01–31/07/2024' or 'Năm 2024' for a flow, 'tại 31/07/2024' for a stock: one date style
    on every page."""
    if not _missing(as_of):
        return f"tại {vn_date(as_of)}"
    if _missing(period_start) and _missing(period_end):
        return "không rõ kỳ"
    if _missing(period_start) or _missing(period_end):
        return f"{vn_date(period_start) or '…'}–{vn_date(period_end) or '…'}"
    return date_range(period_start, period_end)


def date_range(period_start: object, period_end: object) -> str:
    """'Năm 2024' for a whole year, '01/01–31/07/2024' within one year, '01/12/2023–31/01/2024' across two."""
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"Năm {end.year}"
    if start.year == end.year:
        return f"{start:%d/%m}–{end:%d/%m/%Y}"
    return f"{vn_date(start)}–{vn_date(end)}"


def mid_sentence(period: str) -> str:
    """A period name inside a sentence: 'so với năm 2021', not 'so với Năm 2021'."""
    return period[:1].lower() + period[1:] if period.startswith(("Năm ", "Quý ")) else period


def vn_sort_key(text: str) -> list[int]:
    """Sort the way Vietnamese dictionaries do: a ă â … đ … (Tây Ninh before Trà Vinh)."""
    return [_ORDER.get(c, 1000 + ord(c)) for c in unicodedata.normalize("NFC", str(text)).lower()]


def vn_sorted(values: list[str]) -> list[str]:
    return sorted(values, key=vn_sort_key)


def slug(text: str) -> str:
    """'Tây Ninh' -> 'tay-ninh', for file names."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
# what GFM turns into a link by itself, escaped or not: a web address, a www. name, an e-mail address
_AUTOLINK = re.compile(r"(?i)(?:https?://|www\.)\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def md_escape(value: object) -> str:
    """Text from a URL, a file, a report or a finding, made safe to put inside Markdown.

    Streamlit renders st.markdown, captions, alerts, headings, labels and help tooltips as
    Markdown, so such text could otherwise carry a link, an image (fetched by the browser), HTML
    or a ``:red[…]`` directive. Every Markdown/HTML special character is backslash-escaped (line-
    start list or heading markers too); line breaks stay line breaks. A web or e-mail address is
    put in a code span: Streamlit's Markdown autolinks it even escaped. None shows as nothing.
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    parts, last = [], 0
    for address in _AUTOLINK.finditer(text):
        parts += [_escape_plain(text[last : address.start()]), md_code(address.group())]
        last = address.end()
    return "".join([*parts, _escape_plain(text[last:])])


def _escape_plain(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def md_code(value: object) -> str:
    """A value quoted from a link as a Markdown code span: shown exactly as typed and never turned
    into a link (Streamlit's Markdown autolinks bare ``https://…`` and ``www.…`` even when escaped)."""
    text = " ".join(str(value).split()) if value is not None else ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else ""


_AGENCY_SHORT = (
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"),
    ("Ủy ban nhân dân", "UBND"),
    ("Uỷ ban nhân dân", "UBND"),
)


def shorten(text: str, width: int) -> str:
    """Cut at a word boundary with '…' so a long title fits where space is tight."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(",;:–-— ") + "…"


def agency_short(agency: object, province: object = None) -> str:
    """'Sở Thông tin và Truyền thông', 'Tây Ninh' -> 'Sở TT&TT Tây Ninh', as officials write it."""
    if _missing(agency) or not agency:
        return "" if _missing(province) else str(province)
    text = str(agency)
    for long, short in _AGENCY_SHORT:
        text = text.replace(long, short)
    if not _missing(province) and province and str(province) not in text:
        text = f"{text} {province}"
    return text


def _sentence_case(title: str) -> str:
    """A title typed in capitals reads as a sentence ('KẾT QUẢ THỰC HIỆN' -> 'Kết quả thực hiện')."""
    if title.isupper():
        lower = title.lower()
        return lower[:1].upper() + lower[1:]
    return title


# How the warehouse stores a report: a sample as '000_542a35844e80859c.txt', an upload as
# 'imports/<sha256>__<the name it was uploaded under>'. Officials never see the hash.
_STORED_NAME = re.compile(r"(?:\d{3}_[0-9a-f]{16}(?:\.\w+)?|[0-9a-f]{64}__(?P<name>.+))")
NO_CITATION = "Báo cáo không rõ số, ngày, cơ quan"


def original_name(file_name: object) -> str:
    """The name a report was uploaded under ('bao-cao.docx' of '<sha256>__bao-cao.docx'); '' when
    the stored name is only a hash ('000_542a….txt'), so no hashed name ever reaches a screen."""
    if _missing(file_name) or not file_name:
        return ""
    name = str(file_name).replace("\\", "/").rsplit("/", 1)[-1]
    stored = _STORED_NAME.fullmatch(name)
    return (stored.group("name") or "") if stored else name


def citation(doc: Mapping[str, object], width: int | None = 70) -> str:
    """A report named the way an official cites it, from the warehouse's metadata:
    'Báo cáo số 123/BC-STTTT ngày 28/10/2024 — Sở TT&TT Tây Ninh — Kết quả thực hiện …'.

    The uploaded file's name is used only when the report has neither number, date, agency nor
    title (and never a stored, hashed name)."""
    number, when = doc.get("report_number"), doc.get("report_date")
    head = "Báo cáo" + (f" số {number}" if not _missing(number) and number else "")
    head += f" ngày {vn_date(when)}" if not _missing(when) else ""
    parts = [head, agency_short(doc.get("agency"), doc.get("province"))]
    title = doc.get("title")
    if not _missing(title) and str(title).strip():
        title = _sentence_case(" ".join(str(title).split()))
        parts.append(shorten(title, width) if width else title)
    elif not _missing(doc.get("period_label")) and doc.get("period_label"):
        parts.append(str(doc.get("period_label")))
    parts = [p for p in parts if p]
    if parts == ["Báo cáo"]:
        return original_name(doc.get("file_name")) or NO_CITATION
    return " — ".join(parts)


def fold(text: object) -> str:
    """Lower case without tone marks, đ as d: 'Hồ sơ' -> 'ho so', so a search typed without
    diacritics finds the Vietnamese text (the SQL side does the same with strip_accents)."""
    plain = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def period_short(period_start: object, period_end: object, as_of: object = None) -> str:
    """A figure's period as officials name it: 'Năm 2023', '6T/2024', '9T/2024', 'Quý III/2025',
    '01/01–31/07/2024', or the date of a stock ('31/07/2024')."""
    if not _missing(as_of):
        return vn_date(as_of)
    if _missing(period_start) or _missing(period_end):
        return vn_date(period_end) or vn_date(period_start) or "không rõ kỳ"
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    month_end = (end + pd.Timedelta(days=1)).day == 1
    if start.year == end.year and start.day == 1 and month_end:
        months = end.month - start.month + 1
        if months == 12:
            return f"Năm {end.year}"
        if months == 3 and start.month % 3 == 1:
            return f"Quý {QUARTERS[end.month // 3 - 1]}/{end.year}"
        if start.month == 1 and months in (6, 9):
            return f"{months}T/{end.year}"
    return date_range(start, end)


def rank_text(value: object, of_n: object = None) -> str:
    """'40/63' for a rank out of a known number of provinces, '3' otherwise."""
    text = vn_value(value)
    return f"{text}/{int(of_n)}" if text and not _missing(of_n) and of_n is not pd.NA else text


def value_with_unit(value: float | None, unit: str, of_n: object = None, kind: object = None) -> str:
    """'100%', 'hạng 40/63', '55 người', '9.280.000.000 đồng' — the unit once, never '100% %';
    a rank (by the indicator's kind) as 'hạng …' out of ``of_n``."""
    if is_rank(kind):
        return f"hạng {rank_text(value, of_n)}" if not _missing(value) else ""
    text = vn_value(value, unit)
    return text if not text or unit in ("%", "") else f"{text} {unit}"
