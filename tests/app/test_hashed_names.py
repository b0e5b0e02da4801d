"""No stored, hashed file name ('000_542a….txt', 'imports/<sha256>__…') reaches an official (issue
21): every string the pages render, the Văn bản link, the Excel export and the duplicate-upload
warning name a report by its citation, or by the name it was uploaded under."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.db import connect
from dashboard.excel import facts_workbook
from dashboard.filters import Filters
from tests.app.conftest import PAGES
from tests.app.test_import_page import PASSWORD, open_import, sign_in
from tests.conftest import RAW

# a sample's stored name (000_542a35844e80859c.txt) or an upload's content hash (imports/<sha256>__name)
HASHED = re.compile(r"\d{3}_[0-9a-f]{16}|[0-9a-f]{64}")
SAMPLE = "004_f3cae4251c6f1b42.txt"
_ALERTS = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader", "text")


def shown(at: AppTest) -> list[str]:
    """Every string the page renders: texts and alerts, metrics, widget labels and options (as the
    picker formats them), table cells and headings, HTML blocks."""
    out = [str(e.value) for kind in _ALERTS for e in at.get(kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    for widget in [*at.selectbox, *at.multiselect, *at.radio]:
        out += [str(widget.label), *map(str, widget.options)]
    out += [str(e.label) for kind in ("button", "download_button", "expander", "toggle") for e in at.get(kind)]
    for table in at.dataframe:
        frame = table.value
        out += [str(c) for c in frame.columns] + frame.astype(str).to_numpy().ravel().tolist()
    out += [h.proto.body for h in at.get("html")]
    return out


def hashed(at: AppTest) -> list[str]:
    assert not at.exception, at.exception
    plain = (text.replace("\\", "") for text in shown(at))  # Markdown's escapes: '004\\_f3ca…' is '004_f3ca…'
    return [text[:160] for text in plain if HASHED.search(text)]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_hashed_file_name(app, page):
    assert not hashed(app(page))


def test_the_document_reader_cites_its_report_and_its_link_holds_a_short_id(app):
    at = app("pages/van_ban.py", van_ban=SAMPLE)  # an old link, with the stored name, still opens it
    assert at.subheader and "Sở TT&TT Tây Ninh" in at.subheader[0].value.replace("\\", "")
    assert not hashed(at)
    short = at.query_params["van_ban"]
    short = short[0] if isinstance(short, list) else short
    assert short and not HASHED.search(short) and short != SAMPLE
    again = app("pages/van_ban.py", van_ban=short)  # the new link opens the same report
    assert again.subheader[0].value == at.subheader[0].value and not hashed(again)


def test_an_evidence_box_cites_the_report_not_the_file(app):
    at = app("pages/xu_huong.py", tinh="Tây Ninh")
    at.selectbox(key="diem_tthc_received").select_index(0).run()
    captions = [c.value for c in at.caption if c.value.startswith("Nguồn:")]
    assert captions and not hashed(at)


def test_the_findings_evidence_cites_the_report_not_the_file(app, warehouse):
    con = connect(warehouse)
    try:
        finding = queries.findings(con, Filters())["finding_id"].iloc[0]
    finally:
        con.close()
    at = app("pages/chat_luong.py", phat_hien=finding)
    assert [c.value for c in at.caption if c.value.startswith("Nguồn:")] and not hashed(at)


def test_the_excel_export_names_no_hashed_file(warehouse):
    con = connect(warehouse)
    try:
        rows = queries.facts(con, Filters())
    finally:
        con.close()
    book = openpyxl.load_workbook(io.BytesIO(facts_workbook(rows, Filters(), None)))
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "Tệp" in cells and not [c for c in cells if HASHED.search(c)]


def test_a_duplicate_upload_names_the_report_already_there(site, monkeypatch):
    from dashboard.auth import hash_password

    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    data = (RAW / SAMPLE).read_bytes()
    at.file_uploader(key="tai_len").set_value(("ban-sao.txt", data, "text/plain")).run()
    warnings = [w.value for w in at.warning if "đã có trong kho" in w.value]
    assert warnings and "Sở TT&TT Tây Ninh" in warnings[0].replace("\\", "")
    assert not hashed(at)
