"""Excel exports read back with openpyxl: the filtered rows, numbers as numbers, dates as dates."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from dashboard import queries
from dashboard.db import connect
from dashboard.excel import export_filename, facts_workbook, findings_workbook
from dashboard.filters import Filters
from tests.conftest import ROOT


@pytest.fixture
def con(warehouse):
    c = connect(warehouse)
    yield c
    c.close()


def test_workbook_holds_exactly_the_filtered_rows(con):
    filters = Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024)
    rows = queries.facts(con, filters)
    wb = openpyxl.load_workbook(io.BytesIO(facts_workbook(rows, filters, datetime(2026, 11, 21, 8, 0))))
    assert wb.sheetnames == ["Số liệu", "Nguồn", "Thông tin"]
    ws = wb["Số liệu"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["STT", "Tỉnh, thành phố", "Cơ quan", "Loại báo cáo", "Chỉ tiêu", "Giá trị", "Đơn vị"]
    body = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(body) == len(rows) > 0
    assert {r[1] for r in body} == {"Tây Ninh"}
    received = [r for r in body if r[4] == "Hồ sơ thủ tục hành chính tiếp nhận"]
    assert sorted(r[5] for r in received) == [31, 36]
    assert all(isinstance(r[5], (int, float)) for r in body)
    formats = {type(c.value): c.number_format for c in ws["F"][1:]}
    assert formats[int] == "#,##0"  # as the README says; '#,##0.##' would show '55.'
    assert formats.get(float, "#,##0.0#") == "#,##0.0#"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "the `#,##0` format, `#,##0.0#` for fractions" in " ".join(readme.split())  # README and file agree
    dates = [r[9] for r in body if r[9] is not None]
    assert dates and all(isinstance(d, datetime) for d in dates)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws.column_dimensions["E"].width > 20
    sources = list(wb["Nguồn"].iter_rows(min_row=2, values_only=True))
    assert [s[0] for s in sources] == [r[0] for r in body]
    assert [c.value for c in wb["Nguồn"][1]] == ["STT", "Văn bản", "Câu nguồn", "Cụm số liệu", "Trang", "Tệp"]
    assert all(s[1].startswith("Báo cáo") and "Sở TT&TT Tây Ninh" in s[1] for s in sources)  # cited by name
    assert all(s[3] and " ".join(s[3].split()) in s[2] and len(s[2]) > len(s[3]) for s in sources[:5])
    info = dict(wb["Thông tin"].iter_rows(min_row=2, values_only=True))
    assert info["Tỉnh, thành phố"] == "Tây Ninh" and info["Năm"] == "2024"
    assert info["Số dòng"] == len(rows)


def test_file_name_says_what_and_when():
    f = Filters(provinces=("Tây Ninh",), year_from=2024, year_to=2024)
    assert export_filename("Số liệu", f, date(2026, 11, 21)) == "so-lieu_tay-ninh_2024_2026-11-21.xlsx"
    assert export_filename("Số liệu", Filters(), date(2026, 11, 21)) == "so-lieu_2026-11-21.xlsx"


def test_empty_export_is_still_a_workbook():
    import pandas as pd

    wb = openpyxl.load_workbook(io.BytesIO(facts_workbook(pd.DataFrame(), Filters(), None)))
    assert wb["Số liệu"].max_row == 1


def test_the_information_sheet_records_the_search_and_the_pages_choices(con):
    filters = Filters(provinces=("Tây Ninh",))
    view = (("Tìm trong câu nguồn", "ho so"), ("Chỉ tiêu", ""))
    rows = queries.facts(con, filters, (), "ho so")
    info = dict(openpyxl.load_workbook(io.BytesIO(facts_workbook(rows, filters, None, view=view)))["Thông tin"]
                .iter_rows(min_row=2, values_only=True))  # fmt: skip
    assert info["Tìm trong câu nguồn"] == "ho so" and info["Chỉ tiêu"] == "tất cả"
    assert {"Cơ quan", "Loại báo cáo", "Nhóm chỉ tiêu", "Đơn vị hành chính"} <= set(info)
    found = queries.findings(con, Filters())
    findings = findings_workbook(found, pd.DataFrame(), Filters(), None, view=(("Mức độ", "Lỗi"), ("Kiểm tra", "")))
    info = dict(openpyxl.load_workbook(io.BytesIO(findings))["Thông tin"].iter_rows(min_row=2, values_only=True))
    assert info["Mức độ"] == "Lỗi" and info["Kiểm tra"] == "tất cả"


def test_different_views_get_different_file_names():
    day = date(2026, 11, 21)
    plain = export_filename("Số liệu", Filters(), day)
    searched = export_filename("Số liệu", Filters(), day, (("Tìm trong câu nguồn", "hồ sơ"),))
    assert searched == "so-lieu_ho-so_2026-11-21.xlsx"
    by_agency = export_filename("Số liệu", Filters(agencies=("Sở Nội vụ",)), day)
    by_group = export_filename("Số liệu", Filters(groups=("tthc",)), day)
    current = export_filename("Số liệu", Filters(units="current"), day)
    assert len({plain, searched, by_agency, by_group, current}) == 5
