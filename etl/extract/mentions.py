"""Quantity mentions: every number with its measure word or label, and the indicator it states.

A mention is read as parts: the number (with qualifier, scale, %, or a denominator), the
measure word after it ('cuộc gọi đến', 'tổ chức, cá nhân') or the label before it ('Tổng số
cuộc gọi … là'), the predicate of its clause (tiếp nhận / giải quyết / đang xử lý …), its
subject (this agency, another level, another place) and its topic (sentence, paragraph,
headings above, title). The catalog's frames say which combinations state which indicator,
so a new phrasing of a known family needs no new rule. Prose and table rows share
``classify``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from etl.catalog import Catalog, Frame, Indicator
from etl.text.numbers import (
    MACROS,
    QUALIFIER_TAIL,
    YEAR_WORDS,
    parse_number_words,
    parse_numeral,
    qualifier_of,
    value_of,
)

__all__ = [
    "Clue",
    "Quantity",
    "Verdict",
    "classify",
    "find_number_words",
    "find_ordinal_ranks",
    "find_quantities",
    "is_rank_like",
    "post_window",
    "pre_window",
]

# NUMF_BARE (the digit first, so the scan jumps from digit to digit; a qualifier before it is
# looked up behind the match), with a denominator that may have thousands dots (4.318/5.102)
_QUANTITY = re.compile(
    MACROS["NUMF_BARE"].replace(r"(?:/(?P<den>\d+))?", r"(?:/(?P<den>\d{1,3}(?:\.\d{3})+|\d+))?") + r"(?P<pct>\s?%)?"
)
_YEAR_BEFORE = re.compile(r"(?:năm|quý [ivx\d]+|tháng \d{1,2}|giai đoạn|đến|từ|[-–/])\s?$")
_MONEY_AFTER = re.compile(r"\s?(?:đồng|đ\b|vnđ|vnd)")
_WORD_AFTER = re.compile(r"\s?[^\W\d_]")
_MEASURE_WORDS = re.compile(r"\s?((?:[^\W\d_]+ ?){1,4})")
# Words that end a measure phrase, or show the number was not a count of something.
_FUNCTION_WORDS = frozenset(
    "và của từ là tỉnh thành năm tháng ngày đến trong tại với cho được đã có theo về so trên dưới giờ phút "  # noqa: SIM905 - a word list reads best as words
    "các những này đó khi nếu thì mà hay hoặc như tăng giảm đạt bằng chiếm".split()
)
# Words after a number that make it a length of time ('bình quân 4 tháng', 'trong 30 ngày').
_DURATIONS = frozenset({"tháng", "năm", "quý", "ngày", "tuần", "giờ", "phút", "giây"})
_ORDINALS = {"nhất": 1, "nhì": 2, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5}
_ORDINAL = re.compile(
    r"(?:xếp hạng|xếp thứ|đứng thứ|đứng vị trí thứ|vị trí thứ|hạng) (?P<word>nhất|nhì|hai|ba|tư|bốn|năm)(?![\w/]| \d)"
    r"|dẫn đầu(?! \d)"
)
_DIGIT_RUN = re.compile(r"\d[\d.,/]*")
_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d")
_CODE_AFTER = re.compile(r"[/-][^\W\d_]{1,10}[-/]")  # 123/BC-UBND
_RANK_BEFORE = re.compile(r"(?:thứ|hạng|vị trí)\s?$")
_PHRASE_END = re.compile(r"[,;.()]")
_PRE_REACH = 110
_POST_REACH = 45
_RANK_DENOMINATORS = frozenset({19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 34, 63})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written: where it is, what it is worth, and what follows it."""

    start: int  # where the evidence starts (a qualifier before the number counts)
    num_start: int
    end: int  # after the number, its scale word, '%' or 'đồng'
    value: float
    qualifier: str
    denominator: float | None
    kind: str  # count | pct | money
    measure: str  # the words right after it, lower case ('' when none)


@dataclass(frozen=True, slots=True)
class Clue:
    """What surrounds one quantity, as the classifier reads it (all lower case)."""

    label: str  # the clause before the number, back to the previous figure or clause start
    after: str  # the text right after the number (measure word, then a little more)
    topic: str  # sentence, paragraph with its lead-in, headings above, document title
    sentence: str  # the whole sentence (or table row)
    kind: str  # count | pct | money
    rank_like: bool  # written N/M with a rank-sized whole, or after 'thứ'/'hạng'


@dataclass(frozen=True, slots=True)
class Verdict:
    indicator: Indicator | None
    score: float
    reason: str  # why no indicator took it ('' when one did)


def find_quantities(lower: str, start: int, end: int, claimed: dict[int, int] | None = None) -> list[Quantity]:
    """Numbers in ``lower[start:end]`` that can be figures (not dates, years or document numbers).

    A number a rule already read (``claimed``: its position -> the end of the rule's match) is
    handed back unparsed, as kind 'claimed', ending where the rule's reading ends."""
    out: list[Quantity] = []
    read_to = start  # a number inside the amount just read ('1 tỷ 140 triệu') is part of it
    for run in _DIGIT_RUN.finditer(lower, start, end):  # a plain scan; the full pattern only where needed
        pos = run.start()
        if pos < read_to:
            continue
        taken = claimed.get(pos) if claimed else None
        if taken is not None:
            out.append(Quantity(pos, pos, max(run.end(), taken), 0.0, "exact", None, "claimed", ""))
            continue
        m = _QUANTITY.match(lower, pos, end)
        q = _quantity(lower, m) if m is not None else None
        if q is not None:
            out.append(q)
            read_to = m.end() if m is not None else read_to
    return out


def find_ordinal_ranks(lower: str, start: int, end: int) -> list[Quantity]:
    """Ranks written in words: 'xếp hạng nhất', 'đứng thứ hai', 'dẫn đầu' (kind 'ordinal')."""
    out = []
    for m in _ORDINAL.finditer(lower, start, end):
        word = m.group("word")
        value = float(_ORDINALS[word]) if word else 1.0
        at = m.start("word") if word else m.start()
        out.append(Quantity(at, at, m.end(), value, "exact", None, "ordinal", ""))
    return out


def find_number_words(lower: str, start: int, matches: list[re.Match[str]]) -> list[Quantity]:
    """Counts in words before a measure noun ('sáu đơn', 'mười hai cuộc'), read like digits;
    ``matches`` are the number-words pattern's matches in the paragraph starting at ``start``."""
    out = []
    for m in matches:
        at = m.start()
        if at and (lower[at - 1].isalnum() or lower[at - 1] in "/-"):
            continue
        before = lower[max(start, at - 8) : at].split()
        if m.group("words").startswith("năm") and before and before[-1] in YEAR_WORDS:
            continue  # 'trong năm hồ sơ …': the year
        words = _MEASURE_WORDS.match(lower, m.end("words"))
        measure = _measure_of(words.group(1)) if words else ""
        tail = QUALIFIER_TAIL.search(lower, max(start, at - 14), at)
        qual, begin = (tail.group(1), tail.start(1)) if tail else (None, at)
        value = float(parse_number_words(m.group("words")))
        out.append(Quantity(begin, at, m.end("words"), value, qualifier_of(qual), None, "count", measure))
    return out


def _quantity(lower: str, m: re.Match[str]) -> Quantity | None:
    num, den = m.group("num"), m.group("den")
    if den and ((len(den) == 4 and den[:2] in ("19", "20") and len(num) <= 2) or lower.startswith("/", m.end("den"))):
        return None  # 12/2024, 15/12/2024
    if (
        not den
        and _YEAR_NUMBER.fullmatch(num)
        and (not _WORD_AFTER.match(lower, m.end()) or _YEAR_BEFORE.search(lower, max(0, m.start() - 12), m.start()))
    ):
        return None  # a year
    if lower.startswith(("/", "-"), m.end()) and _is_code(lower, m.end()):
        return None  # 123/bc-ubnd
    try:
        value = value_of(m)
    except ValueError:
        return None
    end = m.end()
    kind = "count"
    if m.group("pct"):
        kind = "pct"
    else:
        money = _MONEY_AFTER.match(lower, end)
        if money:
            kind, end = "money", money.end()
        elif m.group("scale") in ("triệu", "tỷ", "tỉ") and not _WORD_AFTER.match(lower, end):
            kind = "money"  # 'số tiền 17 triệu.'

    start, qual = m.start(), None
    tail = QUALIFIER_TAIL.search(lower, max(0, m.start() - 14), m.start())
    if tail:
        qual, start = tail.group(1), tail.start(1)
    words = _MEASURE_WORDS.match(lower, end) if kind == "count" else None
    measure = _measure_of(words.group(1)) if words else ""
    if not den and words and words.group(1).split(" ", 1)[0].strip() in _DURATIONS:
        return None  # '4 tháng', '30 ngày': a length of time, which names a window, not a figure
    denominator = parse_numeral(den) if den else None
    return Quantity(start, m.start("num"), end, value, qualifier_of(qual), denominator, kind, measure)


def _measure_of(words: str) -> str:
    """The measure noun after a number: its words up to the first function word ('và', 'của')."""
    kept = []
    for word in words.split():
        if word in _FUNCTION_WORDS:
            break
        kept.append(word)
    return " ".join(kept)


def _is_code(lower: str, pos: int) -> bool:
    return bool(_CODE_AFTER.match(lower, pos, pos + 14))


def classify(clue: Clue, catalog: Catalog) -> Verdict:
    """The indicator whose frame fits the clue best; ties and misses say why."""
    best: list[tuple[float, Indicator]] = []
    if catalog.mention is not None:
        parts = list(catalog.mention.part_words.finditer(clue.label))
        if parts:  # the verb before 'trong đó' counted the whole, not this part
            clue = replace(clue, label=clue.label[parts[-1].end() :])
    kinds = ("rank",) if clue.rank_like and clue.kind == "count" else (clue.kind,)
    text = clue.label + " " + clue.after
    phrase = _PHRASE_END.split(clue.after, maxsplit=1)[0]  # the measure phrase, read once per clue
    for kind in kinds + (("count",) if kinds == ("rank",) else ()):
        for ind, frames in catalog.frames_by_kind.get(kind, ()):
            score = max((_fit(f, clue, phrase) for f in frames if _may_fit(f, text)), default=0.0)
            if score > 0:
                best.append((score, ind))
    if not best:
        return Verdict(None, 0.0, "không khớp chỉ tiêu nào")
    best.sort(key=lambda t: -t[0])
    top = best[0][0]
    tied = [ind for s, ind in best if s == top]
    if len(tied) > 1:
        return Verdict(None, top, "khớp nhiều chỉ tiêu: " + ", ".join(i.code for i in tied))
    return Verdict(tied[0], top, "")


def _may_fit(frame: Frame, text: str) -> bool:
    """False when the text lacks every word a match of the frame must hold (no regex run)."""
    return not frame.words or any(w in text for w in frame.words)


def _fit(frame: Frame, clue: Clue, phrase: str) -> float:
    """A frame's score on a clue: 0 when a part it declares is missing.

    A predicate nearer the number scores higher, so in 'tiếp nhận 100 hồ sơ, giải quyết 90 hồ
    sơ' each figure takes the verb just before it."""
    score = frame.weight
    if frame.not_near is not None and (frame.not_near.search(clue.label) or frame.not_near.search(phrase)):
        return 0.0
    if frame.not_sentence is not None and frame.not_sentence.search(clue.sentence):
        return 0.0
    measure = frame.measure
    named_after = measure is None or measure.match(clue.after)
    if not named_after and (_word_follows(clue) or not measure.search(clue.label)):  # type: ignore[union-attr]
        return 0.0
    if frame.predicate is not None:
        last = None
        for last in frame.predicate.finditer(clue.label):  # noqa: B007 - the last one is wanted
            pass
        if last is not None:
            score += 0.25 + 0.5 * last.end() / max(1, len(clue.label))
        elif not frame.predicate.search(phrase):
            return 0.0
    if frame.topic is not None and not frame.topic.search(clue.topic):
        return 0.0
    return score


def _word_follows(clue: Clue) -> bool:
    """A count followed by a word names its own measure; a label before it cannot."""
    return clue.kind == "count" and bool(_WORD_AFTER.match(clue.after)) and not clue.rank_like


def pre_window(lower: str, lo: int, pos: int, into_parens: bool = False) -> str:
    """The clause before a number: back to ``lo`` (previous figure or sentence start).

    A figure inside parentheses is read from inside them, except a rate ('… đúng hạn (đạt 99,6%)'),
    which qualifies the words before them."""
    start = max(lo, pos - _PRE_REACH)
    cut = max(lower.rfind(";", start, pos), -1 if into_parens else lower.rfind("(", start, pos))
    if cut > lower.rfind(")", start, pos):
        start = cut + 1
    return lower[start:pos]


def post_window(lower: str, end: int, hi: int) -> str:
    """The text right after a number: the measure word and what it does, up to ``hi``."""
    stop = min(hi, end + _POST_REACH)
    semi = lower.find(";", end, stop)
    return lower[end : semi if semi != -1 else stop].lstrip()


def is_rank_like(lower: str, q: Quantity) -> bool:
    if q.kind == "ordinal":
        return True
    if q.denominator is not None:
        return int(q.denominator) in _RANK_DENOMINATORS and q.value <= q.denominator
    return bool(_RANK_BEFORE.search(lower, max(0, q.start - 12), q.start))
