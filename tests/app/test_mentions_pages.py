"""Figures no indicator took, in the app: the documents' coverage, the reader's toggle that marks
and lists them, and the review page's assignment of one to an indicator (a correction replayed by
every build). The warehouses are built by the product's ETL; their mentions are the extractor's
own plus the stand-ins of tests/mention_stand_in.py, so no test depends on which the extractor finds."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.auth import hash_password
from etl.build import build_warehouse
from etl.corrections import ASSIGN_RULE, load_corrections
from tests.app.conftest import reader, texts
from tests.app.test_import_page import PASSWORD, open_import, sign_in
from tests.conftest import ROOT, rows
from tests.mention_stand_in import stand_in_mentions

DOC = "004_f3cae4251c6f1b42.txt"


@pytest.fixture
def site_build():
    """``site``'s warehouse holds unassigned figures: the extractor's and the stand-ins'."""

    def build(raw, db):
        with stand_in_mentions():
            build_warehouse(raw, db, workers=1)

    return build


def open_documents(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/van_ban.py")
    return at.run()


def coverage_percent(db, doc_id: str) -> int:
    (share,) = rows(db, f"SELECT coverage FROM document_coverage WHERE doc_id = '{doc_id}'")[0]  # noqa: S608
    return int(share * 100 + 1e-9)


def test_the_documents_list_shows_each_documents_coverage(site):
    at = open_documents()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert "Độ phủ" in table.columns
    shown = dict(zip(table["Văn bản"], table["Độ phủ"], strict=True))  # a report by its citation, not its file
    name = next(n for n in shown if "cải cách hành chính và dân chủ" in n)  # DOC's title
    assert shown[name] == f"{coverage_percent(site['db'], DOC)}%"
    assert all(v.endswith("%") for v in shown.values())


def test_the_reader_shows_coverage_and_on_request_marks_and_lists_unassigned_figures(site):
    at = open_documents(van_ban=DOC)
    assert not at.exception, at.exception
    assert f"Độ phủ: {coverage_percent(site['db'], DOC)}% số liệu đã gán chỉ tiêu" in texts(at)
    body = reader(at)
    assert '<mark class="chinh" title="Camera giao thông tập trung">Tổng 259 camera</mark>' in body
    assert 'class="chua-gan"' not in body
    assert len(at.dataframe) == 1  # only the documents list

    at.toggle(key="chua_gan").set_value(True).run()
    assert not at.exception, at.exception
    body = reader(at)
    unassigned = rows(
        site["db"], f"SELECT quote, measure, reason FROM mentions WHERE doc_id = '{DOC}' ORDER BY char_start"
    )  # noqa: S608
    assert unassigned, "the stand-ins give the sample report unassigned figures"
    assert '<mark class="chinh" title="Camera giao thông tập trung">Tổng 259 camera</mark>' in body  # still there
    clear = rows(site["db"], f"""
        SELECT count(*) FROM mentions m WHERE doc_id = '{DOC}' AND NOT EXISTS (
            SELECT 1 FROM (SELECT doc_id, char_start, char_end FROM facts
                           UNION ALL SELECT doc_id, char_start, char_end FROM mentions) o
            WHERE o.doc_id = m.doc_id AND o.char_start < m.char_end AND m.char_start < o.char_end
              AND (o.char_start, o.char_end) <> (m.char_start, m.char_end))""")[0][0]  # noqa: S608 # fmt: skip
    marked = body.count('<mark class="chua-gan"')  # each in a colour of its own; overlapping spans mark once
    assert clear <= marked <= len(unassigned) and marked > 0
    assert f'title="chưa gán: {unassigned[0][1]}"' in body
    listed = at.dataframe[1].value
    assert list(listed.columns) == ["Giá trị", "Đơn vị đo", "Lý do chưa gán", "Trích dẫn"]  # no offsets
    quantities = [u for u in unassigned if not u[0].startswith("1022 ")]  # "Tổng đài 1022 Tây Ninh" names a line
    assert len(listed) == len(quantities) < len(unassigned)
    assert list(listed["Trích dẫn"]) == [" ".join(q.split()) for q, _, _ in quantities]
    assert set(listed["Lý do chưa gán"]) == {r for _, _, r in quantities}
    assert 'title="chưa gán: tây ninh' not in body and "1.022 tây ninh" not in body
    assert "Số liệu chưa gán chỉ tiêu" in texts(at)


def test_a_link_opens_the_reader_with_unassigned_figures_shown(site):
    at = open_documents(van_ban=DOC, chua_gan="true")
    assert not at.exception, at.exception
    assert at.toggle(key="chua_gan").value is True
    assert '<mark class="chua-gan"' in reader(at)


@pytest.mark.slow
def test_an_editor_assigns_an_unassigned_figure_and_every_build_keeps_it(site, monkeypatch):
    db = site["db"]
    con = duckdb.connect(str(db), read_only=True)
    try:  # the unassigned figures as the page lists them (a number naming a line is none)
        shown = queries.mentions(con, DOC)
    finally:
        con.close()
    unassigned = list(shown[["mention_key", "char_start", "char_end", "value"]].itertuples(index=False, name=None))
    key, start, end, value = unassigned[1]  # not the one the form shows first
    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    at.selectbox(key="van_ban_sua").select(DOC).run()
    picker = at.selectbox(key="chua_gan_cu")
    assert len(picker.options) == len(unassigned) and picker.value == unassigned[0][0]
    picker.select(key)
    at.selectbox(key="gan_chi_tieu_cu").select("camera_traffic_total")
    at.text_input(key="ly_do_gan_cu").input("Số camera lắp thêm, câu văn không nêu chữ 'camera giao thông'")
    next(b for b in at.button if b.label == "Ghi nhận gán chỉ tiêu").click().run()
    assert not at.exception, at.exception
    assert any("Đã ghi nhận gán chỉ tiêu" in s.value for s in at.success)
    at.button(key="luu_sua").click().run()  # through `python -m etl correct`, which logs and rebuilds
    assert not at.exception, at.exception
    assert any("1 sửa đổi" in s.value for s in at.success)
    (logged,) = load_corrections(site["log"])
    assert (logged.field, logged.fact_key, logged.new_value, logged.who) == (
        "assign", key, "camera_traffic_total", "Nguyễn Văn A")  # fmt: skip
    assert logged.why.startswith("Số camera lắp thêm")
    with stand_in_mentions():  # a rebuild from the originals and the log, as every build replays it
        build_warehouse(site["raw"], db, workers=1)
    made = f"SELECT indicator, value, status, rule FROM facts WHERE doc_id = '{DOC}' AND char_start = {start}"  # noqa: S608
    made += f" AND char_end = {end}"
    assert rows(db, made) == [("camera_traffic_total", value, "corrected", ASSIGN_RULE)]
    left = f"SELECT count(*) FROM mentions WHERE doc_id = '{DOC}' AND mention_key = '{key}'"  # noqa: S608
    assert rows(db, left) == [(0,)]
    assert rows(db, "SELECT field, applied FROM corrections") == [("assign", True)]


def test_an_assignment_needs_an_indicator_and_a_reason(site, monkeypatch):
    at = sign_in(open_import(monkeypatch, hash_password(PASSWORD)))
    at.selectbox(key="van_ban_sua").select(DOC).run()
    submit = next(b for b in at.button if b.label == "Ghi nhận gán chỉ tiêu")
    submit.click().run()
    assert "Cần chọn chỉ tiêu" in at.error[0].value
    at.selectbox(key="gan_chi_tieu_cu").select("camera_traffic_total")
    next(b for b in at.button if b.label == "Ghi nhận gán chỉ tiêu").click().run()
    assert "Cần ghi lý do" in at.error[0].value
    assert len([b for b in at.button if b.key == "luu_sua"]) == 0
