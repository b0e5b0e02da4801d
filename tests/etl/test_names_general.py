"""The general path (names, measure nouns, topics; no frame): wordings of families the frames
read before, in our own sentences. Each case must be read by the catalog's names alone."""

from __future__ import annotations

import dataclasses

import pytest

from etl.catalog import default_catalog
from etl.pipeline import process_bytes

CATALOG = default_catalog()
NAMES_ONLY = dataclasses.replace(CATALOG, frames_by_kind={}, sha256=CATALOG.sha256 + ":names-general")


def _by_names(body: str, title: str) -> set[tuple[str, float]]:
    text = f"BÁO CÁO\n{title}\n\n{body}\n"
    return {(f.indicator, f.value) for f in process_bytes("names.txt", text.encode(), NAMES_ONLY).facts}


CAMERAS = "Báo cáo kết quả triển khai đô thị thông minh quý III năm 2025"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the passage says whose cameras they are; the figure says only 'camera'
        ("Phục vụ bảo đảm an ninh trật tự, toàn tỉnh đang vận hành 3.210 camera, trong đó 415 camera "
         "có chức năng AI nhận diện khuôn mặt.", {("camera_security_total", 3210), ("camera_security_ai", 415)}),
        ("Trên các tuyến quốc lộ phục vụ xử lý vi phạm giao thông, lực lượng chức năng khai thác 640 camera, "
         "trong đó 52 camera có chức năng AI đọc biển số.", {("camera_traffic_total", 640), ("camera_traffic_ai", 52)}),
        # a lead-in line names the system the list under it counts
        ("Hệ thống giám sát an ninh trật tự:\n+ Tổng số 410 camera, trong đó có 35 camera AI.",
         {("camera_security_ai", 35)}),
    ],
)  # fmt: skip
def test_a_bare_camera_count_is_named_by_its_passages_own_topic(body, expected):
    assert expected <= _by_names(body, CAMERAS)


def test_cameras_of_no_named_system_are_no_indicator():
    found = _by_names("Phòng họp trực tuyến của Sở được trang bị 12 camera và 4 màn hình.", CAMERAS)
    assert not any(v == 12 for _, v in found)


@pytest.mark.parametrize(
    "body",
    [
        "Hệ thống giám sát an ninh trật tự và an toàn giao thông của tỉnh hiện quản lý 980 camera.",
        "Trung tâm giám sát an ninh trật tự còn khai thác chung 980 camera các loại.",
    ],
)
def test_a_passage_naming_both_systems_or_every_kind_does_not_guess(body):
    assert not any(v == 980 for _, v in _by_names(body, CAMERAS))


STAFF = "Báo cáo công tác tổ chức bộ máy, biên chế năm 2024"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a quota is counted in 'chỉ tiêu' as well as in 'biên chế'
        ("Năm 2024, Sở được giao tổng số 52 chỉ tiêu, gồm 31 biên chế công chức và 21 chỉ tiêu viên chức.",
         {("staff_quota_total", 52), ("staff_quota_public_employees", 21)}),
        ("Biên chế được giao năm 2023: 47 biên chế, hợp đồng lao động, trong đó công chức 25 biên chế.",
         {("staff_quota_total", 47)}),
        # a year in the label is no earlier figure whose words end the item
        ("Tổng số biên chế được giao năm 2025 là 64 biên chế.", {("staff_quota_total", 64)}),
    ],
)  # fmt: skip
def test_a_quota_counted_in_chi_tieu_or_with_contracts_is_named(body, expected):
    assert expected <= _by_names(body, STAFF)


def test_a_quota_of_targets_outside_a_staffing_scope_is_no_staff_quota():
    found = _by_names("Năm 2024, tỉnh hoàn thành 18 chỉ tiêu kinh tế - xã hội chủ yếu.", STAFF)
    assert not any(code.startswith("staff_quota") for code, _ in found)


def test_counts_in_brackets_after_a_rate_are_what_it_counted_not_stocks():
    body = "Năm 2023, đơn vị hoàn thành tinh giản đạt tỷ lệ 10% (3 biên chế công chức, 2 biên chế viên chức)."
    found = _by_names(body, STAFF)
    assert not any(v in (3, 2) for _, v in found)


def test_a_count_right_after_its_name_and_a_whole_before_its_parts():
    body = ("Tổng số biên chế được giao năm 2025 là 64 biên chế, trong đó: biên chế công chức 38, "
            "số lượng người làm việc 26.")  # fmt: skip
    found = _by_names(body, STAFF)
    assert {("staff_quota_total", 64), ("staff_quota_civil_servants", 38),
            ("staff_quota_public_employees", 26)} <= found  # fmt: skip


def test_a_bare_number_after_a_name_that_does_not_end_at_it_is_not_read():
    found = _by_names("Biên chế công chức năm 2025 giảm so với năm 2024 là 3.", STAFF)
    assert not any(v == 3 for _, v in found)


INSPECTIONS = "Báo cáo công tác thanh tra, kiểm tra quý III năm 2025"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a bracketed breakdown between the inspection and whom it was for
        ("Trong quý, Thanh tra Sở thực hiện 07 cuộc thanh tra, kiểm tra (03 cuộc theo kế hoạch, 04 cuộc "
         "đột xuất) đối với 26 tổ chức, cá nhân hoạt động báo chí.", ("inspected_entities", 26)),
        ("Sở tổ chức 03 cuộc thanh tra chuyên ngành đối với 12 doanh nghiệp bưu chính.", ("inspected_entities", 12)),
    ],
)  # fmt: skip
def test_whom_an_inspection_was_for_is_named_across_its_breakdown(body, expected):
    assert expected in _by_names(body, INSPECTIONS)


def test_whom_a_fine_was_for_is_no_inspected_entity():
    body = "Qua kiểm tra, Sở ban hành 05 quyết định xử phạt đối với 05 cá nhân với tổng số tiền 20 triệu đồng."
    assert ("inspected_entities", 5) not in _by_names(body, INSPECTIONS)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # a label introducing its value with a colon keeps its commas: 'tổ chức, cá nhân' is one name
        (INSPECTIONS, "Tổng hợp kết quả: số tổ chức, cá nhân được thanh tra, kiểm tra: 63 đơn vị.",
         ("inspected_entities", 63)),
        # the app's own topic says whose downloads a bare 'lượt tải' counts
        ("Báo cáo chuyển đổi số năm 2025", "Đến nay, ứng dụng di động dùng chung của tỉnh đã đạt 91.400 lượt tải.",
         ("app_downloads", 91400)),
        ("Báo cáo chuyển đổi số năm 2025", "Ứng dụng công dân số có số người dùng thường xuyên hàng tháng là 8.700.",
         ("app_monthly_active_users", 8700)),
    ],
)  # fmt: skip
def test_labels_and_app_topics_name_their_figures(title, body, expected):
    assert expected in _by_names(body, title)


def test_a_name_right_after_the_figure_is_its_measure():
    body = "Trong năm 2025, đơn vị được giao 18 số lượng người làm việc hưởng lương từ ngân sách."
    assert ("staff_quota_public_employees", 18) in _by_names(body, STAFF)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # an abbreviated measure noun is written out before it is matched ('HS' -> 'hồ sơ')
        ("Báo cáo kết quả giải quyết thủ tục hành chính tháng 5 năm 2025",
         "Trong tháng, Trung tâm tiếp nhận 6,4 ngàn HS, trong đó trực tuyến 4,2 ngàn HS.", ("tthc_received", 6400)),
        # a service counted whole, named by its short name after the figure
        ("Báo cáo kết quả cải cách hành chính năm 2025",
         "Sở đang cung cấp 95 dịch vụ công trực tuyến, gồm 61 dịch vụ toàn trình và 34 dịch vụ một phần.",
         ("dvc_full_online", 61)),
        ("Báo cáo kết quả vận hành Tổng đài 1022 tháng 5 năm 2025",
         "Tổng đài nhận tổng cộng 1.540 cuộc gọi (gồm 1.102 cuộc gọi vào và 438 cuộc gọi ra).",
         ("hotline1022_calls", 1102)),
        # the platform a passage is about says whose users a bare 'người dùng' counts
        ("Báo cáo chuyển đổi số năm 2025",
         "Ứng dụng mini app của tỉnh trên nền tảng Zalo đã có khoảng 173.000 người dùng.",
         ("zalo_miniapp_users", 173000)),
        (INSPECTIONS, "Trong năm, Sở thực hiện 21 đợt kiểm tra tại 134 cơ sở kinh doanh dịch vụ.",
         ("inspected_entities", 134)),
        ("Báo cáo kết quả vận hành Tổng đài 1022 tháng 5 năm 2025",
         "Các sở, ngành đã tiếp nhận, xử lý, phản hồi 987 phản ánh của người dân.", ("hotline1022_resolved", 987)),
    ],
)  # fmt: skip
def test_more_wordings_the_names_read(title, body, expected):
    assert expected in _by_names(body, title)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Báo cáo kết quả giải quyết thủ tục hành chính quý I năm 2025",
         "Số hồ sơ đã tiếp nhận trong kỳ báo cáo: 4.870 hồ sơ (trực tuyến 3.905 hồ sơ).", ("tthc_received", 4870)),
        (INSPECTIONS, "Số cá nhân, tổ chức được kiểm tra: 47 đơn vị.", ("inspected_entities", 47)),
    ],
)  # fmt: skip
def test_a_tense_word_inside_a_name_or_a_label_with_commas_does_not_hide_it(title, body, expected):
    assert expected in _by_names(body, title)


@pytest.mark.parametrize(
    "body",
    [
        "Trong kỳ, Trung tâm giải quyết 9.120 hồ sơ, trong đó 9.087 hồ sơ giải quyết trước hạn và đúng hạn, "
        "đạt tỷ lệ 99,64%.",
        "Bộ phận Một cửa giải quyết 2.410 hồ sơ, trong đó 2.398 hồ sơ đúng hạn, đạt 99,5%; 12 hồ sơ quá hạn.",
    ],
)
def test_a_rate_right_after_a_count_is_named_by_the_counts_words(body):
    found = _by_names(body, "Báo cáo kết quả giải quyết thủ tục hành chính năm 2025")
    assert any(code == "tthc_ontime_rate" for code, _ in found)


def test_a_share_in_brackets_is_not_named_by_the_next_items_words():
    body = "Giải quyết sớm hạn 1.200 hồ sơ (80,2%), đúng hạn 290 hồ sơ (19,4%), quá hạn 6 hồ sơ (0,4%)."
    found = _by_names(body, "Báo cáo kết quả giải quyết thủ tục hành chính năm 2025")
    assert ("tthc_ontime_rate", 80.2) not in found


def test_the_platform_named_far_before_the_figure_still_says_whose_users_they_are():
    body = "Tính đến cuối quý, tiện ích mini app của tỉnh chạy trên nền tảng Zalo đã thu hút gần 96.500 người dùng."
    assert ("zalo_miniapp_users", 96500) in _by_names(body, "Báo cáo chuyển đổi số quý III năm 2025")


HOTLINE = "Báo cáo kết quả vận hành Tổng đài 1022 tháng 9 năm 2025"


def test_reports_still_in_their_term_are_in_progress():
    body = "Tổng đài tiếp nhận 1.020 phản ánh; 64 phản ánh đang trong thời hạn xử lý."
    assert ("hotline1022_in_progress", 64) in _by_names(body, HOTLINE)
