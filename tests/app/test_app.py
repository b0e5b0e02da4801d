"""The app, run by Streamlit's AppTest against a warehouse built from the test reports."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture
def app_env(warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    return warehouse


def test_home_lists_the_documents(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 8
    assert set(table["Tỉnh"]) >= {"Tây Ninh", "Trà Vinh", "Vĩnh Long"}


def test_missing_warehouse_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Chưa có kho dữ liệu" in at.error[0].value
