"""Chất lượng dữ liệu: which figures can be trusted — coverage, and the contradictions found."""

import streamlit as st

from dashboard import charts, ui, views
from dashboard.filters import Filters
from dashboard.formatting import SEVERITY_LABELS, md_escape

filters = ui.page_filters()
st.title("Chất lượng dữ liệu")
found = ui.findings(filters)
all_docs = ui.documents(Filters())
names = dict(zip(all_docs["doc_id"], views.citations(all_docs, 60), strict=True))
asked = st.query_params.get("phat_hien")  # a link from a marked figure ("✖ Lỗi: xem phát hiện")

left, right = st.columns(2)
severities = left.multiselect("Mức độ", list(SEVERITY_LABELS), format_func=SEVERITY_LABELS.get,
                              key="muc_do", placeholder="Tất cả", select_all=False)  # fmt: skip
titles = sorted(found["title"].unique()) if not found.empty else []
checks = right.multiselect("Kiểm tra", titles, key="kiem_tra", placeholder="Tất cả", select_all=False)
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
    widths = {"Mức độ": 100, "Chỉ tiêu": 220, "Kiểm tra": 280, "Chi tiết": 320, "Tỉnh": 90, "Văn bản": "large"}
    event = st.dataframe(views.findings_table(rows, names), hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="bang_phat_hien",
                         column_config={k: st.column_config.TextColumn(k, width=w)
                                        for k, w in widths.items()})  # fmt: skip
    ui.findings_excel_button(rows, filters, names)
    picked = list(event.selection.rows) if event and event.selection else []
    if not picked and asked in set(rows["finding_id"]):
        picked = [list(rows["finding_id"]).index(asked)]
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
matrix = views.coverage_matrix(ui.coverage(filters), names)
if matrix.empty:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
else:
    st.caption("Mỗi ô: văn bản (cột) có nêu chỉ tiêu (dòng) không; vàng là có cảnh báo, đỏ là có lỗi.")
    st.plotly_chart(charts.coverage_heatmap(matrix), key="do_phu", config=charts.CONFIG)
