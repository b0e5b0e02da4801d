"""In the browser: a value from a link never becomes a link to another site, on any page; the
uploader states one limit, in Vietnamese, the same as the server's."""

from __future__ import annotations

import urllib.parse

import pytest

from dashboard.auth import hash_password
from dashboard.pages import PAGES as PAGE_LIST
from tests.e2e.conftest import no_exception_box, open_page, serve, settle

pytestmark = pytest.mark.browser
CRAFTED = "[x](https://evil.example/a) www.evil.example/b"
PASSWORD = "mật khẩu thử nghiệm"


def foreign_links(pg, server: dict) -> list[str]:
    """The anchors of the page (the sidebar's included) pointing anywhere but this server."""
    hrefs = pg.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    return [h for h in hrefs if not h.startswith(server["url"])]


@pytest.mark.parametrize("page_file", [p.file for p in PAGE_LIST])
def test_a_crafted_link_value_is_text_never_a_link_on_any_page(page, server, page_file):
    query = urllib.parse.urlencode({"tinh": CRAFTED, "co_quan": CRAFTED})
    open_page(page, server, f"{page_file.removeprefix('pages/').removesuffix('.py')}?{query}")
    assert page.get_by_text("Đã bỏ qua giá trị không hợp lệ").count() >= 1
    assert "evil.example/a" in page.locator('[data-testid="stSidebar"]').inner_text()  # shown, as text
    assert foreign_links(page, server) == []
    no_exception_box(page)


def test_the_uploader_states_one_limit_in_vietnamese(page, server, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD_HASH", hash_password(PASSWORD))
    with serve(server["db"]) as editor_server:
        open_page(page, editor_server, "nhap_bao_cao")
        page.get_by_label("Họ tên biên tập viên").fill("Nguyễn Văn A")
        page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        settle(page)
        zone = page.locator('[data-testid="stFileUploaderDropzoneInstructions"]').first
        zone.wait_for()
        page.wait_for_timeout(300)
        text = zone.inner_text()
        assert "per file" not in text and "200" not in text, text
        assert "Tối đa 20 MB mỗi tệp" in text, text
        no_exception_box(page)
