"""Streamlit's own English rewritten in Vietnamese (dashboard/chrome.py), and the uploader's
limit: Streamlit's and the page's say the same number."""

from __future__ import annotations

import re
import tomllib

import pytest

from dashboard import chrome, importing
from tests.conftest import ROOT


def rewrite(text: str) -> str:
    """What the page's script does to one text (its patterns, in Python's regex dialect)."""
    for pattern, to in chrome.PATTERNS:
        if re.search(pattern, text.strip()):
            return re.sub(pattern, re.sub(r"\$(\d)", r"\\\1", to), text.strip())
    return chrome.TEXTS.get(text.strip(), text)


@pytest.mark.parametrize(
    ("shown", "vietnamese"),
    [
        ("200MB per file", "Tối đa 200 MB mỗi tệp"),  # Streamlit 1.5x–1.6x
        ("Limit 200MB per file", "Tối đa 200 MB mỗi tệp"),  # earlier versions
        ("Limit 20 MB per file • TXT, PDF", "Tối đa 20 MB mỗi tệp • TXT, PDF"),
        ("1.5GB per file", "Tối đa 1.5 GB mỗi tệp"),
    ],
)
def test_the_uploaders_limit_reads_in_vietnamese_whatever_the_version(shown, vietnamese):
    assert rewrite(shown) == vietnamese


def test_streamlits_upload_limit_is_the_one_the_page_states(monkeypatch):
    monkeypatch.delenv("MAX_UPLOAD_MB", raising=False)
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == importing.max_upload_bytes() // (1024 * 1024) == 20


def test_the_chart_and_table_code_fetched_ahead_is_streamlits():
    """Named by content hash in Streamlit's build: an upgrade that renames them must not silently stop it."""
    assert [name.split(".")[0] for name in chrome.AHEAD] == ["PlotlyChart", "DataFrame"]
    assert chrome.BUSY in chrome.page_html()


@pytest.mark.parametrize(
    ("shown", "vietnamese"),
    [
        ("Năm — start", "Năm — từ"),  # the sidebar's year slider, read aloud
        ("Show/hide columns", "Hiện/ẩn cột"),
        ("(index)", "(số thứ tự dòng)"),
        ("Date range", "Khoảng ngày"),
        ("Thứ Ba, 2 tháng 1, 2024 selected", "Thứ Ba, 2 tháng 1, 2024 (đã chọn)"),
        ("Selected Range: Thứ Hai, 1 tháng 1 to Thứ Ba, 31 tháng 12, 2024, Thứ Hai, 1 tháng 1, 2024 selected",
         "Khoảng đã chọn: Thứ Hai, 1 tháng 1 đến Thứ Ba, 31 tháng 12, 2024, Thứ Hai, 1 tháng 1, 2024 (đã chọn)"),
        ("month, Từ ngày – đến ngày start date", "tháng, Từ ngày – đến ngày (từ ngày)"),
        ("01 – January", "01 – tháng 1"),
    ],
)
def test_streamlits_table_date_and_slider_words_read_in_vietnamese(shown, vietnamese):
    assert rewrite(shown) == vietnamese


def test_the_calendar_speaks_vietnamese_whatever_the_browsers_language():
    assert 'Navigator.prototype, "language"' in chrome.page_html() and '"vi-VN"' in chrome.page_html()
