"""Tổng quan: the latest key figures of each province, with their period and change."""

import streamlit as st

from dashboard import ui, views
from dashboard.formatting import md_escape

filters = ui.page_filters()
st.title("Tổng quan")
st.caption("Số liệu mới nhất của mỗi tỉnh; mức thay đổi so với kỳ trước có cùng độ dài.")

cards = views.kpi_cards(ui.latest_facts(filters, views.KPI_INDICATORS, per_indicator=24))
if not cards:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
    st.stop()
without = [p for p in views.sorted_provinces(filters.provinces or ui.options().provinces) if p not in cards]

for province, items in cards.items():
    st.subheader(md_escape(province))  # names come from reports and editors: text, never Markdown
    columns = st.columns(3)
    for i, card in enumerate(items):
        with columns[i % 3]:
            st.metric(md_escape(card.label), card.value, delta=card.delta, delta_color=card.delta_color, border=True,
                      help=f"Nguồn: {md_escape(card.document)}")  # fmt: skip
            st.caption(f"{card.period}" + (f" · {card.note}" if card.note else "")
                       + (f" · {card.finding}: xem Chất lượng dữ liệu" if card.finding else ""))  # fmt: skip
if without:
    names = md_escape(", ".join(without))
    st.caption(f"Không báo cáo các chỉ tiêu chính trong phạm vi lọc: {names} — xem trang Tra cứu.")
