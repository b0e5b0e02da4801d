"""Số liệu báo cáo — page config, the filters every page shares, and navigation."""

from __future__ import annotations

import logging

import duckdb
import streamlit as st

from dashboard import chrome, data, sidebar
from dashboard.db import warehouse_path
from dashboard.pages import PAGES

log = logging.getLogger("dashboard")
st.set_page_config(page_title="Số liệu báo cáo", page_icon="📊", layout="wide", menu_items={})
st.html(chrome.page_html(), unsafe_allow_javascript=True)


def main() -> None:
    if not data.has_warehouse():
        log.warning("no warehouse at %s: run `make run` or `python -m etl build`", warehouse_path())
        st.title("Số liệu báo cáo")
        st.error("Chưa có kho dữ liệu. Vui lòng báo quản trị hệ thống dựng kho dữ liệu từ các báo cáo đã nhận.")
        st.stop()

    sidebar.set_page_filters(sidebar.sidebar_filters(data.options()))
    st.sidebar.caption(sidebar.build_caption())
    pages = [st.Page(p.file, title=p.title, icon=p.icon, default=k == 0) for k, p in enumerate(PAGES)]
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
