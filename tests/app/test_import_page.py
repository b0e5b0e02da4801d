"""Nhập báo cáo through AppTest: no write control without the password; upload, review,
correct, publish; a correction survives a rebuild."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import hash_password, verify_password
from etl.build import build_warehouse
from tests.app.conftest import texts
from tests.conftest import ROOT

NEW_REPORT = """BÁO CÁO
Kết quả công tác cải cách hành chính quý I năm 2025

Sở Xây dựng tỉnh Long An báo cáo kết quả quý I năm 2025 như sau:
Trong quý I/2025, Sở đã tiếp nhận 420 hồ sơ, đã giải quyết 415 hồ sơ; còn 05 hồ sơ đang giải quyết.
Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,8%.
"""
PASSWORD = "mật khẩu thử nghiệm"


def open_import(monkeypatch, password_hash: str | None) -> AppTest:
    if password_hash:
        monkeypatch.setenv("EDITOR_PASSWORD_HASH", password_hash)
    else:
        monkeypatch.delenv("EDITOR_PASSWORD_HASH", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/nhap_bao_cao.py")
    return at.run()


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="ho_ten").input("Nguyễn Văn A")
    at.text_input(key="mat_khau").input(password)
    return at.button[0].click().run()


def value_of(db, doc_id, indicator):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT value, status FROM facts WHERE doc_id = ? AND indicator = ? AND role = 'primary'",
            [doc_id, indicator],
        ).fetchone()
    finally:
        con.close()


def test_password_hash_round_trip():
    stored = hash_password(PASSWORD)
    assert stored.startswith("pbkdf2_sha256$") and PASSWORD not in stored
    assert verify_password(PASSWORD, stored)
    assert not verify_password("sai", stored)
    assert not verify_password(PASSWORD, "không phải mã băm")


def test_without_a_password_there_is_no_write_control(site, monkeypatch):
    at = open_import(monkeypatch, None)
    assert not at.exception
    assert "chưa được bật" in texts(at)
    assert len(at.file_uploader) == 0 and len(at.button) == 0 and len(at.text_input) == 0


def test_sign_in_is_needed_and_checked(site, monkeypatch):
    at = open_import(monkeypatch, hash_password(PASSWORD))
    assert len(at.file_uploader) == 0
    at = sign_in(at, "sai mật khẩu")
    assert "Sai mật khẩu" in at.error[0].value and len(at.file_uploader) == 0
    at = sign_in(at)
    assert not at.exception
    assert len(at.file_uploader) == 1


@pytest.mark.slow
def test_upload_review_and_publish_a_new_report(site, monkeypatch):
    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    at.file_uploader(key="tai_len").set_value(("long_an_sxd_q1_2025.txt", NEW_REPORT.encode(), "text/plain")).run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert set(preview["Chỉ tiêu"]) >= {
        "Hồ sơ thủ tục hành chính tiếp nhận",
        "Tỷ lệ hồ sơ giải quyết đúng hạn / sớm hạn",
    }
    assert "420" in set(preview["Giá trị"])
    at.button(key="cong_bo").click().run()
    assert not at.exception, at.exception
    assert any("Đã lưu: 1 tệp" in s.value for s in at.success)
    stored = list((site["raw"] / "imports").iterdir())
    assert len(stored) == 1 and stored[0].name.endswith("__long_an_sxd_q1_2025.txt")
    con = duckdb.connect(str(site["db"]), read_only=True)
    assert con.execute("SELECT province, agency FROM documents WHERE doc_id LIKE 'imports/%'").fetchall() == [
        ("Long An", "Sở Xây dựng")
    ]
    con.close()


@pytest.mark.slow
def test_a_correction_changes_the_figure_is_listed_and_survives_a_rebuild(site, monkeypatch):
    doc = "000_542a35844e80859c.txt"
    assert value_of(site["db"], doc, "tthc_received") == (36.0, "extracted")
    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    at.selectbox(key="van_ban_sua").select(doc).run()
    picker = at.selectbox(key="so_lieu_cu")
    key = next(o for o in picker.options if o.startswith("Hồ sơ thủ tục hành chính tiếp nhận"))
    picker.select(key)
    at.text_input(key="gia_tri_cu").input("40")
    at.text_input(key="ly_do_cu").input("Sở gửi văn bản đính chính: 40 hồ sơ")
    submit = next(b for b in at.button if b.label == "Ghi nhận sửa số liệu")
    submit.click().run()
    assert not at.exception, at.exception
    at.button(key="luu_sua").click().run()
    assert not at.exception, at.exception
    assert value_of(site["db"], doc, "tthc_received") == (40.0, "corrected")
    history = at.dataframe[-1].value
    assert "Sở gửi văn bản đính chính: 40 hồ sơ" in set(history["Lý do"]) and "Nguyễn Văn A" in set(
        history["Người sửa"]
    )
    assert '"Sở gửi văn bản đính chính: 40 hồ sơ"' in site["log"].read_text(encoding="utf-8")
    build_warehouse(site["raw"], site["db"])  # a rebuild from originals + the corrections log
    assert value_of(site["db"], doc, "tthc_received") == (40.0, "corrected")


def test_a_correction_without_a_reason_is_refused(site, monkeypatch):
    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    at.text_input(key="gia_tri_cu").input("99")
    next(b for b in at.button if b.label == "Ghi nhận sửa số liệu").click().run()
    assert "Cần ghi lý do" in at.error[0].value
    assert len([b for b in at.button if b.key == "luu_sua"]) == 0
