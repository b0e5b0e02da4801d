"""The words both sides of the warehouse need, declared once: severities of findings and report
types, with their Vietnamese labels and order. The build loads them into the ``severities``
and ``report_types`` tables; the dashboard reads them from there."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["REPORT_TYPE_LABELS", "SEVERITIES", "SEVERITY_LABELS", "Severity"]


class Severity(NamedTuple):
    code: str
    label: str
    order: int  # 0 first: the most serious


SEVERITIES: tuple[Severity, ...] = (
    Severity("loi", "Lỗi", 0),
    Severity("canh_bao", "Cảnh báo", 1),
    Severity("thong_tin", "Thông tin", 2),
)
SEVERITY_LABELS: dict[str, str] = {s.code: s.label for s in SEVERITIES}

# Every type metadata can detect (etl/metadata.py), and "khac" for the others.
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
