"""The tables and evidence boxes pages show (dashboard/tables.py, dashboard/widgets.py)."""

from __future__ import annotations

import pytest

from dashboard import queries, tables, widgets
from dashboard.db import connect
from dashboard.filters import Filters


@pytest.fixture
def con(warehouse):
    c = connect(warehouse)
    yield c
    c.close()


def test_what_qualifies_a_figure_sits_next_to_it_in_the_explorer(con):
    rows = queries.facts(con, Filters(), ("app_downloads",))  # 'hơn 500.000 lượt tải'
    rows = rows.assign(status=["rejected"] + ["extracted"] * (len(rows) - 1))
    table = tables.explorer_table(rows).data
    assert list(table.columns[:8]) == ["Chỉ tiêu", "Giá trị", "Đơn vị", "Kỳ", "Tỉnh", "Ghi chú số liệu",
                                       "Trạng thái", "Kiểm tra"]  # fmt: skip
    assert "hơn" in set(table["Ghi chú số liệu"]) and table["Trạng thái"].iloc[0] == "đã loại"


def test_the_evidence_box_says_the_qualifier_before_the_value(con):
    rows = queries.facts(con, Filters(), ("app_downloads",))
    row = rows[rows["qualifier"] == "at_least"].iloc[0].to_dict()  # 'hơn 500.000 lượt tải'
    assert widgets.figure_text(row) == "hơn 500.000 lượt"
    assert widgets.figure_text({**row, "qualifier": "exact"}) == "500.000 lượt"
    assert widgets.figure_text({**row, "qualifier": "about"}) == "khoảng 500.000 lượt"
