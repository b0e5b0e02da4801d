"""The compiled report at the edges of its rules (issue 22's mutation survivors): a change of one,
a one-day window, a figure or report on a period's first or last day or with one date only,
reports without a date, the units and reports a scope lists, the annex and the build time."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dashboard import compiled
from dashboard.compiled_cli import generate
from dashboard.formatting import vn_datetime
from tests.app.test_compiled_report import TAY_NINH_6T, TAY_NINH_2024, Opened, _sent, figure
from tests.conftest import rows

HALF = compiled.parse_period("6T/2024")
STOCK = {"kind": "stock", "unit": "người"}
RANK = {"kind": "rank", "unit": "hạng", "start": (1, 1), "end": (12, 31)}
RATE = {"kind": "rate", "unit": "%"}


# ------------------------------------------------------------------ the comparison's words


def test_a_change_of_one_keeps_its_direction_and_a_change_under_one_percent_its_sign():
    assert compiled.comparison(figure(38), figure(37, year=2023)) == "tăng 1 hồ sơ (+2,7%)"
    assert compiled.comparison(figure(101), figure(100, year=2023)) == "tăng 1 hồ sơ (+1,0%)"
    assert compiled.comparison(figure(1001), figure(1000, year=2023)) == "tăng 1 hồ sơ (+0,1%)"
    assert compiled.comparison(figure(999), figure(1000, year=2023)) == "giảm 1 hồ sơ (−0,1%)"
    assert compiled.comparison(figure(90, **RATE), figure(89, year=2023, **RATE)) == "tăng 1 điểm %"
    # a rank one place larger is one place worse; one smaller, one better
    assert compiled.comparison(figure(45, **RANK), figure(44, year=2023, **RANK)) == "giảm 1 bậc"
    assert compiled.comparison(figure(43, **RANK), figure(44, year=2023, **RANK)) == "tăng 1 bậc"


# ------------------------------------------------------------------ periods and figures at their edges


def test_a_window_of_one_day_is_a_period():
    day = compiled.parse_period("01/07/2024-01/07/2024")
    assert (day.start, day.end) == (date(2024, 7, 1), date(2024, 7, 1))
    assert compiled.match(figure(3, **STOCK, end=(7, 1)), day) == "exact"


def test_a_stock_on_the_periods_first_day_is_inside_it():
    assert compiled.match(figure(1, end=(1, 1), **STOCK), HALF) == "partial"
    assert compiled.match(figure(1, year=2023, end=(12, 31), **STOCK), HALF) == "outside"


def test_a_figure_with_one_of_its_dates_only_is_never_the_periods():
    no_end = dataclasses.replace(figure(5), period_end=None)
    no_start = dataclasses.replace(figure(5), period_start=None)
    assert compiled.match(no_end, HALF) == compiled.match(no_start, HALF) == "outside"
    assert compiled._pick([no_end, no_start], HALF) is None
    assert compiled.comparison(no_end, figure(4, year=2023)) == "không cùng kỳ, không so sánh"


def test_a_report_with_one_of_its_dates_only_is_of_no_known_period_unless_its_words_say_it():
    bare = compiled.Source(doc_id="b", file_name="b", report_number=None, report_date=None, agency=None,
                           province=None, title=None, kind="", period_label=None)  # fmt: skip
    assert dataclasses.replace(bare, period_start=date(2024, 1, 1)).period_text == "không rõ kỳ"
    assert dataclasses.replace(bare, period_end=date(2024, 7, 31)).period_text == "không rõ kỳ"
    written = dataclasses.replace(bare, period_label="01/01/2024 - 31/07/2024", period_start=date(2024, 1, 1))
    assert written.period_text == "01/01/2024 - 31/07/2024"  # its own words, not a half-made range
    assert dataclasses.replace(bare, report_date=date(2024, 8, 2)).stated_on == date(2024, 8, 2)


def test_between_reports_of_the_period_the_later_stands_whatever_its_id_and_an_undated_one_last():
    later = _sent(figure(11), "a-later", date(2024, 7, 20))
    earlier = _sent(figure(10), "z-earlier", date(2024, 7, 5))
    undated = _sent(figure(9), "zz-undated")
    assert compiled._pick([earlier, later], HALF).fact_id == "a-later"
    assert compiled._pick([undated, earlier], HALF).fact_id == "z-earlier"
    assert compiled._pick([later, undated, earlier], HALF).fact_id == "a-later"


def test_last_years_figure_of_the_same_period_is_the_later_reports_whatever_its_id():
    unit = compiled.Unit("Tây Ninh", "Sở X")
    meta = {"indicator": "x", "label_vi": "X", "unit": "hồ sơ", "sort_order": 1, "kpi_order": 2}
    now = _sent(figure(30, end=(5, 31)), "now")
    whole = _sent(figure(50, year=2023), "whole")  # the whole half-year: another period than this year's
    later = _sent(figure(24, year=2023, end=(5, 31)), "a-later", date(2023, 6, 20))
    earlier = _sent(figure(20, year=2023, end=(5, 31)), "z-earlier", date(2023, 6, 2))
    undated = _sent(figure(18, year=2023, end=(5, 31)), "zz-undated")
    row = compiled._row(unit, [now, whole, undated, earlier, later], meta, HALF)
    assert (row.previous.fact_id, row.comparison) == ("a-later", "tăng 6 hồ sơ (+25,0%)")
    assert row.is_key
    row = compiled._row(unit, [now, whole, undated, earlier], meta, HALF)
    assert row.previous.fact_id == "z-earlier"


def test_a_figure_touching_the_period_by_its_first_or_last_day_is_listed_as_left_out():
    unit = compiled.Unit("Tây Ninh", "Sở X")
    to_first_day = dataclasses.replace(figure(5), fact_id="dec", period_start=date(2023, 12, 1),
                                       period_end=date(2024, 1, 1))  # fmt: skip
    from_last_day = dataclasses.replace(figure(6), fact_id="jul", period_start=date(2024, 6, 30),
                                        period_end=date(2024, 7, 31))  # fmt: skip
    assert compiled._omission(unit, [to_first_day], HALF).figure.fact_id == "dec"
    assert compiled._omission(unit, [from_last_day], HALF).figure.fact_id == "jul"
    before = dataclasses.replace(to_first_day, period_end=date(2023, 12, 31))
    assert compiled._omission(unit, [before], HALF) is None


def test_a_flagged_figure_names_its_severity_as_the_vocabulary_does(warehouse: Path):
    report, document, _ = generate(warehouse, TAY_NINH_2024)
    assert report.flagged and {f.finding_label for _, f in report.flagged} <= {"Lỗi", "Cảnh báo", "Thông tin"}
    opened = Opened(document)
    received = opened.row("Hồ sơ thủ tục hành chính tiếp nhận")
    (note,) = opened.notes_of(received[2])
    assert "(*) Lỗi: Số lũy kế giảm" in note and "loi:" not in note


# ------------------------------------------------------------------ the units and the reports a scope lists

_DOCUMENT_VIEW = """
    CREATE TABLE document_view (doc_id VARCHAR, file_name VARCHAR, report_number VARCHAR, report_date DATE,
        agency VARCHAR, province VARCHAR, title VARCHAR, kind VARCHAR, period_label VARCHAR,
        period_start DATE, period_end DATE);
    CREATE TABLE document_groups (doc_id VARCHAR, group_code VARCHAR);
"""


def _documents(*reports: tuple[str, str, date | None, date | None, date | None]) -> duckdb.DuckDBPyConnection:
    """A warehouse's report list alone: (doc_id, agency, report date, period start, period end),
    all of Tây Ninh; every report gives figures of group 'tthc' only."""
    con = duckdb.connect()
    con.execute(_DOCUMENT_VIEW)
    for doc_id, agency, reported, start, end in reports:
        con.execute("INSERT INTO document_view VALUES (?, ?, NULL, ?, ?, 'Tây Ninh', NULL, 'bao_cao', NULL, ?, ?)",
                    [doc_id, f"{doc_id}.txt", reported, agency, start, end])  # fmt: skip
        con.execute("INSERT INTO document_groups VALUES (?, 'tthc')", [doc_id])
    return con


def _reports(con: duckdb.DuckDBPyConnection, scope: compiled.Scope) -> dict[str, list[str]]:
    units = compiled._units(con, scope, scope.period.previous_year())
    return {u.agency: [s.doc_id for s in u.reports] for u in units}


def test_a_report_ending_on_the_periods_last_day_is_one_sent_for_it():
    con = _documents(("q3", "Sở A", date(2024, 10, 5), date(2024, 7, 1), date(2024, 9, 30)),
                     ("q3-early", "Sở A", None, date(2024, 7, 1), date(2024, 9, 29)),
                     ("to-oct", "Sở A", None, date(2024, 7, 1), date(2024, 10, 1)))  # fmt: skip
    scope = compiled.Scope(compiled.parse_period("Q3/2024"), provinces=("Tây Ninh",))
    assert _reports(con, scope) == {"Sở A": ["q3-early", "q3"]}


def test_a_units_reports_read_undated_first_then_by_date_whatever_their_ids():
    con = _documents(("a", "Sở A", date(2024, 7, 20), date(2024, 1, 1), date(2024, 6, 30)),
                     ("b", "Sở A", date(2024, 7, 5), date(2024, 1, 1), date(2024, 5, 31)),
                     ("c", "Sở A", None, date(2024, 1, 1), date(2024, 3, 31)))  # fmt: skip
    assert _reports(con, TAY_NINH_6T) == {"Sở A": ["c", "b", "a"]}


def test_the_groups_asked_for_filter_the_figures_never_the_reports_listed():
    con = _documents(("half", "Sở A", None, date(2024, 1, 1), date(2024, 6, 30)))
    scope = dataclasses.replace(TAY_NINH_6T, groups=("nhan_su",))  # the report gives no figure of it
    assert _reports(con, scope) == {"Sở A": ["half"]}


def test_the_groups_filter_leaves_the_samples_reports_listed(warehouse: Path):
    camera = dataclasses.replace(TAY_NINH_2024, groups=("camera",))  # one of Tây Ninh's three reports of 2024
    report, document, _ = generate(warehouse, camera)
    (unit,) = [u for u in report.units if u.province == "Tây Ninh"]
    assert len(unit.reports) == 3
    assert [s.group_code for s in report.sections] == ["camera"]
    opened = Opened(document)
    listed = " ".join(p for p in opened.paragraphs if p.startswith("- Sở Thông tin và Truyền thông (Tây Ninh)"))
    assert listed.count("(kỳ:") == 3


def test_a_unit_that_reported_last_year_and_not_this_year_is_named_in_each_group(warehouse: Path):
    scope = compiled.Scope(compiled.parse_period("2024"), provinces=("Quảng Ninh",))  # its report is of 2023
    report, document, _ = generate(warehouse, scope)
    (unit,) = report.units
    assert unit.name == "Sở Thông tin và Truyền thông (Quảng Ninh)" and unit.reports == ()
    assert report.sections and all(s.not_reported == (unit,) for s in report.sections)
    assert all(r.current is None and r.previous is not None for s in report.sections for r in s.rows)
    opened = Opened(document)
    silent = "Sở Thông tin và Truyền thông (Quảng Ninh): không báo cáo số liệu nhóm này trong kỳ."
    assert opened.paragraphs.count(silent) == len(report.sections)


def test_a_unit_is_not_said_silent_in_a_group_it_never_reported(warehouse: Path):
    scope = compiled.Scope(HALF, provinces=("Bình Dương", "Tây Ninh"))  # no agency asked by name
    report, _, _ = generate(warehouse, scope)
    by_group = {s.group_code: [u.name for u in s.not_reported] for s in report.sections}
    assert by_group["khieu_nai"] == []  # Bình Dương's report gives no complaint figures, this year or last
    assert {u.province for u in report.units} == {"Bình Dương", "Tây Ninh"}


# ------------------------------------------------------------------ the annex, the build time, the file name


def test_the_annex_holds_the_omitted_figures_too_in_the_reports_order(warehouse: Path):
    report, _, workbook = generate(warehouse, TAY_NINH_6T)
    omitted = [o.figure for o in report.omissions]
    assert any(f.value == 2813493 for f in omitted)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Số liệu"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    label, value = header.index("Chỉ tiêu"), header.index("Giá trị")
    read = [(r[label], r[value]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    figures = {f.fact_id: f for s in report.sections for r in s.rows for f in (r.current, r.previous) if f}
    figures |= {f.fact_id: f for f in omitted}
    expected = [(figures[i].label, figures[i].value) for i in dict.fromkeys(report.fact_ids)]
    assert read == expected
    assert ("Văn bản điện tử trao đổi liên thông", 2813493) in read


def test_the_build_time_is_the_warehouses_in_the_word_file_and_the_annex(warehouse: Path):
    ((finished,),) = rows(warehouse, "SELECT finished_at FROM builds")
    report, document, workbook = generate(warehouse, TAY_NINH_6T)
    assert report.built_at == finished
    opened = Opened(document)
    assert any(f"kho dữ liệu dựng lúc {vn_datetime(finished)}" in p for p in opened.paragraphs)
    info = dict(openpyxl.load_workbook(io.BytesIO(workbook))["Thông tin"].iter_rows(values_only=True))
    assert info["Kho dữ liệu dựng lúc"] == vn_datetime(finished)


def test_a_file_name_names_three_provinces_at_most():
    scope = compiled.Scope(compiled.parse_period("2024"), provinces=("Tây Ninh", "Bắc Ninh", "Hà Nội", "Huế"))
    assert compiled.file_stem(scope, date(2026, 12, 1)) == "bao-cao-tong-hop_tay-ninh-bac-ninh-ha-noi_2024_2026-12-01"


@pytest.mark.parametrize("provinces", [(), ("Tây Ninh",)])
def test_a_file_name_without_a_day_given_is_of_today(provinces):
    scope = compiled.Scope(compiled.parse_period("Q3/2024"), provinces=provinces)
    assert compiled.file_stem(scope).endswith(f"_q3-2024_{date.today().isoformat()}")
