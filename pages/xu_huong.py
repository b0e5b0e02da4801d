"""Xu hướng: an indicator across periods, one line per province; a point opens its source."""

import dataclasses

import streamlit as st

from dashboard import charts, data, kpis, sidebar, trends, views, widgets
from dashboard.formatting import md_escape

filters = sidebar.page_filters()
indicators = data.options().indicators
labels = dict(zip(indicators["code"], indicators["label_vi"], strict=True))
st.title("Xu hướng")

show_derived = st.toggle("Hiện số phát sinh giữa hai kỳ lũy kế (suy ra)", key="suy_ra",
                         help="Hai báo cáo cùng năm tính từ 01/01: hiệu số là số phát sinh giữa hai kỳ.")  # fmt: skip
codes = st.multiselect("Chỉ tiêu", list(labels), default=[views.DEFAULT_TREND] if views.DEFAULT_TREND in labels else [],
                       format_func=labels.get, key="chi_tieu", bind="query-params", select_all=False,
                       placeholder="Chọn chỉ tiêu")  # fmt: skip
if not codes:
    st.info("Chọn ít nhất một chỉ tiêu để xem xu hướng.")
    st.stop()

groups = views.trend_groups(filters)
scope = filters
if groups:  # a national warehouse: a few provinces' lines at a time
    part = st.segmented_control("Nhóm tỉnh", list(groups), key="nhom_tinh_xh", default=next(iter(groups)))
    st.caption(f"{sum(map(len, groups.values()))} tỉnh, mỗi lần vẽ {kpis.PROVINCES_AT_ONCE} tỉnh: chọn nhóm ở trên, "
               "hoặc chọn tỉnh ở bộ lọc bên trái.")  # fmt: skip
    scope = dataclasses.replace(filters, provinces=groups.get(part) or next(iter(groups.values())))
for code in codes:
    trend = views.trend_view(scope, code, labels[code], show_derived)
    if trend.chart is None:
        st.info(f"{md_escape(labels[code])}: không có số liệu phù hợp với bộ lọc.")
        continue
    points = trend.points
    event = st.plotly_chart(trend.chart, on_select="rerun", selection_mode="points", key=f"bieu_do_{code}",
                            config=charts.CONFIG)
    widgets.contradictions(trend.contradictions)
    if trend.unit_breaks:
        st.caption("Đường chấm đỏ: thời điểm đơn vị hành chính thay đổi; trước đó là số liệu của các đơn vị cũ.")
    picked = trends.picked_points(event.selection if event else None)
    choice = st.selectbox("Xem câu nguồn của điểm", points["fact_id"], key=f"diem_{code}",
                          index=None, placeholder="Chọn một điểm trên biểu đồ hoặc ở đây",
                          format_func=lambda f, p=points: trends.point_label(p, f))  # fmt: skip
    for fact_id in picked or ([choice] if choice else []):
        widgets.evidence(fact_id)
