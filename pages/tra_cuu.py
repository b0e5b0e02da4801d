"""Tra cứu: every figure under the filters, searchable; the view on screen exports to Excel."""

import streamlit as st

from dashboard import data, sidebar, tables, widgets
from dashboard.formatting import vn_number

filters = sidebar.page_filters()
indicators = data.options().indicators
labels = dict(zip(indicators["code"], indicators["label_vi"], strict=True))
st.title("Tra cứu số liệu")

left, right = st.columns([2, 3])
text = left.text_input("Tìm trong câu nguồn", key="tim", bind="query-params", placeholder="ví dụ: camera, ho so, 1022")
codes = right.multiselect("Chỉ tiêu", list(labels), format_func=labels.get, key="chi_tieu_tc",
                          bind="query-params", placeholder="Tất cả", select_all=False)  # fmt: skip
rows, total = data.fact_page(filters, tuple(codes), text, include_rejected=True)
if rows.empty:
    st.info("Không có số liệu nào phù hợp với bộ lọc và từ khóa đang chọn.")
    st.stop()

if total > len(rows):
    st.caption(f"{vn_number(total)} số liệu; hiện {vn_number(len(rows))} số đầu (theo tỉnh, mới nhất trước) — "
               "chọn tỉnh, năm, chỉ tiêu hoặc tìm từ khóa để thu hẹp. Tệp Excel gồm các dòng đang hiện.")  # fmt: skip
else:
    st.caption(f"{vn_number(total)} số liệu")
st.caption("Chọn một dòng để xem câu nguồn trong văn bản.")
event = st.dataframe(tables.explorer_table(rows), hide_index=True, width="stretch", on_select="rerun",
                     selection_mode="single-row", key="bang_so_lieu", height=min(38 + 35 * len(rows), 640),
                     column_config=widgets.explorer_columns(rows["value"], rows["label_vi"]))  # fmt: skip
view = (("Tìm trong câu nguồn", text), ("Chỉ tiêu", ", ".join(map(labels.get, codes))))  # in the file and its name
widgets.excel_button(rows, filters, view=view)
selected = event.selection.rows if event and event.selection else []
if selected:
    widgets.evidence(rows.iloc[selected[0]]["fact_id"])
