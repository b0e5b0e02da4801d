"""The issuing unit: the most specific unit of the letterhead, named with the place it serves.

Letterheads put the parent on the first line and the unit under it, often wrapped over two
lines; reports without one say '…, <unit> báo cáo …' at their head. Agencies the body names
later (the police, the parent office, a Sở whose plan is cited) never become the issuer.
"""

from __future__ import annotations

import pytest

from etl.metadata import detect_metadata
from etl.normalize import normalize

# A body that names other agencies as reporting, more often than the issuer names itself.
OTHERS = (
    "\n\nI. TÌNH HÌNH CHUNG\n\nCông an tỉnh báo cáo 03 vụ việc liên quan. Văn phòng Ủy ban nhân dân tỉnh "
    "báo cáo Chủ tịch Ủy ban nhân dân tỉnh. Công an tỉnh báo cáo đã xử lý xong.\n"
)


def _agency(text: str) -> str | None:
    return detect_metadata(normalize(text), "x.txt").agency


def _meta(text: str):
    return detect_metadata(normalize(text), "x.txt")


@pytest.mark.parametrize(
    ("letterhead", "agency"),
    [
        # the parent office on line 1, the centre wrapped over lines 2-3
        (
            "VĂN PHÒNG UBND TỈNH AN GIANG\nTRUNG TÂM KIỂM SOÁT THỦ TỤC HÀNH CHÍNH\nVÀ PHỤC VỤ HÀNH CHÍNH CÔNG",
            "Trung tâm Kiểm soát thủ tục hành chính và Phục vụ hành chính công tỉnh An Giang",
        ),
        ("UBND TỈNH GIA LAI\nTRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "Trung tâm Phục vụ hành chính công tỉnh Gia Lai"),
        # the name itself wrapped mid-phrase
        ("UBND TỈNH GIA LAI\nTRUNG TÂM PHỤC VỤ\nHÀNH CHÍNH CÔNG", "Trung tâm Phục vụ hành chính công tỉnh Gia Lai"),
        # a ward's centre (two-level local government, from 1 July 2025)
        (
            "ỦY BAN NHÂN DÂN\nPHƯỜNG TÂN ĐỊNH\nTRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
            "Trung tâm Phục vụ hành chính công phường Tân Định",
        ),
        ("UBND TỈNH ĐẮK LẮK\nBAN TIẾP CÔNG DÂN", "Ban Tiếp công dân tỉnh Đắk Lắk"),
        # the People's Committee's office, under its parent or named whole: written as officials shorten it
        ("UBND TỈNH BÌNH PHƯỚC\nVĂN PHÒNG", "Văn phòng UBND tỉnh"),
        ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "Văn phòng UBND tỉnh"),
        (
            "BAN TIẾP CÔNG DÂN TRUNG ƯƠNG\nTRỤ SỞ TIẾP CÔNG DÂN TRUNG ƯƠNG\nTẠI THÀNH PHỐ ĐÀ NẴNG",
            "Trụ sở Tiếp công dân Trung ương tại thành phố Đà Nẵng",
        ),
        # 'ỦY BAN NHÂN DÂN / TỈNH …' wrapped, a rule under it, then the Sở
        ("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n-------\nSỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở Khoa học và Công nghệ"),
        # a two-column letterhead read from a Word table
        (
            "UBND TỈNH QUẢNG NGÃI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "VĂN PHÒNG UBND TỈNH | Độc lập - Tự do - Hạnh phúc\n"
            "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
            "Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi",
        ),
        # the right-hand column first, as some PDF text layers give it
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nUBND TỈNH PHÚ THỌ\nSỞ TƯ PHÁP",
            "Sở Tư pháp",
        ),
    ],
)
def test_the_last_unit_of_the_letterhead_issues_the_report(letterhead, agency):
    text = (
        f"{letterhead}\n\nSố: 15/BC-TT\n\nNơi nào đó, ngày 05 tháng 10 năm 2025\n\nBÁO CÁO\n"
        f"Kết quả công tác quý III năm 2025\n{OTHERS}"
    )
    assert _agency(text) == agency


def test_a_centre_without_letterhead_is_the_unit_that_reports():
    text = (
        "Số: 12/BC-TTPVHCC\n\nCần Thơ, ngày 05 tháng 11 năm 2025\n\n"
        "BÁO CÁO\nTình hình giải quyết hồ sơ tháng 10 năm 2025\n\n"
        "Căn cứ chế độ báo cáo định kỳ, Trung tâm Phục vụ hành chính công thành phố báo cáo như sau:" + OTHERS
    )
    meta = _meta(text)
    assert meta.province == "Cần Thơ"
    assert meta.agency == "Trung tâm Phục vụ hành chính công thành phố Cần Thơ"


def test_a_ward_centre_named_in_the_opening_clause():
    text = (
        "BÁO CÁO\nKết quả tiếp nhận hồ sơ tháng 8 năm 2025\n\nThực hiện chỉ đạo của Ủy ban nhân dân phường, "
        "Trung tâm Phục vụ hành chính công phường Bình Thạnh báo cáo như sau:" + OTHERS
    )
    assert _agency(text) == "Trung tâm Phục vụ hành chính công phường Bình Thạnh"


def test_a_bare_unit_word_names_no_issuer():
    """'…, Trung tâm báo cáo' says who, not which: the named agencies decide."""
    text = "BÁO CÁO\nKết quả năm 2025\n\nTheo kế hoạch, Trung tâm báo cáo như sau: Sở Tư pháp báo cáo kết quả."
    assert _agency(text) == "Sở Tư pháp"


def test_a_sentence_on_the_first_line_is_no_letterhead():
    text = (
        "Trung tâm Văn hóa tỉnh đã tổ chức nhiều hoạt động trong năm 2025, thu hút đông đảo người dân tham gia.\n"
        "Sở Văn hóa, Thể thao và Du lịch báo cáo kết quả như sau.\n"
    )
    assert _agency(text) == "Sở Văn hóa, Thể thao và Du lịch"


def test_people_committee_alone_issues_when_the_number_agrees():
    head = (
        "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN\n\nSố: 99/BC-{sym}\n\nHưng Yên, ngày 9 tháng 12 năm 2025\n\n"
        "BÁO CÁO\nKết quả năm 2025\n\n"
    )
    assert _agency(head.format(sym="UBND") + OTHERS) == "Ủy ban nhân dân tỉnh Hưng Yên"
    # the number names a Sở: the letterhead lost its second line, the opening clause decides
    lost = head.format(sym="SYT") + "Thực hiện chỉ đạo của tỉnh, Sở Y tế báo cáo như sau:" + OTHERS
    assert _agency(lost) == "Sở Y tế"


def test_a_2025_report_is_the_successor_agency():
    """From 1 March 2025 the Sở TT&TT's work is the Sở KH&CN's (agency_lineage_2025.csv): a report
    of that time that only cites the old Sở's plans is the new Sở's; an older one stays the old Sở's."""
    body = (
        "\n\nBÁO CÁO\nKết quả chuyển đổi số năm {y}\n\nThực hiện Kế hoạch số 12/KH-STTTT của Sở Thông tin và "
        "Truyền thông, Sở Thông tin và Truyền thông đã triển khai các nhiệm vụ. Sở Thông tin và Truyền thông "
        "tổng hợp kết quả như sau.\n"
    )
    dated = "Số: 101/BC-SKHCN\n\nĐồng Nai, ngày 20 tháng 9 năm {y}" + body
    assert _agency(dated.format(y=2025)) == "Sở Khoa học và Công nghệ"
    assert _agency(("Đồng Nai, ngày 20 tháng 9 năm {y}" + body).format(y=2024)) == "Sở Thông tin và Truyền thông"


def test_the_new_sở_is_itself_whatever_the_body_cites():
    text = (
        "UBND TỈNH ĐỒNG NAI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n\nSố: 101/BC-SKHCN\n\nĐồng Nai, ngày 20 tháng 9 năm 2025\n\n"
        "BÁO CÁO\nTình hình chuyển đổi số quý III năm 2025\n\nThực hiện Kế hoạch của Sở Thông tin và Truyền thông, "
        "Sở Thông tin và Truyền thông báo cáo tiến độ. Sở Thông tin và Truyền thông báo cáo kết quả.\n"
    )
    assert _agency(text) == "Sở Khoa học và Công nghệ"


def test_a_wrapped_people_committee_names_the_province():
    text = "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\n-------\nSỞ NỘI VỤ\n\nSố: 3/BC-SNV\n\nBÁO CÁO\nKết quả năm 2025\n"
    meta = _meta(text)
    assert (meta.province, meta.agency) == ("Thanh Hóa", "Sở Nội vụ")


def test_a_letterhead_in_one_word_cell_names_its_unit_not_the_committee():
    text = (
        "| UBND TỈNH ĐẮK LẮK CHI CỤC VĂN THƯ - LƯU TRỮ Số: 41/BC-CCVTLT | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc Đắk Lắk, ngày 02 tháng 4 năm 2026 |\nBÁO CÁO\nKết quả công tác quý I năm 2026\n"
        "Văn phòng Ủy ban nhân dân tỉnh đã chỉ đạo; Văn phòng Ủy ban nhân dân tỉnh theo dõi.\n"
    )
    agency = detect_metadata(normalize(text), "bc.docx").agency
    assert agency is not None and agency.lower().startswith("chi cục văn thư")
