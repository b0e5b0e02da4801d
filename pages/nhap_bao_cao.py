"""Nhập báo cáo: editors upload, review, correct and publish; everyone else only reads."""

import streamlit as st

from dashboard import auth, data, review, sidebar
from dashboard.formatting import md_escape

sidebar.page_filters()
st.title("Nhập báo cáo")
indicators = data.options().indicators
labels = dict(zip(indicators["code"], indicators["label_vi"], strict=True))
report_types = data.vocabulary().report_types

editor = review.editor(auth.configured_hash(st.secrets))
if not editor:
    review.history(labels, report_types)
    st.stop()

st.caption(f"Đang đăng nhập: {md_escape(editor)}")
if st.button("Đăng xuất", key="dang_xuat"):
    st.session_state.pop("bien_tap_vien")
    st.rerun()

upload_tab, fix_tab, log_tab = st.tabs(["Tải lên báo cáo mới", "Sửa số liệu đã công bố", "Lịch sử sửa đổi"])
with upload_tab:
    review.upload_tab(editor, labels, report_types)
with fix_tab:
    review.fix_tab(editor, labels, report_types)
with log_tab:
    review.history(labels, report_types)
