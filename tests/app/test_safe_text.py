"""Hostile text never breaks an export: a report whose words hold control characters, terminal
escapes, a character XML cannot hold and formula-like starts goes out through the Tra cứu export
(Excel, and CSV above Excel's row limit), the findings export and the compiled report (.docx and
its Excel annex), and every file opens with its words, no control character, and every
formula-like text stored as text."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile

import docx
import duckdb
import openpyxl
import pytest

from dashboard import queries
from dashboard.compiled_cli import generate
from dashboard.db import connect
from dashboard.excel import facts_workbook, findings_workbook, rows_csv
from dashboard.filters import Filters
from dashboard.safe_text import formula_like, safe_text
from etl.serving import write_serving
from tests.app.test_compiled_report import TAY_NINH_2024

CONTROLS = "\x01\x02\x07\x1b[31m\x7f"
NOISE = f"{CONTROLS}đỏ\x1b[0m\ufffe\x0b\x1f"
# (column, its hostile start): each column of a report's text starts like a formula in its own way
STARTS = {
    "title": '=HYPERLINK("http://evil.example","bấm vào")',
    "file_name": "@SUM(1+1)",
    "quote": "+1",
    "sentence": "-2",
    "label_vi": "\t=1+1",
    "message": "\r=cmd|' /C calc'!A0",
}
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("a\x01\x02\x07b", "a b"),
        ("\x1b[31mđỏ\x1b[0m hết", "đỏ hết"),
        ("x\x1b]0;title\x07y", "xy"),
        ("a\ufffeb\uffffc\ud800d", "abcd"),
        ("tab\tand\nline\r", "tab\tand\nline\r"),
        ("DEL\x7fC1\x85", "DEL C1 "),
        ("Hồ sơ 1.234", "Hồ sơ 1.234"),
    ],
)
def test_safe_text_removes_controls_and_what_xml_cannot_hold(text, safe):
    assert safe_text(text) == safe


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r\n=A1", " =A1"])
def test_formula_like_starts_are_told(text):
    assert formula_like(text)


@pytest.mark.parametrize("text", ["1+1", "Tây Ninh", "", "a=b", "(=1)"])
def test_other_texts_are_not_formula_like(text):
    assert not formula_like(text)


@pytest.fixture(scope="module")
def hostile_db(warehouse, tmp_path_factory):
    """The test warehouse with every report text, figure label and finding message starting like a
    formula and carrying control characters, escapes and U+FFFE, as a hostile report could."""
    db = tmp_path_factory.mktemp("unsafe") / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE documents SET title = ? || ' ' || coalesce(title, ''), file_name = ? || ' ' || file_name",
                    [STARTS["title"] + NOISE, STARTS["file_name"] + NOISE])  # fmt: skip
        con.execute("UPDATE facts SET quote = ? || ' ' || quote, sentence = ? || ' ' || sentence",
                    [STARTS["quote"] + NOISE, STARTS["sentence"] + NOISE])  # fmt: skip
        con.execute("UPDATE indicators SET label_vi = ? || ' ' || label_vi", [STARTS["label_vi"] + NOISE])
        con.execute("UPDATE findings SET message = ? || ' ' || message", [STARTS["message"] + NOISE])
        write_serving(con)  # the serving tables answer from what the tables now hold, as a build's would
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def con(hostile_db):
    c = connect(hostile_db)
    yield c
    c.close()


def _cells(data: bytes) -> list[openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def assert_safe_workbook(data: bytes) -> list[str]:
    """The workbook opens; no control character, no formula anywhere; every formula-like text is a
    string cell with Excel's quote prefix; numbers are still numbers. Returns its texts."""
    cells = _cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert not [c.value for c in texts if UNSAFE.search(c.value)]
    risky = [c for c in texts if formula_like(c.value)]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert not [c.value for c in texts if not formula_like(c.value) and c.quotePrefix]
    assert any(isinstance(c.value, int | float) and not isinstance(c.value, bool) for c in cells)
    return [c.value for c in texts]


def _holds_every_start(texts: list[str], columns: tuple[str, ...]) -> None:
    """Each hostile start survives as the readable text it was, its noise gone (words kept)."""
    for column in columns:
        start = " ".join(STARTS[column].split())
        assert any(t.startswith(start) and "đỏ" in t and "[31m" not in t for t in texts), column


def test_the_explorer_export_of_a_hostile_report_opens_with_its_words(con):
    filters = Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024)
    rows = queries.facts(con, filters)
    texts = assert_safe_workbook(facts_workbook(rows, filters, None))
    _holds_every_start(texts, ("label_vi", "quote", "sentence", "file_name"))
    assert any(t.startswith("Báo cáo") and "=HYPERLINK" in t for t in texts)  # the title inside a citation
    values = openpyxl.load_workbook(io.BytesIO(facts_workbook(rows, filters, None)))["Số liệu"]
    assert sorted(r[5] for r in values.iter_rows(min_row=2, values_only=True) if r[4].endswith("tiếp nhận")
                  and "Hồ sơ thủ tục hành chính" in r[4]) == [31, 36]  # fmt: skip


def test_the_findings_export_of_hostile_findings_opens_with_their_words(con):
    found = queries.findings(con, Filters())
    evidence = queries.findings_evidence(con, list(found["finding_id"]))
    texts = assert_safe_workbook(findings_workbook(found, evidence, Filters(), None))
    _holds_every_start(texts, ("message", "label_vi", "sentence"))


def test_the_compiled_report_of_a_hostile_report_opens_with_its_words(hostile_db):
    _, document, annex = generate(hostile_db, TAY_NINH_2024)
    _holds_every_start(assert_safe_workbook(annex), ("label_vi", "quote", "sentence", "file_name"))
    opened = docx.Document(io.BytesIO(document))
    xml = "".join(zipfile.ZipFile(io.BytesIO(document)).read(n).decode("utf-8")
                  for n in ("word/document.xml", "word/footnotes.xml"))  # fmt: skip
    assert not UNSAFE.search(xml.replace("\t", "").replace("\n", "").replace("\r", ""))
    assert "[31m" not in xml and "đỏ" in xml
    cells = [c.text for t in opened.tables for row in t.rows for c in row.cells]
    assert any(c.lstrip().startswith("=1+1 đỏ") for c in cells)  # a label as written (its tab kept), minus its noise
    assert "@SUM(1+1)" in xml and "+1 " in xml and "HYPERLINK" in xml  # the file, quote and title in notes


def test_the_csv_export_of_a_hostile_report_runs_no_formula(con):
    """A CSV cell has no type: a spreadsheet would run '=…', so such a text starts with an apostrophe."""
    rows = queries.facts(con, Filters(provinces=("Tây Ninh",)))
    text = rows_csv(rows).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(rows) and not UNSAFE.search(text)
    cells = [v for row in table for v in row.values()]
    assert not [v for v in cells if formula_like(v)]
    for column in ("label_vi", "quote", "sentence", "file_name"):
        start = "'" + safe_text(STARTS[column] + NOISE)
        assert all(row[column].startswith(start) and "đỏ" in row[column] for row in table), column
    assert {float(row["value"]) for row in table} >= {31.0, 36.0}  # numbers stay numbers
