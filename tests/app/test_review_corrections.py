"""Nhập báo cáo's correction form through AppTest: the form empties after each record, pending
corrections read as words and can be removed, and saving or publishing logs exactly what the
editor asked for, then clears the review."""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard import review
from dashboard.auth import hash_password
from tests.app.conftest import texts
from tests.app.test_import_page import NEW_REPORT, PASSWORD, open_import, sign_in
from tests.conftest import golden_fact_key

DOC = "000_542a35844e80859c.txt"
STAFF = golden_fact_key(DOC, "staff_total", 55)  # 55 người at 31/05/2024
RECEIVED = golden_fact_key(DOC, "tthc_received", 36)  # 36 hồ sơ, 01/01–31/05/2024
RAW_WORDS = ("status", "rejected", "extracted", "period_start", "as_of", "36.0", "31000.0")


def editor_on_document(monkeypatch) -> AppTest:
    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    return at.selectbox(key="van_ban_sua").select(DOC).run()


def record(at: AppTest, figure: str, why: str, value: str = "", reject: bool = False, **dates: date) -> AppTest:
    """Fill the correction form for one figure (only the fields given) and press 'Ghi nhận'."""
    at.selectbox(key="so_lieu_cu").select(figure)
    if value:
        at.text_input(key="gia_tri_cu").input(value)
    if reject:
        at.checkbox(key="loai_bo_cu").check()
    for widget, day in dates.items():
        at.date_input(key=f"{widget}_cu").set_value(day)
    at.text_input(key="ly_do_cu").input(why)
    next(b for b in at.button if b.label == "Ghi nhận sửa số liệu").click().run()
    assert not at.exception, at.exception
    return at


def logged(site: dict) -> list[tuple]:
    lines = site["log"].read_text(encoding="utf-8").splitlines() if site["log"].exists() else []
    return sorted((r["fact_key"], r["field"], r["new_value"]) for r in map(json.loads, lines))


def shown(at: AppTest) -> str:
    """What the reader sees: the page's texts without Markdown's escapes (md_escape)."""
    return texts(at).replace("\\", "")


def remove_buttons(at: AppTest) -> list:
    return [b for b in at.button if (b.key or "").startswith("bo_")]


def test_reject_one_figure_then_correct_another_logs_exactly_those_two(site, monkeypatch):
    at = record(editor_on_document(monkeypatch), STAFF, "Số liệu trùng với báo cáo khác", reject=True)
    assert at.checkbox(key="loai_bo_cu").value is False  # the form is empty again
    assert at.text_input(key="ly_do_cu").value == ""
    at = record(at, RECEIVED, "Sở gửi văn bản đính chính", value="31.000")
    listed = shown(at)
    assert "Trạng thái: đã trích xuất → đã loại" in listed and "Giá trị 36 → 31.000" in listed
    assert "Hồ sơ thủ tục hành chính tiếp nhận = 36" in listed  # the indicator named
    assert len(remove_buttons(at)) == 2
    at.button(key="luu_sua").click().run()
    assert not at.exception, at.exception
    assert logged(site) == [(STAFF, "status", "rejected"), (RECEIVED, "value", "31000.0")]
    figures = sorted((r["num_value"], r["quote"], r["num_start"]) for r in map(json.loads, site["log"].open()))
    assert [value for value, *_ in figures] == ["36", "55"] and "55 người" in figures[1][1]  # each line its figure
    assert all(isinstance(start, int) for *_, start in figures)
    assert not remove_buttons(at) and not [b for b in at.button if b.key == "luu_sua"]  # the review is cleared
    assert "Đã áp dụng" in shown(at) and "Giá trị 36 → 31.000" in shown(at)
    history = at.dataframe[-1].value
    assert set(history["Thay đổi"]) == {"Trạng thái: đã trích xuất → đã loại", "Giá trị 36 → 31.000"}
    assert not any(word in " ".join(history.astype(str).values.ravel()) for word in RAW_WORDS)


def test_removing_a_pending_correction_drops_it_before_saving(site, monkeypatch):
    at = record(editor_on_document(monkeypatch), STAFF, "Số liệu trùng", reject=True)
    at = record(at, RECEIVED, "Đính chính", value="40")
    first = remove_buttons(at)[0]  # the rejection, listed first
    first.click().run()
    assert not at.exception, at.exception
    assert len(remove_buttons(at)) == 1 and "đã loại" not in shown(at)
    at.button(key="luu_sua").click().run()
    assert logged(site) == [(RECEIVED, "value", "40.0")]


def test_a_figure_can_be_rejected_or_corrected_but_not_both_at_once(site, monkeypatch):
    at = record(editor_on_document(monkeypatch), RECEIVED, "Không rõ", value="40", reject=True)
    assert any("sửa đổi riêng" in e.value for e in at.error)
    assert not remove_buttons(at)


def test_a_figure_gets_a_new_period_and_the_warehouse_shows_it(site, monkeypatch):
    at = record(editor_on_document(monkeypatch), RECEIVED, "Kỳ báo cáo là 5 tháng, từ 01/02/2024",
                tu_ngay=date(2024, 2, 1))  # fmt: skip
    assert "Từ ngày: 01/01/2024 → 01/02/2024" in shown(at)
    at = record(at, STAFF, "Số liệu tại ngày ký báo cáo", tai_ngay=date(2024, 6, 5))
    assert "Tại ngày: 31/05/2024 → 05/06/2024" in shown(at)
    at.button(key="luu_sua").click().run()
    assert not at.exception, at.exception
    assert logged(site) == [(STAFF, "as_of", "2024-06-05"), (RECEIVED, "period_start", "2024-02-01")]
    con = duckdb.connect(str(site["db"]), read_only=True)
    found = con.execute(
        "SELECT fact_key, period_start, as_of, status FROM facts WHERE doc_id = ? AND fact_key IN (?, ?) "
        "AND role = 'primary' ORDER BY fact_key",
        [DOC, STAFF, RECEIVED],
    ).fetchall()
    con.close()
    assert found == [(STAFF, None, date(2024, 6, 5), "corrected"), (RECEIVED, date(2024, 2, 1), None, "corrected")]


def test_publishing_shows_what_was_applied_and_clears_the_review(site, monkeypatch):
    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    at.file_uploader(key="tai_len").set_value(("long_an_sxd_q1_2025.txt", NEW_REPORT.encode(), "text/plain")).run()
    picker = next(s for s in at.selectbox if (s.key or "").startswith("so_lieu_moi_"))
    key = picker.key.removeprefix("so_lieu_")
    assert picker.value.startswith("tthc_received@")  # the report's first figure: 420 hồ sơ
    at.text_input(key=f"gia_tri_{key}").input("421")
    at.text_input(key=f"ly_do_{key}").input("Sở đính chính")
    next(b for b in at.button if b.label == "Ghi nhận sửa số liệu").click().run()
    assert "Giá trị 420 → 421" in shown(at) and len(remove_buttons(at)) == 1
    at.button(key="cong_bo").click().run()
    assert not at.exception, at.exception
    assert any("Đã lưu: 1 tệp, 1 sửa đổi" in s.value for s in at.success)
    assert "Đã áp dụng" in shown(at) and "Giá trị 420 → 421" in shown(at)
    assert not [b for b in at.button if b.key == "cong_bo"] and not remove_buttons(at)
    assert not at.expander and at.file_uploader[0].value in (None, [])  # no staged review, an empty uploader
    assert not at.warning  # the published file is not offered again as a duplicate


def _field(at: AppTest, label: str):
    return next(w for w in at.main.text_input if w.label == label)


def test_the_metadata_form_empties_after_each_record(site, monkeypatch):
    at = editor_on_document(monkeypatch)
    before = _field(at, "Cơ quan").value
    _field(at, "Cơ quan").input("Sở Khoa học và Công nghệ")
    _field(at, "Lý do sửa thông tin văn bản").input("Sở đã hợp nhất")
    next(b for b in at.button if b.label == "Ghi nhận sửa thông tin văn bản").click().run()
    assert not at.exception, at.exception
    assert "Cơ quan: " in shown(at) and "Sở Khoa học và Công nghệ" in shown(at)  # pending, in words
    assert _field(at, "Lý do sửa thông tin văn bản").value == ""  # the form is empty again
    assert _field(at, "Cơ quan").value == before  # showing the document's own value
    _field(at, "Kỳ báo cáo").input("Quý II năm 2024")  # the next record asks its own reason
    next(b for b in at.button if b.label == "Ghi nhận sửa thông tin văn bản").click().run()
    assert any("Cần ghi lý do" in e.value for e in at.error)
    assert _field(at, "Kỳ báo cáo").value == "Quý II năm 2024"  # a refused record keeps what was typed
    assert len(remove_buttons(at)) == 1


def test_the_assignment_form_empties_and_names_figures_by_their_words(site, monkeypatch):
    at = editor_on_document(monkeypatch)
    picker = at.selectbox(key="chua_gan_cu")
    names = picker.options
    assert names and len(set(names)) == len(names)  # each figure told apart
    assert not any("ký tự" in n or re.search(r"\d+–\d+", n) for n in names)  # no character offsets
    assert all(re.fullmatch(r"[\d.,]+ .+ · «.+» · .+", n) for n in names), names[:3]
    at.selectbox(key="gan_chi_tieu_cu").select("staff_total")
    at.text_input(key="ly_do_gan_cu").input("Số người của Sở")
    next(b for b in at.button if b.label == "Ghi nhận gán chỉ tiêu").click().run()
    assert not at.exception, at.exception
    assert any("Đã ghi nhận gán chỉ tiêu" in s.value for s in at.success)
    assert at.selectbox(key="gan_chi_tieu_cu").value == "" and at.text_input(key="ly_do_gan_cu").value == ""
    assert len(remove_buttons(at)) == 1


def test_the_history_says_when_a_correction_followed_its_figure_to_a_new_span():
    log = pd.DataFrame({
        "made_at": [pd.Timestamp("2025-03-01 08:00")] * 3, "who": ["A"] * 3, "why": ["đính chính"] * 3,
        "field": ["value"] * 3, "old_value": ["36.0"] * 3, "new_value": ["40.0"] * 3,
        "fact_key": ["tthc_received@10-20"] * 3, "applied": [True, True, False],
        "applied_key": [None, "tthc_received@10-26", None], "doc_id": [None] * 3, "unit": ["hồ sơ"] * 3,
    })  # fmt: skip
    shown_applied = list(review.history_table(log, {}, {})["Áp dụng"])
    followed = "có (số liệu được dò lại sau khi cách trích xuất thay đổi)"
    assert shown_applied == ["có", followed, "không (số liệu không còn)"]
