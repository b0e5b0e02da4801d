"""Every page through Streamlit's AppTest on the sample warehouse."""

from __future__ import annotations

import pytest

from dashboard import kpis
from tests.app.conftest import PAGES, reader, texts


@pytest.mark.parametrize("page", PAGES)
def test_page_renders(app, page):
    at = app(page)
    assert not at.exception, at.exception
    assert not at.error


def test_overview_shows_latest_figures_with_period(app):
    at = app("pages/tong_quan.py", tinh="Tây Ninh")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hồ sơ TTHC tiếp nhận"] == "31"
    assert metrics["Tổng số CBCCVC và người lao động"] == "55"
    assert "tại 28/10/2024" in texts(at)  # the staff figure's as-of date under the card
    assert "Kỳ trước có độ dài khác" in texts(at)  # 36 (Jan–May) is not compared with 31 (Jan–Jul)


def test_year_filter_changes_what_is_shown(app):
    at = app("pages/tong_quan.py", tinh="Tây Ninh")
    assert {m.value for m in at.metric if m.label == "Hồ sơ TTHC tiếp nhận"} == {"31"}
    at.sidebar.slider(key="nam").set_value((2023, 2023)).run()
    assert {m.value for m in at.metric if m.label == "Hồ sơ TTHC tiếp nhận"} == {"37"}


@pytest.mark.parametrize("query", [{"tinh": "Trà Vinh"}, {"nam": ["2020", "2020"]}])
def test_overview_of_a_province_without_key_figures_shows_what_it_reported(app, query):
    at = app("pages/tong_quan.py", **query)  # Trà Vinh's one report (2020) gives no key figure
    assert not at.exception, at.exception
    shown = texts(at).replace("\\", "")
    assert "Không có số liệu nào phù hợp" not in shown
    assert "Trà Vinh không báo cáo chỉ tiêu chính nào trong phạm vi lọc" in shown
    assert "Hồ sơ TTHC tiếp nhận" in shown and "Xếp hạng DTI của tỉnh" in shown  # the key figures it lacks, named
    table = at.dataframe[0].value
    assert set(table["Tỉnh"]) == {"Trà Vinh"} and len(table) == table["Nhóm chỉ tiêu"].nunique() >= 2
    assert all(value for value in table["Giá trị"]) and not any("tại" in p and "…" in p for p in table["Kỳ"])


def test_overview_lists_provinces_without_key_figures_under_the_cards(app):
    at = app("pages/tong_quan.py")
    heads = [s.value for s in at.subheader]
    assert "Các tỉnh chưa có chỉ tiêu chính" in heads
    assert 0 < len(heads) - 1 <= kpis.PROVINCES_AT_ONCE  # the cards of a group of provinces, then the others
    listed = set(at.dataframe[0].value["Tỉnh"])
    assert "Trà Vinh" in listed and not listed & {s.value for s in at.subheader}  # only those without cards


def test_explorer_filters_rows(app):
    at = app("pages/tra_cuu.py")
    all_rows = at.dataframe[0].value
    at.sidebar.multiselect(key="tinh").set_value(["Trà Vinh"]).run()
    tra_vinh = at.dataframe[0].value
    assert 0 < len(tra_vinh) < len(all_rows)
    assert set(tra_vinh["Tỉnh"]) == {"Trà Vinh"}
    at.text_input(key="tim").set_value("khiếu nại").run()
    found = at.dataframe[0].value
    assert set(found["Chỉ tiêu"]) >= {"Đơn khiếu nại"}
    assert (found["Giá trị"].dtype.kind in "fi") and 3 in set(found["Giá trị"])


def test_compare_shows_both_provinces_and_not_reported(app):
    at = app("pages/so_sanh.py")
    table = at.dataframe[0].value
    assert {"Tây Ninh", "Trà Vinh"} <= set(table.columns)
    row = table[table["Chỉ tiêu"] == "Camera giao thông tập trung"].iloc[0]
    assert row["Trà Vinh"] == "không báo cáo"
    assert row["Tây Ninh"].startswith("259")
    assert "Không cùng kỳ" in texts(at)


def test_trends_offers_the_source_of_each_point(app):
    at = app("pages/xu_huong.py", tinh="Tây Ninh")
    assert not at.exception
    picker = at.selectbox(key="diem_tthc_received")
    assert len(picker.options) == 3  # Tây Ninh: 2023, Jan–May 2024, Jan–Jul 2024
    picker.select_index(0).run()
    assert not at.exception
    shown = texts(at)
    assert "hồ sơ" in shown and ":orange-background[" in shown


def test_documents_page_marks_figures_without_breaking_the_sentence(app):
    at = app("pages/van_ban.py", van_ban="004_f3cae4251c6f1b42.txt")
    body = reader(at)
    figure = '<mark class="chinh" title="Camera giao thông tập trung">Tổng 259 camera</mark>'
    chip = '<sup class="chip chinh" title="Camera giao thông tập trung">Camera giao thông tập trung</sup>'
    assert figure + chip in body
    assert "〔" not in body and "height" not in body.split("</style>")[1]  # no boxes, no inner scroll box
    header = at.subheader[0].value
    assert "Sở TT&TT Tây Ninh" in header.replace("\\", "") and "004_" not in header  # cited, not a file name


def test_no_result_says_so(app):
    at = app("pages/tra_cuu.py", tim="không có từ này ở đâu cả")
    assert "Không có số liệu nào phù hợp" in texts(at)


@pytest.mark.parametrize(
    "query",
    [
        {"tinh": "' OR 1=1 --"},
        {"tinh": ["Tây Ninh", "'; DROP TABLE facts; --"]},
        {"nam": ["0", "99999"]},
        {"nam": "abc"},
        {"loai": "<script>alert(1)</script>"},
        {"van_ban": "../../etc/passwd"},
    ],
)
def test_crafted_query_values_change_nothing(app, query):
    baseline = app("pages/tra_cuu.py")
    at = app("pages/tra_cuu.py", **query)
    assert not at.exception
    page = "pages/van_ban.py" if "van_ban" in query else "pages/tra_cuu.py"
    at = app(page, **query)
    assert not at.exception and not at.error
    if page == "pages/tra_cuu.py" and "Tây Ninh" not in str(query):
        assert len(at.dataframe[0].value) == len(baseline.dataframe[0].value)
    if "van_ban" not in query:
        assert any("bỏ qua" in w.value for w in at.sidebar.warning)


def test_empty_warehouse_says_so(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from etl.build import build_warehouse
    from tests.conftest import ROOT

    (tmp_path / "raw").mkdir()
    db = tmp_path / "empty.duckdb"
    build_warehouse(tmp_path / "raw", db)
    monkeypatch.setenv("WAREHOUSE", str(db))
    for page in ["pages/tong_quan.py", "pages/tra_cuu.py", "pages/van_ban.py"]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page(page).run()
        assert not at.exception
        assert "Không có" in texts(at) or "Chưa có" in texts(at)
