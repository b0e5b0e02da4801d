"""Báo cáo số liệu — page config and navigation; the pages live in pages/."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.db import connect, warehouse_path
from dashboard.formatting import vn_date

st.set_page_config(page_title="Số liệu báo cáo", page_icon="📊", layout="wide")
st.title("Số liệu báo cáo của các sở, ngành")

if not warehouse_path().exists():
    st.error(f"Chưa có kho dữ liệu ({warehouse_path()}). Chạy `make run` hoặc `python -m etl build`.")
    st.stop()

con = connect()
docs = queries.documents(con)
build = queries.latest_build(con)
con.close()

st.caption(f"Kho dữ liệu dựng lúc {vn_date(build['finished_at'].iloc[0])} — {len(docs)} văn bản")
table = docs.assign(
    period_start=docs["period_start"].map(vn_date),
    period_end=docs["period_end"].map(vn_date),
    report_date=docs["report_date"].map(vn_date),
)[["file_name", "province", "agency", "report_type", "period_label", "period_start", "period_end", "facts"]]
table.columns = ["Tệp", "Tỉnh", "Cơ quan", "Loại báo cáo", "Kỳ báo cáo", "Từ ngày", "Đến ngày", "Số liệu"]
st.dataframe(table, hide_index=True, width="stretch")
