"""Theo dõi nộp báo cáo: per province, agency, report type and period — received, late or missing."""

import streamlit as st

from dashboard import data, queries, sidebar, tracker, views, widgets

filters = sidebar.page_filters()
st.title("Theo dõi nộp báo cáo")
st.caption("Đối chiếu các văn bản đã nhận với lịch báo cáo (loại báo cáo, tần suất, thời gian chốt số liệu, "
           "hạn gửi — các yếu tố Nghị định 09/2019/NĐ-CP yêu cầu).")  # fmt: skip

schedule = data.cached(queries.schedule)
rows = views.tracker_rows(filters)  # expected of every province (not only senders) in every year of the filter
if rows.empty:
    st.info("Không có văn bản nào phù hợp với bộ lọc đang chọn.")
    st.stop()

for column, (status, count) in zip(st.columns(4), tracker.status_counts(rows).items(), strict=True):
    column.metric(status, count, border=True)
if st.toggle("Chỉ hiện báo cáo chưa nộp hoặc nộp muộn", key="chi_thieu"):
    rows = tracker.missing_or_late(rows)
shown = tracker.tracker_table(rows)
st.dataframe(shown, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 640),
             column_config=widgets.text_columns(shown, wide=("Văn bản",), fitted=("Cơ quan", "Loại báo cáo", "Kỳ")))
with st.expander("Lịch báo cáo đang áp dụng"):
    plan = tracker.schedule_table(schedule)
    st.dataframe(plan, hide_index=True, width="stretch", column_config=widgets.text_columns(
        plan, wide=("Căn cứ",), fitted=("Loại báo cáo", "Ghi chú")))  # fmt: skip
