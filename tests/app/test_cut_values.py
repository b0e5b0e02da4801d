"""No value an official needs is cut: a card's tooltip names it whole, tables carry whole texts
(never '…') in columns wide enough for their key values, chart hovers wrap instead of cutting."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def widths(table) -> dict[str, object]:
    """The column widths a shown table was given (st.column_config), by heading."""
    return {k: v.get("width") for k, v in json.loads(table.proto.columns or "{}").items()}


def cut(values) -> list[str]:
    return [v for v in values if isinstance(v, str) and v.endswith("…")]


def test_a_key_figure_cards_tooltip_gives_its_whole_label(app):
    at = app()
    assert not at.exception, at.exception
    staff = [m for m in at.metric if m.label == "Tổng số CBCCVC và người lao động"]
    shown = [m for m in staff if m.value != "—"]
    assert shown and len(staff) > len(shown)  # a province with the figure, one without
    for card in staff:  # the label a narrow card cuts ('Tổng số CBCCVC và người la…'), and the indicator's name
        assert card.proto.help.startswith("**Tổng số CBCCVC và người lao động**")
        assert "Tổng số cán bộ công chức viên chức và người lao động" in card.proto.help
    assert all("Nguồn:" in m.proto.help for m in shown)


def test_the_explorer_shows_whole_citations_and_room_for_the_indicator(app):
    at = app("pages/tra_cuu.py")
    table = at.dataframe[0]
    assert not cut(table.value["Văn bản"])
    longest = max(len(v) for v in table.value["Chỉ tiêu"])
    assert widths(table)["Chỉ tiêu"] >= min(7 * longest, 400)


def test_the_documents_list_shows_whole_citations_and_periods(app):
    at = app("pages/van_ban.py")
    table = at.dataframe[0]
    assert not cut(table.value["Văn bản"])
    assert any(len(v) > 90 for v in table.value["Văn bản"])  # the 137-character citation, whole
    given = widths(table)
    assert given["Văn bản"] == "large"
    assert given["Kỳ báo cáo"] >= 7 * max(len(v) for v in table.value["Kỳ báo cáo"])


def test_compare_gives_the_source_links_and_indicators_room(app):
    at = app("pages/so_sanh.py")
    main, official = at.dataframe[0], at.dataframe[1]
    assert widths(official)["Nguồn công bố"] == "large"
    assert widths(main)["Chỉ tiêu"] >= 200
    assert all(isinstance(widths(main).get(p), int) for p in ("Tây Ninh", "Trà Vinh"))


def test_the_tracker_shows_whole_citations_and_agencies(app):
    at = app("pages/theo_doi.py", tinh="Tây Ninh", nam=["2024", "2024"])
    table = at.dataframe[0]
    assert not cut(table.value["Văn bản"])
    given = widths(table)
    assert given["Văn bản"] == "large"
    assert given["Cơ quan"] >= 7 * len("Sở Thông tin và Truyền thông")


def test_a_trend_hover_names_the_indicator_and_the_report_whole(app):
    at: AppTest = app("pages/xu_huong.py", tinh="Tây Ninh")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    first = spec["data"][0]
    assert "Hồ sơ thủ tục hành chính tiếp nhận" in first["hovertemplate"]
    documents = [row[2] for trace in spec["data"] if "customdata" in trace for row in trace["customdata"]]
    assert documents and not cut(documents)
    assert any("<br>" in d for d in documents)  # a long citation wraps
    assert all(len(line) <= 70 for d in documents for line in d.replace("&amp;", "&").split("<br>"))
