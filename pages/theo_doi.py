"""Theo dõi nộp báo cáo: per province, agency, report type and period — received, late or missing."""

import streamlit as st

from dashboard import tracker, ui

filters = ui.page_filters()
st.title("Theo dõi nộp báo cáo")
st.caption("Đối chiếu các văn bản đã nhận với lịch báo cáo (loại báo cáo, tần suất, thời gian chốt số liệu, "
           "hạn gửi — các yếu tố Nghị định 09/2019/NĐ-CP yêu cầu).")  # fmt: skip

rows = tracker.tracker(ui.documents(filters), ui.schedule())
if rows.empty:
    st.info("Không có văn bản nào phù hợp với bộ lọc đang chọn.")
    st.stop()

columns = st.columns(4)
for column, status in zip(columns, [tracker.RECEIVED, tracker.LATE, tracker.MISSING, tracker.EXTRA], strict=True):
    count = int((rows["status"] == status).sum()) + (int((rows["status"] == tracker.UNDATED).sum())
                                                     if status == tracker.RECEIVED else 0)  # fmt: skip
    column.metric(status, count, border=True)
only_missing = st.toggle("Chỉ hiện báo cáo chưa nộp hoặc nộp muộn", key="chi_thieu")
if only_missing:
    rows = rows[rows["status"].isin([tracker.MISSING, tracker.LATE])]
st.dataframe(tracker.tracker_table(rows), hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 640),
             column_config={"Văn bản": st.column_config.TextColumn("Văn bản", width="large")})  # fmt: skip
with st.expander("Lịch báo cáo đang áp dụng"):
    st.dataframe(tracker.schedule_table(ui.schedule()), hide_index=True, width="stretch")
