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
