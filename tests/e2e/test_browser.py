"""The dashboard as a user meets it: a real server, a real browser, real downloads."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import urllib.parse

import openpyxl
import pytest

from tests.e2e.conftest import no_exception_box, open_page, settle, shot, soffice

pytestmark = pytest.mark.browser
NAV = [
    "Tổng quan",
    "Xu hướng",
    "So sánh",
    "Tra cứu",
    "Văn bản",
    "Chất lượng dữ liệu",
    "Theo dõi nộp báo cáo",
    "Nhập báo cáo",
]


def count_caption(pg) -> int:
    text = pg.get_by_text(re.compile(r"^\d+ số liệu$")).first.inner_text()
    return int(text.split()[0])


def test_every_page_opens_from_the_navigation(page, server):
    open_page(page, server)
    for name in NAV:
        page.locator('[data-testid="stSidebarNavLink"]', has_text=name).click()
        settle(page)
        assert page.locator("h1", has_text=name.split()[0]).count() >= 1 or name == "So sánh"
        no_exception_box(page)
        shot(page, "page-" + name.lower().replace(" ", "-"))


def test_year_filter_through_the_ui_changes_the_table(page, server):
    open_page(page, server, "tra_cuu")
    before = count_caption(page)
    thumb = page.locator('[data-testid="stSidebar"]').get_by_role("slider").first
    thumb.focus()
    for _ in range(4):  # 2020 → 2024
        page.keyboard.press("ArrowRight")
    settle(page)
    assert "nam=2024" in page.url
    after = count_caption(page)
    assert 0 < after < before
    no_exception_box(page)


def test_excel_download_holds_the_filtered_rows(page, server, tmp_path):
    open_page(page, server, "tra_cuu?tinh=" + urllib.parse.quote("Tây Ninh") + "&nam=2024&nam=2024")
    expected = count_caption(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Tải Excel")).click()
    download = info.value
    assert re.fullmatch(r"so-lieu_tay-ninh_2024_\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    wb = openpyxl.load_workbook(path)
    rows = list(wb["Số liệu"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == expected
    assert {r[1] for r in rows} == {"Tây Ninh"}
    assert all(r[9] is None or r[9].year == 2024 for r in rows) and all(isinstance(r[5], (int, float)) for r in rows)
    if soffice():
        _check_with_libreoffice(path, rows, tmp_path)


def _check_with_libreoffice(path, rows, tmp_path) -> None:
    """A real spreadsheet program reads the same figures (UTF-8 CSV, or Vietnamese turns into '?')."""
    out = tmp_path / "csv"
    subprocess.run(
        [soffice(), "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out),
         str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = (out / (path.stem + ".csv")).read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["STT", "Tỉnh, thành phố", "Cơ quan"]
    assert len(table) - 1 == len(rows)
    by_label = {}
    for line in table[1:]:
        by_label.setdefault(line[4], []).append(line[5])
    assert sorted(by_label["Hồ sơ thủ tục hành chính tiếp nhận"]) == ["31", "36"]


@pytest.mark.skipif(soffice() is None, reason="libreoffice-calc-nogui not installed (.ci/run installs it)")
def test_libreoffice_is_present_for_the_excel_check():
    assert soffice()


def test_a_link_with_filters_opens_the_same_view(page, server):
    open_page(page, server, "tra_cuu?tinh=" + urllib.parse.quote("Trà Vinh"))
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"]').first
    assert chips.inner_text().strip().startswith("Trà Vinh")
    tra_vinh = count_caption(page)
    open_page(page, server, "tra_cuu")
    assert tra_vinh < count_caption(page)
    page.locator('[data-testid="stSidebarNavLink"]', has_text="So sánh").click()
    settle(page)
    assert "tinh=" not in page.url
    open_page(page, server, "tra_cuu?tinh=" + urllib.parse.quote("Trà Vinh"))
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Văn bản").click()
    settle(page)
    assert urllib.parse.unquote_plus(page.url).endswith("tinh=Trà Vinh")  # the filter follows across pages
    no_exception_box(page)


def test_a_bad_link_value_is_ignored_with_a_notice(page, server):
    open_page(page, server, "tra_cuu?tinh=" + urllib.parse.quote("' OR 1=1 --"))
    assert page.get_by_text("Đã bỏ qua giá trị không hợp lệ").count() == 1
    no_exception_box(page)


def test_trend_chart_point_shows_its_source(page, server):
    open_page(page, server, "xu_huong?tinh=" + urllib.parse.quote("Tây Ninh"))
    page.wait_for_selector(".main-svg")
    points = page.locator(".scatterlayer .point")
    assert points.count() == 3
    points.first.hover(force=True)
    page.wait_for_selector(".hoverlayer .hovertext")
    assert "Nguồn:" in page.locator(".hoverlayer").text_content()
    points.first.click(force=True)
    settle(page)
    evidence = page.get_by_text(re.compile("Hồ sơ thủ tục hành chính tiếp nhận —"))
    assert evidence.count() == 1
    assert page.get_by_text("tiếp nhận 37 hồ sơ").count() >= 1
    shot(page, "trend-evidence")
    no_exception_box(page)
