"""Issue 21 (speed): what takes long to work out is made once per warehouse build and shared by
every session; the server makes each page's first view when it starts; Excel files are made when
asked, not with every run of a page."""

from __future__ import annotations

import shutil

import pytest

from dashboard import charts, data, kpis, tracker, views, widgets
from dashboard.pages import PAGES
from tests.app.conftest import texts

BUILDERS = [(charts, "compare_group"), (charts, "trend_chart"), (charts, "coverage_heatmap"), (kpis, "kpi_cards"),
            (tracker, "tracker")]  # fmt: skip


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """Every call of a slow builder, by name, from a clean slate (no view made yet)."""
    data._view.clear()
    calls: list[str] = []
    for module, name in BUILDERS:
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    return calls


def test_the_server_makes_each_pages_first_view_before_anyone_opens_it(app, warehouse, monkeypatch, built):
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    views.warm()
    assert set(built) == {name for _, name in BUILDERS}  # each page's view was made
    made = len(built)
    for page in PAGES:  # a new session on each page, no filter touched: nothing is made again
        at = app(page.file)
        assert not at.exception, (page.file, at.exception)
    assert built[made:] == []
    at = app("pages/so_sanh.py", tinh=["Trà Vinh", "Tây Ninh"])  # another view (the sidebar's order): made once
    assert "compare_group" in built[made:] and "So sánh các tỉnh chọn ở bộ lọc bên trái" in texts(at)
    again = len(built)
    app("pages/so_sanh.py", tinh=["Trà Vinh", "Tây Ninh"])
    assert len(built) == again


def test_the_defaults_warm_uses_are_the_sidebars(app, warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    seen = []
    real = views.tracker_rows
    monkeypatch.setattr(views, "tracker_rows", lambda filters: seen.append(filters) or real(filters))
    app("pages/theo_doi.py")
    assert seen == [views.default_filters(data.options())]


def test_a_new_build_is_a_new_view(tmp_path, warehouse, monkeypatch):
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, live)
    monkeypatch.setenv("WAREHOUSE", str(live))
    data._view.clear()
    first = data.shared(lambda n: object(), 1)
    assert data.shared(lambda n: object(), 1) is first  # shared, not made again
    staged = tmp_path / "staged.duckdb"
    shutil.copy(warehouse, staged)
    staged.replace(live)  # os.replace, as a build swaps its file in
    assert data.shared(lambda n: object(), 1) is not first


def test_warm_without_a_warehouse_only_imports(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "none.duckdb"))
    views.warm()  # no error: the pages say there is no warehouse


def test_excel_is_made_when_asked_not_with_every_run(app, monkeypatch):
    made = []
    monkeypatch.setattr(widgets, "facts_workbook", lambda *a, **k: made.append(1) or b"")
    monkeypatch.setattr(widgets, "findings_workbook", lambda *a, **k: made.append(1) or b"")
    for page in ("pages/tra_cuu.py", "pages/chat_luong.py"):
        at = app(page)
        assert any(b.label.startswith("Tải Excel") for b in at.get("download_button")), page
    assert made == []


def test_the_server_answers_after_the_first_page_and_makes_the_others_beside_it(warehouse, monkeypatch, built):
    """A national warehouse took 80 s to warm every page before the server answered: it now waits
    only for Tổng quan's view; the other pages' are made in a thread beside the server."""
    import threading

    from dashboard import serve

    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    gate = threading.Event()
    real_rest = views.warm_rest
    monkeypatch.setattr(views, "warm_rest", lambda: gate.wait(30) and real_rest())
    serve.warm()
    assert built == ["kpi_cards"]  # the first page's view, before the server answers
    gate.set()
    [thread] = [t for t in threading.enumerate() if t.name == "warm"]
    thread.join(60)
    assert set(built) == {name for _, name in BUILDERS}
