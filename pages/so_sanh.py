"""So sánh: provinces side by side, each with the period its figure covers."""

import dataclasses

import streamlit as st

from dashboard import charts, comparison, data, queries, sidebar, tables, views, widgets
from dashboard.formatting import md_escape, vn_sorted

filters = sidebar.page_filters()
available = vn_sorted(data.options().provinces)
st.title("So sánh giữa các tỉnh")

if len(filters.provinces) >= 2:  # the sidebar's choice wins, so every page shows the same provinces
    provinces = list(filters.provinces)
    st.caption(f"So sánh các tỉnh chọn ở bộ lọc bên trái: {md_escape(', '.join(provinces))}.")
else:
    provinces = st.multiselect("Các tỉnh so sánh", available, key="so_sanh", bind="query-params",
                               default=comparison.default_provinces(filters.provinces, available),
                               select_all=False, placeholder="Chọn tỉnh")  # fmt: skip
per_month = st.toggle("Quy số liệu phát sinh trong kỳ về bình quân tháng", key="theo_thang",
                      help=comparison.PER_MONTH_HELP)
if filters.units == "current":  # figures then carry today's units: a former province is compared as its unit
    provinces, moved = comparison.as_current_units(provinces, data.cached(queries.unit_changes))
    if moved:
        st.info(comparison.unit_notice(moved))
if len(provinces) < 2:
    st.info("Chọn ít nhất hai tỉnh để so sánh.")
    st.stop()

scope = dataclasses.replace(filters, provinces=tuple(provinces))
view = views.comparison_view(scope, per_month)
table = view.table
if table.empty:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
    st.stop()
for text in comparison.warning_texts(view.warnings):
    st.warning(text)
indicator = st.column_config.TextColumn(pinned=True, width=tables.text_width(table["Chỉ tiêu"], low=200, high=360))
st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 600),
             column_config={"Chỉ tiêu": indicator, **widgets.text_columns(table, fitted=tuple(provinces))})

reference = data.cached(queries.reference_indices, tuple(provinces))
official = comparison.official_in_years(reference, filters.year_from, filters.year_to)
st.subheader("Xếp hạng công bố chính thức")
if official.empty:
    st.caption("Chưa có xếp hạng chính thức nào của các tỉnh này trong các năm đang chọn.")
else:
    st.caption("Từ nguồn công bố (DTI, PAR INDEX, PCI, PAPI); số ước tính không được coi là chính thức. "
               "So với xếp hạng các báo cáo tự nêu ở bảng trên.")  # fmt: skip
    st.dataframe(tables.official_table(official), hide_index=True, width="stretch",
                 column_config={"Nguồn công bố": st.column_config.LinkColumn(width="large")})

st.subheader("Biểu đồ theo nhóm chỉ tiêu")
if not view.charts:
    st.caption("Không có chỉ tiêu nào mà từ hai tỉnh trở lên cùng báo cáo.")
else:
    st.caption("Chỉ vẽ các chỉ tiêu mà từ hai tỉnh trở lên cùng báo cáo; dưới mỗi cột là tỉnh và kỳ của số liệu.")
    columns = st.columns(2)
    for i, chart in enumerate(view.charts):
        with columns[i % 2]:
            st.plotly_chart(chart, key=f"nhom_{i}", config=charts.CONFIG)
