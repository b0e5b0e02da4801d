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
    rows = queries.facts(con, Filters(), ("app_downloads", "tthc_received"))  # 'hơn 500.000 lượt tải'; ✖ 36 → 31
    rows = rows.assign(status=["rejected"] + ["extracted"] * (len(rows) - 1))
    table = tables.explorer_table(rows).data
    assert list(table.columns[:6]) == ["Chỉ tiêu", "Giá trị", "Đơn vị", "Kỳ", "Tỉnh", "Ghi chú"]
    notes = table["Ghi chú"].tolist()
    assert notes[0].startswith(("hơn", "khoảng", "đã loại")) and "đã loại" in notes[0]
    assert any(n == "hơn" for n in notes) and any(n == "✖ Lỗi" for n in notes)
    assert "" in notes  # an exact, extracted figure without a finding: nothing to say


def test_the_evidence_box_says_the_qualifier_before_the_value(con):
    rows = queries.facts(con, Filters(), ("app_downloads",))
    row = rows[rows["qualifier"] == "at_least"].iloc[0].to_dict()  # 'hơn 500.000 lượt tải'
    assert widgets.figure_text(row) == "hơn 500.000 lượt"
    assert widgets.figure_text({**row, "qualifier": "exact"}) == "500.000 lượt"
    assert widgets.figure_text({**row, "qualifier": "about"}) == "khoảng 500.000 lượt"
