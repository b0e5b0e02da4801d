"""The one list of the dashboard's pages: app.py's navigation and both test suites read it, so
adding a page is its file in pages/ and a line here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Page:
    file: str  # the script under the project root
    title: str  # in the navigation; the page's heading contains it
    icon: str

    @property
    def url_path(self) -> str:
        """The page's address under the server ('' for the first, the default page)."""
        return "" if self is PAGES[0] else Path(self.file).stem


PAGES: tuple[Page, ...] = (
    Page("pages/tong_quan.py", "Tổng quan", ":material/dashboard:"),
    Page("pages/xu_huong.py", "Xu hướng", ":material/trending_up:"),
    Page("pages/so_sanh.py", "So sánh", ":material/compare_arrows:"),
    Page("pages/tra_cuu.py", "Tra cứu", ":material/table_view:"),
    Page("pages/van_ban.py", "Văn bản", ":material/description:"),
    Page("pages/chat_luong.py", "Chất lượng dữ liệu", ":material/fact_check:"),
    Page("pages/theo_doi.py", "Theo dõi nộp báo cáo", ":material/event_available:"),
    Page("pages/bao_cao_tong_hop.py", "Báo cáo tổng hợp", ":material/summarize:"),
    Page("pages/nhap_bao_cao.py", "Nhập báo cáo", ":material/upload_file:"),
)
