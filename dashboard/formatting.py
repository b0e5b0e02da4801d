"""Vietnamese display: 1.234.567; 12,5%; dd/mm/yyyy, whatever the browser's locale."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

import pandas as pd

REPORT_TYPE_LABELS: dict[str, str] = {
    "dan_chu_co_so": "Dân chủ ở cơ sở",
    "dan_van_chinh_quyen": "Dân vận chính quyền",
    "cai_cach_hanh_chinh": "Cải cách hành chính",
    "chuyen_doi_so": "Chuyển đổi số",
    "thanh_tra": "Thanh tra",
    "tiep_cong_dan": "Tiếp công dân, khiếu nại tố cáo",
    "phong_chong_tham_nhung": "Phòng, chống tham nhũng",
    "khac": "Khác",
}
STATUS_LABELS = {"extracted": "đã trích xuất", "corrected": "đã sửa", "rejected": "đã loại"}
SEVERITY_LABELS = {"loi": "Lỗi", "canh_bao": "Cảnh báo", "thong_tin": "Thông tin"}
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
    """'01/01/2024 – 31/07/2024' for a flow, 'tại 31/07/2024' for a stock."""
    if not _missing(as_of):
        return f"tại {vn_date(as_of)}"
    if _missing(period_start) and _missing(period_end):
        return "không rõ kỳ"
    return f"{vn_date(period_start) or '…'} – {vn_date(period_end) or '…'}"


def report_type_label(code: str) -> str:
    return REPORT_TYPE_LABELS.get(code, code)


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


def md_escape(value: object) -> str:
    """Text from a URL, a file, a report or a finding, made safe to put inside Markdown.

    Streamlit renders st.markdown, captions, alerts, headings, labels and help tooltips as
    Markdown, so such text could otherwise carry a link, an image (fetched by the browser), HTML
    or a ``:red[…]`` directive. Every Markdown/HTML special character is backslash-escaped —
    ``.`` and ``:`` too, which also stops bare URLs turning into links and line-start list or
    heading markers; line breaks stay line breaks. None shows as nothing.
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")
