"""Vietnamese numerals: 2.813.493, 12,5 %, 9.280 triệu đồng, hơn 500.000, hạng III, 10/17.

The regex fragments here are the macros rules use in the catalog ({NUM}, {FRAC}, {RANK}, {N}).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "DIGITLESS_MACROS",
    "MACROS",
    "QUALIFIER_TAIL",
    "ParsedNumber",
    "parse_number",
    "parse_numeral",
    "qualifier_of",
    "scale_of",
    "scaled",
]

_QUALIFIERS = {
    "khoảng hơn": "about",
    "hơn": "at_least",
    "trên": "at_least",
    "ít nhất": "at_least",
    "tối thiểu": "at_least",
    "gần": "about",
    "khoảng": "about",
    "xấp xỉ": "about",
    "ước đạt": "about",
    "ước tính": "about",
    "ước": "about",
    "dưới": "at_most",
    "chưa đến": "at_most",
    "chưa tới": "at_most",
    "tối đa": "at_most",
}
_SCALES = {"tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

_QUAL_RE = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
# The first digit comes first, and the look-behind after it, so the regex engine can skip
# quickly to digits: 2.813.493 | 12,5 | 07
_DIGITS = r"\d(?<![\d.,/\-]\d)(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*(?:,\d+)?)"
_BEFORE = ""
_AFTER = r"(?![\d]|[.,/\-]\d)"
# No figure in a report has more than 18 digits before its decimal comma; a longer run ("1" and 400
# zeros) is not a number: parse_numeral refuses it, and a denominator that long makes the whole
# fraction no match (the check sits before the denominator group, whose text mentions.py rewrites).
MAX_DIGITS = 18
_DEN_GUARD = rf"(?!/\d(?:\.?\d){{{MAX_DIGITS}}})"
# A qualifier just before a number that a rule's pattern did not include.
QUALIFIER_TAIL = re.compile(rf"(?:^|\s)({_QUAL_RE})\s$")
_SCALE_RE = r"(?:\s?(?P<scale>tỷ|tỉ|triệu|nghìn|ngàn)(?![^\W\d_]))?"

MACROS: dict[str, str] = {
    # a quantity: optional qualifier, the number, optional scale word
    "NUM": rf"(?:(?P<qual>{_QUAL_RE})\s)?{_BEFORE}(?P<num>{_DIGITS}){_AFTER}{_SCALE_RE}",
    # a quantity or a part of a whole: 41/41, 10/17, 259
    "NUMF": rf"(?:(?P<qual>{_QUAL_RE})\s)?{_BEFORE}(?P<num>{_DIGITS}){_DEN_GUARD}(?:/(?P<den>\d+))?{_AFTER}{_SCALE_RE}",
    # the same without a qualifier, for rules that start with the number (the engine looks
    # behind the match for 'hơn', 'khoảng'...); fast to scan
    "NUM_BARE": rf"(?P<num>{_DIGITS}){_AFTER}{_SCALE_RE}",
    "NUMF_BARE": rf"(?P<num>{_DIGITS}){_DEN_GUARD}(?:/(?P<den>\d+))?{_AFTER}{_SCALE_RE}",
    # a part of a whole: 41/41, 10/17
    "FRAC": rf"(?:(?P<qual>{_QUAL_RE})\s)?(?P<num>\d(?<![\d.,/\-]\d)\d*){_DEN_GUARD}/(?P<den>\d+){_AFTER}",
    # a rank: 40/63, 40, III
    "RANK": r"(?<![\w.,/])(?P<num>\d{1,3}|[ivx]{1,5})(?:/(?P<den>\d{1,3}))?(?![\w/])",
    # any other number in a rule, not captured
    "N": rf"{_DIGITS}{_AFTER}",
}
# Macros whose number may be written without a digit (a rank in Roman numerals: hạng III).
DIGITLESS_MACROS = frozenset({"RANK"})


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: float
    qualifier: str = "exact"
    denominator: float | None = None


_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 2.813.493 | 1.556,3
_PLAIN = re.compile(r"\d+(?:,\d+)?")  # 12,5 | 07


def parse_numeral(token: str) -> float:
    """'2.813.493' -> 2813493; '1.556,3' -> 1556.3; '12,5' -> 12.5; '07' -> 7; 'III' -> 3."""
    token = token.strip()
    if token and token.lower().strip("ivxlc") == "":
        return float(_roman(token.lower()))
    if _GROUPED.fullmatch(token):
        token = token.replace(".", "")
    if not _PLAIN.fullmatch(token):
        raise ValueError(f"không phải số: {token[:40]!r}")
    return _finite(token.replace(",", "."))


def _finite(digits: str) -> float:
    """A plain decimal as a float; a run too long to be a figure is a ValueError, not an overflow."""
    whole = digits.split(".", 1)[0].lstrip("0")
    if len(whole) > MAX_DIGITS:
        raise ValueError(f"không phải số: {len(whole)} chữ số, tối đa {MAX_DIGITS} ({digits[:20]}…)")
    value = float(digits)
    if not math.isfinite(value):
        raise ValueError(f"không phải số hữu hạn: {digits[:20]!r}")
    return value


def _roman(token: str) -> int:
    total, prev = 0, 0
    for ch in reversed(token):
        v = _ROMAN[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def qualifier_of(word: str | None) -> str:
    """'hơn' -> at_least, 'khoảng' -> about; nothing -> exact."""
    return _QUALIFIERS.get((word or "").strip().lower(), "exact")


def scale_of(word: str | None) -> float:
    return _SCALES.get((word or "").strip().lower(), 1.0)


_STANDALONE = re.compile(
    rf"^\s*(?:hạng\s+)?(?:(?P<qual>{_QUAL_RE})\s+)?(?P<num>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)(?:/(?P<den>\d+))?{_SCALE_RE}"
)


def parse_number(text: str) -> ParsedNumber:
    """Parse a stand-alone quantity: '16 triệu đồng' -> 16000000, 'hơn 340' -> at_least 340."""
    lowered = text.strip().lower()
    roman = re.fullmatch(r"(?:hạng\s+)?([ivxlc]+)", lowered)
    if roman:
        return ParsedNumber(float(_roman(roman.group(1))))
    m = _STANDALONE.match(lowered)
    if not m:
        raise ValueError(f"không đọc được số: {text!r}")
    value = scaled(parse_numeral(m.group("num")), scale_of(m.group("scale")))
    den = m.group("den")
    return ParsedNumber(value, qualifier_of(m.group("qual")), _finite(den) if den else None)


def scaled(value: float, scale: float) -> float:
    """A number times its scale word, in decimal: '64,9 tỷ' is 64 900 000 000, not …000.00001;
    a whole result is kept whole."""
    product = Decimal(repr(value)) * Decimal(repr(scale))
    return float(product.to_integral_value()) if product == product.to_integral_value() else float(product)
