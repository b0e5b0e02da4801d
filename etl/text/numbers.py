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
    "unify_digit_groups",
    "value_of",
    "YEAR_WORDS",
    "number_word_matches",
    "number_words_pattern",
    "parse_number_words",
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
# A scale word, and the smaller amount that may follow it: '1 tỷ 140 triệu', '2 triệu 500 nghìn'.
_SCALE_RE = (
    r"(?:\s?(?P<scale>tỷ|tỉ|triệu|nghìn|ngàn)(?![^\W\d_])"
    r"(?:\s(?P<rest>\d{1,3}(?:,\d+)?)\s(?P<scale2>triệu|nghìn|ngàn)(?![^\W\d_]))?)?"
)

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
    value = value_of(m)
    den = m.group("den")
    return ParsedNumber(value, qualifier_of(m.group("qual")), _finite(den) if den else None)


def value_of(m: re.Match[str]) -> float:
    """The amount a {NUM} match states: its number times its scale word, plus a smaller amount
    after it ('1 tỷ 140 triệu' is 1 140 000 000)."""
    groups = m.re.groupindex
    scale = scale_of(m.group("scale")) if "scale" in groups else 1.0
    value = scaled(parse_numeral(m.group("num")), scale)
    rest = m.group("rest") if "rest" in groups else None
    if rest and scale_of(m.group("scale2")) < scale:
        value = float(Decimal(repr(value)) + Decimal(repr(scaled(parse_numeral(rest), scale_of(m.group("scale2"))))))
    return value


def scaled(value: float, scale: float) -> float:
    """A number times its scale word, in decimal: '64,9 tỷ' is 64 900 000 000, not …000.00001;
    a whole result is kept whole."""
    if scale == 1.0:
        return value
    product = Decimal(repr(value)) * Decimal(repr(scale))
    return float(product.to_integral_value()) if product == product.to_integral_value() else float(product)


# Thousands written with a space: "12 688", "1 234 567", a non-breaking or thin space between the
# groups ("12\u00a0673"). A no-break, thin or figure space only ever groups digits; a plain space
# does when the number then runs into a word ("12 688 hồ sơ"), a cell's end or a line's end, and
# is not itself the tail of a list of numbers ("120 115 5": three columns of a text table).
# The pattern opens on a digit (the looks behind follow it) so the regex engine jumps from digit to
# digit instead of trying every character: six times faster on a report.
_SPACE_GROUPED = re.compile(
    r"\d(?<![\d.,/]\d)(?<!\d \d)\d{0,2}(?:(?P<sep>[ \u00a0\u2007\u2009\u202f])\d{3})(?:(?P=sep)\d{3})*"
    r"(?![\d]|[.,/]\d)"
)
_WORD_OR_END = re.compile(r" ?(?:[^\W\d_]|\||%|$)", re.MULTILINE)


def unify_digit_groups(text: str) -> str:
    """'12 688 hồ sơ' -> '12.688 hồ sơ', of the same length, so offsets into the text still hold."""
    if not any(ch.isdigit() for ch in text):
        return text
    out: list[str] | None = None
    for m in _SPACE_GROUPED.finditer(text):
        sep = m.group("sep")
        if sep == " " and not _WORD_OR_END.match(text, m.end()):
            continue
        if out is None:
            out = list(text)
        for i in range(m.start(), m.end()):
            if out[i] == sep:
                out[i] = "."
    return "".join(out) if out is not None else text


# Counts written in words before their measure noun: 'sáu đơn', 'mười hai cuộc', 'hai mươi lăm hồ sơ'.
_UNITS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
          "tám": 8, "chín": 9}  # fmt: skip
_FIRST = "một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín"
_TAIL = "mốt|một|hai|ba|bốn|tư|lăm|năm|sáu|bảy|bẩy|tám|chín"
# A lone 'một' is the article ('một người làm được nhiều việc', 'một cửa'); reports write one as '01'.
_ALONE = "hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín"
_NUMBER_WORDS = rf"(?:(?:{_FIRST}) mươi(?: (?:{_TAIL}))?|mười(?: (?:{_TAIL}))?|{_ALONE})"
# 'năm' is the year more often than five: not after the words that make it one ('trong năm', 'cả năm').
YEAR_WORDS = frozenset("trong của cả hằng hàng mỗi các những đầu cuối giữa nửa qua sang tháng một".split())  # noqa: SIM905 - a word list reads best as words


def number_words_pattern(measures: tuple[str, ...]) -> re.Pattern[str]:
    """A count in words right before one of ``measures`` (lower case); group 'words' is the number.

    The caller checks the word before it (a letter, or a year word before 'năm')."""
    nouns = "|".join(sorted((re.escape(m) for m in measures), key=len, reverse=True))
    return re.compile(rf"(?P<words>{_NUMBER_WORDS}) (?=(?:{nouns})(?![^\W\d_]))")


_OPENING = tuple(f"{w} " for w in (*_FIRST.split("|"), "mười"))  # the words a count in words opens with


def number_word_matches(
    pattern: re.Pattern[str], lower: str, start: int = 0, end: int | None = None
) -> list[re.Match[str]]:
    """``pattern.finditer(lower, start, end)``'s matches that open a word, found from the words a count
    opens with (a plain substring search) rather than by trying the regex at every character."""
    end = len(lower) if end is None else end
    opens = set()
    for word in _OPENING:
        at = lower.find(word, start, end)
        while at != -1:
            if at == 0 or not lower[at - 1].isalnum():
                opens.add(at)
            at = lower.find(word, at + 1, end)
    out: list[re.Match[str]] = []
    for at in sorted(opens):
        if out and at < out[-1].end():
            continue
        m = pattern.match(lower, at, end)
        if m:
            out.append(m)
    return out


def parse_number_words(words: str) -> int:
    """'sáu' -> 6, 'mười hai' -> 12, 'hai mươi lăm' -> 25, 'ba mươi mốt' -> 31."""
    parts = words.split()
    if parts[0] == "mười":
        return 10 + (_tail(parts[1]) if len(parts) > 1 else 0)
    if len(parts) >= 2 and parts[1] == "mươi":
        return 10 * _UNITS[parts[0]] + (_tail(parts[2]) if len(parts) > 2 else 0)
    return _UNITS[parts[0]]


def _tail(word: str) -> int:
    return 1 if word == "mốt" else _UNITS[word]
