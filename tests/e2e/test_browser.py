"""The dashboard as a user meets it: a real server, a real browser, real downloads."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import urllib.parse

import openpyxl
import pytest

from dashboard.pages import PAGES as PAGE_LIST
from tests.e2e.conftest import no_exception_box, open_page, settle, shot, soffice

pytestmark = pytest.mark.browser
NAV = [p.title for p in PAGE_LIST]


def count_caption(pg) -> int:
    text = pg.get_by_text(re.compile(r"^\d+ số liệu$")).first.inner_text()
    return int(text.split()[0])


def test_every_page_opens_from_the_navigation(page, server):
    open_page(page, server)
    for name in NAV:
        page.locator('[data-testid="stSidebarNavLink"]', has_text=name).click()
        settle(page)
        assert page.locator("h1", has_text=name).count() == 1, f"{name}: no heading naming the page"
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
    with page.expect_download(timeout=90_000) as info:  # the workbook is made on the click: a loaded machine
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
    evidence = page.get_by_text(re.compile("Hồ sơ thủ tục hành chính tiếp nhận: "))
    assert evidence.count() == 1
    assert page.get_by_text("tiếp nhận 37 hồ sơ").count() >= 1
    shot(page, "trend-evidence")
    no_exception_box(page)


# --- issue 14: a dashboard an official uses without help ------------------------------------

# a stored file name officials never see: a sample's '000_542a35844e80859c.txt', an upload's sha256
HASHED = re.compile(r"\d{3}_[0-9a-f]{16}|[0-9a-f]{64}")
ENGLISH = ["Select all", "Select 2", "Download", "Print", "Record a screencast", "Record screen", "Page not found",
           "Running", "Press Enter", "Deploy", "Ask Google", "Ask ChatGPT", "Traceback", "Drag and drop",
           "Browse files", "No results", "Clear caches", "Settings", "Copy", "Skip to main"]  # fmt: skip
PAGES = [p.url_path for p in PAGE_LIST]
_TEXT_OUTSIDE_TABLES = """() => { const b = document.body.cloneNode(true);
  b.querySelectorAll('[data-testid="stDataFrame"]').forEach(e => e.remove()); return b.innerText; }"""
_COLUMN = """(name) => [...document.querySelectorAll('[data-testid="stDataFrame"] table')].flatMap(t => {
  const i = [...t.querySelectorAll('th')].findIndex(h => h.innerText.trim() === name);
  return i < 0 ? [] : [...t.querySelectorAll('tbody tr')].map(r => (r.children[i] || {}).innerText || ''); })"""


def _grid_lines(image, axis: str) -> list[int]:
    """Positions of the data grid's cell borders (one light grey across nearly the whole canvas)."""
    from collections import Counter

    width, height = image.size
    span, other = (width, height) if axis == "x" else (height, width)
    lines = []
    for a in range(span):
        pixels = [image.getpixel((a, b) if axis == "x" else (b, a)) for b in range(0, other, 3)]
        colour, n = Counter(pixels).most_common(1)[0]
        if n > 0.85 * len(pixels) and 215 < sum(colour) / 3 < 240:
            lines.append(a)
    return lines


def test_tra_cuu_shows_every_figure_in_full(page, server):
    """The cell is read twice: its text (the grid's accessible copy) and its pixels (no digit cut off)."""
    import io as _io

    from PIL import Image

    open_page(page, server, "tra_cuu?tinh=" + urllib.parse.quote("Tây Ninh") + "&nam=2024&nam=2024")
    page.wait_for_selector('[data-testid="stDataFrame"] td:has-text("9280000000")', state="attached")
    cell = page.locator('[data-testid="stDataFrame"] td', has_text="9280000000").first
    assert cell.count() == 1  # the figure is on screen as a number
    page.wait_for_timeout(500)  # the grid draws its canvas after the accessible copy
    row = int(cell.locator("xpath=..").get_attribute("aria-rowindex")) - 2  # 0 = first body row
    column = int(cell.get_attribute("aria-colindex"))  # 1 = first data column (after the selection boxes)
    canvas = Image.open(_io.BytesIO(page.locator('[data-testid="stDataFrame"] canvas').first.screenshot()))
    canvas = canvas.convert("RGB")
    xs = _grid_lines(canvas, "x")  # xs[0]: right edge of the selection boxes
    ys = [y for y in _grid_lines(canvas, "y") if y > 5]  # ys[0]: bottom of the header row
    left, right = xs[column - 1], xs[column]
    top, bottom = ys[row], ys[row + 1]
    dark = [x for x in range(left + 1, right) for y in range(top + 2, bottom - 1)
            if sum(canvas.getpixel((x, y))) / 3 < 150]  # fmt: skip
    assert dark, "no text drawn in the Giá trị cell"
    assert min(dark) - left >= 6, "the figure touches the cell's left edge: its first digits are cut off"
    assert max(dark) - min(dark) >= 13 * 5  # all of '9.280.000.000' is drawn, not '280.000.000'
    shot(page, "tra-cuu-full-values")


def test_search_without_diacritics_finds_rows(page, server):
    open_page(page, server, "tra_cuu?tim=" + urllib.parse.quote("hồ sơ"))
    with_marks = count_caption(page)
    open_page(page, server, "tra_cuu?tim=" + urllib.parse.quote("ho so"))
    assert count_caption(page) == with_marks > 0
    open_page(page, server, "tra_cuu?tim=1022")
    assert count_caption(page) > 0


def test_no_hashed_file_name_where_a_title_exists(page, server):
    for path in PAGES:
        open_page(page, server, path)
        shown = page.evaluate(_TEXT_OUTSIDE_TABLES)
        assert not HASHED.search(shown), f"/{path}: {HASHED.search(shown).group(0)}"
        assert not HASHED.search(page.url), page.url
    # Theo dõi lists the years a province sent nothing first (2020–2023): its 2024 rows are the cited ones;
    # a grid puts only the columns on screen into the page, and whole citations make tables wide
    page.set_viewport_size({"width": 3200, "height": 1200})
    for path in ("tra_cuu", "van_ban", "theo_doi?nam=2024&nam=2024"):
        open_page(page, server, path)
        page.wait_for_selector('[data-testid="stDataFrame"] td', state="attached")
        cited = [c for c in page.evaluate(_COLUMN, "Văn bản") if c]
        assert cited and all(c.startswith("Báo cáo") and not HASHED.search(c) for c in cited), (path, cited[:3])
    open_page(page, server, "xu_huong?tinh=" + urllib.parse.quote("Tây Ninh"))
    page.locator(".scatterlayer .point").first.hover(force=True)
    page.wait_for_selector(".hoverlayer .hovertext")
    hover = page.locator(".hoverlayer").text_content()
    assert "Nguồn: Báo cáo" in hover and not HASHED.search(hover)


def test_a_report_link_holds_a_short_id_and_an_old_link_still_opens(page, server):
    open_page(page, server, "van_ban?van_ban=004_f3cae4251c6f1b42.txt")  # a link made before: the stored name
    assert page.locator("h3", has_text="Sở TT&TT Tây Ninh").count() == 1  # the report is open, by its citation
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert query.get("van_ban") and not HASHED.search(query["van_ban"][0])
    assert not HASHED.search(page.evaluate(_TEXT_OUTSIDE_TABLES))  # its caption too
    no_exception_box(page)


def test_so_sanh_follows_the_province_and_year_filters(page, server):
    query = "tinh=" + urllib.parse.quote("Trà Vinh") + "&tinh=" + urllib.parse.quote("Tây Ninh") + "&nam=2022&nam=2022"
    open_page(page, server, "so_sanh?" + query)
    no_exception_box(page)
    assert page.get_by_text("Các tỉnh so sánh").count() == 0  # the sidebar's provinces, no second picker
    assert page.get_by_text("So sánh các tỉnh chọn ở bộ lọc bên trái").count() == 1
    page.locator('[data-testid="stDataFrame"]').nth(1).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    years = {c for c in page.evaluate(_COLUMN, "Năm") if c}
    assert years == {"2022"}
    open_page(page, server, "so_sanh")
    page.wait_for_selector(".barlayer .bartext")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert 0 < charts.count() <= 12  # one compact chart per group and unit, not one per indicator (67)
    assert page.locator(".barlayer .bartext").count() > 0  # the values are written on the bars
    shot(page, "so-sanh-redesign")


def test_every_page_speaks_vietnamese(page, server):
    for path in [*PAGES, "khong_co_trang_nay"]:
        open_page(page, server, path)
        page.wait_for_timeout(300)
        shown = page.locator("body").inner_text()
        leaks = [e for e in ENGLISH if e in shown]
        assert not leaks, f"/{path}: {leaks}"
    assert page.get_by_text("Không tìm thấy trang").count() >= 1  # the last one: an unknown page
    open_page(page, server, "tra_cuu")
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.wait_for_timeout(400)
    assert page.get_by_text("Select all").count() == 0
    page.keyboard.type("T")
    page.wait_for_timeout(400)
    assert page.get_by_text(re.compile(r"^Select \d+ match")).count() == 0
    page.keyboard.press("Escape")
    assert page.locator(".modebar").count() == 0 or not page.locator(".modebar").first.is_visible()


def test_a_damaged_warehouse_shows_a_vietnamese_message(page, tmp_path):
    from tests.e2e.conftest import serve

    bad = tmp_path / "warehouse.duckdb"
    bad.write_bytes(b"not a warehouse " * 4096)
    with serve(bad) as damaged:
        open_page(page, damaged, "tra_cuu")
        shown = page.locator("body").inner_text()
        assert "Không đọc được kho dữ liệu" in shown
        assert not [e for e in ENGLISH if e in shown] and "Error" not in shown
        assert "cannot read the warehouse" in damaged["log"].read_text()  # the details go to the server log


@pytest.mark.parametrize(
    ("path", "where", "typed", "found"),
    [
        ("tra_cuu", "stSidebar", "tra vinh", "Trà Vinh"),  # the sidebar's Tỉnh
        ("chat_luong", "stMainBlockContainer", "canh bao", "Cảnh báo"),  # Mức độ
        ("xu_huong", "stMainBlockContainer", "xep hang", "Xếp hạng chỉ số chuyển đổi số (DTI) cấp tỉnh"),  # Chỉ tiêu
    ],
)
def test_lists_match_without_tone_marks(page, server, path, where, typed, found):
    open_page(page, server, path)
    page.locator(f'[data-testid="{where}"] [data-testid="stMultiSelect"]').first.click()
    page.wait_for_selector('[role="listbox"]')
    page.keyboard.type(typed, delay=30)
    option = page.get_by_role("option", name=found, exact=True)
    try:
        option.wait_for(timeout=5_000)
    except Exception as error:  # noqa: BLE001 - the screenshot names the page
        raise AssertionError(f"{typed!r} did not find {found!r}: {shot(page, f'khong-dau-{path}')}") from error
    page.keyboard.press("Escape")
