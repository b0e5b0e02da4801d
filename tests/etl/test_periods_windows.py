"""Windows, open starts and assessed years in sentences: the periods the engine gives figures."""

from __future__ import annotations

from datetime import date

import pytest

from etl.text.periods import find_period_mentions


def _one(text: str) -> tuple[str, date | None, date | None]:
    found = find_period_mentions(text)
    assert len(found) == 1, found
    return found[0].kind, found[0].period.start, found[0].period.end


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # the year said once, on the end: the start falls in the year before when it must
        ("từ ngày 15/12 đến ngày 14/3/2026, trung tâm tiếp nhận", date(2025, 12, 15), date(2026, 3, 14)),
        ("từ ngày 01/9 đến ngày 30/9/2025, tổng đài tiếp nhận", date(2025, 9, 1), date(2025, 9, 30)),
        ("từ 25 tháng 9 đến 24 tháng 10 năm 2025", date(2025, 9, 25), date(2025, 10, 24)),
        # full dates across the year end, with 'tới', a dash, or as a whole bracket
        ("từ ngày 15/12/2024 tới ngày 14/6/2025", date(2024, 12, 15), date(2025, 6, 14)),
        ("kỳ báo cáo (15/12/2025 - 14/3/2026)", date(2025, 12, 15), date(2026, 3, 14)),
        # an aside between the dates
        (
            "lũy kế từ ngày 01/7/2025 (ngày vận hành chính quyền địa phương hai cấp) đến ngày 30/11/2025",
            date(2025, 7, 1),
            date(2025, 11, 30),
        ),
        ("tính từ ngày 01/7/2025, đến hết ngày 31/12/2025", date(2025, 7, 1), date(2025, 12, 31)),
        # months
        ("từ tháng 12 đến tháng 5/2026", date(2025, 12, 1), date(2026, 5, 31)),
        ("từ tháng 7/2025 đến tháng 9/2025", date(2025, 7, 1), date(2025, 9, 30)),
    ],
)
def test_windows(text, start, end):
    assert _one(text) == ("range", start, end)


@pytest.mark.parametrize(
    "text",
    [
        "lũy kế từ ngày 01/7/2025 đến nay, trung tâm đã tiếp nhận",
        "từ ngày 01/7/2025 đến thời điểm báo cáo, đã giải quyết",
        "lũy kế từ ngày 01/7/2025, trung tâm đã tiếp nhận",
    ],
)
def test_an_open_window_starts_on_its_date(text):
    """'… đến nay': the start is stated, the end is the report's (the engine supplies it)."""
    assert _one(text) == ("since", date(2025, 7, 1), None)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("chỉ số dti 2024 của tỉnh xếp hạng 12/63", 2024),
        ("chỉ số chuyển đổi số (dti) 2024 xếp thứ 12", 2024),
        ("par index 2023 xếp hạng 20/63", 2023),
        ("chỉ số dti năm 2024 xếp hạng 12/63", 2024),
    ],
)
def test_an_index_named_with_its_year_is_that_year(text, year):
    assert _one(text) == ("year", date(year, 1, 1), date(year, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "kể từ ngày 16/9/2025, mạng 2g ngừng phục vụ",  # a date something starts on, no window
        "từ 1.000 đến 2.000 hồ sơ mỗi tháng",  # numbers, not dates
        "từ 10/15 đến 20/10/2025",  # no such date
        "tổng đài dti 12/2024",  # a month, not an assessed year
        "ngày 10 tháng 5 năm 2025",  # a date, not a month's period
    ],
)
def test_not_windows(text):
    kinds = [m.kind for m in find_period_mentions(text)]
    assert not {"range", "since", "year"} & set(kinds)


def test_a_long_number_before_the_month_is_not_a_day():
    assert _one("tổng đài 1022 tháng 7 năm 2025") == ("month", date(2025, 7, 1), date(2025, 7, 31))


def test_a_window_a_paragraph_opens_with_holds_for_its_later_sentences():
    from tests.conftest import make_report

    body = (
        "a) Kể từ ngày 15/12/2024 đến ngày 30/6/2025, Thanh tra Sở hoạt động theo quy định cũ. "
        "Trong thời gian này, Thanh tra Sở đã thực hiện 9 cuộc thanh tra.\n\n"
        "b) Từ ngày 01/7/2025, chức năng thanh tra chuyển về Thanh tra tỉnh. "
        "Sở tiến hành 4 cuộc kiểm tra chuyên ngành.\n\n"
        "Luật có hiệu lực từ ngày 01/7/2025, theo đó Sở đã tiếp nhận 120 hồ sơ.\n"
    )
    ex = make_report(body, "Báo cáo công tác thanh tra năm 2025")
    got = {f.value: (f.period_start, f.period_end) for f in ex.facts}
    assert got[9] == (date(2024, 12, 15), date(2025, 6, 30))
    assert got[4] == (date(2025, 7, 1), date(2025, 12, 31))
    assert got[120] == (date(2025, 1, 1), date(2025, 12, 31))  # a date inside a sentence opens no window


def test_another_month_beside_a_report_run_on_a_cycle_is_that_cycles_window():
    from tests.conftest import make_report

    body = (
        "Trong kỳ, Tổng đài tiếp nhận tổng cộng 1.500 phản ánh, kiến nghị. Để so sánh, kỳ báo cáo tháng 8/2025 "
        "Tổng đài tiếp nhận 1.320 phản ánh, kiến nghị; tính từ đầu năm đến hết ngày 15/8/2025, "
        "Tổng đài ghi nhận 9.800 phản ánh, kiến nghị.\n"
    )
    ex = make_report(body, "Kết quả tiếp nhận phản ánh tháng 9 năm 2025 (từ ngày 16/8/2025 đến ngày 15/9/2025)")
    got = {f.value: (f.period_start, f.period_end) for f in ex.facts}
    assert got[1500] == (date(2025, 8, 16), date(2025, 9, 15))
    assert got[1320] == (date(2025, 7, 16), date(2025, 8, 15))  # not calendar August, not the report's own
    assert got[9800] == (date(2025, 1, 1), date(2025, 8, 15))  # from the year's start, not from 16/8


def test_of_two_stocks_the_one_said_of_its_date_is_the_figure():
    from tests.conftest import make_report

    body = (
        "Sau sắp xếp, Trung tâm nhận bàn giao 64 hồ sơ đang giải quyết từ đơn vị cũ. "
        "Kết quả trong tháng: đã giải quyết 310 hồ sơ. Tính đến ngày 30/9/2025, còn 58 hồ sơ đang giải quyết.\n"
    )
    ex = make_report(body, "Báo cáo kết quả giải quyết thủ tục hành chính tháng 9 năm 2025")
    primary = {f.indicator: f.value for f in ex.facts if f.role == "primary"}
    assert primary["tthc_pending"] == 58


def test_a_length_of_time_is_no_figure_and_a_rate_averaged_over_it_is_its_windows():
    from tests.conftest import make_report

    body = (
        "Kể từ ngày 01/4/2025 đến hết tháng 9/2025, Bộ phận một cửa giải quyết 8.400 hồ sơ; "
        "tỷ lệ giải quyết đúng hạn trung bình 6 tháng đạt 98,4%. Bình quân mỗi ngày tiếp nhận 70 hồ sơ.\n"
    )
    ex = make_report(body, "Báo cáo tháng 9 năm 2025")
    facts = {f.indicator: (f.value, f.period_start) for f in ex.facts if f.role == "primary"}
    assert facts["tthc_ontime_rate"] == (98.4, date(2025, 4, 1))
    assert all(f.value not in (6, 70) for f in ex.facts)  # a duration; a daily average


def test_a_figure_in_brackets_after_a_comparison_is_the_compared_periods():
    from tests.conftest import make_report

    body = (
        "Trong quý II, Trung tâm tiếp nhận 5.210 hồ sơ, giảm 4% so với quý II/2024 "
        "(theo số liệu của đơn vị trước sắp xếp là 5.430 hồ sơ).\n"
    )
    ex = make_report(body, "Báo cáo quý II năm 2025")
    got = {f.value: (f.indicator, f.period_start, f.period_end) for f in ex.facts}
    assert got[5430] == ("tthc_received", date(2024, 4, 1), date(2024, 6, 30))
    assert got[5210][1:] == (date(2025, 4, 1), date(2025, 6, 30))


def test_a_count_until_the_end_of_a_cycle_year_runs_from_the_cycles_start():
    from tests.conftest import make_report

    body = "Đến ngày 14/12/2025, Sở đã giải quyết 141/153 đơn thuộc thẩm quyền, đạt tỷ lệ 92,2%.\n"
    title = "Báo cáo công tác giải quyết khiếu nại, tố cáo năm 2025 (từ ngày 15/12/2024 đến ngày 14/12/2025)"
    ex = make_report(body, title)
    got = {f.indicator: (f.period_start, f.period_end) for f in ex.facts if f.role == "primary"}
    assert got["petitions_resolved"] == (date(2024, 12, 15), date(2025, 12, 14))


def test_a_rank_is_of_its_assessed_year_not_of_the_month_its_index_was_published():
    from tests.conftest import make_report

    body = (
        "Kết quả Chỉ số cải cách hành chính năm 2023 của các sở, ngành được Ủy ban nhân dân tỉnh "
        "công bố vào tháng 3/2024: Sở xếp thứ 5/20 cơ quan, đơn vị.\n"
    )
    ex = make_report(body, "Báo cáo cải cách hành chính 6 tháng đầu năm 2024")
    got = {f.indicator: (f.value, f.period_start, f.period_end) for f in ex.facts if f.role == "primary"}
    assert got["par_index_rank"] == (5, date(2023, 1, 1), date(2023, 12, 31))
