"""The submission tracker (dashboard/tracker.py): expected reports from the schedule × provinces × years."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import queries, tracker
from dashboard.db import connect
from dashboard.filters import Filters


def test_tracker_lists_the_samples_and_flags_missing_reports(warehouse):
    con = connect(warehouse)
    rows = tracker.tracker(queries.documents(con, Filters()), queries.schedule(con))
    con.close()
    got = rows.dropna(subset=["doc_id"]).set_index("doc_id")
    assert got.loc["000_542a35844e80859c.txt", ["province", "year", "period"]].tolist() == ["Tây Ninh", 2024, "H1"]
    assert got.loc["001_5244b78082e0eeed.txt", ["report_type", "period"]].tolist() == ["dan_van_chinh_quyen", "Y"]
    assert got.loc["002_6ad88f1f69047679.txt", ["province", "year", "status"]].tolist() == [
        "Trà Vinh",
        2020,
        tracker.RECEIVED,
    ]
    assert got.loc["004_f3cae4251c6f1b42.txt", "period"] == "H1"
    missing = rows[rows["status"] == tracker.MISSING]
    tay_ninh = missing[(missing["province"] == "Tây Ninh") & (missing["year"] == 2024)]
    assert ((tay_ninh["report_type"] == "dan_chu_co_so") & (tay_ninh["period"] == "Y")).any()


def test_late_report_is_flagged():
    docs = pd.DataFrame([{"doc_id": "a", "province": "X", "agency": "Y", "report_type": "dan_van_chinh_quyen",
                          "period_label": "năm 2024", "period_code": "Y", "period_end": pd.Timestamp("2024-12-14"),
                          "report_date": pd.Timestamp("2025-01-05"), "report_number": "1/BC"}])  # fmt: skip
    schedule = pd.DataFrame([{"report_type": "dan_van_chinh_quyen", "period": "Y", "deadline": "20/12"}])
    rows = tracker.tracker(docs, schedule)
    assert rows["status"].tolist() == [tracker.LATE]


def _sent_on(*days: str, deadline: str = "20/12") -> list[str]:
    """The status of a year's report sent on each of ``days``, against ``deadline``."""
    docs = pd.DataFrame([{"doc_id": day, "province": "X", "agency": "Y", "report_type": "dan_van_chinh_quyen",
                          "period_label": "năm 2024", "period_code": "Y", "period_end": pd.Timestamp("2024-12-14"),
                          "report_date": pd.Timestamp(day), "report_number": "1/BC"} for day in days])  # fmt: skip
    schedule = pd.DataFrame([{"report_type": "dan_van_chinh_quyen", "period": "Y", "deadline": deadline}])
    rows = tracker.tracker(docs, schedule).set_index("doc_id")
    return [rows.loc[day, "status"] for day in days]


def test_a_report_sent_on_the_deadline_day_is_on_time():
    assert _sent_on("2024-12-19", "2024-12-20", "2024-12-21") == [tracker.RECEIVED, tracker.RECEIVED, tracker.LATE]


def test_tracker_page_renders(app):
    at = app("pages/theo_doi.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert {"✖ chưa nộp", "✔ đã nộp"} <= set(table["Trạng thái"])


def test_a_province_that_sent_nothing_in_a_year_is_missing(warehouse):
    con = connect(warehouse)
    asked = Filters(provinces=("Tây Ninh", "Trà Vinh"), year_from=2021, year_to=2024)
    docs = queries.documents(con, tracker.scope(asked))
    rows = tracker.tracker(docs, queries.schedule(con), asked)
    con.close()
    tra_vinh = rows[rows["province"] == "Trà Vinh"]
    assert sorted(set(tra_vinh["year"])) == [2021, 2022, 2023, 2024]  # no report in any of them
    assert set(tra_vinh["status"]) == {tracker.MISSING} and len(tra_vinh) == 4 * 5  # years × scheduled reports
    tay_ninh_2022 = rows[(rows["province"] == "Tây Ninh") & (rows["year"] == 2022)]
    assert len(tay_ninh_2022) == 5 and set(tay_ninh_2022["status"]) == {tracker.MISSING}


def test_without_a_year_filter_every_year_of_the_reports_is_expected(warehouse):
    con = connect(warehouse)
    rows = tracker.tracker(queries.documents(con, Filters()), queries.schedule(con), Filters())
    con.close()
    missing = rows[rows["status"] == tracker.MISSING]
    assert {2021, 2022} <= set(missing[missing["province"] == "Trà Vinh"]["year"])  # between 2020 and Tây Ninh's 2024
    assert 2020 in set(missing[missing["province"] == "Tây Ninh"]["year"])


def test_tracker_page_lists_a_silent_province_as_missing(app):
    at = app("pages/theo_doi.py", tinh="Trà Vinh", nam=["2021", "2024"])
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert set(table["Tỉnh"]) == {"Trà Vinh"} and set(table["Trạng thái"]) == {tracker.MISSING}
    assert {"6 tháng đầu năm 2021", "cả năm 2024"} <= set(table["Kỳ"])


def test_a_report_dated_by_month_only_is_judged_by_its_month(warehouse):
    con = connect(warehouse)
    months = tracker.sent_months(queries.report_months(con))
    rows = tracker.tracker(queries.documents(con, Filters()), queries.schedule(con), months=months)
    con.close()
    assert months["004_f3cae4251c6f1b42.txt"] == (2024, 8)  # 'Tây Ninh, ngày   tháng 8 năm 2024'
    row = rows[rows["doc_id"] == "004_f3cae4251c6f1b42.txt"].iloc[0]
    assert row["deadline"] == date(2024, 6, 20) and row["status"] == tracker.LATE
    shown = tracker.tracker_table(rows[rows["doc_id"] == "004_f3cae4251c6f1b42.txt"])
    assert shown["Ngày báo cáo"].tolist() == ["tháng 8/2024"]


def test_a_month_that_holds_the_deadline_stays_undated():
    docs = pd.DataFrame([{"doc_id": d, "province": "X", "agency": "Y", "report_type": "dan_chu_co_so",
                          "period_label": "6 tháng", "period_code": "H1", "period_end": pd.Timestamp("2024-06-14"),
                          "report_date": pd.NaT, "report_number": "1/BC"} for d in ("may", "june")])  # fmt: skip
    schedule = pd.DataFrame([{"report_type": "dan_chu_co_so", "period": "H1", "deadline": "20/06"}])
    rows = tracker.tracker(docs, schedule, months={"may": (2024, 5), "june": (2024, 6)}).set_index("doc_id")
    assert rows.loc["may", "status"] == tracker.RECEIVED and rows.loc["june", "status"] == tracker.UNDATED
