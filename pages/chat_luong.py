"""Chất lượng dữ liệu: which figures can be trusted — coverage, and the contradictions found."""

import streamlit as st

from dashboard import charts, ui, views
from dashboard.formatting import SEVERITY_LABELS, md_escape

filters = ui.page_filters()
st.title("Chất lượng dữ liệu")
found = ui.findings(filters)

left, right = st.columns(2)
severities = left.multiselect("Mức độ", list(SEVERITY_LABELS), format_func=SEVERITY_LABELS.get,
                              key="muc_do", placeholder="Tất cả")  # fmt: skip
titles = sorted(found["title"].unique()) if not found.empty else []
checks = right.multiselect("Kiểm tra", titles, key="kiem_tra", placeholder="Tất cả")
rows = found
if severities:
    rows = rows[rows["severity"].isin(severities)]
if checks:
    rows = rows[rows["title"].isin(checks)]

counts = {s: int((found["severity"] == s).sum()) if not found.empty else 0 for s in SEVERITY_LABELS}
columns = st.columns(3)
for column, (code, label) in zip(columns, SEVERITY_LABELS.items(), strict=True):
    column.metric(f"{views.SEVERITY_ICONS[code]} {label}", counts[code], border=True)

st.subheader("Các phát hiện")
if rows.empty:
    st.info("Không có phát hiện nào phù hợp với bộ lọc đang chọn.")
else:
    event = st.dataframe(views.findings_table(rows), hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="bang_phat_hien")  # fmt: skip
    ui.findings_excel_button(rows, filters)
    picked = event.selection.rows if event and event.selection else []
    if picked:
        finding = rows.iloc[picked[0]]
        st.markdown(f"**{md_escape(finding['title'])}** — {md_escape(finding['message'])}")  # text from reports
        facts = ui.finding_facts(finding["finding_id"])
        for column, fact_id in zip(st.columns(max(len(facts), 1)), facts["fact_id"], strict=False):
            with column:
                ui.evidence(fact_id)
    else:
        st.caption("Chọn một dòng để xem các câu nguồn cạnh nhau.")

st.subheader("Độ phủ số liệu theo văn bản")
matrix = views.coverage_matrix(ui.coverage(filters))
if matrix.empty:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
else:
    st.caption("Mỗi ô: văn bản (cột) có nêu chỉ tiêu (dòng) không; vàng là có cảnh báo, đỏ là có lỗi.")
    st.plotly_chart(charts.coverage_heatmap(matrix), key="do_phu")
