"""The editor's review tools: correct a document's metadata or one figure, or give a figure no
indicator took its indicator, always with a reason.

Corrections wait in the session as plain dicts (the shape ``python -m etl correct`` reads)
until the editor publishes or saves them.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.formatting import REPORT_TYPE_LABELS, md_escape, period_text, vn_value

PENDING = "sua_doi_cho"


def parse_vn_number(text: str) -> float:
    """'1.234' -> 1234, '12,5' -> 12.5, '40' -> 40: how officials type numbers."""
    t = text.strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "")
    return float(t.replace(",", "."))


def pending() -> list[dict]:
    return st.session_state.setdefault(PENDING, [])


def _date(value: object) -> date | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    return pd.Timestamp(value).date()


def _text(value: object, field: str) -> str | None:
    if field in ("period_start", "period_end"):
        d = _date(value)
        return d.isoformat() if d else None
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def metadata_form(key: str, doc_sha256: str, meta: dict, indicators_groups: object = None) -> None:
    """Fields of the document's metadata; a changed field becomes a correction with its reason."""
    types = list(REPORT_TYPE_LABELS)
    with st.form(f"meta_{key}"):
        c1, c2, c3 = st.columns(3)
        province = c1.text_input("Tỉnh, thành phố", meta.get("province") or "", key=f"tinh_{key}")
        agency = c2.text_input("Cơ quan", meta.get("agency") or "", key=f"cq_{key}")
        current = meta.get("report_type") if meta.get("report_type") in types else "khac"
        rtype = c3.selectbox("Loại báo cáo", types, index=types.index(current),
                             format_func=REPORT_TYPE_LABELS.get, key=f"loai_{key}")  # fmt: skip
        d1, d2, d3 = st.columns(3)
        label = d1.text_input("Kỳ báo cáo", meta.get("period_label") or "", key=f"ky_{key}")
        start = d2.date_input("Từ ngày", _date(meta.get("period_start")), format="DD/MM/YYYY", key=f"tu_{key}")
        end = d3.date_input("Đến ngày", _date(meta.get("period_end")), format="DD/MM/YYYY", key=f"den_{key}")
        why = st.text_input("Lý do sửa thông tin văn bản", key=f"ly_do_meta_{key}")
        if not st.form_submit_button("Ghi nhận sửa thông tin văn bản"):
            return
    new = {
        "province": province,
        "agency": agency,
        "report_type": rtype,
        "period_label": label,
        "period_start": start.isoformat() if start else None,
        "period_end": end.isoformat() if end else None,
    }
    old = {k: _text(meta.get(k), k) for k in new}
    changed = {k: v for k, v in new.items() if (v or None) != (old[k] or None)}
    if not changed:
        st.info("Không có thay đổi.")
    elif not why.strip():
        st.error("Cần ghi lý do sửa.")
    else:
        for field, value in changed.items():
            pending().append({"doc_sha256": doc_sha256, "field": field, "old_value": old[field], "new_value": value,
                              "why": why.strip(), "label": f"Thông tin văn bản · {field}"})  # fmt: skip
        st.success(f"Đã ghi nhận {len(changed)} sửa đổi; bấm nút lưu/công bố để áp dụng.")


def _describe(row: dict, labels: dict[str, str]) -> str:
    quote = " ".join(str(row["quote"]).split())[:60]
    return (
        f"{labels.get(row['indicator'], row['indicator'])} = {vn_value(row['value'], row.get('unit', ''))} · «{quote}»"
    )


def _changes(row: dict, value: str, indicator: str, reject: bool) -> list[tuple[str, str, str]]:
    """(field, old, new) for each change asked for; ValueError if the value is not a number."""
    changes = []
    if value.strip():
        changes.append(("value", str(row["value"]), str(parse_vn_number(value))))
    if indicator:
        changes.append(("indicator", row["indicator"], indicator))
    if reject:
        changes.append(("status", row.get("status") or "extracted", "rejected"))
    return changes


def fact_form(key: str, doc_sha256: str, facts: pd.DataFrame, labels: dict[str, str]) -> None:
    """Pick a figure; give a new value or indicator, or reject it; say why."""
    if facts.empty:
        st.info("Văn bản này chưa có số liệu nào.")
        return
    rows = {r["fact_key"]: r for r in facts.to_dict("records")}
    with st.form(f"fact_{key}"):
        chosen = st.selectbox("Số liệu cần sửa", list(rows), format_func=lambda k: _describe(rows[k], labels),
                              key=f"so_lieu_{key}")  # fmt: skip
        c1, c2, c3 = st.columns([1, 2, 1])
        value = c1.text_input("Giá trị mới (để trống nếu giữ nguyên)", key=f"gia_tri_{key}")
        keep = "— giữ nguyên —"
        indicator = c2.selectbox("Chỉ tiêu mới (nếu sai chỉ tiêu)", ["", *labels],
                                 format_func=lambda c: labels.get(c, keep), key=f"chi_tieu_moi_{key}")  # fmt: skip
        reject = c3.checkbox("Loại bỏ số liệu này", key=f"loai_bo_{key}")
        why = st.text_input("Lý do", key=f"ly_do_{key}")
        if not st.form_submit_button("Ghi nhận sửa số liệu"):
            return
    try:
        changes = _changes(rows[chosen], value, indicator, reject)
    except ValueError:
        st.error(f"Giá trị không phải là số: {md_escape(repr(value))}")
        return
    if not changes or not why.strip():
        st.error("Cần ghi lý do sửa." if changes else "Không có thay đổi.")
        return
    for field, old, new in changes:
        pending().append({"doc_sha256": doc_sha256, "fact_key": chosen, "field": field, "old_value": old,
                          "new_value": new, "why": why.strip(), "label": _describe(rows[chosen], labels)})  # fmt: skip
    st.success(f"Đã ghi nhận {len(changes)} sửa đổi; bấm nút lưu/công bố để áp dụng.")


def _describe_mention(row: dict) -> str:
    """'17 chuyến · «17 chuyến khảo sát» · ký tự 120–129 · why': unique per figure (its span)."""
    quote = " ".join(str(row["quote"]).split())[:60]
    where = f"ký tự {row['char_start']}–{row['char_end']}"
    return f"{vn_value(row['value'])} {row['measure']} · «{quote}» · {where} · {row['reason']}"


def mention_form(key: str, doc_sha256: str, mentions: pd.DataFrame, labels: dict[str, str]) -> None:
    """Pick a figure no indicator took; give it an indicator and say why. Stored as an assignment
    (field ``assign`` on its span), which every build replays: the figure becomes a fact."""
    st.markdown("**Gán chỉ tiêu cho số liệu chưa gán**")
    if mentions.empty:
        st.caption("Văn bản này không có số liệu nào chưa gán chỉ tiêu.")
        return
    rows = {r["mention_key"]: r for r in mentions.to_dict("records")}
    with st.form(f"gan_{key}"):
        chosen = st.selectbox("Số liệu chưa gán", list(rows), format_func=lambda k: _describe_mention(rows[k]),
                              key=f"chua_gan_{key}")  # fmt: skip
        indicator = st.selectbox("Chỉ tiêu", ["", *labels], format_func=lambda c: labels.get(c, "— chọn chỉ tiêu —"),
                                 key=f"gan_chi_tieu_{key}")  # fmt: skip
        why = st.text_input("Lý do", key=f"ly_do_gan_{key}")
        if not st.form_submit_button("Ghi nhận gán chỉ tiêu"):
            return
    if not indicator:
        st.error("Cần chọn chỉ tiêu để gán.")
        return
    if not why.strip():
        st.error("Cần ghi lý do gán chỉ tiêu.")
        return
    row = rows[chosen]
    pending().append({"doc_sha256": doc_sha256, "fact_key": chosen, "field": "assign",
                      "old_value": f"{vn_value(row['value'])} {row['measure']}".strip(), "new_value": indicator,
                      "why": why.strip(), "label": f"Gán {labels[indicator]} · {_describe_mention(row)}"})  # fmt: skip
    st.success("Đã ghi nhận gán chỉ tiêu; bấm nút lưu/công bố để áp dụng.")


def pending_table(doc_sha256: str | None = None) -> pd.DataFrame:
    rows = [c for c in pending() if doc_sha256 is None or c["doc_sha256"] == doc_sha256]
    return pd.DataFrame(
        [
            {
                "Đối tượng": c["label"],
                "Trường": c["field"],
                "Cũ": c.get("old_value"),
                "Mới": c["new_value"],
                "Lý do": c["why"],
            }
            for c in rows
        ]  # fmt: skip
    )


def facts_preview(facts: list[dict], labels: dict[str, str]) -> pd.DataFrame:
    """The extracted figures of an upload, for review."""
    return pd.DataFrame(
        [
            {
                "Chỉ tiêu": labels.get(f["indicator"], f["indicator"]),
                "Giá trị": vn_value(f["value"], f["unit"]),
                "Đơn vị": f["unit"],
                "Kỳ": period_text(f["period_start"], f["period_end"], f["as_of"]),
                "Vai trò": "chính" if f["role"] == "primary" else "giá trị khác",
                "Trích dẫn": " ".join(f["quote"].split()),
            }
            for f in facts
        ]
    )
