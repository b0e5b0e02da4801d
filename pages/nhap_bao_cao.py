"""Nhập báo cáo: editors upload, review, correct and publish; everyone else only reads."""

import logging
import os
import secrets
import time

import streamlit as st

from dashboard import auth, importing, review, ui, views
from dashboard.db import warehouse_path
from dashboard.filters import Filters
from dashboard.formatting import md_escape

ui.page_filters()
st.title("Nhập báo cáo")
stored_hash = auth.configured_hash(st.secrets)
labels = dict(zip(ui.options().indicators["code"], ui.options().indicators["label_vi"], strict=True))


def history() -> None:
    st.subheader("Lịch sử sửa đổi")
    log = ui.corrections()
    if log.empty:
        st.caption("Chưa có sửa đổi nào.")
    else:
        st.dataframe(log, hide_index=True, width="stretch")


if stored_hash is None:  # how to enable it is in the README and the server log, not on screen
    logging.getLogger("dashboard").info("import page disabled: set EDITOR_PASSWORD_HASH (python -m dashboard.auth)")
    st.info("Chức năng nhập báo cáo chưa được bật. Liên hệ quản trị hệ thống để được cấp quyền nhập báo cáo.")
    history()
    st.stop()


def client_address() -> str | None:
    """The client's address as Streamlit sees it (None on localhost); behind a proxy, the last
    entry of the header named by EDITOR_CLIENT_HEADER (e.g. X-Forwarded-For) set by that proxy."""
    header = os.environ.get("EDITOR_CLIENT_HEADER")
    try:
        address = st.context.headers.get(header, "").split(",")[-1].strip() if header else st.context.ip_address
    except Exception:  # noqa: BLE001 - no client context (tests, bare mode): an unknown address
        return None
    return address if isinstance(address, str) and address else None


def try_sign_in(name: str, password: str, stored: str) -> None:
    """Check the password unless this session or address is locked out; wait longer after each failure."""
    session = st.session_state.setdefault("phien_dang_nhap", secrets.token_hex(16))
    keys = auth.client_keys(session, client_address())
    locked = auth.GUARD.locked_for(keys)
    if locked:
        st.error(f"Đã nhập sai mật khẩu quá nhiều lần; đăng nhập tạm khóa. Thử lại sau {auth.wait_text(locked)}.")
        return
    if not name:
        st.error("Cần nhập họ tên biên tập viên.")
        return
    if auth.verify_password(password, stored):
        auth.GUARD.succeeded(keys)
        st.session_state["bien_tap_vien"] = name
        st.rerun()
    time.sleep(auth.GUARD.failed(keys))
    st.error("Sai mật khẩu.")


editor = st.session_state.get("bien_tap_vien")
if not editor:
    with st.form("dang_nhap"):
        name = st.text_input("Họ tên biên tập viên", key="ho_ten", max_chars=80)
        password = st.text_input("Mật khẩu", type="password", key="mat_khau")
        signed_in = st.form_submit_button("Đăng nhập")
    if signed_in:
        try_sign_in(auth.editor_name(name), password, stored_hash)
    history()
    st.stop()

st.caption(f"Đang đăng nhập: {md_escape(editor)}")
if st.button("Đăng xuất", key="dang_xuat"):
    st.session_state.pop("bien_tap_vien")
    st.rerun()

upload_tab, fix_tab, log_tab = st.tabs(["Tải lên báo cáo mới", "Sửa số liệu đã công bố", "Lịch sử sửa đổi"])

with upload_tab:
    limit_mb = importing.max_upload_bytes() // (1024 * 1024)
    # No type=[...]: Streamlit would raise on any other name before this page runs; the page says why instead.
    files = st.file_uploader(f"Chọn tệp báo cáo ({', '.join(importing.EXTENSIONS)}; tối đa {limit_mb} MB mỗi tệp)",
                             accept_multiple_files=True, key="tai_len")  # fmt: skip
    uploads, refused = importing.accepted([importing.Upload(f.name, f.getvalue()) for f in files or []])
    for name in refused:
        st.error(f"{md_escape(name)}: không nhận loại tệp này — chỉ nhận {', '.join(importing.EXTENSIONS)}.")
    rows = ui.preview_uploads(uploads)
    for row in rows:
        if row["type"] == "error":
            st.error(md_escape(row["error"]))
        elif row["type"] == "duplicate":
            st.warning(f"{md_escape(row['file'])}: đã có trong kho (trùng nội dung với "
                       f"{md_escape(row['duplicate_of'])}) — sẽ không nhập lại.")  # fmt: skip
    staged = [r for r in rows if r["type"] == "staged"]
    for row in staged:
        with st.expander(f"{md_escape(row['file'])} — {len(row['facts'])} số liệu", expanded=True):
            review.metadata_form(row["sha256"][:12], row["sha256"], row["meta"])
            st.dataframe(review.facts_preview(row["facts"], labels), hide_index=True, width="stretch")
            facts = ui.staged_facts(row)
            review.fact_form("moi_" + row["sha256"][:12], row["sha256"], facts, labels)
            review.mention_form("moi_" + row["sha256"][:12], row["sha256"], ui.staged_mentions(row), labels)
    if staged:
        mine = [c for c in review.pending() if c["doc_sha256"] in {r["sha256"] for r in staged}]
        if mine:
            st.dataframe(review.pending_table(), hide_index=True, width="stretch")
        if st.button(f"Công bố {len(staged)} báo cáo", type="primary", key="cong_bo"):
            ready = [u for u in uploads if any(r["file"] == u.name for r in staged)]
            result = importing.publish(ready, [ui.correction_payload(c) for c in mine], editor, warehouse_path())
            ui.show_etl_result(result)
            review.pending().clear()

with fix_tab:
    docs = ui.documents(Filters())
    if docs.empty:
        st.info("Kho dữ liệu chưa có văn bản nào.")
    else:
        names = dict(zip(docs["doc_id"], views.citations(docs, 90), strict=True))
        doc_id = st.selectbox("Văn bản", docs["doc_id"], key="van_ban_sua", format_func=lambda d: names.get(d, d))
        meta, facts = ui.document(doc_id)
        review.metadata_form("cu", meta["sha256"], meta)
        review.fact_form("cu", meta["sha256"], facts[facts["role"] == "primary"], labels)
        review.mention_form("cu", meta["sha256"], ui.mentions(doc_id), labels)
        mine = [c for c in review.pending() if c["doc_sha256"] == meta["sha256"]]
        if mine:
            st.dataframe(review.pending_table(meta["sha256"]), hide_index=True, width="stretch")
            if st.button(f"Lưu {len(mine)} sửa đổi và dựng lại kho", type="primary", key="luu_sua"):
                result = importing.correct([ui.correction_payload(c) for c in mine], editor, warehouse_path())
                ui.show_etl_result(result)
                for c in mine:
                    review.pending().remove(c)

with log_tab:
    history()
