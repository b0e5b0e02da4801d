"""Nhập báo cáo: editors upload, review, correct and publish; everyone else only reads."""

import streamlit as st

from dashboard import auth, importing, review, ui
from dashboard.db import warehouse_path
from dashboard.filters import Filters

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


if stored_hash is None:
    st.info(
        "Chức năng nhập báo cáo chưa được bật. Quản trị viên tạo mã băm của mật khẩu biên tập bằng "
        "`python -m dashboard.auth`, rồi đặt nó vào biến môi trường `EDITOR_PASSWORD_HASH` "
        "(hoặc `editor_password_hash` trong `.streamlit/secrets.toml`) và khởi động lại ứng dụng."
    )
    history()
    st.stop()

editor = st.session_state.get("bien_tap_vien")
if not editor:
    with st.form("dang_nhap"):
        name = st.text_input("Họ tên biên tập viên", key="ho_ten")
        password = st.text_input("Mật khẩu", type="password", key="mat_khau")
        signed_in = st.form_submit_button("Đăng nhập")
    if signed_in:
        if name.strip() and auth.verify_password(password, stored_hash):
            st.session_state["bien_tap_vien"] = name.strip()
            st.rerun()
        st.error("Sai mật khẩu hoặc chưa nhập họ tên.")
    history()
    st.stop()

st.caption(f"Đang đăng nhập: {editor}")
if st.button("Đăng xuất", key="dang_xuat"):
    st.session_state.pop("bien_tap_vien")
    st.rerun()

upload_tab, fix_tab, log_tab = st.tabs(["Tải lên báo cáo mới", "Sửa số liệu đã công bố", "Lịch sử sửa đổi"])

with upload_tab:
    limit_mb = importing.max_upload_bytes() // (1024 * 1024)
    files = st.file_uploader(f"Chọn tệp báo cáo (.txt, .md, .docx, .pdf; tối đa {limit_mb} MB mỗi tệp)",
                             type=["txt", "md", "docx", "pdf"], accept_multiple_files=True, key="tai_len")  # fmt: skip
    uploads = [importing.Upload(f.name, f.getvalue()) for f in files or []]
    rows = ui.preview_uploads(uploads)
    for row in rows:
        if row["type"] == "error":
            st.error(row["error"])
        elif row["type"] == "duplicate":
            st.warning(
                f"{row['file']}: đã có trong kho (trùng nội dung với {row['duplicate_of']}) — sẽ không nhập lại."
            )
    staged = [r for r in rows if r["type"] == "staged"]
    for row in staged:
        with st.expander(f"{row['file']} — {len(row['facts'])} số liệu", expanded=True):
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
        doc_id = st.selectbox("Văn bản", docs["doc_id"], key="van_ban_sua")
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
