"""The matching copy: one form for the same words, and a map back to every original character."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.normalize import _RUN, _is_one_run, normalize, unify_tone_marks


def test_nfd_and_nfc_give_the_same_matching_text():
    nfc = "Sở Thông tin và Truyền thông tiếp nhận 36 hồ sơ"
    nfd = unicodedata.normalize("NFD", nfc)
    assert normalize(nfd).text == normalize(nfc).text


@pytest.mark.parametrize(
    ("old", "new"),
    [("uỷ", "ủy"), ("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("Hoá", "Hóa"), ("UỶ", "ỦY")],
)
def test_old_tone_placement(old, new):
    assert unify_tone_marks(old) == new


@pytest.mark.parametrize("word", ["hoàng", "quý", "khuỷu", "thuyết", "hòa"])
def test_words_that_keep_their_tone(word):
    assert unify_tone_marks(word) == word


def test_wrapped_lines_and_page_numbers():
    text = "Sở đã tiếp nhận \n\n36 hồ sơ, trả 36 hồ sơ, thủ \n\n\n \n4 \n\n \ntục giải quyết.\n- Mục mới"
    assert normalize(text).text == "Sở đã tiếp nhận 36 hồ sơ, trả 36 hồ sơ, thủ tục giải quyết.\n- Mục mới"


def test_spans_map_back_to_the_original():
    text = "Tổng  số:\t55   người,\n\nhợp đồng: 07"
    norm = normalize(unicodedata.normalize("NFD", text))
    i = norm.text.index("55")
    start, end = norm.span_in_original(i, i + 2)
    assert norm.original[start:end] == "55"
    j = norm.text.index("người")
    start, end = norm.span_in_original(j, j + len("người"))
    assert unicodedata.normalize("NFC", norm.original[start:end]) == "người"


def test_table_rows_stay_lines_of_their_own():
    text = (
        "Kết quả như sau:\n\n| STT | Chỉ tiêu | Kết quả |\n|---|:---:|--:|\n| 1 | Số hồ sơ tiếp nhận | 1.234 |\n"
        "| 2 | Số hồ sơ đã giải quyết |  |\n\ntăng so với cùng kỳ\nChỉ tiêu | Số\n---|---\nhồ sơ | 36\nhết"
    )
    assert normalize(text).text.split("\n") == [
        "Kết quả như sau:",
        "| STT | Chỉ tiêu | Kết quả |",
        "|---|:---:|--:|",
        "| 1 | Số hồ sơ tiếp nhận | 1.234 |",
        "| 2 | Số hồ sơ đã giải quyết | |",
        "tăng so với cùng kỳ",
        "Chỉ tiêu | Số",
        "---|---",
        "hồ sơ | 36",
        "hết",
    ]


def test_table_cells_map_back_to_the_original():
    text = "Bảng:\n|  STT | Chỉ tiêu   |  Số |\n|  1 | Số hồ sơ   | 1.234 |\ntiếp"
    norm = normalize(text)
    i = norm.text.index("1.234")
    start, end = norm.span_in_original(i, i + 5)
    assert norm.original[start:end] == "1.234"


words = st.text(alphabet="abcđêôơưàáảãạòóọỏõ0123456789.,:;", min_size=1, max_size=8)
layouts = st.lists(st.tuples(words, st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \n "])), max_size=40)


@given(layouts, st.booleans())
def test_every_character_maps_to_its_original(parts, decompose):
    text = "".join(w + sep for w, sep in parts)
    if decompose:
        text = unicodedata.normalize("NFD", text)
    norm = normalize(text)
    assert len(norm.lower) == len(norm.text)
    for i, ch in enumerate(norm.text):
        start, end = norm.span_in_original(i, i + 1)
        original = unicodedata.normalize("NFC", norm.original[start:end])
        if ch.isspace():
            assert original.isspace() or original == ""
        elif ch == "." and original.isspace():  # a space between thousands groups is read as their dot
            assert norm.text[i - 1].isdigit() and norm.text[i + 1].isdigit()
        else:
            assert unify_tone_marks(original)[:1] == ch or original == ch


@pytest.mark.parametrize(
    "line",
    ["Sở có 48 người.", "a\tb", "a\u00a0b", "a\u200bb", "so\u00adsánh", "a  b", "**đậm**", " a", "a ", "a\r",
     "a\u2028b", "a\u3000b", "", " ", "\u00a0"],
)  # fmt: skip
def test_fast_line_check_agrees_with_the_run_pattern(line):
    assert _is_one_run(line) == bool(_RUN.fullmatch(line))


@given(st.text(alphabet=st.sampled_from("aĐ1 \t\u00a0\u200b*\u00ad\r.ế"), max_size=12))
def test_fast_line_check_agrees_on_any_line(line):
    assert _is_one_run(line) == bool(_RUN.fullmatch(line))


table_words = st.text(alphabet="abđ19.,:-| ", min_size=1, max_size=10)
table_layouts = st.lists(st.tuples(table_words, st.sampled_from([" ", " | ", "|", "\n", "\n\n", "  "])), max_size=30)


@given(table_layouts)
def test_every_character_of_table_rows_maps_to_its_original(parts):
    text = "".join(w + sep for w, sep in parts)
    norm = normalize(text)
    for i, ch in enumerate(norm.text):
        start, end = norm.span_in_original(i, i + 1)
        original = norm.original[start:end]
        assert original == ch or (ch.isspace() and (original.isspace() or original == ""))
