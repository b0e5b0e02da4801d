"""AppTest fixtures: the app against warehouses built by the product's own ETL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = [
    "pages/tong_quan.py",
    "pages/xu_huong.py",
    "pages/so_sanh.py",
    "pages/tra_cuu.py",
    "pages/van_ban.py",
    "pages/chat_luong.py",
    "pages/theo_doi.py",
    "pages/nhap_bao_cao.py",
]


@pytest.fixture
def app(warehouse, monkeypatch):
    """A function opening a page (with optional URL query parameters) and running it."""
    monkeypatch.setenv("WAREHOUSE", str(warehouse))

    def open_page(page: str | None = None, **query: str | list[str]) -> AppTest:
        """Like opening a link: the page and its query parameters are there from the first run."""
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        if page:
            at.switch_page(page)
        return at.run()

    return open_page


def texts(at: AppTest) -> str:
    """Everything a user reads on the page, as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [h.value for h in at.title] + [s.value for s in at.subheader]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def reader(at: AppTest) -> str:
    """The document reader's HTML (st.html) as the browser receives it."""
    return "\n".join(h.proto.body for h in at.get("html") if 'class="van-ban"' in h.proto.body)
