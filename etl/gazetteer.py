"""Names a report can be from: provinces (63 before the 2025 merger, 34 after) and agencies."""

from __future__ import annotations

PROVINCES_2024: tuple[str, ...] = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh",
    "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ",
    "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "TP. Hồ Chí Minh", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip

# After 1 July 2025: 34 units, all but Huế keeping a pre-merger name.
PROVINCES_2025: tuple[str, ...] = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên",
    "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng",
    "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "TP. Hồ Chí Minh",
    "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip

PROVINCES: tuple[str, ...] = tuple(dict.fromkeys(PROVINCES_2024 + PROVINCES_2025))

# Other ways a province is written; the value is the canonical name above.
PROVINCE_ALIASES: dict[str, str] = {
    "thành phố hồ chí minh": "TP. Hồ Chí Minh",
    "hồ chí minh": "TP. Hồ Chí Minh",
    "hcm": "TP. Hồ Chí Minh",
    "tp hồ chí minh": "TP. Hồ Chí Minh",
    "tp. hồ chí minh": "TP. Hồ Chí Minh",
    "tp.hcm": "TP. Hồ Chí Minh",
    "tp. hcm": "TP. Hồ Chí Minh",
    "bà rịa – vũng tàu": "Bà Rịa - Vũng Tàu",
    "bà rịa-vũng tàu": "Bà Rịa - Vũng Tàu",
    "đắc lắc": "Đắk Lắk",
    "đăk lăk": "Đắk Lắk",
    "đắk nông": "Đắk Nông",
    "bắc cạn": "Bắc Kạn",
}

# Provinces that are cities directly under the centre: their units say 'thành phố X', not 'tỉnh X'.
CITY_PROVINCES: frozenset[str] = frozenset({"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "TP. Hồ Chí Minh", "Huế"})

# Names that are also ordinary words or phrases: count them only after "tỉnh"/"thành phố".
AMBIGUOUS_PROVINCES: frozenset[str] = frozenset({"Hòa Bình", "TP. Hồ Chí Minh", "Huế", "Thái Bình"})

AGENCIES: tuple[str, ...] = (
    "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư", "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường",
    "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Ngoại vụ", "Sở Dân tộc và Tôn giáo",
    "Thanh tra tỉnh", "Văn phòng UBND tỉnh", "Ban Dân tộc tỉnh",
    "Công an tỉnh", "Ban Quản lý các khu công nghiệp", "Ban Quản lý Khu kinh tế",
)  # fmt: skip

AGENCY_ALIASES: dict[str, str] = {
    "sở tt&tt": "Sở Thông tin và Truyền thông",
    "sở tttt": "Sở Thông tin và Truyền thông",
    "sở tt-tt": "Sở Thông tin và Truyền thông",
    "sở kh&cn": "Sở Khoa học và Công nghệ",
    "sở khcn": "Sở Khoa học và Công nghệ",
    "sở kh&đt": "Sở Kế hoạch và Đầu tư",
    "sở khđt": "Sở Kế hoạch và Đầu tư",
    "sở lđtbxh": "Sở Lao động - Thương binh và Xã hội",
    "sở lđ-tb&xh": "Sở Lao động - Thương binh và Xã hội",
    "sở gd&đt": "Sở Giáo dục và Đào tạo",
    "sở gdđt": "Sở Giáo dục và Đào tạo",
    "sở tn&mt": "Sở Tài nguyên và Môi trường",
    "sở tnmt": "Sở Tài nguyên và Môi trường",
    "sở nn&ptnt": "Sở Nông nghiệp và Phát triển nông thôn",
    "sở gtvt": "Sở Giao thông vận tải",
    "sở vhttdl": "Sở Văn hóa, Thể thao và Du lịch",
    "sở vh,tt&dl": "Sở Văn hóa, Thể thao và Du lịch",
    "văn phòng ủy ban nhân dân tỉnh": "Văn phòng UBND tỉnh",
}


# Words a unit's name starts with (lower case), as a letterhead or an 'X báo cáo' clause names it:
# 'UBND TỈNH X / VĂN PHÒNG UBND TỈNH / TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG'. Longest first.
UNIT_HEADS: tuple[str, ...] = (
    "ủy ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd", "văn phòng", "sở", "trung tâm", "trụ sở",
    "ban", "thanh tra", "công an", "chi cục", "tổng cục", "cục", "bộ chỉ huy", "bộ phận", "bộ", "phòng",
    "kho bạc", "bảo hiểm xã hội", "đài", "viện", "bệnh viện", "trường", "đảng ủy", "đảng bộ", "tỉnh ủy",
    "thành ủy", "ủy ban mặt trận tổ quốc", "liên đoàn", "hội đồng", "hội", "tổ công tác",
)  # fmt: skip


def agency_code(name: str) -> str:
    """'Sở Thông tin và Truyền thông' -> 'STTTT', the symbol used in document numbers."""
    words = [w for w in name.replace(",", " ").replace("-", " ").split() if w.lower() != "và"]
    return "".join(w[0] for w in words).upper()
