"""The data-quality page, findings marked on other pages, and the findings export."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd

from dashboard import charts, queries
from dashboard.db import connect
from dashboard.excel import findings_workbook
from dashboard.filters import Filters
from tests.app.conftest import texts


def test_quality_page_counts_and_filters_findings(app):
    at = app("pages/chat_luong.py")
    assert not at.exception
    assert [m.value for m in at.metric] == ["3", "1", "0"]
    table = at.dataframe[0].value
    assert len(table) == 4
    assert set(table["Kiểm tra"]) >= {"Số thủ tục trực tuyến toàn trình lớn hơn số thủ tục thuộc thẩm quyền"}
    at.multiselect(key="muc_do").set_value(["canh_bao"]).run()
    table = at.dataframe[0].value
    assert list(table["Chi tiết"]) == ["Văn bản nêu 35 và 34"]
    at.multiselect(key="muc_do").set_value(["thong_tin"]).run()
    assert "Không có phát hiện nào" in texts(at)


def test_quality_page_follows_the_province_filter(app):
    at = app("pages/chat_luong.py", tinh="Trà Vinh")
    table = at.dataframe[0].value
    assert set(table["Tỉnh"]) == {"Trà Vinh"} and len(table) == 1


def test_a_finding_opens_its_evidence_side_by_side(warehouse):
    con = connect(warehouse)
    found = queries.findings(con, Filters())
    conflict = found[found["check_id"] == "inspected_entities_conflict"].iloc[0]
    facts = queries.finding_facts(con, conflict["finding_id"])
    assert list(facts["value"]) == [35.0, 34.0]
    assert list(facts["role"]) == ["primary", "alternative"]
    assert "35 đơn vị" in facts["sentence"].iloc[0] and "34 đơn vị" in facts["sentence"].iloc[1]
    con.close()


def test_facts_with_findings_are_marked_in_the_explorer(app):
    at = app("pages/tra_cuu.py", tinh="Tây Ninh")
    table = at.dataframe[0].value
    marked = table[table["Kiểm tra"] != ""]
    assert set(marked["Chỉ tiêu"]) >= {"Hồ sơ thủ tục hành chính tiếp nhận", "Số thủ tục hành chính thuộc thẩm quyền"}
    assert set(marked["Kiểm tra"]) == {"✖ Lỗi"}


def test_findings_export_opens_with_openpyxl(warehouse):
    con = connect(warehouse)
    found = queries.findings(con, Filters())
    evidence = [queries.finding_facts(con, f).assign(row_no=i) for i, f in enumerate(found["finding_id"], start=1)]
    import pandas as pd

    data = findings_workbook(found, pd.concat(evidence), Filters(), None)
    con.close()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Phát hiện", "Bằng chứng", "Thông tin"]
    rows = list(wb["Phát hiện"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(found) and {r[1] for r in rows} >= {"Lỗi", "Cảnh báo"}
    proof = list(wb["Bằng chứng"].iter_rows(min_row=2, values_only=True))
    assert len(proof) == sum(len(f) for f in found["fact_ids"])
    assert all(isinstance(p[2], (int, float)) and p[5] for p in proof)


def test_an_unknown_finding_in_a_link_says_so(app):
    at = app("pages/chat_luong.py", phat_hien="khong-co-ma-nay")
    assert not at.exception
    warned = " ".join(w.value for w in at.warning)
    assert "Không có phát hiện nào mang mã trong đường dẫn" in warned and "`khong-co-ma-nay`" in warned
    assert not any("đường dẫn" in w.value for w in app("pages/chat_luong.py").warning)


def test_a_finding_outside_the_filters_says_so(app, warehouse):
    con = connect(warehouse)
    found = queries.findings(con, Filters())
    con.close()
    finding = found[found["province"] == "Tây Ninh"]["finding_id"].iloc[0]
    at = app("pages/chat_luong.py", phat_hien=finding, tinh="Trà Vinh")
    assert any("không thuộc bộ lọc đang chọn" in w.value for w in at.warning)


def test_the_coverage_heatmap_has_a_legend():
    matrix = pd.DataFrame([[0, 1], [2, 3]], index=["Chỉ tiêu A", "Chỉ tiêu B"],
                          columns=["BC 1 · TN · x", "BC 2 · TN · y"])
    fig = charts.coverage_heatmap(matrix)
    legend = [t.name for t in fig.data if t.showlegend is not False and t.type == "scatter"]
    assert legend == ["không báo cáo", "có số liệu", "có cảnh báo", "có lỗi"] and fig.layout.showlegend


def test_the_severity_and_check_filters_live_in_the_link(app):
    check = "Số lũy kế giảm khi kỳ báo cáo dài hơn"
    at = app("pages/chat_luong.py", muc_do="Lỗi", kiem_tra=check)  # a shared link reopens the same view
    assert not at.exception, at.exception
    assert at.multiselect(key="muc_do").value == ["loi"] and at.multiselect(key="kiem_tra").value == [check]
    assert set(at.dataframe[0].value["Kiểm tra"]) == {check}
    assert not any("đường dẫn" in w.value for w in at.warning)
    bound = {w.key: w.proto.query_param_key for w in at.multiselect}  # the browser writes a choice into the link
    assert bound["muc_do"] == "muc_do" and bound["kiem_tra"] == "kiem_tra"


def test_an_unknown_severity_or_check_in_the_link_is_said_not_dropped_silently(app):
    at = app("pages/chat_luong.py", muc_do=["Lỗi", "Nguy hiểm"], kiem_tra="Kiểm tra không có")
    assert not at.exception, at.exception
    warned = " ".join(w.value for w in at.warning)
    assert "(Mức độ): `Nguy hiểm`" in warned and "(Kiểm tra): `Kiểm tra không có`" in warned
    assert at.multiselect(key="muc_do").value == ["loi"]  # what was understood is kept


def test_the_province_is_on_screen_and_key_columns_are_wide_enough(app):
    at = app("pages/chat_luong.py")
    table = at.dataframe[0]
    assert list(table.value.columns)[:2] == ["Mức độ", "Tỉnh"]
    widths = {k: v.get("width") for k, v in json.loads(table.proto.columns).items()}
    assert widths["Văn bản"] == "large"
    longest = max(len(t) for t in table.value["Kiểm tra"])
    assert widths["Kiểm tra"] >= min(7 * longest, 360)  # the checks' titles read whole
    assert sum(widths[k] for k in ("Mức độ", "Tỉnh")) <= 200
