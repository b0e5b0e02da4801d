"""The import page (Nhập báo cáo): signing in, uploads read by the ETL, the editor's review
tools — correct a document's metadata or one figure, or give a figure no indicator took its
indicator, always with a reason — publishing, and the corrections history.

Corrections wait in the session as ``Pending`` (the protocol's request, with the words the page
shows) until the editor publishes or saves them; the ETL's answers are the protocol's replies
(contract/messages.py), read by their fields.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from contract.messages import (
    BuildWarning,
    Corrected,
    CorrectionRequest,
    DocumentFields,
    Duplicate,
    Failed,
    Published,
    Reply,
    Staged,
    StagedFact,
    StagedMention,
)
from dashboard import auth, data, figures, importing, queries
from dashboard.changes import change_text, target_text
from dashboard.db import warehouse_path
from dashboard.filters import Filters
from dashboard.formatting import citation, md_escape, period_text, vn_datetime, vn_value
from dashboard.reader import quote_in_context

PENDING = "sua_doi_cho"  # the corrections recorded, not yet applied
RESULT = "ket_qua_ap_dung"  # what the last publish or save did, shown on the next run
UPLOADS_DONE = "lan_cong_bo"  # how many publishes this session made (the uploader's key)


def parse_vn_number(text: str) -> float:
    """'1.234' -> 1234, '12,5' -> 12.5, '40' -> 40: how officials type numbers."""
    t = text.strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "")
    return float(t.replace(",", "."))


@dataclass(frozen=True, slots=True)
class Pending:
    """A correction recorded, not yet applied: what the ETL will be asked, and how the page says it."""

    request: CorrectionRequest
    label: str  # the figure or 'Thông tin văn bản'
    change: str  # the change in words
    pending_id: str

    @property
    def target(self) -> tuple[str | None, str | None, str]:
        return self.request.doc_sha256, self.request.fact_key, self.request.field


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the last publish or save did, kept for the next run of the tab it was asked from."""

    tab: str
    replies: list[Reply]
    applied: list[str]  # the corrections applied, in words


def pending() -> list[Pending]:
    return st.session_state.setdefault(PENDING, [])


def stage(request: CorrectionRequest, label: str, change: str) -> None:
    """Add a correction to the pending list; one per figure (or report) and field, the latest
    replacing an earlier one, so recording twice never logs a change twice."""
    made = Pending(request, label, change, secrets.token_hex(6))
    pending()[:] = [*(c for c in pending() if c.target != made.target), made]


def unstage(pending_id: str) -> None:
    """Drop one pending correction (its remove button) before anything is written."""
    pending()[:] = [c for c in pending() if c.pending_id != pending_id]


def _pending_for(doc_sha256s: set[str] | None) -> list[Pending]:
    return [c for c in pending() if doc_sha256s is None or c.request.doc_sha256 in doc_sha256s]


def _date(value: object) -> date | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    return pd.Timestamp(value).date()


def _text(value: object, field: str) -> str | None:
    if field in ("period_start", "period_end", "as_of"):
        d = _date(value)
        return d.isoformat() if d else None
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


_META_WIDGETS = {"province": "tinh", "agency": "cq", "report_type": "loai", "period_label": "ky",
                 "period_start": "tu", "period_end": "den"}  # field -> widget key  # fmt: skip


def _meta_values(meta: dict, types: list[str]) -> dict[str, object]:
    """The form's fields as the document has them (what an empty form shows)."""
    return {
        "province": meta.get("province") or "", "agency": meta.get("agency") or "",
        "report_type": meta.get("report_type") if meta.get("report_type") in types else "khac",
        "period_label": meta.get("period_label") or "",
        "period_start": _date(meta.get("period_start")), "period_end": _date(meta.get("period_end")),
    }  # fmt: skip


def _meta_key(key: str, doc_sha256: str, meta: dict) -> str:
    """The form's widget keys: per document and per state of its metadata, so a form never shows
    another document's fields or, after publishing, the fields as they were before."""
    seen = repr(sorted((k, str(meta.get(k))) for k in _META_WIDGETS))
    return f"{key}_{hashlib.sha1((doc_sha256 + seen).encode()).hexdigest()[:8]}"  # noqa: S324 - a name


def _reset_meta(key: str, values: dict[str, object]) -> None:
    state = st.session_state
    for field, widget in _META_WIDGETS.items():
        state[f"{widget}_{key}"] = values[field]
    state[f"ly_do_meta_{key}"] = ""


def _record_meta(key: str, doc_sha256: str, meta: dict, report_types: dict[str, str]) -> None:
    """The metadata form's submit: stage each changed field with the reason, then show the
    document's own values again (the form empties, as the figure form does)."""
    state = st.session_state
    values = _meta_values(meta, list(report_types))
    new = {field: _text(state.get(f"{widget}_{key}"), field) for field, widget in _META_WIDGETS.items()}
    old = {k: _text(meta.get(k), k) for k in new}
    changed = {k: v for k, v in new.items() if (v or None) != (old[k] or None)}
    why = (state.get(f"ly_do_meta_{key}") or "").strip()
    if not changed:
        _notice(f"meta_{key}", "info", "Không có thay đổi.")
        return
    if not why:
        _notice(f"meta_{key}", "error", "Cần ghi lý do sửa.")
        return
    for field, value in changed.items():
        request = CorrectionRequest(field=field, doc_sha256=doc_sha256, old_value=old[field], new_value=value, why=why)
        stage(request, "Thông tin văn bản", change_text(field, old[field], value, {}, report_types))
    _notice(f"meta_{key}", "success", f"Đã ghi nhận {len(changed)} sửa đổi; bấm nút lưu/công bố để áp dụng.")
    _reset_meta(key, values)


def metadata_form(key: str, doc_sha256: str, meta: dict, report_types: dict[str, str]) -> None:
    """Fields of the document's metadata; a changed field becomes a correction with its reason
    (``report_types``: code -> label, from the warehouse); the form empties after each record."""
    types = list(report_types)
    key = _meta_key(key, doc_sha256, meta)
    for field, value in _meta_values(meta, types).items():  # the document's values until the editor types
        st.session_state.setdefault(f"{_META_WIDGETS[field]}_{key}", value)
    with st.form(f"meta_{key}"):
        c1, c2, c3 = st.columns(3)
        c1.text_input("Tỉnh, thành phố", key=f"tinh_{key}")
        c2.text_input("Cơ quan", key=f"cq_{key}")
        c3.selectbox("Loại báo cáo", types, format_func=report_types.get, key=f"loai_{key}")
        d1, d2, d3 = st.columns(3)
        d1.text_input("Kỳ báo cáo", key=f"ky_{key}")
        d2.date_input("Từ ngày", None, format="DD/MM/YYYY", key=f"tu_{key}")
        d3.date_input("Đến ngày", None, format="DD/MM/YYYY", key=f"den_{key}")
        st.text_input("Lý do sửa thông tin văn bản", key=f"ly_do_meta_{key}")
        st.form_submit_button("Ghi nhận sửa thông tin văn bản", on_click=_record_meta,
                              args=(key, doc_sha256, meta, report_types))  # fmt: skip
    _show_notice(f"meta_{key}")


def _describe(row: dict, labels: dict[str, str]) -> str:
    quote = " ".join(str(row["quote"]).split())[:60]
    return (
        f"{labels.get(row['indicator'], row['indicator'])} = {vn_value(row['value'], row.get('unit', ''))} · «{quote}»"
    )


_FACT_DATES = {"period_start": "tu_ngay", "period_end": "den_ngay", "as_of": "tai_ngay"}  # field -> widget key


def _changes(row: dict, value: str, indicator: str, reject: bool, dates: dict[str, date | None]) -> list[tuple]:
    """(field, old, new) for each change asked for; ValueError if the value is not a number."""
    changes = []
    if value.strip():
        changes.append(("value", str(row["value"]), str(parse_vn_number(value))))
    if indicator:
        changes.append(("indicator", row["indicator"], indicator))
    for field, day in dates.items():
        if day is not None and day != _date(row.get(field)):
            changes.append((field, _text(row.get(field), field), day.isoformat()))
    if reject:
        changes.append(("status", row.get("status") or "extracted", "rejected"))
    return changes


def _notice(key: str, kind: str, text: str) -> None:
    """A message for the form's next run (callbacks run before the page draws)."""
    st.session_state[f"thong_bao_{key}"] = (kind, text)


def _show_notice(key: str) -> None:
    kind, text = st.session_state.pop(f"thong_bao_{key}", (None, ""))
    if kind == "success":
        st.success(text)
    elif kind == "error":
        st.error(text)
    elif kind == "info":
        st.info(text)


def _clear_fact_form(key: str) -> None:
    """Empty the form after a record, so a ticked 'Loại bỏ' or a typed value never carries over."""
    state = st.session_state
    state[f"gia_tri_{key}"], state[f"chi_tieu_moi_{key}"] = "", ""
    state[f"loai_bo_{key}"], state[f"ly_do_{key}"] = False, ""
    for widget in _FACT_DATES.values():
        state[f"{widget}_{key}"] = None


def _asked_changes(key: str, row: dict) -> list[tuple] | None:
    """The changes the form asks for, or None after telling the editor why they cannot be recorded."""
    state = st.session_state
    dates = {field: state.get(f"{widget}_{key}") for field, widget in _FACT_DATES.items()}
    value = state.get(f"gia_tri_{key}") or ""
    try:
        changes = _changes(row, value, state.get(f"chi_tieu_moi_{key}") or "", state.get(f"loai_bo_{key}"), dates)
    except ValueError:
        _notice(key, "error", f"Giá trị không phải là số: {md_escape(repr(value))}")
        return None
    if len(changes) > 1 and changes[-1][0] == "status":  # rejected and corrected at once: ambiguous
        _notice(key, "error", "Loại bỏ số liệu là một sửa đổi riêng: bỏ chọn «Loại bỏ» hoặc để trống các ô sửa khác.")
        return None
    if not changes or not (state.get(f"ly_do_{key}") or "").strip():
        _notice(key, "error", "Cần ghi lý do sửa." if changes else "Không có thay đổi.")
        return None
    return changes


def _record_fact(key: str, doc_sha256: str, rows: dict[str, dict], labels: dict[str, str]) -> None:
    """The form's submit: stage each change of the chosen figure, then empty the form."""
    chosen = st.session_state.get(f"so_lieu_{key}")
    row = rows[chosen]
    changes = _asked_changes(key, row)
    if changes is None:
        return
    why, unit = st.session_state[f"ly_do_{key}"].strip(), str(row.get("unit") or "")
    for field, old, new in changes:
        request = CorrectionRequest(field=field, doc_sha256=doc_sha256, fact_key=chosen, old_value=old,
                                    new_value=new, why=why)  # fmt: skip
        stage(request, _describe(row, labels), change_text(field, old, new, labels, unit=unit))
    _notice(key, "success", f"Đã ghi nhận {len(changes)} sửa đổi; bấm nút lưu/công bố để áp dụng.")
    _clear_fact_form(key)


def fact_form(key: str, doc_sha256: str, facts: pd.DataFrame, labels: dict[str, str]) -> None:
    """Pick a figure; give a new value, indicator, period or date, or reject it; say why."""
    if facts.empty:
        st.info("Văn bản này chưa có số liệu nào.")
        return
    rows = {r["fact_key"]: r for r in facts.to_dict("records")}
    with st.form(f"fact_{key}"):
        st.selectbox("Số liệu cần sửa", list(rows), format_func=lambda k: _describe(rows[k], labels),
                     key=f"so_lieu_{key}")  # fmt: skip
        c1, c2, c3 = st.columns([1, 2, 1])
        c1.text_input("Giá trị mới (để trống nếu giữ nguyên)", key=f"gia_tri_{key}")
        keep = "— giữ nguyên —"
        c2.selectbox("Chỉ tiêu mới (nếu sai chỉ tiêu)", ["", *labels],
                     format_func=lambda c: labels.get(c, keep), key=f"chi_tieu_moi_{key}")  # fmt: skip
        c3.checkbox("Loại bỏ số liệu này", key=f"loai_bo_{key}")
        d1, d2, d3 = st.columns(3)
        d1.date_input("Kỳ mới: từ ngày", None, format="DD/MM/YYYY", key=f"tu_ngay_{key}")
        d2.date_input("Kỳ mới: đến ngày", None, format="DD/MM/YYYY", key=f"den_ngay_{key}")
        d3.date_input("Số liệu tại ngày (mới)", None, format="DD/MM/YYYY", key=f"tai_ngay_{key}")
        st.caption("Ô để trống giữ nguyên. Sau mỗi lần ghi nhận, biểu mẫu được làm trống.")
        st.text_input("Lý do", key=f"ly_do_{key}")
        st.form_submit_button("Ghi nhận sửa số liệu", on_click=_record_fact, args=(key, doc_sha256, rows, labels))
    _show_notice(key)


def _describe_mention(row: dict) -> str:
    """'19 sở · «… tổng cộng có 19 sở, ngành …» · why': the figure by its words, the words around
    it telling apart two alike in one sentence (never character offsets)."""
    start, sentence_start = row.get("char_start"), row.get("sentence_start")
    near = None if figures.absent(start) or figures.absent(sentence_start) else int(start) - int(sentence_start)
    words = quote_in_context(row.get("sentence"), row["quote"], near)
    return f"{vn_value(row['value'])} {row['measure']} · {words} · {row['reason']}"


def mention_names(rows: dict[str, dict]) -> dict[str, str]:
    """Each unassigned figure's name in the picker; two that read alike get '(lần 2)'."""
    names: dict[str, str] = {}
    for key, row in rows.items():
        name = _describe_mention(row)
        seen = sum(1 for n in names.values() if n == name or n.startswith(name + " (lần "))
        names[key] = f"{name} (lần {seen + 1})" if seen else name
    return names


def _record_mention(key: str, doc_sha256: str, rows: dict[str, dict], names: dict[str, str],
                    labels: dict[str, str]) -> None:  # fmt: skip
    """The assignment form's submit: stage it, then empty the form (the figure stays picked)."""
    state = st.session_state
    chosen, indicator = state.get(f"chua_gan_{key}"), state.get(f"gan_chi_tieu_{key}") or ""
    why = (state.get(f"ly_do_gan_{key}") or "").strip()
    if not indicator or not why:
        _notice(f"gan_{key}", "error", "Cần chọn chỉ tiêu để gán." if not indicator else "Cần ghi lý do gán chỉ tiêu.")
        return
    row = rows[chosen]
    old = f"{vn_value(row['value'])} {row['measure']}".strip()
    request = CorrectionRequest(field="assign", doc_sha256=doc_sha256, fact_key=chosen, old_value=old,
                                new_value=indicator, why=why)  # fmt: skip
    stage(request, names[chosen], change_text("assign", old, indicator, labels))
    _notice(f"gan_{key}", "success", "Đã ghi nhận gán chỉ tiêu; bấm nút lưu/công bố để áp dụng.")
    state[f"gan_chi_tieu_{key}"], state[f"ly_do_gan_{key}"] = "", ""


def mention_form(key: str, doc_sha256: str, mentions: pd.DataFrame, labels: dict[str, str]) -> None:
    """Pick a figure no indicator took; give it an indicator and say why. Stored as an assignment
    (field ``assign`` on its span), which every build replays: the figure becomes a fact."""
    st.markdown("**Gán chỉ tiêu cho số liệu chưa gán**")
    if mentions.empty:
        st.caption("Văn bản này không có số liệu nào chưa gán chỉ tiêu.")
        return
    rows = {r["mention_key"]: r for r in mentions.to_dict("records")}
    names = mention_names(rows)
    with st.form(f"gan_{key}"):
        st.selectbox("Số liệu chưa gán", list(rows), format_func=names.get, key=f"chua_gan_{key}")
        st.selectbox("Chỉ tiêu", ["", *labels], format_func=lambda c: labels.get(c, "— chọn chỉ tiêu —"),
                     key=f"gan_chi_tieu_{key}")  # fmt: skip
        st.text_input("Lý do", key=f"ly_do_gan_{key}")
        st.form_submit_button("Ghi nhận gán chỉ tiêu", on_click=_record_mention,
                              args=(key, doc_sha256, rows, names, labels))  # fmt: skip
    _show_notice(f"gan_{key}")


def pending_table(doc_sha256s: set[str] | None = None) -> pd.DataFrame:
    """The pending corrections in words: the figure, what will change, why."""
    return pd.DataFrame(
        [{"Đối tượng": c.label, "Thay đổi": c.change, "Lý do": c.request.why} for c in _pending_for(doc_sha256s)],
        columns=["Đối tượng", "Thay đổi", "Lý do"],
    )


def pending_list(doc_sha256s: set[str]) -> None:
    """The corrections waiting to be applied, each with a button removing it before publishing."""
    mine = _pending_for(doc_sha256s)
    if not mine:
        return
    st.markdown(f"**Sửa đổi chờ áp dụng ({len(mine)})**")
    widths = [4, 3, 3, 1]
    for column, heading in zip(st.columns(widths), ["Số liệu", "Thay đổi", "Lý do", ""], strict=True):
        column.caption(heading)
    for c in mine:
        target, change, why, remove = st.columns(widths, vertical_alignment="center")
        target.markdown(md_escape(c.label))
        change.markdown(md_escape(c.change))
        why.markdown(md_escape(c.request.why))
        remove.button("Bỏ", key=f"bo_{c.pending_id}", help="Bỏ sửa đổi này (chưa ghi gì vào kho)",
                      on_click=unstage, args=(c.pending_id,))  # fmt: skip


def facts_preview(facts: tuple[StagedFact, ...], labels: dict[str, str]) -> pd.DataFrame:
    """The extracted figures of an upload, for review."""
    return pd.DataFrame(
        [
            {
                "Chỉ tiêu": labels.get(f.indicator, f.indicator),
                "Giá trị": vn_value(f.value, f.unit),
                "Đơn vị": f.unit,
                "Kỳ": period_text(f.period_start, f.period_end, f.as_of),
                "Vai trò": "chính" if f.role == "primary" else "giá trị khác",
                "Trích dẫn": " ".join(f.quote.split()),
            }
            for f in facts
        ]
    )


def history_table(log: pd.DataFrame, labels: dict[str, str], report_types: dict[str, str]) -> pd.DataFrame:
    """The corrections log as the page shows it: when, who, which report and figure, what changed
    in words, why."""
    if log.empty:
        return log
    records = log.to_dict("records")
    return pd.DataFrame(
        {
            "Thời điểm": [vn_datetime(t) for t in log["made_at"]],
            "Người sửa": log["who"],
            "Văn bản": [citation(r, 60) if isinstance(r["doc_id"], str) else "" for r in records],
            "Số liệu": [target_text(r["fact_key"], labels) for r in records],
            "Thay đổi": [
                change_text(r["field"], r["old_value"], r["new_value"], labels, report_types, r.get("unit") or "")
                for r in records
            ],
            "Lý do": log["why"],
            "Áp dụng": [_applied_text(r) for r in records],
        }
    )


def _applied_text(row: dict) -> str:
    """Whether a correction applied; one that followed its figure to a new span says so."""
    if not row["applied"]:
        return "không (số liệu không còn)"
    moved = row.get("applied_key")
    return "có (số liệu được dò lại sau khi cách trích xuất thay đổi)" if isinstance(moved, str) and moved else "có"


def history(labels: dict[str, str], report_types: dict[str, str]) -> None:
    st.subheader("Lịch sử sửa đổi")
    log = history_table(data.cached(queries.corrections), labels, report_types)
    if log.empty:
        st.caption("Chưa có sửa đổi nào.")
    else:
        st.dataframe(log, hide_index=True, width="stretch")


def preview_uploads(uploads: list[importing.Upload]) -> list[Reply]:
    """The ETL's reading of each upload, kept for the session so a rerun does not redo it."""
    cache = st.session_state.setdefault("xem_truoc", {})
    rows = []
    for upload in uploads:
        key = (upload.name, hashlib.sha256(upload.data).hexdigest())
        if key not in cache:
            cache[key] = importing.preview([upload], warehouse_path())
        rows += cache[key]
    return rows


def _table(records: tuple[StagedFact, ...] | tuple[StagedMention, ...], kind: type) -> pd.DataFrame:
    """Staged records as the forms' table, one column per field (the warehouse's names)."""
    return pd.DataFrame([asdict(r) for r in records], columns=list(kind.__dataclass_fields__))


def staged_facts(row: Staged) -> pd.DataFrame:
    return _table(row.facts, StagedFact)


def staged_mentions(row: Staged) -> pd.DataFrame:
    """An upload's measured numbers no indicator took, as the ETL's preview lists them."""
    return _table(row.mentions, StagedMention)


def staged_meta(meta: DocumentFields) -> dict[str, object]:
    """An upload's metadata in the shape the metadata form reads a warehouse document in."""
    return {"province": meta.province, "agency": meta.agency, "report_type": meta.report_type,
            "period_label": meta.period_label, "period_start": meta.period_start,
            "period_end": meta.period_end}  # fmt: skip


def etl_warning_text(warning: BuildWarning) -> str:
    """One Vietnamese line for a warning the ETL emitted: a skipped line of the corrections log
    (the file and line it concerns, and why), or a correction whose figure the report no longer
    has (the report by its citation, never its stored name)."""
    file_name, message = Path(warning.file).name, warning.message.strip()
    if warning.doc_id:
        return f"Cảnh báo — {known_report(warning.doc_id)}: {message or 'không rõ lý do'}"
    where = "" if not file_name or message.startswith(file_name) else f"{file_name}: "
    return f"Cảnh báo — {where}{message or 'không rõ lý do'}"


def show_etl_result(rows: list[Reply]) -> None:
    """The ETL's answer to a publish or a correction: errors, warnings (one line each), success."""
    for r in (r for r in rows if isinstance(r, Failed)):
        st.error(md_escape(r.error))  # the ETL's message names the uploaded file
    for r in (r for r in rows if isinstance(r, BuildWarning)):
        st.warning(md_escape(etl_warning_text(r)))
    for r in (r for r in rows if isinstance(r, Published | Corrected)):
        stored = len(r.stored) if isinstance(r, Published) else 0
        st.success(f"Đã lưu: {stored} tệp, {r.corrections} sửa đổi; kho dữ liệu đã dựng lại.")
    st.session_state.pop("xem_truoc", None)


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


def editor(stored_hash: str | None) -> str | None:
    """The signed-in editor's name; otherwise the page's explanation or sign-in form (and None)."""
    if stored_hash is None:  # how to enable it is in the README and the server log, not on screen
        logging.getLogger("dashboard").info("import page disabled: set EDITOR_PASSWORD_HASH (python -m dashboard.auth)")
        st.info("Chức năng nhập báo cáo chưa được bật. Liên hệ quản trị hệ thống để được cấp quyền nhập báo cáo.")
        return None
    name = st.session_state.get("bien_tap_vien")
    if name:
        return name
    with st.form("dang_nhap"):
        typed = st.text_input("Họ tên biên tập viên", key="ho_ten", max_chars=80)
        password = st.text_input("Mật khẩu", type="password", key="mat_khau")
        signed_in = st.form_submit_button("Đăng nhập")
    if signed_in:
        try_sign_in(auth.editor_name(typed), password, stored_hash)
    return None


def known_report(doc_id: str) -> str:
    """The report an upload duplicates, as officials cite it (its stored file name is a hash)."""
    meta, _ = data.cached(queries.document, str(doc_id))
    return citation(meta, None) if meta else "một báo cáo đã có trong kho"


def _upload_messages(rows: list[Reply]) -> None:
    for row in rows:
        if isinstance(row, Failed):
            st.error(md_escape(row.error))
        elif isinstance(row, Duplicate):
            st.warning(f"{md_escape(row.file)}: đã có trong kho (trùng nội dung với "
                       f"{md_escape(known_report(row.duplicate_of))}) — sẽ không nhập lại.")  # fmt: skip


def _review_staged(row: Staged, labels: dict[str, str], report_types: dict[str, str]) -> None:
    with st.expander(f"{md_escape(row.file)} — {len(row.facts)} số liệu", expanded=True):
        metadata_form(row.sha256[:12], row.sha256, staged_meta(row.meta), report_types)
        st.dataframe(facts_preview(row.facts, labels), hide_index=True, width="stretch")
        fact_form("moi_" + row.sha256[:12], row.sha256, staged_facts(row), labels)
        mention_form("moi_" + row.sha256[:12], row.sha256, staged_mentions(row), labels)


def _uploader_key() -> str:
    """The uploader's key: a new one after each publish empties it (Streamlit cannot clear it)."""
    generation = st.session_state.get(UPLOADS_DONE, 0)
    return "tai_len" if not generation else f"tai_len_{generation}"


def _finish(rows: list[Reply], sent: list[Pending], tab: str) -> None:
    """Keep the ETL's answer and what it applied for the next run, drop what was applied from the
    pending list (and the published files from the uploader), and draw the page again from the
    rebuilt warehouse: the review and its button are gone, the sidebar's counts are new."""
    done = any(isinstance(r, Published | Corrected) for r in rows)
    applied = [f"{c.label} — {c.change}" for c in sent] if done else []
    st.session_state[RESULT] = Outcome(tab, rows, applied)
    if done:
        ids = {c.pending_id for c in sent}
        pending()[:] = [c for c in pending() if c.pending_id not in ids]
        if tab == "tai_len":
            st.session_state[UPLOADS_DONE] = st.session_state.get(UPLOADS_DONE, 0) + 1
    st.session_state.pop("xem_truoc", None)
    st.rerun()


def show_result(tab: str) -> None:
    """What the last publish or save did, once, on the tab it was asked from."""
    result = st.session_state.get(RESULT)
    if not isinstance(result, Outcome) or result.tab != tab:
        return
    del st.session_state[RESULT]
    show_etl_result(result.replies)
    if result.applied:
        st.markdown("**Đã áp dụng:**\n" + "\n".join(f"- {md_escape(text)}" for text in result.applied))


def upload_tab(name: str, labels: dict[str, str], report_types: dict[str, str]) -> None:
    """Upload, review and publish new reports."""
    show_result("tai_len")
    limit_mb = min(importing.max_upload_bytes() // (1024 * 1024), st.get_option("server.maxUploadSize"))
    # No type=[...]: Streamlit would raise on any other name before this page runs; the page says why instead.
    files = st.file_uploader(f"Chọn tệp báo cáo ({', '.join(importing.EXTENSIONS)}; tối đa {limit_mb} MB mỗi tệp)",
                             accept_multiple_files=True, key=_uploader_key())  # fmt: skip
    uploads, refused = importing.accepted([importing.Upload(f.name, f.getvalue()) for f in files or []])
    for refused_name in refused:
        st.error(f"{md_escape(refused_name)}: không nhận loại tệp này — chỉ nhận {', '.join(importing.EXTENSIONS)}.")
    rows = preview_uploads(uploads)
    _upload_messages(rows)
    staged = [r for r in rows if isinstance(r, Staged)]
    for row in staged:
        _review_staged(row, labels, report_types)
    if not staged:
        return
    shas = {r.sha256 for r in staged}
    pending_list(shas)
    if st.button(f"Công bố {len(staged)} báo cáo", type="primary", key="cong_bo"):
        mine = _pending_for(shas)
        ready = [u for u in uploads if any(r.file == u.name for r in staged)]
        replies = importing.publish(ready, [c.request for c in mine], name, warehouse_path())
        _finish(replies, mine, "tai_len")


def fix_tab(name: str, labels: dict[str, str], report_types: dict[str, str]) -> None:
    """Correct a published document's metadata or figures, then rebuild."""
    show_result("sua")
    docs = data.cached(queries.documents, Filters())
    if docs.empty:
        st.info("Kho dữ liệu chưa có văn bản nào.")
        return
    names = dict(zip(docs["doc_id"], figures.citations(docs, 90), strict=True))
    doc_id = st.selectbox("Văn bản", docs["doc_id"], key="van_ban_sua", format_func=lambda d: names.get(d, d))
    meta, facts = data.cached(queries.document, doc_id)
    metadata_form("cu", meta["sha256"], meta, report_types)
    fact_form("cu", meta["sha256"], facts[facts["role"] == "primary"], labels)
    mention_form("cu", meta["sha256"], data.cached(queries.mentions, doc_id), labels)
    mine = _pending_for({meta["sha256"]})
    if not mine:
        return
    pending_list({meta["sha256"]})
    if st.button(f"Lưu {len(mine)} sửa đổi và dựng lại kho", type="primary", key="luu_sua"):
        replies = importing.correct([c.request for c in mine], name, warehouse_path())
        _finish(replies, mine, "sua")
