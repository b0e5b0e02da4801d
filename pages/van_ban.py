"""Văn bản: the loaded reports with their coverage; open one to read it with every extracted
figure marked, and on request the measured numbers no indicator took."""

import pandas as pd
import streamlit as st

from dashboard import data, figures, queries, reader, sidebar, tables, widgets
from dashboard.formatting import citation, md_escape, original_name, period_short

filters = sidebar.page_filters()
st.title("Văn bản")
docs = data.cached(queries.documents, filters)
if docs.empty:
    st.info("Không có văn bản nào phù hợp với bộ lọc đang chọn.")
    st.stop()

listing = tables.documents_table(docs)
st.dataframe(listing, hide_index=True, width="stretch", column_config=widgets.text_columns(
    listing, wide=("Văn bản",), fitted=("Cơ quan", "Loại báo cáo", "Kỳ báo cáo", "Độ phủ")))  # fmt: skip
names = dict(zip(docs["doc_id"], figures.citations(docs, None), strict=True))
links = dict(zip(docs["doc_id"], docs["link_id"], strict=True))
# the link holds the report's short id (an old link's stored file name still opens it); the picker its name
asked = st.query_params.get("van_ban")
asked_id = next((d for d, link in links.items() if link == asked), asked)
ids = list(docs["doc_id"])
doc_id = st.selectbox("Mở văn bản", ids, index=ids.index(asked_id) if asked_id in ids else None, key="van_ban_chon",
                      format_func=lambda d: names.get(d, "Văn bản"), placeholder="Chọn văn bản để đọc")  # fmt: skip
if doc_id:
    st.query_params["van_ban"] = links[doc_id]
elif asked is not None and asked_id not in ids:
    st.warning("Đường dẫn nêu một văn bản không có trong phạm vi lọc hiện tại.")
if doc_id:
    meta, found = data.cached(queries.document, doc_id)
    if meta is None:
        st.warning("Văn bản không còn trong kho dữ liệu.")
        st.stop()
    st.subheader(md_escape(citation(meta, None)))  # the report's own words, shown as text
    period = period_short(meta["period_start"], meta["period_end"]) if pd.notna(meta["period_end"]) else "không rõ kỳ"
    uploaded = original_name(meta["file_name"])  # the name it was uploaded under, never the stored, hashed one
    named = f" · Tệp: {md_escape(uploaded)}" if uploaded else ""
    st.caption(
        f"{md_escape(meta['report_type_label'] or meta['report_type'])} · Kỳ báo cáo: {md_escape(period)} · "
        f"{len(found)} số liệu · {reader.coverage_caption(meta)}{named}"
    )
    st.caption("Số liệu được tô vàng, tên chỉ tiêu ghi ở nhãn nhỏ ngay sau; rê chuột lên để xem đầy đủ.")
    show_unassigned = st.toggle("Hiện số liệu chưa gán chỉ tiêu", key="chua_gan", bind="query-params",
                                help="Những số đo đếm trong văn bản mà chưa chỉ tiêu nào nhận.")  # fmt: skip
    unassigned = data.cached(queries.mentions, doc_id) if show_unassigned else None
    with st.container(border=True):
        st.html(reader.marked_html(meta["text"], found, unassigned))
    if unassigned is not None:
        st.subheader("Số liệu chưa gán chỉ tiêu")
        if unassigned.empty:
            st.caption("Mọi số liệu đo đếm của văn bản đã được gán chỉ tiêu.")
        else:
            st.caption(f"{len(unassigned)} số liệu, tô :violet-background[màu tím] trong văn bản ở trên.")
            listed = tables.mentions_table(unassigned)
            st.dataframe(listed, hide_index=True, width="stretch", column_config=widgets.text_columns(
                listed, wide=("Trích dẫn",), fitted=("Đơn vị đo", "Lý do chưa gán")))  # fmt: skip
