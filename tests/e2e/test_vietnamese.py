"""Issue 21 (minor): every page in a vi-VN and an en-US browser, with a table's toolbar, its list of
columns and its column menu open, the date pickers open and the editor's forms, shows no English
word of Streamlit's — in what is on screen or in a tooltip or label — and no exception."""

from __future__ import annotations

import re

import pytest

from dashboard.auth import hash_password
from dashboard.pages import PAGES
from tests.e2e.conftest import no_exception_box, open_page, serve, settle

pytestmark = pytest.mark.browser
LOCALES = ["vi-VN", "en-US"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ENGLISH = ["Clear selection", "Show/hide columns", "(index)", "Date range", "Select...", "Select all", "Show password",
           "Hide password", "Search", "Download as CSV", "Fullscreen", "— start", "— end", "TEXT", "Running", "Stop",
           "Deploy", "Rerun", "Choose an option", "Sort ascending", "Sort descending", "Pin column", "Hide column",
           "Autosize", "Format", "Copy column name", "Statistics", "Collapse sidebar", "Expand sidebar",
           "Link to heading", "Choose date", "Previous month", "Next month", "Selected Range", "selected", "Past Week",
           "Past Month", "No results", "Press Enter", "Drag and drop", "Browse files", "per file", "Page not found",
           "Clear date", *MONTHS, *DAYS]  # fmt: skip
LEAK = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(e)}(?![A-Za-z])" for e in ENGLISH))
PASSWORD = "mật khẩu thử nghiệm"
# What an official reads: the text on screen (not icons' ligature names, scripts or styles) and every
# tooltip, label and placeholder (a toolbar's buttons carry theirs before they are shown)
_SHOWN = """() => { const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.nodeValue.trim() || el.closest('script, style, [data-testid="stIconMaterial"]')) continue;
    if (el.checkVisibility()) out.push(n.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]'))
    for (const a of ['title', 'aria-label', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  return out; }"""


def leaks(pg) -> list[str]:
    """Streamlit's English as the page has it now (after its script has had a moment to rewrite it)."""
    pg.wait_for_timeout(400)
    return sorted({s for s in pg.evaluate(_SHOWN) if LEAK.search(s)})


@pytest.fixture(params=LOCALES)
def localized(browser, request):
    """A page in a browser speaking ``request.param``."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale=request.param)
    pg = context.new_page()
    pg.console_errors = []
    request.node.e2e_page = pg
    yield pg
    context.close()


def _table_menus(pg) -> list[str]:
    """A table's toolbar, its list of columns and a column's menu with its statistics, each opened."""
    found = []
    table = pg.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    table.hover()
    found += leaks(pg)
    columns = pg.locator('[data-testid="stElementToolbarButton"] button').filter(
        has=pg.locator("xpath=self::*[@aria-label='Hiện/ẩn cột' or @aria-label='Show/hide columns']"))
    if columns.count():
        columns.first.click()
        found += leaks(pg)
        pg.keyboard.press("Escape")
    box = table.bounding_box()
    table.hover()
    pg.mouse.click(box["x"] + 150, box["y"] + 18)  # the first column's heading opens its menu
    found += leaks(pg)
    statistics = pg.get_by_text(re.compile("^(Thống kê|Statistics)$"))
    if statistics.count() and statistics.first.is_visible():
        statistics.first.hover()
        found += leaks(pg)
    pg.keyboard.press("Escape")
    return found


def _date_picker(pg) -> list[str]:
    """Báo cáo tổng hợp's own period: its calendar and quick choices, opened."""
    pg.locator('[data-testid="stSelectbox"]').filter(has_text="Kỳ báo cáo").click()
    pg.get_by_role("option", name="Tùy chọn").click()
    settle(pg)
    pg.locator('[data-testid="stDateInput"] button').first.click()
    found = leaks(pg)
    quick = pg.locator('[data-testid="stDateInputQuickSelect"] button')
    if quick.count():
        quick.first.click()
        found += leaks(pg)
    pg.keyboard.press("Escape")
    return found


def test_every_page_has_no_english_in_either_locale(localized, server):
    pg = localized
    for page in PAGES:
        open_page(pg, server, page.url_path)
        found = leaks(pg)
        if pg.locator('[data-testid="stDataFrame"]').count():
            found += _table_menus(pg)
        if page.url_path == "bao_cao_tong_hop":
            found += _date_picker(pg)
        assert not found, f"/{page.url_path}: {sorted(set(found))}"
        no_exception_box(pg)
    open_page(pg, server, "khong_co_trang_nay")
    assert not leaks(pg)


def test_the_editors_forms_have_no_english_in_either_locale(localized, server, monkeypatch):
    pg = localized
    monkeypatch.setenv("EDITOR_PASSWORD_HASH", hash_password(PASSWORD))
    with serve(server["db"], name="editor") as editor:
        open_page(pg, editor, "nhap_bao_cao")
        pg.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        found = leaks(pg)  # the sign-in form, its eye button included
        pg.get_by_label("Họ tên biên tập viên").fill("Nguyễn Văn A")
        pg.get_by_role("button", name="Đăng nhập").click()
        settle(pg)
        found += leaks(pg)
        pg.get_by_role("tab", name="Sửa số liệu đã công bố").click()
        settle(pg)
        picker = pg.locator('[data-testid="stDateInput"]').filter(has_text="Kỳ mới: từ ngày")
        picker.locator("button").first.click()
        found += leaks(pg)
        pg.keyboard.press("Escape")
        assert not found, sorted(set(found))
        no_exception_box(pg)
