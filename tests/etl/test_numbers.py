"""Vietnamese numerals and qualifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.text.numbers import parse_number, parse_numeral


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
