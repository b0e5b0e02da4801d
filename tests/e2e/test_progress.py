"""Issue 21: while a page works the official reads "Đang tải…" — Streamlit's own running widget
(English, with a Stop button) is hidden, and greyed-out placeholders alone say nothing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import no_exception_box, serve, settle

pytestmark = pytest.mark.browser


def test_a_page_at_work_says_dang_tai(page, server):
    with serve(server["db"], "tests.e2e.slow_serve", "slow") as slow:  # every page run 3 s longer
        page.goto(slow["url"] + "/tra_cuu")
        busy = page.get_by_role("status").filter(has_text="Đang tải…")
        busy.wait_for(state="visible", timeout=15_000)  # a new session, the page not drawn yet
        settle(page)
        busy.wait_for(state="hidden", timeout=5_000)  # the page is drawn: the word goes (at the next tick)
        page.locator('[data-testid="stSidebarNavLink"]', has_text="Văn bản").click()
        busy.wait_for(state="visible", timeout=15_000)  # a sidebar click (a loaded machine starts it late)
        assert page.get_by_text("Running...").count() == 0
        settle(page)
        busy.wait_for(state="hidden", timeout=5_000)
        assert page.locator("h1", has_text="Văn bản").count() == 1
        no_exception_box(page)
