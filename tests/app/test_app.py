"""The app shell: navigation, shared filters, and a clear message without a warehouse."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import texts
from tests.conftest import ROOT


def test_home_is_the_overview_with_shared_filters(app):
    at = app()
    assert not at.exception
    assert "Tổng quan" in texts(at)
    labels = {w.label for w in at.sidebar.multiselect}
    assert {"Tỉnh, thành phố", "Cơ quan", "Loại báo cáo", "Nhóm chỉ tiêu"} <= labels
    assert at.sidebar.slider(key="nam").value == (2020, 2025)


@pytest.mark.parametrize("page", ["pages/tra_cuu.py", "pages/van_ban.py"])
def test_a_copied_link_opens_the_same_view(app, page):
    at = app(page, tinh="Trà Vinh", nam=["2020", "2020"])
    assert at.sidebar.multiselect(key="tinh").value == ["Trà Vinh"]
    assert at.sidebar.slider(key="nam").value == (2020, 2020)
    assert set(at.dataframe[0].value["Tỉnh"]) == {"Trà Vinh"}


def test_missing_warehouse_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Chưa có kho dữ liệu" in at.error[0].value


def test_a_former_province_in_the_link_is_chosen_as_todays_unit_with_a_notice(app):
    at = app("pages/tra_cuu.py", don_vi="Theo đơn vị hiện nay", tinh="Trà Vinh")
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="tinh").value == ["Vĩnh Long"]
    assert any("Trà Vinh nay thuộc Vĩnh Long (từ 01/07/2025)" in i.value for i in at.sidebar.info)
    assert not any("không hợp lệ" in w.value for w in at.sidebar.warning)  # understood, not dropped
    assert set(at.dataframe[0].value["Tỉnh"]) == {"Vĩnh Long"}  # Trà Vinh's figures, under today's unit
    at.sidebar.multiselect(key="tinh").set_value(["Tây Ninh"]).run()  # the editor's own choice then stands
    assert at.sidebar.multiselect(key="tinh").value == ["Tây Ninh"]
    assert not any("Trà Vinh nay thuộc" in i.value for i in at.sidebar.info)
    assert set(at.dataframe[0].value["Tỉnh"]) == {"Tây Ninh"}


def test_a_former_agency_in_the_link_is_chosen_as_todays_and_nonsense_is_still_said(app):
    at = app("pages/tra_cuu.py", don_vi="Theo đơn vị hiện nay", co_quan="Sở Thông tin và Truyền thông",
             tinh=["Trà Vinh", "Không có tỉnh này"])  # fmt: skip
    assert at.sidebar.multiselect(key="co_quan").value == ["Sở Khoa học và Công nghệ"]
    assert at.sidebar.multiselect(key="tinh").value == ["Vĩnh Long"]
    warned = " ".join(w.value for w in at.sidebar.warning)
    assert "`Không có tỉnh này`" in warned and "Trà Vinh" not in warned


def test_as_reported_a_former_province_stays_itself(app):
    at = app("pages/tra_cuu.py", tinh="Trà Vinh")
    assert at.sidebar.multiselect(key="tinh").value == ["Trà Vinh"] and not at.sidebar.info
