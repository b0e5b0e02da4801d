"""Văn bản: the loaded reports with their coverage; open one to read it with every extracted
figure marked, and on request the measured numbers no indicator took."""

import streamlit as st

from dashboard import ui, views
from dashboard.formatting import md_escape, report_type_label, vn_date

filters = ui.page_filters()
st.title("Văn bản")
docs = ui.documents(filters)
if docs.empty:
    st.info("Không có văn bản nào phù hợp với bộ lọc đang chọn.")
    st.stop()

st.dataframe(views.documents_table(docs), hide_index=True, width="stretch")
doc_id = st.selectbox("Mở văn bản", docs["doc_id"], index=None, key="van_ban", bind="query-params",
                      placeholder="Chọn văn bản để đọc")  # fmt: skip
if doc_id:
    meta, found = ui.document(doc_id)
    if meta is None:
        st.warning("Văn bản không còn trong kho dữ liệu.")
        st.stop()
    st.subheader(md_escape(meta["title"] or meta["file_name"]))  # the report's own words, shown as text
    province, agency, period = (md_escape(meta[k]) for k in ("province", "agency", "period_label"))
    st.caption(
        f"{province or 'Không rõ tỉnh'} · {agency or 'Không rõ cơ quan'} · "
        f"{md_escape(report_type_label(meta['report_type']))} · {period or 'không rõ kỳ'} "
        f"({vn_date(meta['period_start'])} – {vn_date(meta['period_end'])}) · {len(found)} số liệu · "
        + views.coverage_caption(meta)
    )
    show_unassigned = st.toggle("Hiện số liệu chưa gán chỉ tiêu", key="chua_gan", bind="query-params",
                                help="Những số đo đếm trong văn bản mà chưa chỉ tiêu nào nhận.")  # fmt: skip
    unassigned = ui.mentions(doc_id) if show_unassigned else None
    with st.container(border=True, height=700):
        st.markdown(views.marked_text(meta["text"], found, unassigned))
    if unassigned is not None:
        st.subheader("Số liệu chưa gán chỉ tiêu")
        if unassigned.empty:
            st.caption("Mọi số liệu đo đếm của văn bản đã được gán chỉ tiêu.")
        else:
            st.caption(f"{len(unassigned)} số liệu, đánh dấu :violet-background[màu tím] trong văn bản ở trên.")
            st.dataframe(views.mentions_table(unassigned), hide_index=True, width="stretch")
