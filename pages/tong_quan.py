"""Tổng quan: the latest key figures of each province in scope, with their period, change and trend;
a province without key figures shows which it did not report and the figures it did."""

import streamlit as st

from dashboard import data, figures, kpis, sidebar, tables, views
from dashboard.formatting import md_escape

filters = sidebar.page_filters()
st.title("Tổng quan")
st.caption("Số liệu mới nhất của mỗi tỉnh; mức thay đổi so với kỳ trước có cùng độ dài; "
           "đường nhỏ là các kỳ gần đây.")  # fmt: skip

key_figures = data.vocabulary().kpis
indicators = data.options().indicators
full_labels = dict(zip(indicators["code"], indicators["label_vi"], strict=True))
provinces = kpis.sorted_provinces(filters.provinces or data.options(filters.units).provinces)
view = views.overview(filters, tuple(provinces))
cards, linked = view.cards, view.findings
slots = kpis.kpi_slots(cards)  # the same figure sits in the same place for every province
PER_ROW = 4


def draw(card: kpis.Card | None, code: str, label: str) -> None:
    """One card of the grid: value, change, sparkline, then its period and marks inside the border;
    its tooltip names it whole (a narrow card cuts the label)."""
    with st.container(border=True, height=230):
        if card is None:
            st.metric(md_escape(label), "—", help=kpis.card_help(label, full_labels.get(code, "")))
            st.caption(figures.NOT_REPORTED)
            return
        st.metric(md_escape(card.label), card.value, delta=card.delta, delta_color=card.delta_color,
                  delta_arrow=card.delta_arrow, help=kpis.card_help(card.label, card.full_label, card.document),
                  chart_data=list(card.trend) or None, chart_type="line")  # fmt: skip
        st.caption(md_escape(card.period) + (f" · {md_escape(card.note)}" if card.note else ""))
        if card.finding and card.fact_id in linked:
            st.page_link("pages/chat_luong.py", label=f"{card.finding}: xem phát hiện",
                         query_params={"phat_hien": linked[card.fact_id]})  # fmt: skip


shown = [p for p in provinces if p in cards]
if len(shown) > kpis.PROVINCES_AT_ONCE:  # a national view draws a few provinces' grids at a time, not 63
    groups = kpis.province_groups(shown)
    part = st.segmented_control("Nhóm tỉnh", list(groups), key="nhom_tinh", default=next(iter(groups)))
    st.caption(f"{len(shown)} tỉnh có chỉ tiêu chính, mỗi lần hiện {kpis.PROVINCES_AT_ONCE} tỉnh: chọn nhóm ở trên, "
               "hoặc chọn tỉnh ở bộ lọc bên trái.")  # fmt: skip
    shown = groups.get(part) or next(iter(groups.values()))
for province in shown:
    st.subheader(md_escape(province))  # names come from reports and editors: text, never Markdown
    by_code = {c.indicator: c for c in cards[province]}
    for start in range(0, len(slots), PER_ROW):
        for column, (code, label) in zip(st.columns(PER_ROW), slots[start : start + PER_ROW], strict=False):
            with column:
                draw(by_code.get(code), code, label)

without = [p for p in provinces if p not in cards]
others = view.others
if not cards and others.empty:
    st.info("Không có số liệu nào phù hợp với bộ lọc đang chọn.")
    st.stop()
reporting, silent = kpis.split_reporting(without, others)
if reporting:
    if cards:
        st.subheader("Các tỉnh chưa có chỉ tiêu chính")
    st.info(md_escape(kpis.unreported_text(reporting, list(key_figures.values()))))
    st.dataframe(others, hide_index=True, width="stretch", column_config={
        "Chỉ tiêu": st.column_config.TextColumn(width=tables.text_width(others["Chỉ tiêu"], high=380)),
        "Văn bản": st.column_config.TextColumn(width="large")})  # fmt: skip
if silent and cards:
    st.caption(f"Không có số liệu nào trong phạm vi lọc: {md_escape(', '.join(silent))} — xem trang Tra cứu.")
