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


SCHEDULE = pd.DataFrame([
    {"report_type": "dan_chu_co_so", "period": "H1", "deadline": "20/06", "report_type_label": "Dân chủ ở cơ sở"},
    {"report_type": "cai_cach_hanh_chinh", "period": "Y", "deadline": "30/06", "report_type_label": "Cải cách"},
])  # fmt: skip


def doc(doc_id: str, report_type: str = "dan_chu_co_so", code: str | None = "H1", end: str | None = "2024-06-14",
        *, province: str = "Tây Ninh", agency: str | None = "Sở Nội vụ", sent: str | None = None) -> dict:  # fmt: skip
    return {"doc_id": doc_id, "province": province, "agency": agency, "report_type": report_type,
            "period_label": "", "period_code": code, "period_end": pd.Timestamp(end) if end else pd.NaT,
            "report_date": pd.Timestamp(sent) if sent else pd.NaT, "report_number": f"{doc_id}/BC",
            "file_name": f"{doc_id}.txt", "title": None}  # fmt: skip


def test_a_report_the_schedule_does_not_ask_for_is_listed_outside_it():
    docs = pd.DataFrame([doc("h1"), doc("other", "khac", "Q3", "2024-09-30"), doc("undated", "khac", None, None)])
    found = tracker.tracker(docs, SCHEDULE, Filters(year_from=2024, year_to=2024))
    rows = found.set_index("doc_id")
    assert rows.loc["other", ["status", "year", "period", "report_type_label"]].tolist() == [
        tracker.EXTRA, 2024, "Q3", "khac"]  # fmt: skip
    assert rows.loc["undated", "status"] == tracker.EXTRA
    assert rows.loc["undated", ["year", "period"]].isna().all()
    assert rows.loc["h1", ["status", "report_type_label"]].tolist() == [tracker.UNDATED, "Dân chủ ở cơ sở"]
    shown = tracker.tracker_table(found).set_index("Số hiệu")
    assert shown.loc["undated/BC", "Kỳ"] == "" and shown.loc["other/BC", "Kỳ"] == "quý III 2024"  # not 'nan nan'
    assert shown.loc["h1/BC", "Kỳ"] == "6 tháng đầu năm 2024"  # not '… 2024.0'
    assert shown.loc["h1/BC", "Văn bản"] != "" and shown.loc["undated/BC", "Văn bản"] != ""


def test_the_report_types_filter_chooses_what_is_expected():
    docs = pd.DataFrame([doc("h1")])
    rows = tracker.tracker(docs, SCHEDULE, Filters(year_from=2024, year_to=2024, report_types=("cai_cach_hanh_chinh",)))
    expected = rows[rows["status"] != tracker.EXTRA]
    assert expected[["report_type", "status", "report_type_label"]].values.tolist() == [
        ["cai_cach_hanh_chinh", tracker.MISSING, "Cải cách"]]  # fmt: skip
    year = Filters(year_from=2024, year_to=2024)
    unlabelled = tracker.tracker(docs, SCHEDULE.drop(columns="report_type_label"), year)
    assert set(unlabelled["report_type_label"]) == {"dan_chu_co_so", "cai_cach_hanh_chinh"}  # the code, without a label


def test_a_year_filter_open_at_one_end_expects_the_years_of_the_reports():
    docs = pd.DataFrame([doc("a", end="2022-06-14"), doc("b", end="2024-06-14")])
    assert tracker.expected_years(Filters(year_from=2021), docs) == (2022, 2023, 2024)
    assert tracker.expected_years(Filters(year_to=2030), docs) == (2022, 2023, 2024)
    assert tracker.expected_years(Filters(year_from=2020, year_to=2021), docs) == (2020, 2021)


def test_rows_read_by_province_agency_and_year_and_an_unknown_agency_is_none():
    docs = pd.DataFrame([doc("tn", end="2023-06-14"), doc("ag", province="An Giang", agency=None),
                         doc("tn2", agency="Sở Khoa học"), doc("bn", province="Bắc Ninh")])  # fmt: skip
    rows = tracker.tracker(docs, SCHEDULE[:1], Filters(year_from=2023, year_to=2024))
    assert list(rows.index) == list(range(len(rows)))
    assert list(zip(rows["province"], rows["agency"].fillna("—"), rows["year"], strict=True)) == [
        ("An Giang", "—", 2023), ("An Giang", "—", 2024), ("Bắc Ninh", "Sở Nội vụ", 2023),
        ("Bắc Ninh", "Sở Nội vụ", 2024), ("Tây Ninh", "Sở Khoa học", 2023), ("Tây Ninh", "Sở Khoa học", 2024),
        ("Tây Ninh", "Sở Nội vụ", 2023), ("Tây Ninh", "Sở Nội vụ", 2024)]  # fmt: skip
    assert tracker.tracker_table(rows)["Cơ quan"].iloc[0] == "—"


def test_a_month_is_judged_against_a_deadline_on_its_first_or_last_day():
    docs = pd.DataFrame([doc("june")])
    on_first = SCHEDULE[:1].assign(deadline="01/06")
    on_last = SCHEDULE[:1].assign(deadline="30/06")
    assert tracker.tracker(docs, on_first, months={"june": (2024, 6)})["status"].tolist() == [tracker.UNDATED]
    assert tracker.tracker(docs, on_last, months={"june": (2024, 6)})["status"].tolist() == [tracker.RECEIVED]
    assert tracker.tracker(docs, on_first, months={"june": (2024, 7)})["status"].tolist() == [tracker.LATE]


def test_the_sending_date_shows_as_written_and_counts_add_up():
    rows = pd.DataFrame({"status": [tracker.RECEIVED, tracker.UNDATED, tracker.LATE, tracker.MISSING, tracker.MISSING,
                                    tracker.EXTRA],  # fmt: skip
                         "report_date": [pd.Timestamp("2024-06-18"), pd.NaT, pd.NaT, None, None, None],
                         "sent_month": [(2024, 5), (2024, 6), None, None, None, None]})  # fmt: skip
    assert tracker.status_counts(rows) == {tracker.RECEIVED: 2, tracker.LATE: 1, tracker.MISSING: 2, tracker.EXTRA: 1}
    assert [tracker._sent_text(d, m) for d, m in zip(rows["report_date"], rows["sent_month"], strict=True)][:3] == [
        "18/06/2024", "tháng 6/2024", ""]  # fmt: skip
    assert tracker.missing_or_late(rows)["status"].tolist() == [tracker.LATE, tracker.MISSING, tracker.MISSING]


def test_a_report_outside_the_schedule_sits_in_its_year():
    docs = pd.DataFrame([doc("other", "khac", "Y", "2023-12-31")])
    rows = tracker.tracker(docs, SCHEDULE[:1], Filters(year_from=2023, year_to=2024))
    assert list(zip(rows["year"], rows["report_type"], strict=True)) == [
        (2023, "dan_chu_co_so"), (2023, "khac"), (2024, "dan_chu_co_so")]  # fmt: skip
