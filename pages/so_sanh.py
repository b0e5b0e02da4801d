"""So sánh: provinces side by side, each with the period its figure covers."""

import streamlit as st

from dashboard import charts, ui, views
from dashboard.filters import Filters
from dashboard.formatting import vn_sorted

filters = ui.page_filters()
available = vn_sorted(ui.options().provinces)
st.title("So sánh giữa các tỉnh")

default = (
    list(filters.provinces) if len(filters.provinces) >= 2 else [p for p in ("Tây Ninh", "Trà Vinh") if p in available]
)
provinces = st.multiselect("Các tỉnh so sánh", available, default=default or available[:2], key="so_sanh",
                           bind="query-params")  # fmt: skip
per_month = st.toggle("Quy số liệu theo kỳ về bình quân tháng", key="theo_thang",
                      help="Các kỳ báo cáo dài ngắn khác nhau; bình quân tháng giúp so sánh số liệu phát sinh "
                      "trong kỳ.")  # fmt: skip
if len(provinces) < 2:
    st.info("Chọn ít nhất hai tỉnh để so sánh.")
    st.stop()

scope = Filters(
    tuple(provinces), filters.year_from, filters.year_to, filters.agencies, filters.report_types, filters.groups
)
table, bars, warnings = views.compare_frames(ui.latest_facts(scope), provinces, per_month)
if table.empty:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
    st.stop()
if warnings:
    st.warning(f"Không cùng kỳ: {len(warnings)} chỉ tiêu có số liệu của các kỳ khác nhau (ghi trong ngoặc) — "
               "cân nhắc trước khi so sánh trực tiếp.")  # fmt: skip
st.dataframe(table, hide_index=True, width="stretch")

st.subheader("Biểu đồ theo chỉ tiêu")
columns = st.columns(2)
for i, (code, rows) in enumerate(bars.sort_values("sort_order").groupby("indicator", sort=False)):
    with columns[i % 2]:
        st.plotly_chart(charts.compare_bars(rows, rows["label_vi"].iloc[0], rows["unit"].iloc[0], provinces),
                        key=f"cot_{code}")  # fmt: skip
