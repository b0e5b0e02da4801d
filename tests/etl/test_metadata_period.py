"""The report's own period: a window the report states beats the calendar period its title
names; what the title plans is never the period; nothing stated, nothing guessed."""

from __future__ import annotations

from datetime import date

import pytest

from etl.metadata import detect_metadata
from etl.normalize import normalize


def _period(text: str) -> tuple[date | None, date | None]:
    meta = detect_metadata(normalize(text), "x.txt")
    return meta.period_start, meta.period_end


def _report(title: str, statement: str = "", body: str = "", dated: str = "ngày 20 tháng 12 năm 2025") -> str:
    return (
        f"UBND TỈNH TUYÊN QUANG\nSỞ NỘI VỤ\n\nSố: 12/BC-SNV\n\nTuyên Quang, {dated}\n\nBÁO CÁO\n{title}\n\n"
        f"{statement}\n\nI. KẾT QUẢ\n\n{body or 'Sở đã tiếp nhận 1.234 hồ sơ, giải quyết đúng hạn 98,5%.'}\n"
    )


@pytest.mark.parametrize(
    ("title", "statement", "start", "end"),
    [
        # a reporting year from mid-December: not restarted at 1 January
        (
            "Kết quả công tác cải cách hành chính năm 2025 và nhiệm vụ trọng tâm năm 2026",
            "Thực hiện Kế hoạch số 10/KH-SNV, Sở Nội vụ báo cáo kết quả năm 2025, số liệu tính từ ngày 15/12/2024 "
            "đến ngày 14/12/2025, cụ thể như sau:",
            date(2024, 12, 15),
            date(2025, 12, 14),
        ),
        # a quarter whose window crosses the year end, written in the title
        (
            "Tình hình thực hiện nhiệm vụ quý I năm 2026 (từ 15/12/2025 đến 14/3/2026)",
            "",
            date(2025, 12, 15),
            date(2026, 3, 14),
        ),
        # the first date without its year
        (
            "Kết quả công tác quý I/2026",
            "Sở Nội vụ báo cáo kết quả quý I/2026 (từ ngày 15/12 đến ngày 14/3/2026) như sau:",
            date(2025, 12, 15),
            date(2026, 3, 14),
        ),
        # a monthly cycle from the 25th is not the calendar month
        (
            "Kết quả công tác tháng 10 năm 2025",
            "Thực hiện chế độ báo cáo định kỳ, Sở Nội vụ báo cáo kết quả tháng 10 năm 2025 "
            "(số liệu tính từ ngày 25/9/2025 đến ngày 24/10/2025) như sau:",
            date(2025, 9, 25),
            date(2025, 10, 24),
        ),
        # a window on a line of its own under the title
        (
            "Kết quả thực hiện chuyển đổi số 6 tháng đầu năm 2025",
            "(Số liệu từ ngày 15/12/2024 đến ngày 14/6/2025)",
            date(2024, 12, 15),
            date(2025, 6, 14),
        ),
        # the cut-off the title states
        ("Kết quả công tác năm 2025 (số liệu tính đến ngày 15/11/2025)", "", date(2025, 1, 1), date(2025, 11, 15)),
    ],
)
def test_a_stated_window_is_the_period(title, statement, start, end):
    assert _period(_report(title, statement)) == (start, end)


@pytest.mark.parametrize(
    ("title", "dated", "start", "end"),
    [
        # the plan names the future: the report is the first half
        (
            "Báo cáo kết quả công tác 6 tháng đầu năm 2025 và phương hướng, nhiệm vụ 6 tháng cuối năm 2025",
            "ngày 10 tháng 7 năm 2025",
            date(2025, 1, 1),
            date(2025, 6, 30),
        ),
        # the year said once, for the plan: the report's half is of the same year
        (
            "Kết quả công tác 6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2025",
            "ngày 10 tháng 7 năm 2025",
            date(2025, 1, 1),
            date(2025, 6, 30),
        ),
        # the plan's quarter is next year's first: the report's is this year's last
        (
            "Kết quả công tác quý IV và nhiệm vụ trọng tâm quý I năm 2026",
            "ngày 20 tháng 12 năm 2025",
            date(2025, 10, 1),
            date(2025, 12, 31),
        ),
        # no year at all: the report's date gives it
        ("Kết quả công tác 6 tháng đầu năm", "ngày 12 tháng 6 năm 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ],
)
def test_the_planned_part_of_a_title_is_not_the_period(title, dated, start, end):
    assert _period(_report(title, dated=dated)) == (start, end)


def test_a_campaign_the_statement_cites_is_not_the_window():
    statement = (
        "Thực hiện Kế hoạch số 5/KH-UBND về Tháng hành động từ ngày 01/3/2025 đến ngày 31/3/2025, "
        "Sở Nội vụ báo cáo kết quả năm 2025 như sau:"
    )
    assert _period(_report("Kết quả công tác năm 2025", statement)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_month_inside_the_period_does_not_replace_it():
    body = "Số liệu từ ngày 01/9/2025 đến ngày 30/9/2025: Sở tiếp nhận 120 hồ sơ."
    assert _period(_report("Kết quả 9 tháng năm 2025", body=body)) == (date(2025, 1, 1), date(2025, 9, 30))


def test_a_window_outside_the_period_is_ignored():
    statement = "Sở Nội vụ báo cáo kết quả quý III năm 2025 (số liệu từ ngày 15/9/2025 đến ngày 14/12/2025) như sau:"
    assert _period(_report("Kết quả công tác quý III năm 2025", statement)) == (date(2025, 7, 1), date(2025, 9, 30))


def test_nothing_stated_leaves_the_period_empty():
    statement = "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 về giai đoạn 2021 - 2030, Sở Nội vụ báo cáo như sau:"
    body = "Năm 2022, Sở đã ban hành 05 văn bản; tính đến ngày 30/6/2023 có 12 công chức."
    assert _period(_report("Kết quả công tác cải cách hành chính", statement, body)) == (None, None)


def test_a_number_before_the_month_is_not_a_day():
    """'Tổng đài 1022 tháng 7 năm 2025': 1022 is the hotline, the title names July."""
    assert _period(_report("Hoạt động của Tổng đài 1022 tháng 7 năm 2025")) == (date(2025, 7, 1), date(2025, 7, 31))
