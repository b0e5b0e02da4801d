"""Periods named in report titles and sentences."""

from __future__ import annotations

from datetime import date

import pytest

from etl.metadata import detect_period
from etl.text.periods import find_period_mentions, parse_date


@pytest.mark.parametrize(
    ("title", "start", "end"),
    [
        ("Kết quả 6 tháng đầu năm 2024", date(2024, 1, 1), date(2024, 6, 30)),
        ("Báo cáo năm 2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("Báo cáo 9 tháng năm 2024", date(2024, 1, 1), date(2024, 9, 30)),
        ("Báo cáo quý III năm 2024", date(2024, 7, 1), date(2024, 9, 30)),
        ("Báo cáo quý 2/2025", date(2025, 4, 1), date(2025, 6, 30)),
        ("Báo cáo tháng 8/2024", date(2024, 8, 1), date(2024, 8, 31)),
        ("Số liệu từ 01/01/2024 đến 31/7/2024", date(2024, 1, 1), date(2024, 7, 31)),
        ("Số liệu tính đến ngày 28/10/2024", date(2024, 1, 1), date(2024, 10, 28)),
        ("Báo cáo 6 tháng cuối năm 2022", date(2022, 7, 1), date(2022, 12, 31)),
    ],
)
def test_title_periods(title, start, end):
    period = detect_period(title, title.lower())
    assert (period.start, period.end) == (start, end)


def test_cutoff_moves_the_end_inside_the_period():
    body = "báo cáo\nkết quả 6 tháng đầu năm 2024\ntừ 01/01/2024 đến 31/5/2024, sở đã tiếp nhận 36 hồ sơ."
    period = detect_period("Kết quả 6 tháng đầu năm 2024", body)
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 5, 31))
    assert period.label == "6 tháng đầu năm 2024"


def test_cutoff_outside_the_period_is_ignored():
    body = "kết quả năm 2024\nsố liệu từ 01/7/2023 đến 31/12/2023 cho thấy"
    period = detect_period("Kết quả năm 2024", body)
    assert period.end == date(2024, 12, 31)


def test_no_period_stays_empty():
    period = detect_period("Báo cáo công tác", "báo cáo công tác\nkhông có mốc thời gian")
    assert (period.start, period.end, period.label) == (None, None, "")


@pytest.mark.parametrize(
    "text",
    [
        "nghị định số 59/2023/nđ-cp ngày 14 tháng 8 năm 2023",  # a date, not a year's period
        "giai đoạn 2021-2025",
        "tầm nhìn đến năm 2030",
    ],
)
def test_dates_and_horizons_are_not_years(text):
    kinds = [m.kind for m in find_period_mentions(text)]
    assert "year" not in kinds


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("31/7/2024", date(2024, 7, 31)),
        ("ngày 09 tháng 11 năm 2020", date(2020, 11, 9)),
        ("31-07-2024", date(2024, 7, 31)),
        ("31/02/2024", None),
    ],
)
def test_parse_date(text, value):
    assert parse_date(text) == value


def test_a_time_of_day_before_a_date_belongs_to_the_date():
    found = find_period_mentions("số liệu từ 17 giờ ngày 14/3/2026 đến 17 giờ 30 phút ngày 13/4/2026")
    assert [(m.kind, m.period.start, m.period.end) for m in found][0] == ("range", date(2026, 3, 14), date(2026, 4, 13))


def test_a_window_opened_then_closed_after_an_aside_is_one_window():
    text = "tính từ ngày 15/8/2025 (ngày khai trương hệ thống), qua các đợt cập nhật, đến hết tháng 11/2025, đã có"
    found = find_period_mentions(text)
    assert [(m.kind, m.period.start, m.period.end) for m in found] == [("range", date(2025, 8, 15), date(2025, 11, 30))]
