"""Streamlit pieces pages share: the evidence box, the explorer's columns and the Excel buttons.
Every value from a URL, a file, a report or a finding goes through ``md_escape``."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from dashboard import data, queries, reader, tables, trends
from dashboard.excel import export_filename, facts_workbook, findings_workbook, rows_csv
from dashboard.figures import finding_mark
from dashboard.filters import Filters
from dashboard.formatting import QUALIFIER_LABELS, citation, md_escape, original_name, value_with_unit, vn_number

EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row
EXCEL_AT_ONCE = 5_000  # up to this many rows the file is built with the page; above, on request


def explorer_columns(values: pd.Series, labels: pd.Series | None = None) -> dict:
    """Chỉ tiêu, Giá trị, Đơn vị and Kỳ fit on screen first; Chỉ tiêu as wide as its longest name
    (up to 400 px) and Giá trị as its longest figure (never cut); the source sentence gets the room it needs."""
    return {
        "Chỉ tiêu": st.column_config.TextColumn("Chỉ tiêu", width=300 if labels is None else
                                                tables.text_width(labels, low=200, high=400)),  # fmt: skip
        "Giá trị": st.column_config.NumberColumn("Giá trị", help="Số liệu như văn bản ghi",
                                                 width=tables.value_width(values)),  # fmt: skip
        "Kỳ": st.column_config.TextColumn("Kỳ", width=130),
        "Ghi chú": st.column_config.TextColumn("Ghi chú", width=110, help="hơn, khoảng · đã sửa, đã loại · lỗi"),
        "Văn bản": st.column_config.TextColumn("Văn bản", width="large"),
        "Trích dẫn": st.column_config.TextColumn("Câu nguồn", width=700),
    }


def text_columns(table: pd.DataFrame, wide: tuple[str, ...] = (), fitted: tuple[str, ...] = ()) -> dict:
    """Column widths so a table's texts read whole: ``wide`` columns (a citation, a sentence) get
    the grid's large width, ``fitted`` ones the width of their longest value."""
    config = {k: st.column_config.TextColumn(k, width="large") for k in wide if k in table}
    config |= {k: st.column_config.TextColumn(k, width=tables.text_width(table[k], high=320)) for k in fitted
               if k in table}  # fmt: skip
    return config


def contradictions(rows: pd.DataFrame) -> None:
    """Two year-to-date figures whose difference is negative: said as a finding (with a link to
    the check's finding when there is one), never drawn as a figure."""
    for row in rows.to_dict("records"):
        st.warning(md_escape(trends.contradiction_text(row)), icon=":material/error:")
        linked = data.fact_findings([f for f in row["fact_ids"] if f])
        if linked:
            st.page_link("pages/chat_luong.py", label="Xem phát hiện", icon=":material/arrow_forward:",
                         query_params={"phat_hien": next(iter(linked.values()))})  # fmt: skip


def figure_text(row: dict) -> str:
    """'khoảng 30.000 hồ sơ': the value with its unit, after the word that qualifies it in the report."""
    words = QUALIFIER_LABELS.get(str(row.get("qualifier") or ""), "")
    value = value_with_unit(row["value"], row["unit"], row.get("denominator"), row.get("kind"))
    return f"{words} {value}" if words and words != QUALIFIER_LABELS["sum"] else value


def evidence(fact_id: str) -> None:
    """The figure's source sentence with the figure highlighted, under the report's citation name."""
    row = data.cached(queries.fact, fact_id)
    if row is None:
        st.info("Không tìm thấy số liệu này trong kho dữ liệu hiện tại.")
        return
    where = f" · trang {int(row['page'])}" if pd.notna(row.get("page")) else ""
    status = {"corrected": " · :orange[đã sửa]", "rejected": " · :red[đã loại]"}.get(row.get("status"), "")
    with st.container(border=True):
        label, province = (md_escape(row[k]) for k in ("label_vi", "province"))
        value = md_escape(figure_text(row))
        mark = finding_mark(row.get("finding_severity"), row.get("finding_label"))
        flagged = f" · :red[{md_escape(mark)}]" if mark else ""
        st.markdown(f"**{label}**: {value} — {province}{status}{flagged}")
        uploaded = original_name(row.get("file_name"))  # the name it was uploaded under, never a stored hash
        named = f" · tệp {md_escape(uploaded)}" if uploaded else ""
        st.caption(f"Nguồn: {md_escape(citation(row, None))}{where}{named}")
        st.markdown(reader.evidence_markdown(row["sentence"], row["quote"]))


def _built_at() -> object:
    build = data.latest_build()
    return build["finished_at"] if build else None


def findings_excel_button(rows: pd.DataFrame, filters: Filters, names: dict[str, str] | None = None,
                          view: tuple[tuple[str, str], ...] = ()) -> None:  # fmt: skip
    """The findings on screen and the figures they rest on (one query for all) as an Excel file,
    made when the button is clicked, not with every run of the page; ``view``: the page's own
    choices, recorded in 'Thông tin' and the file name."""
    evidence_rows = data.cached(queries.findings_evidence, list(rows["finding_id"]))
    built = _built_at()
    st.download_button(
        f"Tải Excel ({len(rows)} phát hiện)",
        data=lambda: findings_workbook(rows, evidence_rows, filters, built, names, view),
        file_name=export_filename("Chất lượng dữ liệu", filters, date.today(), view),
        mime=EXCEL_MIME, key="excel_phat_hien", icon=":material/download:", disabled=rows.empty,
    )  # fmt: skip


def excel_button(df: pd.DataFrame, filters: Filters, what: str = "Số liệu", key: str = "excel",
                 view: tuple[tuple[str, str], ...] = ()) -> None:  # fmt: skip
    """Download the rows on screen as an Excel file named for what, which view and when (``view``:
    the page's search and choices, also recorded in 'Thông tin'). A large export is built only
    when asked, with a progress bar; one too large for Excel is offered as CSV."""
    name = export_filename(what, filters, date.today(), view)
    if len(df) > EXCEL_MAX_ROWS:
        st.warning(f"{vn_number(len(df))} dòng vượt giới hạn {vn_number(EXCEL_MAX_ROWS)} dòng của Excel: "
                   "thu hẹp bộ lọc, hoặc tải tệp CSV (mở được bằng Excel theo từng phần).")  # fmt: skip
        st.download_button(f"Tải CSV ({vn_number(len(df))} dòng)", data=rows_csv(df),
                           file_name=name.removesuffix(".xlsx") + ".csv", mime="text/csv", key=key + "_csv",
                           icon=":material/download:")  # fmt: skip
        return
    if len(df) > EXCEL_AT_ONCE and not st.session_state.get(key + "_lam"):
        st.button(f"Chuẩn bị tệp Excel ({vn_number(len(df))} dòng)", key=key + "_chuan_bi", icon=":material/table:",
                  on_click=lambda: st.session_state.update({key + "_lam": True}))  # fmt: skip
        return
    built = _built_at()
    if len(df) > EXCEL_AT_ONCE:
        bar = st.progress(0.0, text=f"Đang tạo tệp Excel ({vn_number(len(df))} dòng)…")
        workbook = facts_workbook(df, filters, built, datetime.now(), progress=bar.progress, view=view)
        bar.empty()
        st.session_state.pop(key + "_lam", None)
    else:  # made when the button is clicked, not with every run of the page
        workbook = lambda: facts_workbook(df, filters, built, datetime.now(), view=view)  # noqa: E731
    st.download_button(f"Tải Excel ({vn_number(len(df))} dòng)", data=workbook, file_name=name, mime=EXCEL_MIME,
                       key=key, icon=":material/download:", disabled=df.empty)  # fmt: skip
