"""The layout matrix's generator is honest: what it writes is what the product's readers read back.

``bench/table_layouts.py`` measures extraction recall per table layout; these tests only check the
generator (no recall is asserted here — that is the benchmark's figure). For a few layouts, the
Markdown pipe and Word files it writes are read with ``etl.readers.read_document`` and every row
label, header and figure cell it put in the table, and every expected value's cell text, is in
the text; Word tables keep their real merged cells and one cell per grid column.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import table_layouts as tl  # noqa: E402
from etl.catalog import default_catalog  # noqa: E402
from etl.readers import read_document  # noqa: E402

LAYOUTS = [
    tl.Layout("rows", "h2m", "column", False),  # merged group header, a unit column
    tl.Layout("rows", "h1", "label", True, "repeat"),  # unit in the label, totals, split at a page
    tl.Layout("cols", "h2m", "caption", False),  # measures on columns, "ĐVT: ..." in the caption
]


def _written(layout: tl.Layout, kind: str, folder: Path, index: int) -> tuple[tl.Report, str]:
    report = tl.make_report(layout, kind, index, default_catalog(), f"T{index:02d}_{kind}")
    path = tl.write_report(report, folder)
    return report, " ".join(read_document(path).text.split())


@pytest.mark.parametrize("kind", ["md", "docx"])
@pytest.mark.parametrize("n", range(len(LAYOUTS)))
def test_every_cell_is_read_back(tmp_path, n, kind):
    layout = LAYOUTS[n]
    report, text = _written(layout, kind, tmp_path, n)
    cells = {c.text for row in report.header for c in row if c} | {t for row in report.body for t in row}
    missing = sorted(t for t in cells if t and " ".join(t.split()) not in text)
    assert not missing, f"{report.doc}: cells not in the text read back: {missing}"
    assert report.expected
    assert all(e.quote in text for e in report.expected)
    for line in (report.title, report.caption, report.letterhead()[0][0]):
        assert line in text


def test_expected_values_are_in_catalog_units_and_ranges(tmp_path):
    catalog = default_catalog()
    report, _ = _written(tl.Layout("rows", "h1", "column", False), "md", tmp_path, 7)  # a money table
    assert any(catalog.get(e.indicator).unit == "đồng" for e in report.expected)
    for e in report.expected:
        ind = catalog.get(e.indicator)
        assert ind.min_value <= e.value <= ind.max_value, e
        assert e.unit == ind.unit
        if ind.unit == "đồng":  # "42,5" in a "triệu đồng" row -> 42500000; "86,52" "tỷ đồng" -> 86520000000
            row = next(r for r in report.body if r[1] == ind.label_vi)
            assert row[2] in ("triệu đồng", "tỷ đồng")
            amount = float(e.quote.replace(".", "").replace(",", "."))
            assert e.value == pytest.approx(amount * tl.scale_of(row[2]))
        assert (e.as_of is None) == (ind.kind != "stock" or ind.period == "calendar_year")


def test_docx_table_has_real_merged_cells(tmp_path):
    from docx import Document

    report, text = _written(LAYOUTS[0], "docx", tmp_path, 0)
    table = Document(str(tmp_path / report.doc)).tables[1]  # [0] is the letterhead
    xml = table._tbl.xml
    assert "w:gridSpan" in xml and "w:vMerge" in xml
    width = len(report.body[0])
    rows = [line for line in read_document(tmp_path / report.doc).text.splitlines() if line.startswith("| STT")]
    assert rows and all(line.count("|") == width + 1 for line in rows)
    assert "Kết quả thực hiện | Kết quả thực hiện" in text  # a merged cell's text in each column it covers


def test_totals_row_is_the_sum_of_its_parts(tmp_path):
    report, _ = _written(tl.Layout("rows", "h1", "column", True), "md", tmp_path, 0)
    total_row = next(row for row in report.body if row[1].startswith("Tổng cộng"))
    parts = [row for row in report.body if row[0].isdigit()]
    column = 3  # the current period

    def count(text: str) -> int:
        return int(text.replace(".", ""))

    assert count(total_row[column]) == sum(count(row[column]) for row in parts)


def test_layout_names_are_unique():
    names = [layout.name for layout in tl.all_layouts()]
    assert len(names) == len(set(names))
    assert 40 <= len(names) <= 150
