"""A correction in words (dashboard/changes.py): what the pending list and the history show."""

from __future__ import annotations

import pytest

from dashboard.changes import change_text, target_text

LABELS = {"tthc_received": "Hồ sơ thủ tục hành chính tiếp nhận", "tthc_ontime_rate": "Tỷ lệ hồ sơ đúng hạn"}


@pytest.mark.parametrize(
    ("field", "old", "new", "unit", "words"),
    [
        ("value", "30000.0", "31000.0", "hồ sơ", "Giá trị 30.000 → 31.000"),
        ("value", "30000.5", "31000", "", "Giá trị 30.000,5 → 31.000"),
        ("value", "98.8", "99.5", "%", "Giá trị 98,8% → 99,5%"),
        ("status", "extracted", "rejected", "", "Trạng thái: đã trích xuất → đã loại"),
        ("indicator", "tthc_received", "tthc_ontime_rate", "",
         "Chỉ tiêu: Hồ sơ thủ tục hành chính tiếp nhận → Tỷ lệ hồ sơ đúng hạn"),
        ("period_start", "2024-01-01", "2024-02-01", "", "Từ ngày: 01/01/2024 → 01/02/2024"),
        ("as_of", None, "2024-06-05", "", "Tại ngày: (trống) → 05/06/2024"),
        ("assign", "17 chuyến", "tthc_received", "", "Gán chỉ tiêu: 17 chuyến → Hồ sơ thủ tục hành chính tiếp nhận"),
        ("report_type", "khac", "dinh_ky", "", "Loại báo cáo: Khác → Định kỳ"),
    ],
)  # fmt: skip
def test_a_change_reads_as_words_never_as_the_logs_fields(field, old, new, unit, words):
    text = change_text(field, old, new, LABELS, {"khac": "Khác", "dinh_ky": "Định kỳ"}, unit)
    assert text == words
    assert field not in text and new not in text  # never the log's field name or raw value


def test_the_target_is_the_indicator_by_name():
    assert target_text("tthc_received@8353-8373", LABELS) == "Hồ sơ thủ tục hành chính tiếp nhận"
    assert target_text(None, LABELS) == "Thông tin văn bản"
    assert target_text("mention@10-20", LABELS) == "Số liệu chưa gán chỉ tiêu"
