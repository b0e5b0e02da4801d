"""Tổng quan's key-figure cards (dashboard/kpis.py) on hand-made figures: which figure a card shows,
what it is compared with, and how the change reads."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import kpis


def row(fact_id: str, value: float, start: str | None, end: str | None, *, as_of: str | None = None,
        kind: str = "flow", province: str = "Tây Ninh", indicator: str = "tthc_received", unit: str = "hồ sơ",
        **extra: object) -> dict:  # fmt: skip
    return {
        "fact_id": fact_id, "province": province, "indicator": indicator, "value": float(value), "unit": unit,
        "kind": kind, "label_vi": "Hồ sơ tiếp nhận", "short_label": "Hồ sơ TTHC", "kpi_order": 2,
        "period_start": pd.Timestamp(start) if start else pd.NaT, "period_end": pd.Timestamp(end) if end else pd.NaT,
        "as_of": pd.Timestamp(as_of) if as_of else pd.NaT, "file_name": f"{fact_id}.txt", "finding_severity": None,
        "lower_is_better": False, "denominator": None, **extra,
    }  # fmt: skip


def card(*rows: dict) -> kpis.Card:
    [only] = kpis.kpi_cards(pd.DataFrame(list(rows)))["Tây Ninh"]
    return only


HALF_2023 = ("2023-01-01", "2023-06-30")
HALF_2024 = ("2024-01-01", "2024-06-30")


def test_a_flow_reads_its_change_with_a_sign_and_its_unit():
    up = card(row("a", 30, *HALF_2023), row("b", 45, *HALF_2024))
    assert (up.fact_id, up.value, up.delta, up.note) == ("b", "45", "+15 so với 6T/2023", "")
    assert up.delta_color == "normal" and up.delta_arrow == "auto" and up.trend == (30.0, 45.0)
    down = card(row("a", 45, *HALF_2023), row("b", 30, *HALF_2024))
    assert down.delta == "-15 so với 6T/2023"


def test_no_change_is_a_note_not_a_delta():
    same = card(row("a", 30, *HALF_2023), row("b", 30, *HALF_2024))
    assert same.delta is None and same.note == "Không đổi so với 6T/2023."


def test_a_figure_where_less_is_better_turns_its_colour_round():
    fewer = card(row("a", 30, *HALF_2023, lower_is_better=True), row("b", 20, *HALF_2024, lower_is_better=True))
    assert fewer.delta_color == "inverse" and fewer.delta.startswith("-10")


def test_a_rank_moving_up_is_green_and_down_is_red():
    year = {"kind": "rank", "unit": "hạng", "indicator": "dti_rank", "denominator": 63}
    better = card(row("a", 44, "2021-01-01", "2021-12-31", **year), row("b", 40, "2022-01-01", "2022-12-31", **year))
    assert better.value == "40/63" and better.delta == "lên 4 bậc so với năm 2021"
    assert (better.delta_color, better.delta_arrow) == ("green", "up") and better.trend == (-44.0, -40.0)
    worse = card(row("a", 40, "2021-01-01", "2021-12-31", **year), row("b", 44, "2022-01-01", "2022-12-31", **year))
    assert worse.delta == "xuống 4 bậc so với năm 2021" and (worse.delta_color, worse.delta_arrow) == ("red", "down")


@pytest.mark.parametrize(("end", "compares"), [("2024-07-15", True), ("2024-07-16", False)])
def test_periods_compare_when_their_lengths_differ_by_sixteen_days_at_most(end, compares):
    """1 January to 30 June 2023 is 180 days; to 15 July 2024, 196; to 16 July, 197."""
    shown = card(row("a", 30, *HALF_2023), row("b", 40, "2024-01-01", end))
    assert (shown.delta is not None) is compares
    assert shown.note == ("" if compares else "Kỳ trước có độ dài khác — không so sánh.")


def test_stocks_compare_with_any_earlier_date():
    stock = {"kind": "stock", "unit": "người", "indicator": "staff_total"}
    shown = card(row("a", 50, None, None, as_of="2023-03-31", **stock), row("b", 55, None, None, as_of="2024-12-31",
                                                                            **stock))  # fmt: skip
    assert shown.delta == "+5 so với 31/03/2023" and shown.period == "tại 31/12/2024"


def test_the_sparkline_holds_the_latest_eight_comparable_figures_oldest_first():
    years = [row(f"y{y}", y - 2000, f"{y}-01-01", f"{y}-06-30") for y in range(2010, 2025)]
    other_length = row("nine", 99, "2024-01-01", "2024-09-30")  # newer, but not comparable
    shown = card(*years, other_length)
    assert shown.fact_id == "nine" and shown.delta is None  # the newest figure is shown, with no comparison
    shown = card(*years)
    assert shown.trend == tuple(float(y - 2000) for y in range(2017, 2025))


def test_cards_are_per_province_in_vietnamese_order_and_by_the_key_figures_order():
    rows = [row("tn", 1, *HALF_2024), row("bn", 2, *HALF_2024, province="Bắc Ninh"),
            row("an", 3, *HALF_2024, province="An Giang"),
            row("tn2", 4, *HALF_2024, indicator="staff_total", kpi_order=1),
            row("none", 5, *HALF_2024, kpi_order=None), row("nowhere", 6, *HALF_2024, province=None)]  # fmt: skip
    cards = kpis.kpi_cards(pd.DataFrame(rows))
    assert list(cards) == ["An Giang", "Bắc Ninh", "Tây Ninh"]
    assert [c.fact_id for c in cards["Tây Ninh"]] == ["tn2", "tn"]  # kpi_order 1 before 2; no card without one
    assert kpis.kpi_slots(cards) == [("staff_total", "Hồ sơ TTHC"), ("tthc_received", "Hồ sơ TTHC")]
    assert kpis.kpi_cards(pd.DataFrame(columns=list(rows[0]))) == {}


def test_a_card_without_a_short_label_shows_the_whole_name():
    shown = card(row("a", 30, *HALF_2024, short_label=None))
    assert shown.label == "Hồ sơ tiếp nhận" and shown.full_label == "Hồ sơ tiếp nhận" and shown.trend == ()


def test_a_card_tooltip_names_the_whole_label_and_the_report():
    assert kpis.card_help("Hồ sơ", "Hồ sơ") == "**Hồ sơ**"
    assert kpis.card_help("Hồ sơ", "Hồ sơ tiếp nhận", "Báo cáo số 1") == (
        "**Hồ sơ** — Hồ sơ tiếp nhận\n\nNguồn: Báo cáo số 1"
    )


def test_provinces_are_drawn_four_at_a_time():
    names = [f"P{k:02d}" for k in range(9)]
    groups = kpis.province_groups(names)
    assert list(groups) == ["P00 – P03", "P04 – P07", "P08"]
    assert groups["P08"] == ["P08"] and len(groups["P04 – P07"]) == kpis.PROVINCES_AT_ONCE == 4
    assert kpis.sorted_provinces(["Tây Ninh", "An Giang", "Đà Nẵng", "Bắc Ninh"]) == [
        "An Giang", "Bắc Ninh", "Đà Nẵng", "Tây Ninh"]  # fmt: skip


def test_other_figures_are_each_groups_newest_and_say_who_reported():
    rows = pd.DataFrame([
        row("old", 1, *HALF_2023, group_code="g1", group_label="Nhóm 1", sort_order=1),
        row("new", 2, *HALF_2024, group_code="g1", group_label="Nhóm 1", sort_order=2),
        row("g2", 3, *HALF_2023, group_code="g2", group_label="Nhóm 2", sort_order=5, province="An Giang"),
    ])  # fmt: skip
    others = kpis.other_figures(rows)
    assert list(others.columns) == kpis.OTHER_COLUMNS
    assert list(zip(others["Tỉnh"], others["Nhóm chỉ tiêu"], others["Giá trị"], strict=True)) == [
        ("An Giang", "Nhóm 2", "3 hồ sơ"), ("Tây Ninh", "Nhóm 1", "2 hồ sơ")]  # fmt: skip
    assert kpis.other_figures(rows.iloc[0:0]).empty
    assert kpis.split_reporting(["Tây Ninh", "Huế", "An Giang"], others) == (["Tây Ninh", "An Giang"], ["Huế"])


def test_the_unreported_text_names_at_most_eight_provinces():
    names = [f"P{k}" for k in range(9)]
    text = kpis.unreported_text(names, ["A", "B"])
    assert text.startswith("P0, P1, P2, P3, P4, P5, P6, P7… không báo cáo chỉ tiêu chính nào trong phạm vi lọc (A, B).")
    assert kpis.unreported_text(names[:8], ["A"]).startswith("P0, P1, P2, P3, P4, P5, P6, P7 không báo cáo")


def test_a_change_of_one_reads_with_its_direction():
    year = {"kind": "rank", "unit": "hạng", "indicator": "dti_rank", "denominator": 63}
    worse = card(row("a", 40, "2021-01-01", "2021-12-31", **year), row("b", 41, "2022-01-01", "2022-12-31", **year))
    assert worse.delta == "xuống 1 bậc so với năm 2021"
    assert card(row("a", 30, *HALF_2023), row("b", 31, *HALF_2024)).delta == "+1 so với 6T/2023"
    assert card(row("a", 30, *HALF_2023), row("b", 30.5, *HALF_2024)).delta == "+0,50 so với 6T/2023"


def test_a_card_looks_for_a_comparable_figure_among_the_23_before_the_latest_only():
    latest = row("latest", 50, "2024-01-01", "2024-06-30")
    others = [row(f"q{k}", k, f"{2023 - k // 4}-{(k % 4) * 3 + 1:02d}-01", f"{2023 - k // 4}-{(k % 4) * 3 + 3:02d}-28")
              for k in range(23)]  # 23 quarters before it: not comparable  # fmt: skip
    older = row("old_half", 40, "2010-01-01", "2010-06-30")  # the 25th figure
    shown = card(latest, *others, older)
    assert shown.delta is None and shown.note == "Kỳ trước có độ dài khác — không so sánh."
    assert card(latest, *others[:22], older).delta == "+10 so với 6T/2010"  # the 24th is still looked at


def test_between_figures_of_one_date_a_group_shows_the_first_in_the_catalog():
    rows = pd.DataFrame([
        row("second", 1, *HALF_2024, group_code="g1", group_label="Nhóm 1", sort_order=2),
        row("first", 2, *HALF_2024, group_code="g1", group_label="Nhóm 1", sort_order=1),
    ])  # fmt: skip
    assert kpis.other_figures(rows)["Giá trị"].tolist() == ["2 hồ sơ"]


def test_a_comparable_figure_behind_one_that_is_not_is_still_found():
    """Jan–Jun 2023 (180 days) compares with 1 January–15 July 2024 (196) although Q4 2023 is newer."""
    shown = card(row("h1", 30, *HALF_2023), row("q4", 9, "2023-10-01", "2023-12-31"),
                 row("now", 40, "2024-01-01", "2024-07-15"))  # fmt: skip
    assert shown.delta == "+10 so với 6T/2023" and shown.trend == (30.0, 40.0)


def test_stocks_and_ranks_draw_every_earlier_figure_on_their_line():
    stock = {"kind": "stock", "unit": "người", "indicator": "staff_total"}
    dates = ["2022-06-30", "2023-03-31", "2024-12-31"]
    shown = card(*[row(f"s{k}", 50 + k, None, None, as_of=d, **stock) for k, d in enumerate(dates)])
    assert shown.trend == (50.0, 51.0, 52.0)
    rank = {"kind": "rank", "unit": "hạng", "indicator": "dti_rank", "denominator": 63}
    years = [row(f"r{y}", 50 - y + 2020, f"{y}-01-01", f"{y}-12-31", **rank) for y in (2020, 2021, 2022)]
    assert card(*years).trend == (-50.0, -49.0, -48.0)
