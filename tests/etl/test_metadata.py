"""Who sent the report: the letterhead wins over names the body happens to repeat."""

from __future__ import annotations

from etl.metadata import detect_agency, detect_province, detect_report_type
from etl.normalize import normalize

BODY = "Phối hợp với Sở Thông tin và Truyền thông tỉnh Tây Ninh; " * 20


def test_letterhead_names_the_issuing_province_and_agency():
    text = f"UBND TỈNH CÀ MAU\nSỞ Y TẾ\n\nCà Mau, ngày 05 tháng 3 năm 2025\n\nBÁO CÁO\nKết quả năm 2024\n\n{BODY}"
    lower = normalize(text).lower
    assert detect_province(lower) == "Cà Mau"
    assert detect_agency(lower) == "Sở Y tế"


def test_without_letterhead_the_reporting_agency_wins():
    text = f"BÁO CÁO\nKết quả năm 2024\n\nSở Tư pháp tỉnh Long An báo cáo như sau: {BODY[:120]}"
    lower = normalize(text).lower
    assert detect_agency(lower) == "Sở Tư pháp"


def test_city_letterhead():
    text = "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH\nSỞ NỘI VỤ\n\nBÁO CÁO\nCông tác cải cách hành chính năm 2024"
    lower = normalize(text).lower
    assert detect_province(lower) == "TP. Hồ Chí Minh"
    assert detect_report_type(lower, lower) == "cai_cach_hanh_chinh"


def test_nothing_said_means_nothing_detected():
    lower = normalize("BÁO CÁO\nKết quả công tác\n\nCơ quan đã hoàn thành nhiệm vụ.").lower
    assert detect_province(lower) is None and detect_agency(lower) is None
