"""Streamlit pieces every page shares: the cached connection and queries, the sidebar
filters bound to the URL, the evidence box and the Excel button."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard import importing, queries, views
from dashboard.db import connect, warehouse_path, warehouse_version
from dashboard.excel import export_filename, facts_workbook, findings_workbook
from dashboard.filters import Filters
from dashboard.formatting import (
    citation,
    md_escape,
    report_type_label,
    value_with_unit,
    vn_datetime,
    vn_number,
    vn_sorted,
)
from dashboard.views import evidence_markdown

FILTER_KEYS = ("tinh", "nam", "co_quan", "loai", "nhom")


def explorer_columns(values: pd.Series) -> dict:
    """Chỉ tiêu, Giá trị, Đơn vị and Kỳ fit on screen first; Giá trị is as wide as its longest
    figure (never cut); the source sentence gets the room it needs."""
    return {
        "Chỉ tiêu": st.column_config.TextColumn("Chỉ tiêu", width=300),
        "Giá trị": st.column_config.NumberColumn("Giá trị", help="Số liệu như văn bản ghi",
                                                 width=views.value_width(values)),  # fmt: skip
        "Kỳ": st.column_config.TextColumn("Kỳ", width=130),
        "Văn bản": st.column_config.TextColumn("Văn bản", width="large"),
        "Trích dẫn": st.column_config.TextColumn("Câu nguồn", width=700),
    }



class _Shared:
    """One warehouse connection and the sessions' queries running on it.

    A build swaps a new file in while other sessions are still reading the old one, and DuckDB
    refuses to close a connection that is busy (``ResourceInUseException``) — or, when idle,
    closes the cursors a reader is about to use. So a replaced connection is only *retired*;
    the last query still running on it closes it.
    """

    def __init__(self, path: str, version: tuple[int, int]) -> None:
        self.key = (path, version)
        self.con = connect(Path(path))
        self._lock = threading.Lock()
        self._users = 0
        self._retired = False
        self._closed = False

    def enter(self) -> bool:
        """Count one more reader; False once the connection is closed (the caller asks again)."""
        with self._lock:
            if self._closed:
                return False
            self._users += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            last = self._retired and self._users == 0 and not self._closed
            self._closed = self._closed or last
        if last:
            self._close()

    def retire(self) -> None:
        """A newer warehouse is open: close now if nobody reads, else when the last reader leaves."""
        with self._lock:
            self._retired = True
            idle = self._users == 0 and not self._closed
            self._closed = self._closed or idle
        if idle:
            self._close()

    def _close(self) -> None:
        with contextlib.suppress(duckdb.Error):  # never fail a reader over a connection nobody uses
            self.con.close()


_current: _Shared | None = None
_current_lock = threading.Lock()


def _shared() -> _Shared | None:
    """The connection to the warehouse as it is now, opened once per process and per build."""
    global _current
    with _current_lock:
        version = warehouse_version()
        if version is None:
            return None
        key = (str(warehouse_path()), version)
        if _current is None or _current.key != key:
            old, _current = _current, _Shared(*key)
            if old is not None:
                old.retire()
        return _current


def has_warehouse() -> bool:
    """Whether a warehouse is there to read (queries go through ``_cursor``, never the bare connection)."""
    return _shared() is not None


@contextlib.contextmanager
def _cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for one query (safe across the sessions' threads), on a connection
    that stays open until the query is done even if a build swaps a new warehouse in meanwhile."""
    for _ in range(5):  # a swap between looking the connection up and entering it: look again
        shared = _shared()
        if shared is None:
            raise RuntimeError("Chưa có kho dữ liệu")
        if shared.enter():
            break
    else:
        raise RuntimeError("Kho dữ liệu đang được thay liên tục; thử lại sau giây lát")
    try:
        cur = shared.con.cursor()
        try:
            cur.execute("USE wh")
            yield cur
        finally:
            cur.close()
    finally:
        shared.leave()


@st.cache_data(max_entries=8, show_spinner=False)
def _options(version: tuple[int, int], units: str) -> queries.Options:
    with _cursor() as cur:
        return queries.options(cur, units)


@st.cache_data(max_entries=256, show_spinner=False)
def _facts(
    version: tuple[int, int], filters: tuple, indicators: tuple[str, ...], text: str, include_rejected: bool
) -> pd.DataFrame:
    with _cursor() as cur:
        return queries.facts(cur, Filters(*filters), indicators, text, include_rejected=include_rejected)


@st.cache_data(max_entries=128, show_spinner=False)
def _latest(version: tuple[int, int], filters: tuple, indicators: tuple[str, ...], per_indicator: int) -> pd.DataFrame:
    with _cursor() as cur:
        return queries.latest_facts(cur, Filters(*filters), indicators, per_indicator)


@st.cache_data(max_entries=64, show_spinner=False)
def _documents(version: tuple[int, int], filters: tuple) -> pd.DataFrame:
    with _cursor() as cur:
        return queries.documents(cur, Filters(*filters))


@st.cache_data(max_entries=32, show_spinner=False)
def _findings(version: tuple[int, int], filters: tuple) -> pd.DataFrame:
    with _cursor() as cur:
        return queries.findings(cur, Filters(*filters))


@st.cache_data(max_entries=32, show_spinner=False)
def _coverage(version: tuple[int, int], filters: tuple) -> pd.DataFrame:
    with _cursor() as cur:
        return queries.coverage(cur, Filters(*filters))


def findings(filters: Filters) -> pd.DataFrame:
    return _findings(warehouse_version(), dataclasses.astuple(filters))


def coverage(filters: Filters) -> pd.DataFrame:
    return _coverage(warehouse_version(), dataclasses.astuple(filters))


def finding_facts(finding_id: str) -> pd.DataFrame:
    with _cursor() as cur:
        return queries.finding_facts(cur, finding_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _fact_findings(version: tuple[int, int], fact_ids: tuple[str, ...]) -> dict[str, str]:
    with _cursor() as cur:
        found = queries.fact_findings(cur, list(fact_ids))
    return dict(zip(found["fact_id"], found["finding_id"], strict=True))


def fact_findings(fact_ids: list[str]) -> dict[str, str]:
    """fact_id -> the id of its worst open finding, for the facts that have one."""
    return _fact_findings(warehouse_version(), tuple(sorted(fact_ids))) if fact_ids else {}


def reference_indices(provinces: tuple[str, ...] = ()) -> pd.DataFrame:
    with _cursor() as cur:
        return queries.reference_indices(cur, provinces)


def unit_changes() -> pd.DataFrame:
    with _cursor() as cur:
        return queries.unit_changes(cur)


def schedule() -> pd.DataFrame:
    with _cursor() as cur:
        return queries.schedule(cur)


def corrections() -> pd.DataFrame:
    with _cursor() as cur:
        log = queries.corrections(cur)
    if log.empty:
        return log
    return pd.DataFrame(
        {
            "Thời điểm": [vn_datetime(t) for t in log["made_at"]],
            "Người sửa": log["who"],
            "Văn bản": [citation(r, 60) if isinstance(r["doc_id"], str) else "" for r in log.to_dict("records")],
            "Trường": log["field"].replace({"assign": "gán chỉ tiêu"}),
            "Giá trị cũ": log["old_value"],
            "Giá trị mới": log["new_value"],
            "Lý do": log["why"],
            "Áp dụng": ["có" if a else "không (số liệu không còn)" for a in log["applied"]],
        }
    )


def preview_uploads(uploads: list[importing.Upload]) -> list[dict]:
    """The ETL's reading of each upload, kept for the session so a rerun does not redo it."""
    cache = st.session_state.setdefault("xem_truoc", {})
    rows = []
    for upload in uploads:
        key = (upload.name, hashlib.sha256(upload.data).hexdigest())
        if key not in cache:
            cache[key] = importing.preview([upload], warehouse_path())
        rows += cache[key]
    return rows


def staged_facts(row: dict) -> pd.DataFrame:
    return pd.DataFrame(row["facts"]) if row["facts"] else pd.DataFrame(columns=["fact_key"])


def staged_mentions(row: dict) -> pd.DataFrame:
    """An upload's measured numbers no indicator took, as the ETL's preview lists them."""
    cols = ["mention_key", "value", "measure", "quote", "char_start", "char_end", "reason"]
    return pd.DataFrame(row.get("mentions") or [], columns=cols)


def correction_payload(pending: dict) -> dict:
    """A pending correction in the shape `python -m etl correct` reads."""
    return {k: pending.get(k) for k in ("doc_sha256", "fact_key", "field", "old_value", "new_value", "why")}


def etl_warning_text(row: dict) -> str:
    """One Vietnamese line for a warning the ETL emitted (a skipped line of the corrections log):
    the file and line it concerns, and why."""
    file_name, message = Path(str(row.get("file") or "")).name, str(row.get("message") or "").strip()
    where = "" if not file_name or message.startswith(file_name) else f"{file_name}: "
    return f"Cảnh báo — {where}{message or 'không rõ lý do'}"


def show_etl_result(rows: list[dict]) -> None:
    """The ETL's answer to a publish or a correction: errors, warnings (one line each), success."""
    errors = [r for r in rows if r.get("type") == "error"]
    warnings = [r for r in rows if r.get("type") == "warning"]
    done = [r for r in rows if r.get("type") in ("published", "corrected")]
    for r in errors:
        st.error(md_escape(r["error"]))  # the ETL's message names the uploaded file
    for r in warnings:
        st.warning(md_escape(etl_warning_text(r)))
    for r in done:
        stored = len(r.get("stored", []))
        st.success(f"Đã lưu: {stored} tệp, {r.get('corrections', 0)} sửa đổi; kho dữ liệu đã dựng lại.")
    st.session_state.pop("xem_truoc", None)


def options(units: str = "reported") -> queries.Options:
    return _options(warehouse_version(), units)


UNITS = {"reported": "Như báo cáo", "current": "Theo đơn vị hiện nay"}


def _units() -> str:
    raw = st.query_params.get_all("don_vi")
    if any(v not in UNITS.values() for v in raw):
        st.sidebar.warning("Đã bỏ qua giá trị không hợp lệ trong đường dẫn (Đơn vị hành chính).")
    return st.sidebar.radio(
        "Đơn vị hành chính", list(UNITS), format_func=UNITS.get, key="don_vi", bind="query-params",
        help="Từ 01/07/2025 nhiều tỉnh sáp nhập; từ 01/03/2025 Sở TT&TT hợp nhất vào Sở KH&CN. "
        "'Theo đơn vị hiện nay' gộp số liệu cũ vào đơn vị mới và đánh dấu thời điểm thay đổi trên biểu đồ.",
    )  # fmt: skip


def facts(
    filters: Filters, indicators: tuple[str, ...] = (), text: str = "", include_rejected: bool = False
) -> pd.DataFrame:
    """Figures under the filters (cached per warehouse build); rejected ones only when asked."""
    return _facts(warehouse_version(), dataclasses.astuple(filters), tuple(indicators), text, include_rejected)


def latest_facts(filters: Filters, indicators: tuple[str, ...] = (), per_indicator: int = 1) -> pd.DataFrame:
    """The newest figures of each province and indicator (cached per warehouse build)."""
    return _latest(warehouse_version(), dataclasses.astuple(filters), tuple(indicators), per_indicator)


def documents(filters: Filters) -> pd.DataFrame:
    return _documents(warehouse_version(), dataclasses.astuple(filters))


def document(doc_id: str) -> tuple[dict | None, pd.DataFrame]:
    with _cursor() as cur:
        return queries.document(cur, doc_id)


def mentions(doc_id: str) -> pd.DataFrame:
    """A document's measured numbers that no indicator took."""
    with _cursor() as cur:
        return queries.mentions(cur, doc_id)


def fact(fact_id: str) -> dict | None:
    with _cursor() as cur:
        return queries.fact(cur, fact_id)


def latest_build() -> dict | None:
    with _cursor() as cur:
        return queries.latest_build(cur)


def _ignore_invalid(key: str, valid: list[str], label: str) -> None:
    """Say which values in the link were not understood; the widget then drops them."""
    raw = st.query_params.get_all(key)
    bad = [v for v in raw if v not in valid]
    if bad:
        shown = md_escape(", ".join(repr(v[:40]) for v in bad[:3]))  # the link's text, never its Markdown
        st.sidebar.warning(f"Đã bỏ qua giá trị không hợp lệ trong đường dẫn ({label}): {shown}")


def _multiselect(label: str, key: str, values: list[str], fmt: Callable[[str], str] = str) -> tuple[str, ...]:
    _ignore_invalid(key, [fmt(v) for v in values], label)  # the URL holds the labels shown
    chosen = st.sidebar.multiselect(
        label, values, default=[], key=key, bind="query-params", format_func=fmt, placeholder="Tất cả",
        select_all=False,
    )
    return tuple(chosen)


def _years(bounds: tuple[int, int] | None) -> tuple[int | None, int | None]:
    if bounds is None:
        return None, None
    low, high = bounds
    raw = st.query_params.get_all("nam")
    if any(not v.isdigit() or not low <= int(v) <= high for v in raw):
        shown = md_escape(", ".join(repr(v[:12]) for v in raw[:2]))
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
        opts = options("current")
    provinces = _multiselect("Tỉnh, thành phố", "tinh", vn_sorted(opts.provinces))
    year_from, year_to = _years(opts.years)
    agencies = _multiselect("Cơ quan", "co_quan", vn_sorted(opts.agencies))
    types = _multiselect("Loại báo cáo", "loai", opts.report_types, report_type_label)
    groups = _multiselect("Nhóm chỉ tiêu", "nhom", list(opts.groups), lambda g: opts.groups.get(g, g))
    return Filters(provinces, year_from, year_to, agencies, types, groups, units)


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
        filters = sidebar_filters(options())
    return filters


def _leave_pages_folder_mode() -> None:
    """Streamlit runs a fresh server's first request in 'pages/ folder' mode when that folder
    exists, skipping app.py: this page then draws the filters itself, and the flag is cleared so
    later runs go through app.py (``python -m dashboard.serve`` clears it before the first)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the flag: nothing to leave
        return
    PagesManager.uses_pages_directory = False


def evidence(fact_id: str) -> None:
    """The figure's source sentence with the figure highlighted, under the report's citation name."""
    row = fact(fact_id)
    if row is None:
        st.info("Không tìm thấy số liệu này trong kho dữ liệu hiện tại.")
        return
    where = f" · trang {int(row['page'])}" if pd.notna(row.get("page")) else ""
    status = {"corrected": " · :orange[đã sửa]", "rejected": " · :red[đã loại]"}.get(row.get("status"), "")
    with st.container(border=True):
        label, province = (md_escape(row[k]) for k in ("label_vi", "province"))
        value = md_escape(value_with_unit(row["value"], row["unit"], row.get("denominator")))
        st.markdown(f"**{label}**: {value} — {province}{status}")
        st.caption(f"Nguồn: {md_escape(citation(row, None))}{where} · tệp {md_escape(row['file_name'])}")
        st.markdown(evidence_markdown(row["sentence"], row["quote"]))


def findings_excel_button(rows: pd.DataFrame, filters: Filters, names: dict[str, str] | None = None) -> None:
    evidence = pd.concat(
        [finding_facts(fid).assign(row_no=i) for i, fid in enumerate(rows["finding_id"], start=1)] or [pd.DataFrame()]
    )
    build = latest_build()
    st.download_button(
        f"Tải Excel ({len(rows)} phát hiện)",
        data=findings_workbook(rows, evidence, filters, build["finished_at"] if build else None, names),
        file_name=export_filename("Chất lượng dữ liệu", filters, date.today()),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="excel_phat_hien",
        icon=":material/download:",
        disabled=rows.empty,
    )


EXCEL_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row
EXCEL_AT_ONCE = 5_000  # up to this many rows the file is built with the page; above, on request


def excel_button(df: pd.DataFrame, filters: Filters, what: str = "Số liệu", key: str = "excel") -> None:
    """Download the rows on screen as an Excel file named for what and when. A large export is
    built only when asked, with a progress bar; one too large for Excel is offered as CSV."""
    name = export_filename(what, filters, date.today())
    if len(df) > EXCEL_MAX_ROWS:
        st.warning(f"{vn_number(len(df))} dòng vượt giới hạn {vn_number(EXCEL_MAX_ROWS)} dòng của Excel: "
                   "thu hẹp bộ lọc, hoặc tải tệp CSV (mở được bằng Excel theo từng phần).")  # fmt: skip
        st.download_button(f"Tải CSV ({vn_number(len(df))} dòng)", data=df.to_csv(index=False).encode("utf-8-sig"),
                           file_name=name.removesuffix(".xlsx") + ".csv", mime="text/csv", key=key + "_csv",
                           icon=":material/download:")  # fmt: skip
        return
    if len(df) > EXCEL_AT_ONCE and not st.session_state.get(key + "_lam"):
        st.button(f"Chuẩn bị tệp Excel ({vn_number(len(df))} dòng)", key=key + "_chuan_bi", icon=":material/table:",
                  on_click=lambda: st.session_state.update({key + "_lam": True}))  # fmt: skip
        return
    bar = st.progress(0.0, text=f"Đang tạo tệp Excel ({vn_number(len(df))} dòng)…") if len(df) > EXCEL_AT_ONCE else None
    build = latest_build()
    data = facts_workbook(df, filters, build["finished_at"] if build else None, datetime.now(),
                          progress=(lambda done: bar.progress(done)) if bar else None)  # fmt: skip
    if bar:
        bar.empty()
        st.session_state.pop(key + "_lam", None)
    st.download_button(
        f"Tải Excel ({vn_number(len(df))} dòng)",
        data=data,
        file_name=name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
        disabled=df.empty,
    )


def build_caption() -> str:
    build = latest_build()
    if not build:
        return ""
    built = vn_datetime(build["finished_at"])
    return f"Kho dữ liệu dựng lúc {built} · {build['documents']} văn bản · {build['facts']} số liệu"
