"""Tổng quan: the latest key figures of each province in scope, with their period, change and trend."""

import streamlit as st

from dashboard import data, figures, kpis, sidebar
from dashboard.formatting import md_escape

filters = sidebar.page_filters()
st.title("Tổng quan")
st.caption("Số liệu mới nhất của mỗi tỉnh; mức thay đổi so với kỳ trước có cùng độ dài; "
           "đường nhỏ là các kỳ gần đây.")  # fmt: skip

cards = kpis.kpi_cards(data.latest_facts(filters, tuple(data.vocabulary().kpis), per_indicator=24))
if not cards:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
    st.stop()
provinces = kpis.sorted_provinces(filters.provinces or data.options().provinces)
slots = kpis.kpi_slots(cards)  # the same figure sits in the same place for every province
linked = data.fact_findings([c.fact_id for items in cards.values() for c in items if c.finding])
PER_ROW = 4


def draw(card: kpis.Card | None, label: str) -> None:
    """One card of the grid: value, change, sparkline, then its period and marks inside the border."""
    with st.container(border=True, height=230):
        if card is None:
            st.metric(md_escape(label), "—")
            st.caption(figures.NOT_REPORTED)
            return
        st.metric(md_escape(card.label), card.value, delta=card.delta, delta_color=card.delta_color,
                  delta_arrow=card.delta_arrow, help=f"Nguồn: {md_escape(card.document)}",
                  chart_data=list(card.trend) or None, chart_type="line")  # fmt: skip
        st.caption(md_escape(card.period) + (f" · {md_escape(card.note)}" if card.note else ""))
        if card.finding and card.fact_id in linked:
            st.page_link("pages/chat_luong.py", label=f"{card.finding}: xem phát hiện",
                         query_params={"phat_hien": linked[card.fact_id]})  # fmt: skip


for province in [p for p in provinces if p in cards]:
    st.subheader(md_escape(province))  # names come from reports and editors: text, never Markdown
    by_code = {c.indicator: c for c in cards[province]}
    for start in range(0, len(slots), PER_ROW):
        for column, (code, label) in zip(st.columns(PER_ROW), slots[start : start + PER_ROW], strict=False):
            with column:
                draw(by_code.get(code), label)
without = [p for p in provinces if p not in cards]
if without:
    names = md_escape(", ".join(without))
    st.caption(f"Không báo cáo các chỉ tiêu chính trong phạm vi lọc: {names} — xem trang Tra cứu.")
