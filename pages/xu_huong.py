"""Xu hướng: an indicator across periods, one line per province; a point opens its source."""

import streamlit as st

from dashboard import charts, ui, views

filters = ui.page_filters()
indicators = ui.options().indicators
labels = dict(zip(indicators["code"], indicators["label_vi"], strict=True))
st.title("Xu hướng")

codes = st.multiselect("Chỉ tiêu", list(labels), default=["tthc_received"] if "tthc_received" in labels else [],
                       format_func=labels.get, key="chi_tieu", bind="query-params")  # fmt: skip
if not codes:
    st.info("Chọn ít nhất một chỉ tiêu để xem xu hướng.")
    st.stop()

for code in codes:
    points = views.trend_points(ui.facts(filters, (code,)))
    if points.empty:
        st.info(f"{labels[code]}: không có số liệu phù hợp với bộ lọc.")
        continue
    unit = points["unit"].iloc[0]
    event = st.plotly_chart(charts.trend_chart(points, labels[code], unit), on_select="rerun",
                            selection_mode="points", key=f"bieu_do_{code}")  # fmt: skip
    picked = [p["customdata"][0] for p in event.selection.points] if event and event.selection else []
    choice = st.selectbox("Xem câu nguồn của điểm", points["fact_id"], key=f"diem_{code}",
                          index=None, placeholder="Chọn một điểm trên biểu đồ hoặc ở đây",
                          format_func=lambda f, p=points: views.point_label(p, f))  # fmt: skip
    for fact_id in picked or ([choice] if choice else []):
        ui.evidence(fact_id)
