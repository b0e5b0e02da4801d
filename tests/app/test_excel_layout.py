"""Excel exports as officials print and read them: landscape, one page wide, the header on every
page; a rank with the number of provinces ranked; no text cut with '…'."""

from __future__ import annotations

import io

import openpyxl
import pytest
import streamlit as st

from dashboard import queries
from dashboard.db import connect
from dashboard.excel import facts_workbook, findings_workbook
from dashboard.filters import Filters


@pytest.fixture
def con(warehouse):
    c = connect(warehouse)
    yield c
    c.close()


def _books(con) -> dict[str, openpyxl.Workbook]:
    facts = queries.facts(con, Filters(provinces=("Tây Ninh",)))
    found = queries.findings(con, Filters())
    evidence = queries.findings_evidence(con, list(found["finding_id"]))
    return {
        "facts": openpyxl.load_workbook(io.BytesIO(facts_workbook(facts, Filters(), None))),
        "findings": openpyxl.load_workbook(io.BytesIO(findings_workbook(found, evidence, Filters(), None))),
    }


def test_every_exported_sheet_prints_landscape_one_page_wide_with_its_header_on_each_page(con):
    for book in _books(con).values():
        for ws in book.worksheets:
            assert ws.page_setup.orientation == "landscape", ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            setup = ws.page_setup  # fitToWidth left out of the file means its default, 1
            assert (int(setup.fitToWidth or 1), int(setup.fitToHeight)) == (1, 0), ws.title
            assert ws.print_title_rows == "$1:$1", ws.title
            assert ws.page_setup.paperSize == 9, ws.title  # A4


def test_a_rank_is_exported_with_the_number_of_provinces_ranked(con):
    rows = queries.facts(con, Filters(provinces=("Tây Ninh",)), ("dti_rank", "par_index_rank"))
    ws = openpyxl.load_workbook(io.BytesIO(facts_workbook(rows, Filters(), None)))["Số liệu"]
    values = {(r[4], r[5]) for r in ws.iter_rows(min_row=2, values_only=True)}
    dti = "Xếp hạng chỉ số chuyển đổi số (DTI) cấp tỉnh"
    assert {(dti, "40/63"), (dti, "44/63")} <= values  # the warehouse keeps 'out of 63' (facts.denominator)
    assert any(isinstance(v, int) and v == 3 for _, v in values)  # PAR INDEX rank 3: no total stated, a number


def test_long_texts_are_whole_and_wrapped(con):
    for book in _books(con).values():
        for ws in book.worksheets:
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and len(cell.value) > 58:
                        assert cell.alignment.wrap_text, (ws.title, cell.coordinate)
            for letter, dim in ws.column_dimensions.items():
                assert dim.width is None or dim.width <= 62, (ws.title, letter)


def test_the_findings_excel_of_the_quality_page_cuts_no_text(app, con, monkeypatch):
    """The file the page offers: each document named by its whole citation, never '…'."""
    offered: dict[str, object] = {}
    real = st.download_button

    def spy(label: str, data: object, *args: object, **kwargs: object) -> object:
        offered[str(kwargs.get("key"))] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = app("pages/chat_luong.py")
    assert not at.exception, at.exception
    data = offered["excel_phat_hien"]
    data = data() if callable(data) else data  # the file is made when the button is clicked
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not [c for c in cells if c.endswith("…")]
    documents = queries.documents(con, Filters())
    long_title = documents[documents["doc_id"] == "004_f3cae4251c6f1b42.txt"]["title"].iloc[0]
    assert any(" ".join(long_title.split()).lower() in c.lower() for c in cells)
