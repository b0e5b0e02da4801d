"""Chất lượng dữ liệu: which figures can be trusted — coverage, and the contradictions found."""

import streamlit as st

from dashboard import charts, data, figures, quality, queries, sidebar, tables, views, widgets
from dashboard.filters import Filters
from dashboard.formatting import md_code, md_escape, vn_number

filters = sidebar.page_filters()
st.title("Chất lượng dữ liệu")
severity_labels = data.vocabulary().severities  # code -> label, the most serious first
found = data.cached(queries.findings, filters)
every = data.cached(queries.findings, Filters())
names = views.document_names(None)  # whole citations: the table and the Excel never cut one
asked = st.query_params.get("phat_hien")  # a link from a marked figure ("✖ Lỗi: xem phát hiện")

titles = quality.check_titles(every)  # every check that found something: a shared link's choice stays valid
for notice in (sidebar.ignored_in_link("muc_do", list(severity_labels.values()), "Mức độ"),
               sidebar.ignored_in_link("kiem_tra", titles, "Kiểm tra")):  # fmt: skip
    if notice:
        st.warning(notice)
left, right = st.columns(2)
severities = left.multiselect("Mức độ", list(severity_labels), format_func=severity_labels.get, key="muc_do",
                              bind="query-params", placeholder="Tất cả", select_all=False)  # fmt: skip
checks = right.multiselect("Kiểm tra", titles, key="kiem_tra", bind="query-params", placeholder="Tất cả",
                           select_all=False)  # fmt: skip
rows = quality.narrow(found, severities, checks)
notice = quality.link_notice(asked, rows, every)
if notice:
    st.warning(f"{notice} Mã: {md_code(asked[:40])}")  # the link's text, never its Markdown

counts = quality.severity_counts(found, severity_labels)
for column, (code, label) in zip(st.columns(len(severity_labels)), severity_labels.items(), strict=True):
    column.metric(f"{figures.SEVERITY_ICONS.get(code, '')} {label}", counts[code], border=True)

st.subheader("Các phát hiện")
if rows.empty:
    st.info("Không có phát hiện nào phù hợp với bộ lọc đang chọn.")
else:
    table = tables.findings_table(rows, names)
    widths = {"Mức độ": 100, "Tỉnh": 90, "Chỉ tiêu": tables.text_width(table["Chỉ tiêu"], high=260),
              "Kiểm tra": tables.text_width(table["Kiểm tra"], high=360),
              "Chi tiết": tables.text_width(table["Chi tiết"], high=320), "Văn bản": "large"}  # fmt: skip
    event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key="bang_phat_hien", column_config={k: st.column_config.TextColumn(k, width=w)
                                                             for k, w in widths.items()})  # fmt: skip
    widgets.findings_excel_button(rows, filters, names, view=(
        ("Mức độ", ", ".join(map(severity_labels.get, severities))), ("Kiểm tra", ", ".join(checks))))
    finding = quality.opened(rows, list(event.selection.rows) if event and event.selection else [], asked)
    if finding is not None:
        st.markdown(f"**{md_escape(finding['title'])}** — {md_escape(finding['message'])}")  # text from reports
        facts = data.cached(queries.finding_facts, finding["finding_id"])
        for column, fact_id in zip(st.columns(max(len(facts), 1)), facts["fact_id"], strict=False):
            with column:
                widgets.evidence(fact_id)
    else:
        st.caption("Chọn một dòng để xem các câu nguồn cạnh nhau.")

st.subheader("Độ phủ số liệu theo văn bản")
coverage = views.coverage_view(filters)
if coverage.chart is None:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
else:
    st.caption("Mỗi ô: văn bản (cột) có nêu chỉ tiêu (dòng) không; chú giải màu dưới biểu đồ.")
    if coverage.total > coverage.shown:
        st.caption(f"Hiện {vn_number(coverage.shown)} văn bản mới nhất trong {vn_number(coverage.total)} văn bản "
                   "thuộc bộ lọc — chọn tỉnh, năm hoặc cơ quan để xem các văn bản khác.")  # fmt: skip
    st.plotly_chart(coverage.chart, key="do_phu", config=charts.CONFIG)
