"""What an official reads without help (issue 14): reports cited by name, periods named as they
are written, units once, search without diacritics, Vietnamese everywhere, honest comparisons."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from contract.messages import BuildWarning
from dashboard import charts, chrome, comparison, figures, kpis, queries, review, tables, tracker, trends, widgets
from dashboard.db import connect
from dashboard.filters import Filters
from dashboard.formatting import (
    citation,
    fold,
    mid_sentence,
    original_name,
    period_short,
    period_text,
    value_with_unit,
)
from tests.app.conftest import texts
from tests.conftest import ROOT

HASHED = "_542a35844e80859c"  # a piece of a sample's hashed file name


@pytest.fixture
def con(warehouse):
    c = connect(warehouse)
    yield c
    c.close()


def test_a_report_is_cited_the_way_officials_cite_it():
    doc = {"report_number": "123/BC-STTTT", "report_date": pd.Timestamp("2024-10-28"), "province": "Tây Ninh",
           "agency": "Sở Thông tin và Truyền thông", "file_name": "000_542a.txt",
           "title": "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH VÀ DÂN CHỦ Ở CƠ SỞ NĂM 2024"}  # fmt: skip
    full = citation(doc, None)
    assert full == ("Báo cáo số 123/BC-STTTT ngày 28/10/2024 — Sở TT&TT Tây Ninh — Kết quả thực hiện công tác "
                    "cải cách hành chính và dân chủ ở cơ sở năm 2024")  # fmt: skip
    short = citation(doc, 30)
    assert short.endswith("…") and len(short.split(" — ")[-1]) <= 30
    assert citation({**doc, "report_number": None, "report_date": None}, None).startswith("Báo cáo — Sở TT&TT")
    assert citation({"file_name": "x.txt"}) == "x.txt"  # nothing else known: the file name is all there is
    # ... but never a stored, hashed name: the name it was uploaded under, or that nothing is known
    assert citation({"file_name": "000_542a35844e80859c.txt"}) == "Báo cáo không rõ số, ngày, cơ quan"
    assert citation({"file_name": "a" * 64 + "__bao-cao quy 1.docx"}) == "bao-cao quy 1.docx"
    assert original_name("imports/" + "b" * 64 + "__x.pdf") == "x.pdf"
    assert original_name("000_542a35844e80859c.txt") == ""


@pytest.mark.parametrize(
    ("start", "end", "as_of", "expected"),
    [
        ("2023-01-01", "2023-12-31", None, "Năm 2023"),
        ("2024-01-01", "2024-06-30", None, "6T/2024"),
        ("2025-07-01", "2025-09-30", None, "Quý III/2025"),
        ("2024-01-01", "2024-07-31", None, "01/01–31/07/2024"),
        ("2023-10-01", "2024-03-31", None, "01/10/2023–31/03/2024"),
        (None, None, "2024-07-31", "31/07/2024"),
    ],
)
def test_a_period_is_named_as_written(start, end, as_of, expected):
    assert period_short(start, end, as_of) == expected


@pytest.mark.parametrize(
    ("start", "end", "as_of", "expected"),
    [
        ("2022-01-01", "2022-12-31", None, "Năm 2022"),
        ("2024-01-01", "2024-07-31", None, "01/01–31/07/2024"),
        ("2024-01-01", "2024-06-30", None, "01/01–30/06/2024"),  # spelled out where a period is stated in full
        ("2023-10-01", "2024-03-31", None, "01/10/2023–31/03/2024"),
        (None, None, "2024-07-31", "tại 31/07/2024"),
    ],
)
def test_one_date_style_for_a_period_in_full(start, end, as_of, expected):
    assert period_text(start, end, as_of) == expected


def test_a_period_inside_a_sentence_is_not_capitalised():
    assert mid_sentence("Năm 2021") == "năm 2021" and mid_sentence("Quý II/2024") == "quý II/2024"
    assert mid_sentence("6T/2024") == "6T/2024"


def test_the_unit_is_written_once():
    assert value_with_unit(100.0, "%") == "100%"
    assert value_with_unit(40.0, "hạng", 63, "rank") == "hạng 40/63"  # a rank by its indicator's kind
    assert value_with_unit(40.0, "vị trí", 63, "rank") == "hạng 40/63"  # the kind decides, not the unit
    assert value_with_unit(55.0, "người") == "55 người"
    assert value_with_unit(9_280_000_000.0, "đồng") == "9.280.000.000 đồng"


def test_search_needs_no_diacritics(con):
    assert fold("Hồ sơ ĐƯỢC") == "ho so duoc"
    with_marks = queries.facts(con, Filters(), (), "hồ sơ")
    without = queries.facts(con, Filters(), (), "ho so")
    assert len(without) == len(with_marks) > 0
    assert set(queries.facts(con, Filters(), (), "1022")["indicator"]) >= {"hotline1022_received"}
    assert queries.facts(con, Filters(), (), "ho_so").empty  # '_' is a letter here, not a wildcard


def test_no_hashed_file_name_where_a_title_exists(con):
    rows = queries.facts(con, Filters())
    shown = tables.explorer_table(rows).data
    assert not shown["Văn bản"].str.contains(HASHED).any()
    assert shown["Văn bản"].str.startswith("Báo cáo").all()
    docs = queries.documents(con, Filters())
    assert not tables.documents_table(docs)["Văn bản"].str.contains(HASHED).any()
    table = tracker.tracker_table(tracker.tracker(docs, queries.schedule(con)))
    assert not table["Văn bản"].str.contains(HASHED).any() and table["Văn bản"].str.startswith("Báo cáo").any()
    points = trends.trend_points(queries.facts(con, Filters(), ("tthc_received",)))
    assert not points["document"].str.contains(HASHED).any()


def test_the_value_column_is_as_wide_as_its_longest_figure():
    narrow = tables.value_width(pd.Series([3.0, 55.0]))
    wide = tables.value_width(pd.Series([3.0, 9_280_000_000.0]))
    assert wide >= 8 * len("9.280.000.000") + 24 and wide > narrow


def test_key_columns_come_first_and_quotes_are_whole_sentences(con):
    rows = queries.facts(con, Filters(), ("tthc_received",))
    table = tables.explorer_table(rows).data
    assert list(table.columns[:5]) == ["Chỉ tiêu", "Giá trị", "Đơn vị", "Kỳ", "Tỉnh"]
    assert all(len(s) >= len(" ".join(q.split())) for s, q in zip(table["Trích dẫn"], rows["quote"], strict=True))


def test_ranks_read_40_of_63_and_no_change_is_not_an_arrow(con):
    key_figures = tuple(queries.vocabulary(con).kpis)
    cards = kpis.kpi_cards(queries.latest_facts(con, Filters(provinces=("Tây Ninh",)), key_figures, 24))
    by_code = {c.indicator: c for c in cards["Tây Ninh"]}
    dti = by_code["dti_rank"]
    assert dti.value == "40/63"
    assert dti.delta == "lên 4 bậc so với năm 2021" and dti.delta_color == "green" and dti.delta_arrow == "up"
    assert dti.period == "Năm 2022"  # a whole year, as officials name it
    assert dti.trend == (-44.0, -40.0) and dti.trend[-1] > dti.trend[0]  # oldest first; 44 → 40 rises
    assert all("không đổi" not in (c.delta or "") for c in by_code.values())
    assert "Không đổi" in by_code["staff_total"].note
    assert [code for code, _ in kpis.kpi_slots(cards)] == [c.indicator for c in cards["Tây Ninh"]]


def test_a_figure_is_drawn_at_its_period_and_a_rank_at_its_assessed_year(con):
    points = trends.trend_points(queries.facts(con, Filters(provinces=("Tây Ninh",)), ("dti_rank",)))
    official = trends.official_ranks(queries.reference_indices(con), "DTI", {"Tây Ninh"}, "reported")
    fig = charts.trend_chart(points, "Xếp hạng DTI", "hạng", official)
    assert set(fig.layout.xaxis.ticktext) == {"Năm 2021", "Năm 2022"}
    assert [t.mode for t in fig.data][:1] == ["lines+markers"]
    one = trends.trend_points(queries.facts(con, Filters(provinces=("Tây Ninh",)), ("tthc_received",)).head(1))
    single = charts.trend_chart(one, "Hồ sơ", "hồ sơ")
    assert single.data[0].mode == "markers+text" and list(single.data[0].text) == list(one["value_text"])
    assert list(single.layout.xaxis.ticktext) == list(one["tick"])  # no weekly ticks around one point


def test_compare_draws_only_what_two_provinces_report_and_official_ranks_follow_the_years(con):
    facts = queries.latest_facts(con, Filters(provinces=("Tây Ninh", "Trà Vinh")))
    _, bars, _ = comparison.compare_frames(facts, ["Tây Ninh", "Trà Vinh"], False)
    assert not bars.empty and (bars.groupby("indicator")["province"].nunique() == 2).all()
    assert "Camera giao thông tập trung" not in set(bars["label_vi"])  # Trà Vinh gives none: no lone bar
    group, unit = bars.iloc[0][["group_label", "unit"]]
    fig = charts.compare_group(bars[(bars["group_label"] == group) & (bars["unit"] == unit)], group, unit,
                               ["Tây Ninh", "Trà Vinh"])  # fmt: skip
    assert all(t.text is not None and len(t.text) for t in fig.data)  # values on the bars
    assert all(any("Năm" in x or "/" in x for x in t.x[1]) for t in fig.data)  # the period under each bar
    reference = queries.reference_indices(con, ("Tây Ninh", "Trà Vinh"))
    assert set(comparison.official_in_years(reference, 2022, 2022)["year"]) == {2022}


def test_compare_page_follows_the_sidebar_provinces(app):
    at = app("pages/so_sanh.py", tinh=["Trà Vinh", "Tây Ninh"], nam=["2022", "2022"])
    assert not at.exception
    assert len(at.multiselect) == len(at.sidebar.multiselect)  # no second province picker on the page
    assert "So sánh các tỉnh chọn ở bộ lọc" in texts(at)
    official = at.dataframe[1].value
    assert set(official["Năm"]) == {"2022"}


def test_two_findings_of_one_check_read_differently(con):
    found = queries.findings(con, Filters())
    docs = queries.documents(con, Filters())
    table = tables.findings_table(found, dict(zip(docs["doc_id"], figures.citations(docs), strict=True)))
    assert not table.duplicated().any()
    assert not table["Văn bản"].str.contains(HASHED).any()


def test_etl_warnings_read_as_one_vietnamese_line_each():
    row = BuildWarning(file="corrections.jsonl", message="corrections.jsonl dòng 3: thiếu lý do sửa")
    assert review.etl_warning_text(row) == "Cảnh báo — corrections.jsonl dòng 3: thiếu lý do sửa"
    other = BuildWarning(file="/srv/data/x.docx", message="bảng không đọc được")
    assert review.etl_warning_text(other) == "Cảnh báo — x.docx: bảng không đọc được"  # the name, not the path


def test_an_orphaned_correction_warning_names_the_report_by_its_citation(warehouse, monkeypatch):
    """The build names the file ('000_542a….txt: Sửa đổi …'); the page names the report as officials cite it."""
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    message = "Sửa đổi «loại bỏ» cho số liệu «55 người» không còn áp dụng được: …"
    row = BuildWarning(file="corrections.jsonl", message=message, doc_id="000" + HASHED + ".txt")
    text = review.etl_warning_text(row)
    assert text.startswith("Cảnh báo — Báo cáo") and text.endswith(f": {message}")
    assert HASHED not in text and "corrections.jsonl" not in text


def test_import_page_tells_officials_what_to_do_not_how_to_configure(app, monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD_HASH", raising=False)
    at = app("pages/nhap_bao_cao.py")
    shown = texts(at)
    assert "Liên hệ quản trị hệ thống để được cấp quyền nhập báo cáo" in shown
    assert "EDITOR_PASSWORD_HASH" not in shown and "python -m" not in shown and "secrets.toml" not in shown


def test_a_damaged_warehouse_shows_a_vietnamese_message(tmp_path, monkeypatch):
    bad = tmp_path / "warehouse.duckdb"
    bad.write_bytes(b"this is not a duckdb file" * 200)
    monkeypatch.setenv("WAREHOUSE", str(bad))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Không đọc được kho dữ liệu" in e.value for e in at.error)


def test_streamlit_is_configured_for_officials():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["client"]
    assert config["toolbarMode"] == "minimal" and config["showErrorDetails"] == "none"
    assert config["showErrorLinks"] is False and config["disableDataExport"] is True
    assert chrome.TEXTS["Select all"] == "Chọn tất cả" and "Page not found" in chrome.TEXTS
    assert "stMainMenu" in chrome.page_html()


def test_a_large_export_is_built_on_request_with_its_progress(app, monkeypatch, con):
    monkeypatch.setattr(widgets, "EXCEL_AT_ONCE", 10)
    at = app("pages/tra_cuu.py")
    rows = len(at.dataframe[0].value)
    prepare = [b for b in at.button if b.label.startswith("Chuẩn bị tệp Excel")]
    assert prepare and f"({rows} dòng)" in prepare[0].label  # the row count before anything is built
    prepare[0].click().run()
    assert not at.exception
    assert any(b.label.startswith("Tải Excel") for b in at.get("download_button"))
    seen: list[float] = []
    from dashboard.excel import facts_workbook

    facts_workbook(queries.facts(con, Filters()), Filters(), None, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3


def test_above_excels_limit_the_export_is_a_csv(app, monkeypatch):
    monkeypatch.setattr(widgets, "EXCEL_MAX_ROWS", 5)
    at = app("pages/tra_cuu.py")
    assert any("vượt giới hạn" in w.value for w in at.warning)
    labels = [b.label for b in at.get("download_button")]
    assert any(label.startswith("Tải CSV") for label in labels) and not any("Excel" in label for label in labels)


def test_an_error_mark_on_a_card_links_to_its_finding(app, con):
    at = app("pages/tong_quan.py", tinh="Tây Ninh")
    links = at.get("page_link")
    assert links, "a card whose figure has an open finding links to it"
    link = links[0].proto
    assert link.label.startswith("✖ Lỗi") and "phat_hien=" in link.page + str(link.query_string)
    finding = str(link.query_string).split("phat_hien=")[1].split("&")[0]
    found = queries.findings(con, Filters())
    title = found[found["finding_id"] == finding]["title"].iloc[0]
    at = app("pages/chat_luong.py", phat_hien=finding)
    assert not at.exception
    assert any(title.split()[0] in m.value and "—" in m.value for m in at.markdown)  # opened, evidence below
