"""A markdown report whose table a converter left as HTML reads like a pipe table."""

from __future__ import annotations

from etl.pipeline import process_bytes
from etl.text.html_tables import html_tables_to_rows

HTML = """<table>
<tr><th rowspan="2">STT</th><th rowspan="2">Chỉ tiêu</th><th rowspan="2">Đơn vị tính</th>
<th colspan="2">Kết quả</th></tr>
<tr><th>Quý II/2025</th><th>Lũy kế 6 tháng</th></tr>
<tr><td>1</td><td>Hồ sơ tiếp nhận</td><td>hồ sơ</td><td>2.140</td><td>4.020</td></tr>
<tr><td>2</td><td>Hồ sơ đã giải quyết | trả kết quả</td><td>hồ sơ</td><td>2.101</td><td>3.966</td></tr>
</table>"""


def test_merged_cells_are_repeated_over_the_grid_they_cover():
    rows = html_tables_to_rows("Biểu 1\n" + HTML + "\nHết.").splitlines()
    table = [r for r in rows if r.startswith("|")]
    assert table[0] == "| STT | Chỉ tiêu | Đơn vị tính | Kết quả | Kết quả |"
    assert table[1] == "| STT | Chỉ tiêu | Đơn vị tính | Quý II/2025 | Lũy kế 6 tháng |"
    assert table[3] == "| 2 | Hồ sơ đã giải quyết / trả kết quả | hồ sơ | 2.101 | 3.966 |"  # '|' kept out of a cell


def test_a_markdown_html_table_gives_its_figures_with_their_column_periods():
    text = "BÁO CÁO\nKết quả giải quyết thủ tục hành chính quý II năm 2025\n\n" + HTML + "\n"
    facts = {(f.indicator, f.value, str(f.period_start)) for f in process_bytes("bc.md", text.encode()).facts}
    assert {
        ("tthc_received", 2140, "2025-04-01"),
        ("tthc_received", 4020, "2025-01-01"),
        ("tthc_resolved", 2101, "2025-04-01"),
    } <= facts
