"""The read side's rooms: the modules that shape data never import streamlit (so they run in
the command line, the benchmarks and plain tests), and the page list is the one the app runs."""

from __future__ import annotations

import ast

from dashboard.pages import PAGES
from tests.conftest import ROOT

# The Streamlit modules; every other module of dashboard/ is pure.
STREAMLIT_MODULES = {"data", "sidebar", "widgets", "review", "serve"}


def _imports(path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_pure_modules_never_import_streamlit():
    pure = [p for p in sorted((ROOT / "dashboard").glob("*.py")) if p.stem not in STREAMLIT_MODULES]
    assert [p.name for p in pure if "streamlit" in _imports(p)] == []
    assert {p.stem for p in pure} >= {"queries", "formatting", "charts", "excel", "compiled", "compiled_docx"}


def test_every_page_file_is_in_the_page_list_and_exists():
    listed = {p.file for p in PAGES}
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert listed == on_disk
    assert len({p.title for p in PAGES}) == len(PAGES)


def test_pages_hold_no_sql():
    """Pages read filters, call, draw: SQL lives in dashboard/queries.py."""
    for path in sorted((ROOT / "pages").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "SELECT " not in text and "duckdb" not in _imports(path), path.name
