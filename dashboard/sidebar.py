"""The sidebar's shared filters, bound to the URL so a copied link opens the same view, and how
app.py hands them to the page it runs."""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from dashboard import comparison, data, queries
from dashboard.filters import Filters
from dashboard.formatting import md_code, md_escape, vn_datetime, vn_sorted

FILTER_KEYS = ("tinh", "nam", "co_quan", "loai", "nhom")
UNITS = {"reported": "Như báo cáo", "current": "Theo đơn vị hiện nay"}
RENAMED = "doi_ten_trong_duong_dan"  # session key: the former names a link carried and what they became


def _units() -> str:
    raw = st.query_params.get_all("don_vi")
    if any(v not in UNITS.values() for v in raw):
        st.sidebar.warning("Đã bỏ qua giá trị không hợp lệ trong đường dẫn (Đơn vị hành chính).")
    return st.sidebar.radio(
        "Đơn vị hành chính", list(UNITS), format_func=UNITS.get, key="don_vi", bind="query-params",
        help="Từ 01/07/2025 nhiều tỉnh sáp nhập; từ 01/03/2025 Sở TT&TT hợp nhất vào Sở KH&CN. "
        "'Theo đơn vị hiện nay' gộp số liệu cũ vào đơn vị mới và đánh dấu thời điểm thay đổi trên biểu đồ.",
    )  # fmt: skip


def ignored_in_link(key: str, valid: list[str], label: str) -> str | None:
    """What to say about values of ``?key=`` in the link that are not among ``valid`` (the labels
    a list shows), which a bound widget drops silently; None when every value is understood."""
    bad = [v for v in st.query_params.get_all(key) if v not in valid]
    if not bad:
        return None
    shown = ", ".join(md_code(v[:40]) for v in bad[:3])  # the link's text, never its Markdown or a link
    return f"Đã bỏ qua giá trị không hợp lệ trong đường dẫn ({label}): {shown}"


def _ignore_invalid(key: str, valid: list[str], label: str) -> None:
    """Say which values in the link were not understood; the widget then drops them."""
    notice = ignored_in_link(key, valid, label)
    if notice:
        st.sidebar.warning(notice)


def _as_today(key: str, kind: str, valid: list[str]) -> list[str]:
    """Under today's units, a former name in the link (``?tinh=Trà Vinh``) is chosen as the unit
    it joined (Vĩnh Long), once per link, with a notice while that unit stays chosen; the former
    names understood so (not 'invalid') are returned."""
    raw = st.query_params.get_all(key)
    chosen, moved = comparison.as_current_units(raw, data.cached(queries.unit_changes), kind)
    renamed: dict[str, tuple[tuple[str, ...], list]] = st.session_state.setdefault(RENAMED, {})
    link, done = renamed.get(key, ((), []))
    if moved and link != tuple(raw):  # a link not seen yet: choose today's units once
        renamed[key] = (tuple(raw), moved)
        done = moved
        st.session_state[key] = [v for v in chosen if v in valid]  # a bound widget is set through its state
    shown = [(old, new, since) for old, new, since in done if new in st.session_state.get(key, [])]
    if shown:
        st.sidebar.info("Theo đơn vị hiện nay, " + "; ".join(
            f"{md_escape(old)} nay thuộc {md_escape(new)} (từ {since})" for old, new, since in shown) +
            ": bộ lọc chọn đơn vị hiện nay.")  # fmt: skip
    return [old for old, _, _ in moved]


def _multiselect(label: str, key: str, values: list[str], fmt: Callable[[str], str] = str,
                 kind: str | None = None) -> tuple[str, ...]:  # fmt: skip
    """A list filter bound to the URL; ``kind`` (under today's units): former names map to today's."""
    understood = _as_today(key, kind, [fmt(v) for v in values]) if kind else []
    _ignore_invalid(key, [fmt(v) for v in values] + understood, label)  # the URL holds the labels shown
    chosen = st.sidebar.multiselect(
        label, values, key=key, bind="query-params", format_func=fmt, placeholder="Tất cả",
        select_all=False,
    )
    return tuple(chosen)


def _years(bounds: tuple[int, int] | None) -> tuple[int | None, int | None]:
    if bounds is None:
        return None, None
    low, high = bounds
    raw = st.query_params.get_all("nam")
    if any(not v.isdigit() or not low <= int(v) <= high for v in raw):
        shown = ", ".join(md_code(v[:12]) for v in raw[:2])
        st.sidebar.warning(f"Đã bỏ qua năm không hợp lệ trong đường dẫn: {shown}")
    if low == high:
        st.sidebar.caption(f"Năm: {low}")
        return low, high
    picked = st.sidebar.slider("Năm", low, high, (low, high), key="nam", bind="query-params")
    return int(picked[0]), int(picked[1])


def sidebar_filters(opts: queries.Options) -> Filters:
    """The shared filters; their values live in the URL so a copied link opens the same view."""
    st.sidebar.header("Bộ lọc")
    units = _units()
    if units == "current":
        opts = data.options("current")
    types = data.vocabulary().report_types
    today = units == "current"
    provinces = _multiselect("Tỉnh, thành phố", "tinh", vn_sorted(opts.provinces), kind="province" if today else None)
    year_from, year_to = _years(opts.years)
    agencies = _multiselect("Cơ quan", "co_quan", vn_sorted(opts.agencies), kind="agency" if today else None)
    chosen_types = _multiselect("Loại báo cáo", "loai", opts.report_types, lambda t: types.get(t, t))
    groups = _multiselect("Nhóm chỉ tiêu", "nhom", list(opts.groups), lambda g: opts.groups.get(g, g))
    return Filters(provinces, year_from, year_to, agencies, chosen_types, groups, units)


def build_caption() -> str:
    build = data.latest_build()
    if not build:
        return ""
    built = vn_datetime(build["finished_at"])
    return f"Kho dữ liệu dựng lúc {built} · {build['documents']} văn bản · {build['facts']} số liệu"


_run = threading.local()


def set_page_filters(filters: Filters) -> None:
    """app.py hands this run's filters to the page it runs next (same thread, same run)."""
    _run.filters = filters


def page_filters() -> Filters:
    """This run's filters; a page opened without app.py (Streamlit's first run of a deep link
    when a pages/ folder exists) draws the sidebar itself."""
    filters = getattr(_run, "filters", None)
    _run.filters = None
    if filters is None:
        _leave_pages_folder_mode()
        filters = sidebar_filters(data.options())
    return filters


def _leave_pages_folder_mode() -> None:
    """Streamlit runs a fresh server's first request in 'pages/ folder' mode when that folder
    exists, skipping app.py: this page then draws the filters itself, and the flag is cleared so
    later runs go through app.py (``python -m dashboard.serve`` clears it before the first).
    This reaches into Streamlit's internals (PagesManager), the one place that does."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the flag: nothing to leave
        return
    PagesManager.uses_pages_directory = False
