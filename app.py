"""Số liệu báo cáo — page config, the filters every page shares, and navigation."""

from __future__ import annotations

import logging

import duckdb
import streamlit as st

from dashboard import chrome, ui
from dashboard.db import warehouse_path

log = logging.getLogger("dashboard")
st.set_page_config(page_title="Số liệu báo cáo", page_icon="📊", layout="wide", menu_items={})
st.html(chrome.page_html(), unsafe_allow_javascript=True)


def main() -> None:
    if not ui.has_warehouse():
        log.warning("no warehouse at %s: run `make run` or `python -m etl build`", warehouse_path())
        st.title("Số liệu báo cáo")
        st.error("Chưa có kho dữ liệu. Vui lòng báo quản trị hệ thống dựng kho dữ liệu từ các báo cáo đã nhận.")
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
        st.Page("pages/bao_cao_tong_hop.py", title="Báo cáo tổng hợp", icon=":material/summarize:"),
        st.Page("pages/nhap_bao_cao.py", title="Nhập báo cáo", icon=":material/upload_file:"),
    ]
    st.navigation(pages).run()


try:
    main()
except duckdb.Error:  # a damaged or half-written warehouse file: officials get what to do, the log the rest
    log.exception("cannot read the warehouse %s", warehouse_path())
    st.error(
        "Không đọc được kho dữ liệu (tệp kho có thể bị hỏng hoặc đang được thay). Vui lòng tải lại trang sau "
        "ít phút; nếu vẫn lỗi, báo quản trị hệ thống dựng lại kho dữ liệu."
    )
except Exception:  # any other failure: a Vietnamese message here, the traceback in the server log
    log.exception("page failed")
    st.error(
        "Trang gặp lỗi khi hiển thị. Vui lòng tải lại trang; nếu lỗi còn, báo quản trị hệ thống "
        "(kèm thời điểm xảy ra lỗi)."
    )
