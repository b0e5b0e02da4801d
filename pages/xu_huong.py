"""Xu hướng: an indicator across periods, one line per province; a point opens its source."""

import streamlit as st

from dashboard import charts, ui, views
from dashboard.formatting import md_escape

filters = ui.page_filters()
indicators = ui.options().indicators
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
    points = views.trend_points(ui.facts(filters, (code,)))
    if points.empty:
        st.info(f"{md_escape(labels[code])}: không có số liệu phù hợp với bộ lọc.")
        continue
    unit = points["unit"].iloc[0]
    official = views.official_ranks(ui.reference_indices(), views.OFFICIAL_INDEX.get(code, ""), set(points["province"]),
                                    filters.units)  # fmt: skip
    breaks = views.unit_breaks(ui.unit_changes(), points) if filters.units == "current" else []
    derived = views.derived_in_period(points) if show_derived else None
    figure = charts.trend_chart(points, labels[code], unit, official, breaks, derived)
    event = st.plotly_chart(figure, on_select="rerun", selection_mode="points", key=f"bieu_do_{code}",
                            config=charts.CONFIG)
    if breaks:
        st.caption("Đường chấm đỏ: thời điểm đơn vị hành chính thay đổi; trước đó là số liệu của các đơn vị cũ.")
    picked = [p["customdata"][0] for p in event.selection.points if isinstance(p.get("customdata", [None])[0], str)
              and len(p["customdata"]) == 5] if event and event.selection else []  # fmt: skip
    choice = st.selectbox("Xem câu nguồn của điểm", points["fact_id"], key=f"diem_{code}",
                          index=None, placeholder="Chọn một điểm trên biểu đồ hoặc ở đây",
                          format_func=lambda f, p=points: views.point_label(p, f))  # fmt: skip
    for fact_id in picked or ([choice] if choice else []):
        ui.evidence(fact_id)
