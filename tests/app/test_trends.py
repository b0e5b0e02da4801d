"""Xu hướng's points (dashboard/trends.py): what two year-to-date figures imply in between."""

from __future__ import annotations

import json

import pandas as pd

from dashboard import charts, queries, trends
from dashboard.db import connect
from dashboard.filters import Filters


def _tay_ninh_received(warehouse) -> pd.DataFrame:
    con = connect(warehouse)
    rows = queries.facts(con, Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024), ("tthc_received",))
    con.close()
    return trends.trend_points(rows)


def _cumulative(value_a: float, value_b: float, mark_a: str = "", mark_b: str = "") -> pd.DataFrame:
    """Two figures counted from 01/01/2024, to 31/05 and to 31/07."""
    rows = [{"fact_id": f"f{i}", "province": "X", "period_basis": "cumulative", "unit": "hồ sơ",
             "period_start": pd.Timestamp("2024-01-01"), "x": pd.Timestamp(end), "value": value,
             "value_text": f"{value:.0f} hồ sơ", "document": f"Báo cáo {i}", "mark": mark}
            for i, (end, value, mark) in enumerate([("2024-05-31", value_a, mark_a),
                                                    ("2024-07-31", value_b, mark_b)])]  # fmt: skip
    return pd.DataFrame(rows)


def test_cumulative_figures_give_a_derived_in_period_value(warehouse):
    derived = trends.derived_in_period(_tay_ninh_received(warehouse))
    assert list(derived["value"]) == [-5.0]  # 36 by 31/05, 31 by 31/07: the reports disagree
    assert derived["period"].iloc[0] == "01/06–31/07/2024"


def test_a_negative_derived_flow_is_a_contradiction_not_a_figure(warehouse):
    drawn, contradictions = trends.split_derived(trends.derived_in_period(_tay_ninh_received(warehouse)))
    assert drawn.empty and len(contradictions) == 1
    text = trends.contradiction_text(contradictions.iloc[0].to_dict())
    assert text.startswith("Tây Ninh: hai số lũy kế mâu thuẫn — 36 hồ sơ đến 31/05/2024 nhưng 31 hồ sơ đến 31/07/2024")
    assert "01/06–31/07/2024" in text
    assert contradictions["flagged"].iloc[0]  # the pair the monotonic check flags


def test_a_derived_point_from_a_flagged_pair_carries_the_flag():
    mark = "<br>✖ Lỗi: Hồ sơ đã giải quyết nhiều hơn hồ sơ tiếp nhận"
    flagged = trends.derived_in_period(_cumulative(30, 50, mark_b=mark))
    plain = trends.derived_in_period(_cumulative(30, 50))
    assert flagged["flagged"].tolist() == [True] and flagged["mark"].iloc[0] == mark
    assert plain["flagged"].tolist() == [False] and plain["mark"].iloc[0] == ""
    trace = charts.trend_chart(_cumulative(30, 50, mark_b=mark).assign(
        kind="flow", fact_id=["a", "b"], period="", tick=""), "Hồ sơ", "hồ sơ", derived=flagged).data[-1]
    assert trace.y.tolist() == [20] and trace.marker.color == ("#c0392b",)
    assert "Lỗi" in trace.customdata[0][3] and "customdata[3]" in trace.hovertemplate


def test_trends_page_says_the_contradiction_and_draws_no_negative_point(app):
    at = app("pages/xu_huong.py", tinh="Tây Ninh", nam=["2024", "2024"])
    at.toggle(key="suy_ra").set_value(True).run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning]
    assert any("hai số lũy kế mâu thuẫn" in w for w in warned), warned
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    derived = [t for t in spec["data"] if "suy ra" in t.get("name", "")]
    assert all(y >= 0 for t in derived for y in t["y"])
    assert any("phat_hien=" in str(link.proto.query_string) for link in at.get("page_link"))
