"""Xu hướng: an indicator across periods, one line per province; a point opens its source."""

import streamlit as st

from dashboard import charts, data, queries, sidebar, trends, widgets
from dashboard.formatting import md_escape

filters = sidebar.page_filters()
indicators = data.options().indicators
labels = dict(zip(indicators["code"], indicators["label_vi"], strict=True))
st.title("Xu hướng")

show_derived = st.toggle("Hiện số phát sinh giữa hai kỳ lũy kế (suy ra)", key="suy_ra",
                         help="Hai báo cáo cùng năm tính từ 01/01: hiệu số là số phát sinh giữa hai kỳ.")  # fmt: skip
codes = st.multiselect("Chỉ tiêu", list(labels), default=["tthc_received"] if "tthc_received" in labels else [],
                       format_func=labels.get, key="chi_tieu", bind="query-params", select_all=False,
                       placeholder="Chọn chỉ tiêu")  # fmt: skip
if not codes:
    st.info("Chọn ít nhất một chỉ tiêu để xem xu hướng.")
    st.stop()

for code in codes:
    points = trends.trend_points(data.facts(filters, (code,)))
    if points.empty:
        st.info(f"{md_escape(labels[code])}: không có số liệu phù hợp với bộ lọc.")
        continue
    unit = points["unit"].iloc[0]
    official = trends.official_ranks(data.cached(queries.reference_indices), trends.official_index(points),
                                    set(points["province"]), filters.units)  # fmt: skip
    breaks = trends.unit_breaks(data.cached(queries.unit_changes), points) if filters.units == "current" else []
    derived, contradictions = trends.split_derived(trends.derived_in_period(points) if show_derived else None)
    figure = charts.trend_chart(points, labels[code], unit, official, breaks, derived)
    event = st.plotly_chart(figure, on_select="rerun", selection_mode="points", key=f"bieu_do_{code}",
                            config=charts.CONFIG)
    widgets.contradictions(contradictions)
    if breaks:
        st.caption("Đường chấm đỏ: thời điểm đơn vị hành chính thay đổi; trước đó là số liệu của các đơn vị cũ.")
    picked = trends.picked_points(event.selection if event else None)
    choice = st.selectbox("Xem câu nguồn của điểm", points["fact_id"], key=f"diem_{code}",
                          index=None, placeholder="Chọn một điểm trên biểu đồ hoặc ở đây",
                          format_func=lambda f, p=points: trends.point_label(p, f))  # fmt: skip
    for fact_id in picked or ([choice] if choice else []):
        widgets.evidence(fact_id)
