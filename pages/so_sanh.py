"""So sánh: provinces side by side, each with the period its figure covers."""

import dataclasses

import streamlit as st

from dashboard import charts, ui, views
from dashboard.formatting import md_escape, vn_sorted

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

scope = dataclasses.replace(filters, provinces=tuple(provinces))
table, bars, warnings = views.compare_frames(ui.latest_facts(scope), provinces, per_month)
if table.empty:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
    st.stop()
explain = {
    "không cùng kỳ": "số liệu của các kỳ khác nhau (ghi trong ngoặc)",
    "khác cơ quan báo cáo": "số liệu do các cơ quan khác nhau báo cáo",
    "khác cách tính kỳ": "một bên tính lũy kế từ đầu năm, bên kia tính trong kỳ hoặc tại một ngày",
}
for kind, labels in warnings.items():
    if labels:
        st.warning(f"**{kind.capitalize()}**: {len(labels)} chỉ tiêu có {explain[kind]} — cân nhắc trước khi so "
                   f"sánh trực tiếp ({md_escape(', '.join(labels[:4]))}{'…' if len(labels) > 4 else ''}).")  # fmt: skip
st.dataframe(table, hide_index=True, width="stretch")

official = ui.reference_indices(tuple(provinces))
st.subheader("Xếp hạng công bố chính thức")
if official.empty:
    st.caption("Chưa có xếp hạng chính thức nào của các tỉnh này trong data/reference.")
else:
    st.caption("Từ nguồn công bố (DTI, PAR INDEX, PCI, PAPI); số ước tính không được coi là chính thức. "
               "So với xếp hạng các báo cáo tự nêu ở bảng trên.")  # fmt: skip
    st.dataframe(views.official_table(official), hide_index=True, width="stretch",
                 column_config={"Nguồn công bố": st.column_config.LinkColumn("Nguồn công bố")})  # fmt: skip

st.subheader("Biểu đồ theo chỉ tiêu")
columns = st.columns(2)
for i, (code, rows) in enumerate(bars.sort_values("sort_order").groupby("indicator", sort=False)):
    with columns[i % 2]:
        st.plotly_chart(charts.compare_bars(rows, rows["label_vi"].iloc[0], rows["unit"].iloc[0], provinces),
                        key=f"cot_{code}")  # fmt: skip
