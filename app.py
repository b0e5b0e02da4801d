"""Số liệu báo cáo — page config, the filters every page shares, and navigation."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.db import warehouse_path
from dashboard.formatting import md_escape

st.set_page_config(page_title="Số liệu báo cáo", page_icon="📊", layout="wide")

if not ui.has_warehouse():
    st.title("Số liệu báo cáo")
    st.error(
        f"Chưa có kho dữ liệu ({md_escape(warehouse_path())}). Chạy `make run` hoặc `python -m etl build` để dựng kho."
    )
    st.stop()

options = ui.options()
ui.set_page_filters(ui.sidebar_filters(options))
st.sidebar.caption(ui.build_caption())

pages = [
    st.Page("pages/tong_quan.py", title="Tổng quan", icon=":material/dashboard:", default=True),
    st.Page("pages/xu_huong.py", title="Xu hướng", icon=":material/trending_up:"),
    st.Page("pages/so_sanh.py", title="So sánh", icon=":material/compare_arrows:"),
    st.Page("pages/tra_cuu.py", title="Tra cứu", icon=":material/table_view:"),
    st.Page("pages/van_ban.py", title="Văn bản", icon=":material/description:"),
    st.Page("pages/chat_luong.py", title="Chất lượng dữ liệu", icon=":material/fact_check:"),
    st.Page("pages/theo_doi.py", title="Theo dõi nộp báo cáo", icon=":material/event_available:"),
    st.Page("pages/nhap_bao_cao.py", title="Nhập báo cáo", icon=":material/upload_file:"),
]
st.navigation(pages).run()
