"""AppTest fixtures: the app against warehouses built by the product's own ETL."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pages import PAGES as PAGE_LIST
from etl.build import build_warehouse
from tests.conftest import RAW, ROOT

PAGES = [p.file for p in PAGE_LIST]


def make_site(folder: Path, monkeypatch: pytest.MonkeyPatch, build: Callable[[Path, Path], object]) -> dict:
    """A data folder of its own — the samples, a warehouse ``build`` makes from them — with the app
    pointed at both; the corrections log goes beside them."""
    raw = folder / "data" / "raw"
    shutil.copytree(RAW, raw)
    db = folder / "data" / "warehouse.duckdb"
    build(raw, db)
    monkeypatch.setenv("RAW_DIR", str(raw))
    monkeypatch.setenv("WAREHOUSE", str(db))
    return {"raw": raw, "db": db, "log": folder / "data" / "corrections.jsonl"}


@pytest.fixture
def site_build() -> Callable[[Path, Path], object]:
    """How ``site`` builds its warehouse; a test module overrides this fixture to build differently."""
    return build_warehouse


@pytest.fixture
def site(tmp_path, monkeypatch, site_build) -> dict:
    """A data folder the test may write to (uploads, corrections, rebuilds): see ``make_site``."""
    return make_site(tmp_path, monkeypatch, site_build)


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
