"""Names as data: indicators found by the words the catalog lists for them, in tables whose
rows, headers and captions no phrasing rule was written for."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from etl.catalog import default_catalog, number_kind
from etl.extract.names import (
    NameContext,
    best_by_names,
    find_name,
    name_table,
    rank_by_names,
    tokens,
    twins_by_level,
)
from etl.pipeline import process_bytes
from tests.conftest import make_report

CATALOG = default_catalog()
NAMES = name_table(CATALOG)


def _best(label: str, kind: str = "count", header: str = "", unit: str = "") -> str | None:
    found, _ = best_by_names(NameContext(label, kind, header, unit), NAMES)
    return found.code if found else None


def test_a_name_is_found_with_small_gaps_in_its_order_only():
    words = tokens("Hồ sơ thanh toán phí, lệ phí trực tuyến")
    assert find_name(tokens("thanh toán trực tuyến"), words) == pytest.approx(4 - 0.2 * 3)
    assert find_name(tokens("trực tuyến thanh toán"), words) == 0.0
    assert find_name(tokens("thanh toán trực tuyến"), tokens("thanh toán một hai ba bốn năm trực tuyến")) == 0.0


def test_abbreviations_are_written_out_before_matching():
    assert tokens("Số PAKN", NAMES.abbreviations) == ("số", "phản", "ánh", "kiến", "nghị")
    assert _best("Tổng số hồ sơ TTHC tiếp nhận") == "tthc_received"


def test_every_indicator_is_named_by_its_own_names():
    """Each catalog name, as a row label with the indicator's unit, names that indicator or a
    twin of the other level (agency / province), or ties it with one that says so."""
    missing = []
    for ind in CATALOG.indicators:
        assert ind.names, f"{ind.code}: no names in the catalog"
        label = max(ind.names, key=len)
        kind = number_kind(ind)
        ctx = NameContext(label, kind, "được giao" if ind.require_scope == "quota" else "", ind.unit)
        found, _ = best_by_names(ctx, NAMES)
        ok = found is not None and found.code in (ind.code, NAMES.twins.get(ind.code))
        if not ok and ind.code in NAMES.twins:
            ok = twins_by_level(ctx, NAMES, ind.scope) is not None
        if not ok:
            missing.append((ind.code, label, found.code if found else None))
    assert not missing


@pytest.mark.parametrize(
    ("label", "header", "expected"),
    [
        ("Biên chế công chức", "Được giao năm 2025", "staff_quota_civil_servants"),
        ("Biên chế công chức", "Có mặt đến 30/9/2025", "staff_civil_servants"),
        ("Công chức", "Biên chế giao", "staff_quota_civil_servants"),
        ("Viên chức", "Hiện có", "staff_public_employees"),
    ],
)
def test_a_column_header_qualifies_the_row_with_its_scope(label, header, expected):
    assert _best(label, header=header) == expected


@pytest.mark.parametrize(
    ("label", "unit", "expected"),
    [
        ("Hồ sơ đang giải quyết", "hồ sơ", "tthc_pending"),
        ("Hồ sơ đã giải quyết", "hồ sơ", "tthc_resolved"),
        ("Phản ánh đang xử lý", "phản ánh", "hotline1022_in_progress"),
        ("Trích xuất hình ảnh phục vụ điều tra", "vụ", "camera_trace_extractions"),
        ("Số tổ chức, cá nhân bị xử phạt", "đơn vị", "violating_entities"),
        ("Trường hợp vi phạm bị xử phạt", "trường hợp", "traffic_violations_fined"),
    ],
)
def test_the_more_specific_name_and_its_measure_win(label, unit, expected):
    assert _best(label, unit=unit) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Camera AI an ninh trật tự", "camera_security_ai"),  # not 'camera [AI] an ninh trật tự'
        ("Camera an ninh trật tự có tích hợp AI", "camera_security_ai"),
        ("Camera an ninh trật tự", "camera_security_total"),
        ("Camera AI giao thông", "camera_traffic_ai"),
    ],
)
def test_a_qualified_name_beats_the_plain_name_it_contains(label, expected):
    assert _best(label, unit="camera") == expected


def test_a_percentage_takes_only_a_rate_and_a_count_never_does():
    assert _best("Tỷ lệ giải quyết đúng hạn", "pct") == "tthc_ontime_rate"
    assert _best("Giải quyết đúng hạn", "count") is None


def test_twins_of_two_levels_go_to_the_reporters_level_unless_the_context_says_province():
    ctx = NameContext("Hồ sơ thanh toán trực tuyến", "count", "", "hồ sơ")
    assert best_by_names(ctx, NAMES)[0] is None  # a tie, not a guess
    assert twins_by_level(ctx, NAMES, "agency").code == "online_payment_dossiers"
    assert twins_by_level(ctx, NAMES, "province").code == "online_payment_dossiers_province"
    wide = NameContext("Hồ sơ thanh toán trực tuyến toàn tỉnh", "count", "", "hồ sơ", province_wide=True)
    assert best_by_names(wide, NAMES)[0].code == "online_payment_dossiers_province"


def _table(body: str, title: str = "Kết quả công tác quý II năm 2025") -> set[tuple[str, float]]:
    return {(f.indicator, f.value) for f in make_report(body, title).facts if f.role == "primary"}


def test_a_staffing_table_by_assigned_and_present_columns():
    found = _table(
        "Biểu 2. Biên chế của cơ quan\n\n"
        "| TT | Loại | Biên chế giao | Hiện có |\n|---|---|---|---|\n"
        "| 1 | Công chức | 40 | 37 |\n| 2 | Viên chức | 25 | 22 |\n| | Tổng cộng | 65 | 59 |\n",
        "Tình hình biên chế năm 2025",
    )
    assert {
        ("staff_quota_civil_servants", 40),
        ("staff_civil_servants", 37),
        ("staff_quota_public_employees", 25),
        ("staff_public_employees", 22),
        ("staff_quota_total", 65),
    } <= found
    assert not any(v == 59 for _, v in found)  # the present total is no indicator of the catalog


def test_a_breakdown_by_field_gives_only_its_total_named_by_the_column():
    found = _table(
        "Phân loại phản ánh theo lĩnh vực\n\n"
        "| STT | Lĩnh vực | Số phản ánh, kiến nghị | Tỷ lệ (%) |\n|---|---|---|---|\n"
        "| 1 | Giải quyết hồ sơ đất đai chậm | 120 | 40 |\n| 2 | Môi trường, tiếng ồn | 180 | 60 |\n"
        "| | Tổng cộng | 300 | 100 |\n",
        "Kết quả tiếp nhận phản ánh qua Tổng đài 1022 quý II năm 2025",
    )
    assert ("hotline1022_received", 300) in found
    assert not {v for _, v in found} & {120, 180}


def test_a_part_row_does_not_take_the_indicator_of_the_row_above():
    found = _table(
        "| STT | Nội dung | Số lượng |\n|---|---|---|\n"
        "| 1 | Hồ sơ nhận trong kỳ | 500 |\n| 1.1 | Hồ sơ nhận qua dịch vụ bưu chính | 40 |\n"
        "| 2 | Hồ sơ trả kết quả | 480 |\n",
        "Kết quả giải quyết thủ tục hành chính quý II năm 2025",
    )
    assert ("tthc_received", 500) in found and ("tthc_resolved", 480) in found
    assert not any(v == 40 for _, v in found)


def _prose(sentence: str, title: str = "Kết quả công tác quý II năm 2025") -> set[tuple[str, float]]:
    return {(f.indicator, f.value) for f in make_report(sentence, title).facts}


def test_prose_no_frame_reads_is_named_by_the_words_around_its_figure():
    found = _prose("Trong quý, Trung tâm ghi nhận 1.204 hồ sơ thanh toán phí, lệ phí trực tuyến.")
    assert ("online_payment_dossiers", 1204) in found
    fact = next(f for f in make_report("Hệ thống ghi nhận 615 cảnh báo nhận diện trong quý.").facts)
    assert (fact.indicator, fact.value) == ("camera_recognition_alerts", 615)
    assert fact.rule == "camera_recognition_alerts.names"


def test_prose_names_take_no_part_of_a_whole_nor_a_qualified_subset():
    assert not any(v == 5000 for _, v in _prose("Trong số người dùng ứng dụng, có 5.000 người trên 60 tuổi."))
    assert not any(v == 64 for _, v in _prose("Trong tháng còn 64 hồ sơ trễ hạn đang xử lý tại các xã."))


def test_a_same_period_column_that_names_its_window_keeps_it():
    report = make_report(
        "| STT | Chỉ tiêu | Đơn vị tính | Tháng 5/2025 | Cùng kỳ 5 tháng năm 2024 |\n|---|---|---|---|---|\n"
        "| 1 | Hồ sơ tiếp nhận | hồ sơ | 410 | 1.730 |\n",
        "Kết quả giải quyết thủ tục hành chính tháng 5 năm 2025",
    )
    fact = next(f for f in report.facts if f.value == 1730)
    assert fact.indicator == "tthc_received"
    assert (fact.period_start, fact.period_end) == (date(2024, 1, 1), date(2024, 5, 31))


def test_a_unit_row_gives_each_measure_column_its_unit_and_scale():
    found = _table(
        "| STT | Kỳ | Tỷ lệ tinh giản biên chế | Tiền xử phạt vi phạm hành chính |\n|---|---|---|---|\n"
        "| | Đơn vị tính | % | triệu đồng |\n| 1 | Năm 2025 | 6,5 | 412,5 |\n| 2 | Năm 2024 | 5,1 | 380 |\n",
        "Kết quả công tác năm 2025",
    )
    assert {("staff_downsizing_rate", 6.5), ("fines_vnd", 412_500_000), ("fines_vnd", 380_000_000)} <= found


def test_a_table_part_with_no_header_rows_is_read_without_error():
    found = _table("| 7 | Hồ sơ tiếp nhận | hồ sơ | 120 |\n| 8 | Hồ sơ đã giải quyết | hồ sơ | 118 |\n")
    assert ("tthc_received", 120) in found


def test_period_rows_say_the_same_period_and_the_report_period():
    report = make_report(
        "| STT | Kỳ | Hồ sơ tiếp nhận (hồ sơ) |\n|---|---|---|\n"
        "| 1 | Kỳ báo cáo | 940 |\n| 2 | Cùng kỳ năm 2024 | 870 |\n| | Tăng, giảm so với cùng kỳ (%) | 8,0 |\n",
        "Kết quả giải quyết thủ tục hành chính quý II năm 2025",
    )
    found = {(f.indicator, f.value, f.period_start) for f in report.facts}
    assert ("tthc_received", 940, date(2025, 4, 1)) in found and ("tthc_received", 870, date(2024, 4, 1)) in found
    assert not any(v == 8.0 for _, v, _ in found)


def test_a_row_label_dates_its_count():
    report = make_report(
        "| STT | Chỉ tiêu | Đơn vị tính | Kỳ báo cáo |\n|---|---|---|---|\n"
        "| 1 | Hồ sơ tồn kỳ trước chuyển sang (đến ngày 31/3/2025) | hồ sơ | 17 |\n"
        "| 2 | Hồ sơ tiếp nhận mới trong kỳ | hồ sơ | 300 |\n",
        "Kết quả giải quyết thủ tục hành chính quý II năm 2025",
    )
    fact = next(f for f in report.facts if f.value == 17)
    assert (fact.indicator, fact.as_of) == ("tthc_pending", date(2025, 3, 31))


def test_a_figure_opened_as_part_of_a_whole_is_not_the_whole():
    found = _prose(
        "Trung tâm đã giải quyết 2.400 hồ sơ. Trong tổng số hồ sơ đã giải quyết, 610 hồ sơ thuộc lĩnh vực đất đai."
    )
    assert ("tthc_resolved", 2400) in found and not any(v == 610 for _, v in found)


def test_a_section_about_the_whole_province_is_not_the_departments_own():
    body = (
        "UBND TỈNH PHÚ THỌ\nSỞ TƯ PHÁP\nSố: 12/BC-STP\n"
        "BÁO CÁO\nKết quả giải quyết thủ tục hành chính năm 2025\n"
        "I. KẾT QUẢ CHUNG CỦA TỈNH\n1. Hồ sơ\n"
        "Trong năm, các cơ quan đã tiếp nhận 845.120 hồ sơ thủ tục hành chính.\n"
        "II. KẾT QUẢ TẠI SỞ\nTrong năm, Sở đã tiếp nhận 3.410 hồ sơ thủ tục hành chính.\n"
    )
    found = {(f.indicator, f.value) for f in process_bytes("bc.txt", body.encode()).facts if f.role == "primary"}
    assert ("tthc_received", 3410) in found and ("tthc_received", 845120) not in found


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Đến hết quý, toàn tỉnh có 1.210 dịch vụ công trực tuyến.", "online_payment_dossiers_province"),
        ("Trung tâm đã giải quyết 3.500 hồ sơ đúng hạn.", "online_payment_dossiers"),
    ],
)
def test_a_sentence_without_a_subject_speaks_of_the_one_before_it(lead, expected):
    body = f"{lead} Trong quý, 4.420 hồ sơ được thanh toán phí, lệ phí trực tuyến."
    found = {f.indicator for f in make_report(body, "Kết quả công tác quý II năm 2025").facts if f.value == 4420}
    assert found == {expected}


def _report(body: str) -> set[tuple[str, float]]:
    text = "UBND TỈNH NAM ĐỊNH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nBÁO CÁO\nKết quả công tác quý III năm 2025\n" + body
    return {(f.indicator, f.value) for f in process_bytes("bc.txt", text.encode()).facts if f.role == "primary"}


def test_a_sentence_opening_as_a_plan_and_a_section_of_tasks_hold_no_result():
    found = _report(
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ\nTrong quý, hệ thống tiếp nhận 1.240 phản ánh, kiến nghị.\n"
        "Phấn đấu xử lý đúng hạn 100% phản ánh; lắp đặt thêm 60 camera AI giao thông.\n"
        "II. NHIỆM VỤ QUÝ IV NĂM 2025\nTiếp nhận, xử lý 1.500 phản ánh qua hệ thống trong quý IV.\n"
    )
    assert ("hotline1022_received", 1240) in found
    assert not {v for _, v in found} & {60, 1500}


def test_a_section_about_citizens_requests_is_no_section_of_tasks():
    found = _report("III. TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ\nTrong quý, hệ thống tiếp nhận 1.240 phản ánh.\n")
    assert ("hotline1022_received", 1240) in found


def test_a_count_since_a_system_began_is_of_no_report_window():
    found = _report("Từ khi đưa vào vận hành đến nay, hệ thống 1022 đã tiếp nhận 95.400 phản ánh, kiến nghị.\n")
    assert not any(v == 95400 for _, v in found)


def test_a_bracketed_breakdown_of_a_count_is_part_of_it_but_named_parts_are_figures():
    found = _report(
        "Sở tiếp nhận 15 đơn; trong đó 05 đơn không đủ điều kiện xử lý (03 đơn mạo danh, 02 đơn đã được giải quyết).\n"
        "Tổng đài thực hiện 940 cuộc gọi (trong đó 610 cuộc gọi đến và 330 cuộc gọi đi).\n"
    )
    assert ("petitions_received", 15) in found and ("hotline1022_calls", 610) in found
    assert ("petitions_resolved", 2) not in found


def test_a_budget_sentence_is_no_spending():
    found = _report("Dự toán chi thường xuyên năm 2025 giao cho Sở là 38,2 tỷ đồng.\n")
    assert not any(v == 38_200_000_000 for _, v in found)


def test_a_long_measure_phrase_still_names_its_figure():
    found = _prose("Đã xử lý 1.020 phản ánh; 57 phản ánh, kiến nghị của người dân đang trong quá trình xử lý.")
    assert ("hotline1022_in_progress", 57) in found


def test_an_amount_named_just_before_it_is_read():
    found = _report("Trong quý, công đoàn Sở ủng hộ quỹ Vì người nghèo 12,4 triệu đồng.\n")
    assert ("donations_vnd", 12_400_000) in found


def test_a_bare_total_over_exactly_an_indicators_parts_is_that_indicator():
    by_rows = _table(
        "| STT | Chỉ tiêu | Đơn vị tính | Kỳ báo cáo |\n|---|---|---|---|\n"
        "| 1 | Văn bản điện tử đến | văn bản | 1.200 |\n| 2 | Văn bản điện tử đi | văn bản | 800 |\n"
        "| | Tổng cộng | văn bản | 2.000 |\n"
    )
    assert ("edocs_exchanged", 2000) in by_rows
    by_columns = _table(
        "| STT | Thời điểm | Công chức | Viên chức | Hợp đồng lao động | Tổng cộng |\n|---|---|---|---|---|---|\n"
        "| 1 | Năm 2025 | 30 | 22 | 4 | 56 |\n| 2 | Năm 2024 | 31 | 20 | 5 | 56 |\n",
        "Tình hình nhân sự năm 2025",
    )
    assert ("staff_total", 56) in by_columns and ("staff_civil_servants", 30) in by_columns


def test_a_measure_header_holding_a_label_word_is_no_label_column():
    found = _table(
        "| STT | Kỳ | Xếp hạng chỉ số chuyển đổi số (DTI) | Xếp hạng chỉ số cải cách hành chính của cơ quan |\n"
        "|---|---|---|---|\n| | Đơn vị tính | hạng | hạng |\n| 1 | Năm 2024 | 14 | 9 |\n",
        "Kết quả chuyển đổi số và cải cách hành chính năm 2024",
    )
    assert {("dti_rank", 14), ("par_index_rank", 9)} <= found


def test_a_table_continued_after_a_page_break_without_its_header_keeps_its_columns():
    found = _table(
        "| STT | Chỉ tiêu | Đơn vị tính | Quý II/2025 | Cùng kỳ năm 2024 |\n"
        "| 1 | Hồ sơ tiếp nhận | hồ sơ | 640 | 600 |\n"
        "Trang 1\nSở Tư pháp - Báo cáo quý II năm 2025\n"
        "| 2 | Hồ sơ đã giải quyết | hồ sơ | 630 | 590 |\n",
        "Kết quả giải quyết thủ tục hành chính quý II năm 2025",
    )
    assert {("tthc_resolved", 630), ("tthc_resolved", 590)} <= found


def test_a_total_column_under_a_group_header_is_the_whole_of_the_columns_before_it():
    found = _table(
        "| STT | Kỳ | Kết quả | Kết quả | Kết quả |\n|---|---|---|---|---|\n"
        "| STT | Kỳ | Biên chế công chức được giao | Biên chế viên chức được giao | Tổng số |\n"
        "| 1 | Năm 2025 | 41 | 30 | 71 |\n",
        "Tình hình biên chế năm 2025",
    )
    assert ("staff_quota_total", 71) in found


def test_a_header_repeated_after_a_page_break_keeps_its_units():
    header = "| STT | Kỳ | Tỷ lệ tinh giản biên chế | Công chức |\n|---|---|---|---|\n"
    found = _table(
        header + "| | Đơn vị tính | % | người |\n| 1 | Năm 2025 | 4,5 | 120 |\n"
        "Trang 1\n\n" + header + "| 2 | Năm 2024 | 3,2 | 118 |\n",
        "Tình hình biên chế năm 2025",
    )
    assert {("staff_downsizing_rate", 4.5), ("staff_downsizing_rate", 3.2)} <= found


# Names alone (the frames switched off): what the names read in wordings nobody wrote a frame for.
NAMES_ONLY = dataclasses.replace(CATALOG, frames_by_kind={}, sha256=CATALOG.sha256 + ":names-only")


def _by_names(body: str, title: str) -> set[tuple[str, float]]:
    text = f"BÁO CÁO\n{title}\n\n{body}\n"
    return {(f.indicator, f.value) for f in process_bytes("names.txt", text.encode(), NAMES_ONLY).facts}


def _topical(label: str, topic: str) -> float:
    words = tokens(topic, NAMES.abbreviations)
    ranked = rank_by_names(NameContext(label, "count", max_gap=0, topic=frozenset(words), topic_words=words), NAMES)
    return {m.code: m.score for m in ranked}


def test_a_passage_about_an_indicators_topic_adds_to_the_name_its_figure_has():
    bare = _topical("tiếp nhận yêu cầu", "")
    about = _topical("tiếp nhận yêu cầu", "kết quả vận hành đường dây nóng 1022 trong tháng")
    assert about["hotline1022_received"] == bare["hotline1022_received"] + 1
    # a name that is only the measure noun gains nothing: any passage about staff counts công chức
    assert _topical("công chức", "biên chế công chức") == _topical("công chức", "")


def test_every_group_has_topic_words_and_an_indicator_its_groups():
    for ind in CATALOG.indicators:
        assert ind.topics, ind.code


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Báo cáo kết quả vận hành Tổng đài 1022 tháng 5 năm 2025",
         "Trong tháng, tổng đài đã tiếp nhận 2.314 yêu cầu của người dân.", ("hotline1022_received", 2314)),
        ("Báo cáo kết quả vận hành Tổng đài 1022 tháng 5 năm 2025",
         "Đến cuối tháng, các đơn vị đã giải quyết xong 2.120 phiếu.", ("hotline1022_resolved", 2120)),
        ("Báo cáo kết quả thanh tra, kiểm tra năm 2024",
         "Qua thanh tra, đã xử phạt vi phạm hành chính 12 tổ chức với tổng số tiền 210 triệu đồng.",
         ("fines_vnd", 210_000_000)),
        ("Báo cáo công tác chuyển đổi số năm 2024",
         "Chỉ số DTI năm 2023 của tỉnh đã vươn lên xếp hạng 21/63 tỉnh, thành phố.", ("dti_rank", 21)),
    ],
)  # fmt: skip
def test_names_and_topic_read_wordings_no_frame_was_written_for(title, body, expected):
    assert expected in _by_names(body, title)


def test_the_same_wording_outside_its_topic_is_not_read():
    body = "Trong tháng, bộ phận đã tiếp nhận 2.314 yêu cầu hỗ trợ kỹ thuật."
    found = _by_names(body, "Báo cáo công tác tháng 5 năm 2025")
    assert not any(v == 2314 for _, v in found)


def test_a_bare_number_in_a_place_is_a_rank_or_nothing():
    body = "Xét theo nhóm: hạ tầng - thứ 9, dịch vụ công trực tuyến - thứ 14."
    found = _by_names(body, "Báo cáo chuyển đổi số năm 2023")
    assert not any(v == 14 and code != "dti_rank" for code, v in found)


def test_a_lone_mot_before_a_noun_is_no_count():
    body = "Sắp xếp theo hướng một người làm được nhiều việc, không tuyển dụng mới."
    found = _by_names(body, "Báo cáo biên chế năm 2024")
    assert not any(v == 1 for _, v in found)
