"""Vietnamese numerals and qualifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.text.numbers import number_words_pattern, parse_number, parse_number_words, parse_numeral, unify_digit_groups


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.813.493", 2813493),
        ("12,5", 12.5),
        ("1.556,3", 1556.3),
        ("07", 7),
        ("III", 3),
        ("iv", 4),
    ],
)
def test_numerals(text, value):
    assert parse_numeral(text) == value


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "denominator"),
    [
        ("12,5%", 12.5, "exact", None),
        ("16 triệu đồng", 16_000_000, "exact", None),
        ("9.280 triệu đồng", 9_280_000_000, "exact", None),
        ("1,5 tỷ đồng", 1_500_000_000, "exact", None),
        ("25,2 nghìn hồ sơ", 25_200, "exact", None),
        ("10/17", 10, "exact", 17),
        ("hạng 40/63", 40, "exact", 63),
        ("hạng III", 3, "exact", None),
        ("hơn 340", 340, "at_least", None),
        ("trên 500.000", 500_000, "at_least", None),
        ("gần 6.000", 6_000, "about", None),
        ("khoảng 85.000", 85_000, "about", None),
        ("khoảng hơn 100", 100, "about", None),
    ],
)
def test_quantities(text, value, qualifier, denominator):
    parsed = parse_number(text)
    assert parsed.value == pytest.approx(value)
    assert parsed.qualifier == qualifier
    assert parsed.denominator == denominator


def vietnamese(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**13))
def test_thousands_round_trip(n):
    assert parse_numeral(vietnamese(n)) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimal_comma_round_trip(whole, frac):
    text = f"{vietnamese(whole)},{frac:02d}"
    assert parse_numeral(text) == pytest.approx(whole + frac / 100)


@given(st.integers(min_value=1, max_value=999), st.sampled_from([("nghìn", 1e3), ("triệu", 1e6), ("tỷ", 1e9)]))
def test_scale_words(n, scale):
    word, factor = scale
    assert parse_number(f"{n} {word} đồng").value == n * factor


@pytest.mark.parametrize("text", ["", "abc", "1368/KH-UBND"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_numeral(text)


def test_a_scale_word_multiplies_in_decimal_so_amounts_stay_whole():
    from etl.text.numbers import scaled

    assert scaled(64.9, 1e9) == 64_900_000_000 and scaled(0.1, 3) == 0.3
    assert parse_number("64,9 tỷ đồng").value == 64_900_000_000


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("tiếp nhận 12 688 hồ sơ", "tiếp nhận 12.688 hồ sơ"),
        ("12\u00a0673 hồ sơ", "12.673 hồ sơ"),  # no-break space
        ("1\u202f234\u202f567 đồng", "1.234.567 đồng"),  # narrow no-break space
        ("| 4 120 | 3 998 |", "| 4.120 | 3.998 |"),  # cells
        ("Hồ sơ 120 115 5", "Hồ sơ 120 115 5"),  # three columns of a text table, not one number
        ("năm 2024 100 hồ sơ", "năm 2024 100 hồ sơ"),  # a year is no thousands group
        ("12  688 hồ sơ", "12  688 hồ sơ"),  # a column gap is two spaces
        ("1.234 và 5 678,5 triệu", "1.234 và 5 678,5 triệu"),  # a decimal after a plain space: not grouped
    ],
)
def test_space_grouped_thousands_become_dots_of_the_same_length(text, want):
    got = unify_digit_groups(text)
    assert got == want and len(got) == len(text)


@given(st.integers(min_value=1000, max_value=10**12))
def test_space_grouped_thousands_round_trip(n):
    spaced = f"{n:,}".replace(",", "\u00a0")
    assert parse_numeral(unify_digit_groups(spaced)) == n


@pytest.mark.parametrize(
    ("words", "value"),
    [("sáu", 6), ("năm", 5), ("mười", 10), ("mười hai", 12), ("mười lăm", 15), ("hai mươi", 20),
     ("hai mươi lăm", 25), ("ba mươi mốt", 31), ("chín mươi chín", 99), ("bốn", 4)],
)  # fmt: skip
def test_counts_in_words(words, value):
    assert parse_number_words(words) == value


def test_counts_in_words_are_found_only_before_a_measure_noun():
    pattern = number_words_pattern(("đơn", "cuộc", "hồ sơ"))
    text = "nhận sáu đơn, mở mười hai cuộc; một số hồ sơ; hai mươi lăm hồ sơ"
    found = [m.group("words") for m in pattern.finditer(text)]
    assert found == ["sáu", "mười hai", "hai mươi lăm"]


def test_a_lone_mot_is_the_article_not_a_count():
    pattern = number_words_pattern(("người", "hồ sơ"))
    text = "một người làm được nhiều việc; mười một hồ sơ; hai mươi mốt người"
    assert [m.group("words") for m in pattern.finditer(text)] == ["mười một", "hai mươi mốt"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1 tỷ 140 triệu đồng", 1_140_000_000), ("2 triệu 500 nghìn", 2_500_000), ("3,5 tỷ 20 triệu", 3_520_000_000),
     ("hơn 1 tỷ 50 triệu", 1_050_000_000)],
)  # fmt: skip
def test_an_amount_in_two_scale_words_adds_up(text, value):
    assert parse_number(text).value == value


def test_the_smaller_amount_of_a_compound_is_no_figure_of_its_own():
    from tests.conftest import make_report

    ex = make_report("Thanh tra Sở ban hành 14 quyết định xử phạt với tổng số tiền phạt 1 tỷ 140 triệu đồng.")
    assert ("fines_vnd", 1_140_000_000) in {(f.indicator, f.value) for f in ex.facts}
    assert all(m.value != 140_000_000 for m in ex.mentions)
