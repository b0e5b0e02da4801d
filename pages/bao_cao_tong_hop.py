"""Báo cáo tổng hợp: the compiled .docx (Nghị định 30/2020/NĐ-CP) and its Excel annex for the
provinces, agencies and groups of the sidebar and a chosen period."""

from datetime import date

import streamlit as st

from dashboard import compiled, data, sidebar
from dashboard.compiled_cli import generate
from dashboard.db import warehouse_path
from dashboard.formatting import md_escape

filters = sidebar.page_filters()
years = data.options().years or (date.today().year, date.today().year)
st.title("Báo cáo tổng hợp")
st.caption("Văn bản .docx theo thể thức Nghị định 30/2020/NĐ-CP: mỗi số liệu có chú thích nguồn (số, ngày, cơ quan "
           "ban hành báo cáo); số liệu khác kỳ ghi kèm kỳ của nó hoặc đưa vào phụ lục; kèm phụ lục Excel. Phạm vi "
           "theo bộ lọc bên trái (tỉnh, cơ quan, nhóm chỉ tiêu).")  # fmt: skip

left, middle, right = st.columns(3)
kind = left.selectbox("Kỳ báo cáo", list(compiled.PERIOD_KINDS), format_func=compiled.PERIOD_KINDS.get, key="ky")
year = middle.selectbox("Năm", list(range(years[1], years[0] - 1, -1)), key="nam_bc")
part, start, end = 1, None, None
if kind in ("Q", "T"):
    part = right.selectbox("Quý" if kind == "Q" else "Tháng", list(range(1, 5 if kind == "Q" else 13)), key="phan")
if kind == "window":
    window = right.date_input("Từ ngày – đến ngày", (date(year, 1, 1), date(year, 12, 31)), format="DD/MM/YYYY")
    start, end = (window[0], window[-1]) if window else (None, None)
try:
    period = compiled.parse_period(compiled.period_code(kind, year, part, start, end))
except ValueError as exc:
    st.error(md_escape(exc))
    st.stop()

scope = compiled.Scope(period, filters.provinces, filters.agencies, filters.groups)
if filters.units == "current":
    st.info("Báo cáo tổng hợp ghi số liệu theo đơn vị đã báo cáo (như văn bản nguồn), không gộp theo đơn vị hiện nay.")
st.markdown(f"**Kỳ:** {md_escape(period.full)}")
if st.button("Tạo báo cáo", type="primary", icon=":material/description:"):
    with st.spinner("Đang tổng hợp…"):
        report, document, workbook = generate(warehouse_path(), scope)
    st.session_state["bao_cao_tong_hop"] = (scope, report.title(), document, workbook)

made = st.session_state.get("bao_cao_tong_hop")
if made and made[0] == scope:
    _, title, document, workbook = made
    stem = compiled.file_stem(scope)
    st.success(f"Đã tạo: {md_escape(title)}")
    one, two = st.columns(2)
    one.download_button("Tải báo cáo (.docx)", document, f"{stem}.docx", key="tai_docx", icon=":material/download:",
                        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")  # fmt: skip
    two.download_button("Tải phụ lục số liệu (.xlsx)", workbook, f"{stem}.xlsx", key="tai_xlsx",
                        icon=":material/download:",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
