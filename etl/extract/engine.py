"""The rules extractor: the catalog's phrasing rules, frames and names applied to one document;
what they read goes to ``resolve`` as proposals (etl/extract/seam.py)."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import accumulate

from etl.catalog import Catalog, Indicator, Rule, last_scope, number_kind
from etl.extract.mentions import (
    Clue,
    Quantity,
    Verdict,
    classify,
    find_number_words,
    find_ordinal_ranks,
    find_quantities,
    is_rank_like,
    post_window,
    pre_window,
)
from etl.extract.names import NameContext, best_by_names, name_table, tokens, twins_by_level
from etl.extract.seam import Context, Proposal, Proposals, Unread
from etl.extract.tables import TableCell, read_tables
from etl.models import DocumentMeta, NormalizedText, Period
from etl.text.numbers import (
    QUALIFIER_TAIL,
    number_word_matches,
    number_words_pattern,
    qualifier_of,
    scaled,
    value_of,
)
from etl.text.periods import (
    PeriodMention,
    find_period_mentions,
    names_report_period,
    opening_since,
    parse_date,
    shift_months,
    shift_years,
)
from etl.text.segments import Segments, Sentence, segment

__all__ = ["RulesExtractor"]

_LOCAL_WINDOW = 300  # characters before a figure searched for its own period
# An average over a length of time, after 'bình quân' / 'trung bình'.
_OVER_TIME = re.compile(r"\s(?:\d{1,2}|cả|các|của)\s(?:tháng|quý|năm|kỳ)")
_OPENING_REACH = 12  # a paragraph's opening window starts within this, after its number ('2. ', 'a) ')
_NOT_BEFORE_WINDOW = 40
_MERGE_GAP = 120  # scanning a short gap costs less than starting another scan
_TOPIC_REACH = 2000  # characters of a long paragraph read around a figure for its topic
_HEADING_REACH = 60  # paragraphs searched upwards for the headings a figure sits under
_SUBJECT_REACH = 60  # characters from a clause's start where its subject is named
_OPENING_DATE = re.compile(r"(?<!\w)(?:tính )?(?:đến )?ngày\s+(\d{1,2}/\d{1,2}/\d{4})\s*,")
_DOCUMENT_REF = re.compile(r"(?<!\w)số\s|/|quyết định|kế hoạch|công văn|văn bản|nghị định|thông tư|chỉ thị|nghị quyết")
_PERIOD_LABEL = re.compile(
    r"(?:năm \d{4}|cùng kỳ(?: năm (?:trước|\d{4}))?|năm trước|kỳ trước|quý [ivx]+(?:/\d{4})?)\s?:?"
)
_COMPARED = re.compile(
    r"so với (?:cùng kỳ(?: năm (?:trước|\d{4}))?|năm (?:trước|\d{4})|kỳ trước|quý [ivx]+/\d{4}|tháng \d{1,2}/\d{4})\s?$"
)
_PHRASE_STOP = re.compile(r"[,;.(]")
_MENTION_CONFIDENCE = 0.6  # below every phrasing rule: a rule's reading of a number wins
_LOOSE = "mention"  # a frame's reading of a measured number: losing to another value, it stays a mention
_TABLE_CONFIDENCE = 0.8
_PROSE_NAME_SCORE = 4.0  # a name of three syllables and its measure noun, at least
_NEAR_BEFORE = 40  # characters before a figure whose words may name it
_LABEL_BEFORE = 100  # characters of a label that introduces its figure with a colon ('Số tổ chức, cá nhân …:')
_SCOPE_BEFORE = 160  # sentence characters before a figure whose scope (được giao, có mặt) holds for it
_RANK_BEFORE = 120  # a rank's index is named where its clause opens ('chỉ số DTI năm 2022 của tỉnh … xếp hạng 39')
_NEAR_AFTER = 90  # characters after a figure whose words may name it
_NEAR_STOP = re.compile(r"[.;(]|\d")
_AVERAGE_LABEL = re.compile(r"trung bình|bình quân")
_ACTION_OBJECT = re.compile(r"(?:^|\s)(?:cho|đối với)\s*$")
_SAYS_ITS_CONTENT = re.compile(r":\s*\w")
_NAMED_PARTS = re.compile(r"\s*(?:trong đó|bao gồm|gồm|kể cả|cụ thể|chia ra|riêng)")
_RATE_AT = re.compile(r"[^\d]{0,12}[\d.,]+\s?%")
_A_NUMBER = re.compile(r"\d[\d.,/]*")
_DATE_OR_YEAR = re.compile(r"(?:19|20)\d\d|\d+/\d+/\d+|\d{1,2}/(?:19|20)\d\d")  # a label's date, no figure
_BRACKETED = re.compile(r"\([^()]*\)")
_RATE_BEFORE = re.compile(r"\d\s?%\s*$")
_COUNT_BEFORE = re.compile(r"(?<![\w-])\d[\d.,]*\s+([^\W\d]+)(?:\s+[^\W\d]+){0,8}\s*$")
_NOUN_AFTER = re.compile(r"[^\d]{0,12}?[\d.,]+\s+([^\W\d]+)")
_ROMAN_MARK = re.compile(r"[ivxlc]{1,6}\.")
_HEADING_LINE = re.compile(r"(?:[ivxlc]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\)|#+)\s+\S")


class _Doc:
    """Per-document caches shared by every rule."""

    def __init__(self, norm: NormalizedText, meta: DocumentMeta, catalog: Catalog) -> None:
        self.norm = norm
        self.lower = norm.lower
        self.meta = meta
        self.catalog = catalog
        self.segments: Segments = segment(norm.text, norm.lower)
        self.read_by_rules: dict[int, Proposal] = {}  # a phrasing rule's figures by where their number starts
        self.report = Period(meta.period_start, meta.period_end, meta.period_label)
        self._mentions: dict[int, tuple[tuple[PeriodMention, ...], list[int]]] = {}
        self._context_hits: dict[tuple[int, str], bool] = {}
        self._dates: dict[int, tuple[list[int], list[date | None]]] = {}
        # the numeric paragraphs' contexts on one line each: a keyword is found with str.find
        contexts = [self.segments.context(i) for i in self.segments.numeric]
        self._numeric_blob = "\n".join(contexts)
        self._numeric_ends = list(accumulate(len(c) + 1 for c in contexts))
        self._keyword_hits: dict[tuple[str, bool], set[int]] = {}
        self._ranges: dict[tuple[tuple[str, ...], bool], list[tuple[int, int]]] = {}
        self._topics: dict[int, str] = {}
        self._topic_words: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        self._local_words: dict[int, tuple[str, ...]] = {}
        self._headings: dict[int, list[int]] = {}
        self._heading_index: list[tuple[int, int]] | None = None
        self._openings: dict[int, list[tuple[int, int]]] = {}
        self._paragraph_periods: dict[int, PeriodMention | None] = {}
        self._heading_periods: dict[int, PeriodMention | None] = {}
        self.title = meta.title.lower()
        self._worded: list[re.Match[str]] | None = None
        self._worded_starts: list[int] = []

    def worded(self, a: int = 0, b: int | None = None) -> list[re.Match[str]]:
        """The counts in words ('sáu đơn') between ``a`` and ``b``, found once for the whole text."""
        if self._worded is None:
            self._worded = number_word_matches(_number_words(self.catalog), self.lower)
            self._worded_starts = [m.start() for m in self._worded]
        if b is None:
            return self._worded
        lo, hi = bisect.bisect_left(self._worded_starts, a), bisect.bisect_left(self._worded_starts, b)
        return [m for m in self._worded[lo:hi] if m.end() <= b]

    def ranges_with(self, keywords: tuple[str, ...], numeric: bool) -> list[tuple[int, int]]:
        """Text ranges (runs of paragraphs) where a rule with these keywords can apply: paragraphs
        naming a keyword (or under a lead-in line naming it); for a rule reading a written
        number, only those holding a digit."""
        key = (keywords, numeric)
        if key in self._ranges:
            return self._ranges[key]
        hits: set[int] = set()
        for word in keywords:
            if (word, numeric) not in self._keyword_hits:
                self._keyword_hits[word, numeric] = (
                    self._numeric_mentioning(word) if numeric else self.segments.paragraphs_mentioning(word)
                )
            hits |= self._keyword_hits[word, numeric]
        ranges: list[tuple[int, int]] = []
        for i in sorted(hits):
            start, end = self.segments.paragraphs[i]
            if ranges and start - ranges[-1][1] <= _MERGE_GAP:
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((start, end))
        self._ranges[key] = ranges
        return ranges

    def _numeric_mentioning(self, word: str) -> set[int]:
        """Paragraphs holding a digit whose text or lead-in line contains ``word``."""
        hits: set[int] = set()
        pos = self._numeric_blob.find(word)
        while pos != -1:
            k = bisect.bisect_right(self._numeric_ends, pos)
            hits.add(self.segments.numeric[k])
            pos = self._numeric_blob.find(word, self._numeric_ends[k])
        return hits

    def paragraph_mentions(self, p: int) -> tuple[tuple[PeriodMention, ...], list[int]]:
        """Period expressions of a paragraph and their starts (found once)."""
        if p not in self._mentions:
            found = find_period_mentions(self.lower, *self.segments.paragraphs[p])
            self._mentions[p] = (found, [m.start for m in found])
        return self._mentions[p]

    def paragraph_dates(self, p: int) -> tuple[list[int], list[date | None]]:
        """Where a paragraph says 'ngày dd/mm/yyyy,' (not a cited document's date), and the date."""
        if p not in self._dates:
            a, b = self.segments.paragraphs[p]
            found = [
                (m.start(), parse_date(m.group(1)))
                for m in _OPENING_DATE.finditer(self.lower, a, b)
                if not _DOCUMENT_REF.search(self.lower, max(a, m.start() - 50), m.start())
            ]
            self._dates[p] = ([s for s, _ in found], [d for _, d in found])
        return self._dates[p]

    def mentions(self, sentence: Sentence) -> list[PeriodMention]:
        """Period expressions inside one sentence (found once per paragraph)."""
        found, starts = self.paragraph_mentions(sentence.paragraph)
        i = bisect.bisect_left(starts, sentence.start)
        j = bisect.bisect_right(starts, sentence.end)
        return [m for m in found[i:j] if m.end <= sentence.end]

    def context_has(self, paragraph: int, pattern: re.Pattern[str]) -> bool:
        """Whether a paragraph or its lead-in says ``pattern`` (searched once per paragraph)."""
        key = (paragraph, pattern.pattern)
        if key not in self._context_hits:
            self._context_hits[key] = pattern.search(self.segments.context(paragraph)) is not None
        return self._context_hits[key]

    def headings(self, paragraph: int) -> list[int]:
        """The heading lines a paragraph sits under, nearest (deepest) first."""
        if paragraph not in self._headings:
            lines = self._heading_lines()
            found: list[int] = []
            depth = None
            k = bisect.bisect_left(lines, (paragraph, 0)) - 1
            while k >= 0 and lines[k][0] > paragraph - _HEADING_REACH:
                j, level = lines[k]
                if depth is None or level < depth:
                    found.append(j)
                    depth = level
                k -= 1
            self._headings[paragraph] = found
        return self._headings[paragraph]

    def is_target(self, sentence: Sentence) -> bool:
        """A sentence that opens as a plan ('Phấn đấu …; lắp đặt thêm 40 camera'), or one under a
        section of tasks ahead ('IV. Nhiệm vụ trọng tâm quý IV') rather than of results."""
        cfg = self.catalog.mention
        if cfg is None:
            return False
        opening = self.lower[sentence.start : sentence.start + 40]
        if cfg.target_opening is not None and cfg.target_opening.search(opening):
            return True
        if cfg.target_heading is None:
            return False
        for j in self.headings(sentence.paragraph):
            a, b = self.segments.paragraphs[j]
            if _SAYS_ITS_CONTENT.search(self.lower, a, b):
                continue  # 'VI. Kiến nghị, đề xuất: không có.' closes its own section
            if cfg.result_heading is not None and cfg.result_heading.search(self.lower, a, b):
                return False
            if cfg.target_heading.match(self.lower, a, b):
                return True
        return False

    def heading_scope(self, paragraph: int) -> str | None:
        """'province' under a heading about the whole province ('I. Kết quả trên địa bàn toàn
        tỉnh'), 'own' under one naming the reporter ('II. Kết quả tại Văn phòng'); the nearest
        heading that says either decides."""
        cfg = self.catalog.mention
        if cfg is None:
            return None
        for j in self.headings(paragraph):
            a, b = self.segments.paragraphs[j]
            if cfg.own_unit is not None and cfg.own_unit.search(self.lower, a, b):
                return "own"
            if cfg.province_wide.search(self.lower, a, b):
                return "province"
        return None

    def _heading_lines(self) -> list[tuple[int, int]]:
        """(paragraph, level) of every heading line, found once per document."""
        if self._heading_index is None:
            index = []
            for j, (a, b) in enumerate(self.segments.paragraphs):
                if b - a <= 160 and _HEADING_LINE.match(self.lower, a, b):
                    index.append((j, _heading_level(self.lower[a:b].split(" ", 1)[0])))
            self._heading_index = index
        return self._heading_index

    def topic(self, sentence: Sentence) -> str:
        """What a figure is about: its paragraph with lead-in, the headings above, the title.

        In a very long paragraph only the text around the figure's sentence counts, so the work
        per figure stays bounded (a one-line report of megabytes is read in linear time)."""
        a, b = self.segments.paragraphs[sentence.paragraph]
        key = sentence.paragraph if b - a <= _TOPIC_REACH else -1 - sentence.start
        if key not in self._topics:
            if key >= 0:
                own = self.segments.context(sentence.paragraph)
            else:
                lo, hi = max(a, sentence.start - _TOPIC_REACH // 2), min(b, sentence.end + _TOPIC_REACH // 4)
                own = self.lower[lo:hi]
            parts = [own] + [self.lower[slice(*self.segments.paragraphs[j])] for j in self.headings(sentence.paragraph)]
            parts.append(self.title)
            self._topics[key] = " \n ".join(parts)
        return self._topics[key]

    def topic_words(self, sentence: Sentence) -> tuple[frozenset[str], tuple[str, ...]]:
        """The topic's syllables (a set and in order), once per paragraph, for the names' topics."""
        text = self.topic(sentence)
        if text not in self._topic_words:
            words = tokens(text, name_table(self.catalog).abbreviations)
            self._topic_words[text] = (frozenset(words), words)
        return self._topic_words[text]

    def local_words(self, sentence: Sentence) -> tuple[str, ...]:
        """The syllables of a figure's own paragraph with its lead-in line (of a very long one, the
        sentence): where a passage says whose figures it gives ('hệ thống camera an ninh:')."""
        a, b = self.segments.paragraphs[sentence.paragraph]
        key = sentence.paragraph if b - a <= _TOPIC_REACH else -1 - sentence.start
        if key not in self._local_words:
            text = self.segments.context(sentence.paragraph) if key >= 0 else self.lower[sentence.start : sentence.end]
            self._local_words[key] = tokens(text, name_table(self.catalog).abbreviations)
        return self._local_words[key]

    def heading_period(self, paragraph: int) -> PeriodMention | None:
        """A period a heading above states ('II. So sánh với kết quả năm 2021'), for figures under it."""
        if paragraph not in self._paragraph_periods:
            self._paragraph_periods[paragraph] = self._heading_period(paragraph)
        return self._paragraph_periods[paragraph]

    def _heading_period(self, paragraph: int) -> PeriodMention | None:
        for j in self.headings(paragraph):
            if j not in self._heading_periods:
                found = [m for m in find_period_mentions(self.lower, *self.segments.paragraphs[j]) if m.kind != "until"]
                self._heading_periods[j] = found[-1] if found else None
            if self._heading_periods[j] is not None:
                return self._heading_periods[j]
        return None

    def subjects(self, clause_start: int, sentence_start: int, pos: int) -> tuple[bool, bool, bool]:
        """Whether the opening words of a clause or its sentence, before ``pos``, name another
        place, another level, or the whole province (each opening is read once)."""
        found = [False, False, False]
        for start in {clause_start, sentence_start}:
            for k, end in self._opening(start):
                if end <= pos:
                    found[k] = True
        return found[0], found[1], found[2]

    def _opening(self, start: int) -> list[tuple[int, int]]:
        """(kind, end) of each subject word in the first characters after ``start``."""
        if start not in self._openings:
            cfg = self.catalog.mention
            assert cfg is not None
            stop = min(len(self.lower), start + _SUBJECT_REACH)
            patterns = (cfg.other_place, cfg.other_level, cfg.province_wide)
            self._openings[start] = [
                (k, m.end()) for k, p in enumerate(patterns) for m in p.finditer(self.lower, start, stop)
            ]
        return self._openings[start]

    def scope_at(self, sentence: Sentence, pos: int) -> str | None:
        """Name of the last scope marker before ``pos`` in its sentence."""
        return last_scope(self.catalog.scopes, self.lower[sentence.start : pos])


def _heading_level(mark: str) -> int:
    """How deep a heading's number puts it: 'I.' 0, '1.' 1, '1.1.' 2, 'a)' 3, '##' by its hashes."""
    if mark.startswith("#"):
        return len(mark) - 1
    if _ROMAN_MARK.fullmatch(mark):
        return 0
    if mark[:1].isdigit():
        return mark.rstrip(".").count(".") + 1
    return 3


@dataclass(frozen=True, slots=True)
class RulesExtractor:
    """The catalog's extractor: its phrasing rules, then quantity mentions read by its frames
    and names in prose and in tables."""

    name: str = "rules"

    def propose(self, context: Context, vocabulary: Catalog) -> Proposals:
        """Every reading of the document's figures, and the measured numbers none took (with why)."""
        doc = _Doc(context.norm, context.meta, vocabulary)
        candidates = _rule_candidates(doc)
        claimed = {c.num_start: c.end for c in candidates}
        doc.read_by_rules = {c.num_start: c for c in candidates}
        prose_cands, left = _prose_candidates(doc, claimed)
        candidates.extend(prose_cands)
        stated: dict[float, set[str]] = defaultdict(set)  # a table repeating the prose's figure means it
        for c in candidates:
            stated[c.value].add(c.indicator.code)
        table_cands, table_left = _table_candidates(doc, stated)
        candidates.extend(table_cands)
        figures = tuple(_weighed(doc, _at_its_level(doc, c)) for c in candidates)
        unread = tuple(_unread(q, sentence, reason) for q, sentence, reason in [*table_left, *left])
        return Proposals(figures, unread)


def _weighed(doc: _Doc, c: Proposal) -> Proposal:
    """A reading with what its sentence says of it: a total, a stock of a stated date."""
    total = _is_total(doc, c)
    dated = c.indicator.kind == "stock" and _is_dated(doc, c)
    return replace(c, said_total=total, said_dated=dated) if total or dated else c


def _rule_candidates(doc: _Doc) -> list[Proposal]:
    """What the catalog's phrasing rules read, each scanned only where its words occur."""
    candidates: list[Proposal] = []
    find = doc.lower.find
    for ind, numeric, rules in doc.catalog.rule_groups:
        ranges = doc.ranges_with(ind.keywords, numeric)
        for rule in rules if ranges else ():
            for start, end in ranges:
                if rule.words and all(find(w, start, end) == -1 for w in rule.words):
                    continue  # none of the words every match holds: nothing to scan for
                for m in rule.regex.finditer(doc.lower, start, end):
                    cand = _candidate(doc, ind, rule, m)
                    if cand is not None:
                        candidates.append(cand)
    return candidates


def _candidate(doc: _Doc, ind: Indicator, rule: Rule, m: re.Match[str]) -> Proposal | None:
    has_num = "num" in m.re.groupindex and m.group("num") is not None
    num_start = m.start("num") if has_num else m.start()
    sentence = doc.segments.sentence_at(num_start)
    if m.start() < sentence.start or m.end() > sentence.end:
        return None
    if not _fits_context(doc, ind, rule, sentence, m):
        return None
    if not _fits_scope(doc, ind, sentence, num_start):
        return None
    if doc.catalog.exclude_after.match(doc.lower, m.end(), min(len(doc.lower), m.end() + 24)):
        return None
    if _someone_else(doc, ind, sentence, m.start()):
        return None
    value, qualifier, den, start = _value_of(rule, m, has_num)
    if value is None:
        return None
    confidence = rule.confidence
    if not ind.min_value <= value <= ind.max_value:
        confidence = round(confidence * 0.5, 3)
    opened = doc.lower.count("(", sentence.start, num_start) - doc.lower.count(")", sentence.start, num_start)
    return Proposal(
        indicator=ind,
        rule=rule.id,
        value=value,
        qualifier=qualifier,
        denominator=den,
        num_start=num_start,
        start=start,
        end=m.end(),
        sentence=sentence,
        in_parens=opened > 0,
        confidence=confidence,
        period=_period_of(doc, ind, sentence, num_start),
    )


def _someone_else(doc: _Doc, ind: Indicator, sentence: Sentence, pos: int) -> str:
    """Why a figure's clause names someone other than the reporter (another level, place, an average)."""
    cfg = doc.catalog.mention
    if cfg is None:
        return ""
    clause_start = max(doc.lower.rfind(";", sentence.start, pos) + 1, sentence.start)
    average = cfg.average_words.search(doc.lower, clause_start, pos)
    if average and not (ind.kind == "rate" and _OVER_TIME.match(doc.lower, average.end())):
        return "số bình quân"  # a rate averaged over its window ('bình quân 4 tháng đạt 99,7%') is that window's
    if cfg.since_inception is not None and cfg.since_inception.search(doc.lower, sentence.start, pos):
        return "số lũy kế từ khi triển khai, không thuộc kỳ nào"
    if _breakdown_in_parens(doc, sentence, pos):
        return "phần của số trước ngoặc"
    # the subject opens the clause or the sentence: a body named later is an object or a partner
    place, level, province = doc.subjects(clause_start, sentence.start, pos)
    if ind.kind != "rank" and (place or (ind.scope == "agency" and level)):  # a rank names the nation by nature
        return "số liệu của cấp, đơn vị hoặc địa phương khác"
    if ind.scope == "agency" and (province or doc.heading_scope(sentence.paragraph) == "province"):
        return "số liệu toàn tỉnh trong báo cáo của một cơ quan"
    return ""


def _breakdown_in_parens(doc: _Doc, sentence: Sentence, pos: int) -> bool:
    """A figure in brackets right after a count of the same noun breaks that count down ('03 đơn
    không đủ điều kiện (02 đơn nặc danh, 01 đơn trùng nội dung)'): a part, no figure of its own.
    Parts named by category ('62 người (công chức: 28; …)') are figures of their indicators."""
    opened = doc.lower.rfind("(", sentence.start, pos)
    if opened == -1 or doc.lower.find(")", opened, pos) != -1:
        return False
    if _PERIOD_LABEL.match(doc.lower, opened + 1):  # '(năm 2024: 2.516 hồ sơ)': another period's figure
        return False
    if _RATE_BEFORE.search(doc.lower, max(sentence.start, opened - 16), opened):
        return True  # 'đạt tỷ lệ 12,5% (4 biên chế công chức, …)': what the rate counted, no stock
    if _NAMED_PARTS.match(doc.lower, opened + 1) or _RATE_AT.match(doc.lower, pos):
        return False  # '(trong đó 1.083 cuộc gọi đến …)', '(gồm 806 cuộc gọi vào …)', '(đạt 99,6%)'
    whole = _COUNT_BEFORE.search(doc.lower, max(sentence.start, opened - 60), opened)
    part = _NOUN_AFTER.match(doc.lower, pos)
    return bool(whole and part and part.group(1) == whole.group(1))  # '03 đơn … (01 đơn …)': the same noun


def _fits_context(doc: _Doc, ind: Indicator, rule: Rule, sentence: Sentence, m: re.Match[str]) -> bool:
    p = sentence.paragraph
    for pattern in (ind.context, rule.context):
        if pattern is not None and not doc.context_has(p, pattern):
            return False
    for pattern in (ind.not_context, rule.not_context):
        if pattern is not None and doc.context_has(p, pattern):
            return False
    if rule.before is not None and not rule.before.search(doc.lower, sentence.start, m.start()):
        return False
    if rule.not_before is not None:
        window = doc.lower[max(sentence.start, m.start() - _NOT_BEFORE_WINDOW) : m.start()]
        if rule.not_before.search(window):
            return False
    return _not_excluded(doc, ind, sentence, m)


def _not_excluded(doc: _Doc, ind: Indicator, sentence: Sentence, m: re.Match[str]) -> bool:
    """Not a plan (its clause, its sentence's opening, its section) nor what the indicator excludes."""
    if not ind.allow_targets and doc.is_target(sentence):
        return False
    excludes = [ind.exclude] + ([] if ind.allow_targets else [doc.catalog.exclude_clause])
    if any(p is not None for p in excludes):
        clause_start = max(doc.lower.rfind(";", sentence.start, m.start()) + 1, sentence.start)
        semi = doc.lower.find(";", m.end(), sentence.end)
        clause_end = semi if semi != -1 else sentence.end
        if any(p is not None and p.search(doc.lower, clause_start, clause_end) for p in excludes):
            return False
    return True


def _fits_scope(doc: _Doc, ind: Indicator, sentence: Sentence, pos: int) -> bool:
    if not ind.forbid_scopes and ind.require_scope is None:
        return True
    scope = doc.scope_at(sentence, pos)
    if ind.require_scope is not None and scope != ind.require_scope:
        return False
    return scope not in ind.forbid_scopes


def _value_of(rule: Rule, m: re.Match[str], has_num: bool) -> tuple[float | None, str, float | None, int]:
    """Value, qualifier, denominator, and where the evidence starts (a qualifier before it counts)."""
    start = m.start()
    if rule.value is not None:
        return float(rule.value), "exact", None, start
    if not has_num:
        return None, "exact", None, start
    groups = m.re.groupindex
    qual = m.group("qual") if "qual" in groups else None
    if qual is None and m.start() == m.start("num"):
        tail = QUALIFIER_TAIL.search(m.string, max(0, m.start() - 14), m.start())
        if tail:
            qual, start = tail.group(1), tail.start(1)
    den_text = m.group("den") if "den" in groups else None
    try:
        value = value_of(m)
    except ValueError:
        return None, "exact", None, start
    return value, qualifier_of(qual), float(den_text) if den_text else None, start


def _period_of(doc: _Doc, ind: Indicator, sentence: Sentence, pos: int) -> tuple[date | None, date | None, date | None]:
    """The figure's own period: a period said just before it, else the report's."""
    report = doc.report
    local = _local_period(doc, ind, sentence, pos)
    if local is None and ind.kind == "rank":
        local = _earlier_year(doc, sentence)
    if local is None:
        local = _opening_window(doc, sentence)
    if local is None:
        local = doc.heading_period(sentence.paragraph)
    period = _resolve_mention(local, report) if local else report
    if ind.kind == "rank" and local is not None and local.kind == "year":
        period = local.period  # a rank is of its whole assessed year
    elif ind.kind == "rank" and local is None and report.end is not None:
        y = report.end.year - 1  # an index is published the year after the one it assesses
        period = Period(date(y, 1, 1), date(y, 12, 31))
    if ind.period == "calendar_year" and period.end is not None:
        y = period.end.year
        period = Period(date(y, 1, 1), date(y, 12, 31))
    if ind.kind == "stock":
        return None, None, _as_of(doc, sentence, period, dated=local is not None)
    return period.start, period.end, None


def _local_period(doc: _Doc, ind: Indicator, sentence: Sentence, pos: int) -> PeriodMention | None:
    """The last period said in the figure's sentence before it; for a rank, the last year (a rank is
    of its assessed year, not of the month its index was published: 'Chỉ số CCHC năm 2024 … công bố
    tháng 4/2025, Sở xếp thứ 11/19')."""
    near = [m for m in doc.mentions(sentence) if m.end <= pos and m.start >= pos - _LOCAL_WINDOW]
    years = [m for m in near if m.kind == "year"] if ind.kind == "rank" else []
    return (years or near or [None])[-1]


def _as_of(doc: _Doc, sentence: Sentence, period: Period, dated: bool) -> date | None:
    """The date a count is of: its period's end, or the date its paragraph opens with; never
    after the report was signed."""
    as_of = period.end if dated else (_dated_paragraph(doc, sentence) or period.end)
    if as_of and doc.meta.report_date and as_of > doc.meta.report_date:
        as_of = doc.meta.report_date
    return as_of


def _dated_paragraph(doc: _Doc, sentence: Sentence) -> date | None:
    """A count under a paragraph that opens with its date ('Ngày 01/02/2024, … đưa vào sử dụng
    hệ thống … Trong tổng số … có 72 camera') is of that date."""
    starts, dates = doc.paragraph_dates(sentence.paragraph)
    k = bisect.bisect_right(starts, sentence.start) - 1
    return dates[k] if k >= 0 else None


def _opening_window(doc: _Doc, sentence: Sentence) -> PeriodMention | None:
    """A window a paragraph opens with ('2. Từ ngày 01/7/2025, …', 'Từ 15/12 đến 14/6, …') holds for
    every figure of the paragraph, in its later sentences too."""
    found, _ = doc.paragraph_mentions(sentence.paragraph)
    a, b = doc.segments.paragraphs[sentence.paragraph]
    first = found[0] if found else None
    if first is None or first.kind not in ("range", "since") or first.start > a + _OPENING_REACH:
        first = opening_since(doc.lower, a, b)
    return first if first is not None and first.end <= sentence.start else None


def _earlier_year(doc: _Doc, sentence: Sentence) -> PeriodMention | None:
    """A rank's assessed year said in an earlier sentence of its paragraph ('… năm 2022. Tỉnh đứng thứ …')."""
    found, _ = doc.paragraph_mentions(sentence.paragraph)
    years = [m for m in found if m.kind == "year" and m.end <= sentence.start]
    return years[-1] if years else None


def _resolve_mention(mention: PeriodMention, report: Period) -> Period:
    p = mention.period
    if mention.kind == "same_period":
        m = re.search(r"\d{4}", p.label)
        if m and report.end:
            return shift_years(report, int(m.group(0)) - report.end.year)
        return shift_years(report, -1)
    if mention.kind == "year" and report.end and p.end and p.end.year == report.end.year:
        return report
    if mention.kind == "month" and _is_monthly_cycle(report) and p.end:
        # a month of a report run on a cycle: 'tháng 10' is the report of 25/9–25/10 itself, and
        # 'kỳ tháng 9' beside it the cycle before (25/8–25/9)
        assert report.end is not None
        named = report.end if report.end.day >= 15 else report.end.replace(day=1) - timedelta(days=1)
        return shift_months(report, (p.end.year - named.year) * 12 + p.end.month - named.month)
    if mention.kind in ("quarter", "months", "month") and names_report_period(p, report):
        return report  # the report's own period by its name, over the window it really covers
    if mention.kind == "since" and p.start:  # 'lũy kế từ ngày 01/7 đến nay'
        return Period(p.start, report.end) if report.end and report.end >= p.start else report
    if mention.kind == "until" and p.end:
        # the report's start, unless the window ends before it ('từ đầu năm đến hết ngày 25/9' in a
        # report of 25/9–25/10 runs from 1 January)
        # the report's start (a cycle year may start in December of the year before), unless the window
        # ends before it or runs longer than a year
        within = report.start is not None and report.start < p.end <= report.start + timedelta(days=366)
        start = report.start if within else None
        return Period(start or date(p.end.year, 1, 1), p.end)
    return p


def _is_monthly_cycle(report: Period) -> bool:
    """A month's report from a day other than the 1st (25/9–25/10, 15/11–14/12)."""
    return bool(report.start and report.end and report.start.day > 1 and 27 <= (report.end - report.start).days <= 32)


def _is_dated(doc: _Doc, c: Proposal) -> bool:
    """Whether the figure's sentence names the date it is of before it ('tính đến ngày …')."""
    return any(m.kind == "until" and m.end <= c.num_start for m in doc.mentions(c.sentence))


def _is_total(doc: _Doc, c: Proposal) -> bool:
    """A figure its sentence calls a total ('tính chung', 'tổng cộng'): it beats parts told elsewhere.

    A short line ending in ',' just above ('Như vậy, tính chung trong tháng,') opens the sentence."""
    cfg = doc.catalog.mention
    if cfg is None or c.indicator.kind != "flow":
        return False
    start = c.sentence.start
    if start >= 2 and doc.lower[start - 2] == ",":
        start = doc.lower.rfind("\n", 0, start - 1) + 1
    return bool(cfg.total_words.search(doc.lower, start, c.num_start))


_Left = list[tuple[Quantity, Sentence, str]]  # numbers no indicator took, with the reason


def _prose_candidates(doc: _Doc, claimed: dict[int, int]) -> tuple[list[Proposal], _Left]:
    """Quantity mentions in prose that no phrasing rule read, classified by the catalog's frames."""
    cands: list[Proposal] = []
    left: list[tuple[Quantity, Sentence, str]] = []
    if doc.catalog.mention is None:
        return cands, left
    worded = {doc.segments.paragraph_at(m.start()) for m in doc.worded()}
    for i in sorted(worded.union(doc.segments.numeric)):
        a, b = doc.segments.paragraphs[i]
        if doc.lower.find("|", a, b) == -1:  # a table row is read by the table model
            _read_paragraph(doc, a, b, claimed, cands, left)
    return cands, left


_NUMBER_WORDS: dict[str, re.Pattern[str]] = {}
# Measure nouns a count in words is read before; not 'hạng' (ranks in words are ordinals), money or '%'.
_NOT_WORDED = frozenset({"%", "hạng", "đồng", "bộ"})


def _number_words(catalog: Catalog) -> re.Pattern[str]:
    """The catalog's measure nouns after a count in words ('sáu đơn'), compiled once per catalog."""
    if catalog.sha256 not in _NUMBER_WORDS:
        nouns = {m for ind in catalog.indicators for m in ind.measures} - _NOT_WORDED
        _NUMBER_WORDS[catalog.sha256] = number_words_pattern(tuple(sorted(nouns)))
    return _NUMBER_WORDS[catalog.sha256]


def _paragraph_quantities(doc: _Doc, a: int, b: int, claimed: dict[int, int]) -> list[Quantity]:
    """The numbers of a paragraph, its counts in words and its ranks in words where it may hold one."""
    quantities = find_quantities(doc.lower, a, b, claimed)
    lower = doc.lower
    worded = find_number_words(lower, a, doc.worded(a, b))
    if worded:
        quantities = sorted(quantities + worded, key=lambda q: q.start)
    if lower.find("hạng", a, b) != -1 or lower.find("thứ", a, b) != -1 or lower.find("dẫn đầu", a, b) != -1:
        ordinals = find_ordinal_ranks(lower, a, b)
        if ordinals:
            quantities = sorted(quantities + ordinals, key=lambda q: q.start)
    return quantities


def _read_paragraph(doc: _Doc, a: int, b: int, claimed: dict[int, int], cands: list[Proposal], left: _Left) -> None:
    """Each number of one paragraph: classified, read as the earlier figure's other period, or kept."""
    not_a_count = doc.catalog.mention.not_a_count  # type: ignore[union-attr]
    quantities = _paragraph_quantities(doc, a, b, claimed)
    prev_end = a
    last: tuple[Proposal, Quantity] | None = None  # the figure just read, to lend its indicator
    for k, q in enumerate(quantities):
        if q.kind == "claimed" or not_a_count.search(doc.lower, max(a, q.start - 16), q.start):
            prev_end = q.end  # the next figure's label starts after what this one's reading took
            read = doc.read_by_rules.get(q.num_start) if q.kind == "claimed" else None
            if read is not None:  # a rule's figure lends its indicator as a frame's does
                again = find_quantities(doc.lower, q.num_start, min(b, q.num_start + 60))
                last = (read, again[0]) if again else last
            continue
        sentence = doc.segments.sentence_at(q.num_start)
        hi = min(quantities[k + 1].start if k + 1 < len(quantities) else b, sentence.end)
        # a rank in words reads its verb with it ('xếp hạng nhất', 'dẫn đầu')
        label_end = q.end if q.kind == "ordinal" else q.start
        label = pre_window(doc.lower, max(prev_end, sentence.start), label_end, into_parens=q.kind == "pct")
        prev_end = q.end
        after = post_window(doc.lower, q.end, hi)
        rank_like = is_rank_like(doc.lower, q)
        if q.kind == "count" and not q.measure and not rank_like and not _may_be_labelled(label, after):
            continue  # no measure word and no label: nothing any frame could read
        kind = "count" if q.kind == "ordinal" else q.kind
        clue = Clue(label, after, doc.topic(sentence), doc.lower[sentence.start : sentence.end], kind, rank_like)
        cand, reason = _mention_candidate(doc, q, sentence, clue)
        if cand is None and last is not None:
            cand = _earlier_figure(doc, q, sentence, label, last)
        if cand is not None:
            cands.append(cand)
            prev_end, last = cand.end, (cand, q)
        elif q.measure or q.kind != "count":
            left.append((q, sentence, reason))


def _earlier_figure(
    doc: _Doc, q: Quantity, sentence: Sentence, label: str, last: tuple[Proposal, Quantity]
) -> Proposal | None:
    """Another period's figure beside one just read, in its words: '2.884 hồ sơ (năm 2024: 2.516
    hồ sơ)', '… (cùng kỳ: 1.100)'. It is the same indicator, of the period its label names."""
    cand, read = last
    if cand.sentence != sentence or q.kind != "count":
        return None
    if not (_PERIOD_LABEL.fullmatch(label.strip()) or _compared_in_parens(doc, cand.end, q.start)):
        return None
    if q.measure and q.measure != read.measure:
        return None
    return _candidate_of(doc, cand.indicator, q, sentence, cand.rule, cand.confidence, in_parens=False)


def _compared_in_parens(doc: _Doc, lo: int, pos: int) -> bool:
    """'… tăng 31% so với quý I/2025 (số liệu cộng gộp … là 36.150 hồ sơ)': a figure in the brackets
    after a comparison with a period is the compared period's figure."""
    opened = doc.lower.rfind("(", lo, pos)
    return opened != -1 and doc.lower.find(")", opened, pos) == -1 and bool(_COMPARED.search(doc.lower, lo, opened))


def _candidate_of(
    doc: _Doc, ind: Indicator, q: Quantity, sentence: Sentence, rule: str, confidence: float, in_parens: bool
) -> Proposal:
    """A quantity mention read as a figure of ``ind``; its evidence runs to the end of its measure words."""
    return Proposal(
        indicator=ind,
        rule=rule,
        value=q.value,
        qualifier=q.qualifier,
        denominator=q.denominator,
        num_start=q.num_start,
        start=q.start,
        end=q.end + len(q.measure) + 1 if q.measure else q.end,
        sentence=sentence,
        in_parens=in_parens,
        confidence=confidence,
        period=_period_of(doc, ind, sentence, q.num_start),
        loose=rule == _LOOSE,
    )


def _may_be_labelled(label: str, after: str) -> bool:
    """A bare count can be read from a label before it ('Tổng số cuộc gọi là 642'), never when
    a word that is not a measure follows it ('6 tháng đầu năm') or nothing precedes it."""
    return bool(label.strip()) and not (after[:1].isalpha())


def _mention_candidate(doc: _Doc, q: Quantity, sentence: Sentence, clue: Clue) -> tuple[Proposal | None, str]:
    verdict = classify(clue, doc.catalog)
    ind = verdict.indicator
    how = "mention"
    if ind is None and (q.measure or q.kind in ("pct", "money", "count") or clue.rank_like):
        named = _named_in_prose(doc, q, clue, sentence)
        if named is not None:
            verdict, ind, how = Verdict(named, 1.0, ""), named, "names"
    if ind is None:
        return None, verdict.reason
    reason = _not_ours(doc, ind, sentence, q)
    if reason:
        return None, reason
    confidence = _MENTION_CONFIDENCE + 0.05 * min(verdict.score, 4)
    if not ind.min_value <= q.value <= ind.max_value:
        confidence *= 0.5
    lower, a, b = doc.lower, sentence.start, q.num_start
    in_parens = lower.count("(", a, b) > lower.count(")", a, b)
    return _candidate_of(doc, ind, q, sentence, how, round(confidence, 3), in_parens), ""


def _named_in_prose(doc: _Doc, q: Quantity, clue: Clue, sentence: Sentence) -> Indicator | None:
    """A figure no frame read, named by the catalog's names right around it: the words just
    before it and its measure phrase ('có 8.904 hồ sơ thanh toán phí, lệ phí trực tuyến'). Prose
    is noisier than a table row: a count needs its own measure noun after it, and the name must
    be sure (_PROSE_NAME_SCORE); the role filters still judge what it finds."""
    names = name_table(doc.catalog)
    measure = tokens(q.measure, names.abbreviations)
    kind = "rank" if clue.rank_like and q.kind == "count" else q.kind
    window = doc.lower[q.end : q.end + _NEAR_AFTER]
    stop = _NEAR_STOP.search(window)
    near = window[: stop.start()] if stop else window  # its measure phrase, up to the next figure
    parts = doc.catalog.mention.part_words.search(near) if doc.catalog.mention else None
    near = near[: parts.start()] if parts else near  # '85 biên chế, trong đó: biên chế công chức …' names its parts
    bare = not q.measure and kind == "count"
    near = "" if bare else near  # after a bare count: the next item's name
    near = near.split(")", 1)[0] if kind == "pct" else near  # '… hồ sơ (93,4%), đúng hạn …': a share, not its name
    wide = bool(doc.catalog.mention and doc.catalog.mention.province_wide.search(clue.label))
    # 'Trong số người dùng, có 52 người …': a part; a rank is of the index its clause opens with
    reach = _RANK_BEFORE if kind == "rank" else _NEAR_BEFORE
    before = clue.label[-reach:] if kind == "rank" else _item_before(doc, sentence, q.start, kind == "pct")
    if kind == "pct":
        before = before[-reach:]
    elif before.rstrip().endswith(":"):  # a label introducing its value: its own words, commas and all
        before = before.rstrip()[:-1].rsplit(":", 1)[-1][-_LABEL_BEFORE:]
    else:
        before = before[-reach:].rsplit(",", 1)[-1]
    topic, topic_words = doc.topic_words(sentence)
    # the clause's scope governs the list it opens: 'được giao 36 chỉ tiêu, gồm 22 biên chế công chức'
    opening = doc.lower[max(sentence.start, q.start - _SCOPE_BEFORE) : q.start]
    ctx = NameContext(before + " " + near, kind, opening, q.measure, "", "", wide, 0, topic, topic_words,
                      doc.local_words(sentence))
    found, _ = best_by_names(ctx, names)
    if found is None:
        found = twins_by_level(ctx, names, _reporter_level(doc))
    if found is None or found.score < _PROSE_NAME_SCORE:
        return None
    ind = doc.catalog.get(found.code)
    if not q.measure and kind == "rank" and number_kind(ind) != "rank":
        return None  # a bare number in a place ('thứ 14', '39/63') is a rank, or nothing named
    if bare and not (_ends_with(before, found.name) and doc.lower[q.num_start : q.end] not in names.words):
        return None  # what the name right before it counts; a number in a name ('… hiện trường 1022') none
    nouns = names.measures_of[ind.code]
    if kind == "count" and not bare and not _counts_its_own(measure, tokens(near), found.name, nouns):
        return None
    if ind.kind == "stock" and _ACTION_OBJECT.search(clue.label):
        return None  # 'nâng lương cho 04 hợp đồng lao động': those an action was for, not a stock
    return ind


def _item_before(doc: _Doc, sentence: Sentence, pos: int, rate: bool = False) -> str:
    """The words of a figure's own list item before it: from the last number before it (an earlier
    figure's measure words are its verb: '03 cuộc thanh tra chuyên ngành đối với 12 …'), past a
    breakdown in brackets, which names nothing, and after a ',', 'và' or ';' that opens a new item.
    A rate keeps the count's words before it: '2.398 hồ sơ đúng hạn, đạt 99,5%' is their rate."""
    said = _BRACKETED.sub(" ", doc.lower[max(sentence.start, pos - 3 * _NEAR_BEFORE) : pos])
    not_a_count = doc.catalog.mention.not_a_count  # type: ignore[union-attr]
    numbers = [m for m in _A_NUMBER.finditer(said) if not (_DATE_OR_YEAR.fullmatch(m.group()) or
               not_a_count.search(said, max(0, m.start() - 16), m.start()))]  # fmt: skip
    if numbers and rate:
        said = said[numbers[-1].end() :]
    elif numbers:  # the earlier figure's measure words end at a comma or a 'và': a new item begins
        said = said[numbers[-1].end() :].split(",", 1)[-1]
        said = said[said.rfind(" và ") + 4 :] if " và " in said else said
    return said[said.rfind(";") + 1 :]


def _counts_its_own(
    measure: tuple[str, ...], after: tuple[str, ...], name: str, nouns: tuple[tuple[str, ...], ...]
) -> bool:
    """Whether a count is of what the indicator counts: one of its measure nouns follows the figure,
    or its name itself does ('52 số lượng người làm việc')."""
    said = tuple(name.split())
    return any(measure[: len(m)] == m for m in nouns) or after[: len(said)] == said


def _ends_with(label: str, name: str) -> bool:
    """Whether the name is the label's last words ('biên chế công chức 45', '… công chức là 45'):
    a bare count right after its name is what the name counts."""
    words = tokens(label)
    words = words[:-1] if words[-1:] == ("là",) else words
    said = tuple(name.split())
    return bool(said) and words[-len(said) :] == said


def _not_ours(doc: _Doc, ind: Indicator, sentence: Sentence, q: Quantity) -> str:
    """Why a classified mention is not the reporter's result: a plan, another unit, a rate per month."""
    cfg = doc.catalog.mention
    assert cfg is not None
    clause_start = max(doc.lower.rfind(";", sentence.start, q.start) + 1, sentence.start)
    semi = doc.lower.find(";", q.end, sentence.end)
    clause_end = semi if semi != -1 else sentence.end
    stop = _PHRASE_STOP.search(doc.lower, q.end, clause_end)
    phrase_end = stop.start() if stop else clause_end
    if cfg.part_of_whole is not None and cfg.part_of_whole.search(doc.lower, clause_start, q.start):
        return "một phần của tổng nêu trước"
    targets = doc.catalog.exclude_clause
    if not ind.allow_targets and targets is not None and targets.search(doc.lower, clause_start, phrase_end):
        return "kế hoạch, mục tiêu"
    if not ind.allow_targets and doc.is_target(sentence):
        return "kế hoạch, mục tiêu"
    if ind.exclude is not None and ind.exclude.search(doc.lower, clause_start, phrase_end):
        return "loại trừ theo danh mục"
    someone = _someone_else(doc, ind, sentence, q.start)
    if someone:
        return someone
    if doc.catalog.exclude_after.match(doc.lower, q.end, min(len(doc.lower), q.end + 24)):
        return "số bình quân"
    return ""


def _table_candidates(doc: _Doc, stated: dict[float, set[str]]) -> tuple[list[Proposal], _Left]:
    """Figures in table cells: row label × column header × unit, named by the catalog's names
    first (a row is a noun phrase), by the prose frames when no name decides."""
    cands: list[Proposal] = []
    left: list[tuple[Quantity, Sentence, str]] = []
    if doc.catalog.mention is None:
        return cands, left
    whole: dict[tuple[int, int], str] = {}  # (table row's paragraph, column) of a whole -> its indicator
    above: dict[tuple[int, int], set[str]] = defaultdict(set)  # (table, column) -> indicators read
    for cell in read_tables(doc.lower, doc.segments, doc.report):
        paragraph = doc.segments.paragraph_at(cell.quantity.num_start)
        a, b = doc.segments.paragraphs[paragraph]
        sentence = Sentence(a, b, paragraph)
        key = (cell.table, paragraph if cell.across else cell.column)  # where a total's parts stand
        ind, score, why = _table_indicator(doc, cell, sentence, frozenset(above[key]))
        if ind is None:
            left.append((cell.quantity, sentence, why))
            continue
        twin = name_table(doc.catalog).twins.get(ind.code)
        if twin is not None and twin in stated.get(cell.quantity.value * cell.scale, ()):
            ind = doc.catalog.get(twin)  # the prose said whose figure it is
        if cell.part_of is not None and whole.get((cell.part_of, cell.column)) == ind.code:
            left.append((cell.quantity, sentence, "phần của dòng trên trong bảng"))
            continue
        whole[paragraph, cell.column] = ind.code
        above[key].add(ind.code)
        cands.append(_table_candidate(doc, ind, cell, sentence, score))
    return cands, left


def _whole_of(doc: _Doc, parts: frozenset[str]) -> Indicator | None:
    """The indicator the catalog defines as the sum of exactly these parts ('Cộng (1+2)')."""
    for d in doc.catalog.derived:
        if set(d.sum_of) == parts:
            return doc.catalog.get(d.code)
    return next((i for i in doc.catalog.indicators if i.parts and set(i.parts) == parts), None)


def _table_indicator(
    doc: _Doc, cell: TableCell, sentence: Sentence, above: frozenset[str]
) -> tuple[Indicator | None, float, str]:
    """The indicator a cell states, its score, or why none: by its names, then by the frames."""
    rank_like = is_rank_like(doc.lower, cell.quantity) or "hạng" in cell.label
    kind = "rank" if rank_like and cell.quantity.kind == "count" else cell.quantity.kind
    found = _table_named(doc, cell, kind, above)
    if found is not None:
        return _in_role(cell, *found)
    framed = _in_role(cell, *_table_framed(doc, cell, sentence, rank_like))
    if framed[0] is None and not cell.is_total:
        ctx = NameContext(cell.label, kind, cell.header_label, cell.unit)
        twin = twins_by_level(ctx, name_table(doc.catalog), _reporter_level(doc))
        if twin is not None:
            return doc.catalog.get(twin.code), twin.score / 2, ""
    return framed


def _in_role(cell: TableCell, ind: Indicator | None, score: float, why: str) -> tuple[Indicator | None, float, str]:
    """A plan column's figure is only a plan indicator's; an average column's only an average's
    (one whose own label says 'trung bình' / 'bình quân')."""
    if ind is None or not cell.role:
        return ind, score, why
    if cell.role == "plan" and not ind.allow_targets:
        return None, 0.0, "kế hoạch, mục tiêu"
    if cell.role == "average" and not _AVERAGE_LABEL.search(ind.label_vi.lower()):
        return None, 0.0, "số bình quân"
    return ind, score, why


def _at_its_level(doc: _Doc, c: Proposal) -> Proposal:
    """A prose figure of an indicator named alike at two levels (a Sở's own online payments, the
    province's) goes to the level its subject speaks for; a table keeps its own reading."""
    twin = name_table(doc.catalog).twins.get(c.indicator.code)
    if twin is None or c.rule == "table":
        return c
    level = _level_at(doc, c.sentence, c.num_start)
    if level is None or level == c.indicator.scope:
        return c
    other = doc.catalog.get(twin)
    return replace(c, indicator=other, period=_period_of(doc, other, c.sentence, c.num_start))


def _level_at(doc: _Doc, sentence: Sentence, pos: int) -> str | None:
    """Whose figure a prose number is: the whole province when its clause or sentence opens on
    it, the reporter when a unit is the subject; a sentence with neither speaks of the subject
    of the sentences before it in its paragraph; None when nothing says (the reading stands)."""
    clause_start = max(doc.lower.rfind(";", sentence.start, pos) + 1, sentence.start)
    if doc.subjects(clause_start, sentence.start, pos)[2]:
        return "province"
    for s in reversed([x for x in doc.segments.sentences_of(sentence.paragraph) if x.start <= sentence.start]):
        said = _subject_of(doc, s.start, min(s.end, pos))
        if said:
            return said
    return None


def _subject_of(doc: _Doc, start: int, end: int) -> str | None:
    """'province' or 'agency' when the opening words of a sentence name who it speaks of."""
    cfg = doc.catalog.mention
    stop = min(end, start + _SUBJECT_REACH)
    if cfg is None:
        return None
    wide = cfg.province_wide.search(doc.lower, start, stop)
    unit = cfg.unit_subject.search(doc.lower, start, stop) if cfg.unit_subject is not None else None
    if wide and (unit is None or wide.start() < unit.start()):
        return "province"
    return "agency" if unit else None


def _reporter_level(doc: _Doc) -> str:
    """Whose figures a report states by default: a People's Committee or its office speaks for the
    province, a department or a centre for itself."""
    agency = (doc.meta.agency or "").lower()
    return (
        "province" if agency.startswith(("ủy ban nhân dân", "ubnd", "văn phòng ủy ban", "văn phòng ubnd")) else "agency"
    )


def _table_named(
    doc: _Doc, cell: TableCell, kind: str, above: frozenset[str]
) -> tuple[Indicator | None, float, str] | None:
    """A cell named by the catalog's names; None when no name decides. A column whose header
    names an indicator makes the rows its breakdown (units, fields) and only a total row a
    figure of it; a total row with no name of its own is the whole of the rows above (the
    catalog's sum of them) or of what the caption names."""
    names = name_table(doc.catalog)
    wide = bool(doc.catalog.mention and doc.catalog.mention.province_wide.search(cell.label + " " + cell.topic))
    by_column, _ = best_by_names(NameContext(cell.header_label, kind, unit=cell.unit, province_wide=wide), names)
    if by_column is not None and not cell.is_total:
        return None, 0.0, "số liệu của đơn vị khác trong bảng"  # a row of units or fields: a part
    named, _ = best_by_names(NameContext(cell.label, kind, cell.header_label, cell.unit, "", "", wide), names)
    if named is None and cell.is_total:
        if by_column is None and above:
            ind = _whole_of(doc, above)
            return (ind, 2.0, "") if ind is not None else (None, 0.0, "tổng của các dòng trên")
        caption = NameContext(cell.label, kind, cell.header_label, cell.unit, cell.topic, "", wide)
        named = by_column or best_by_names(caption, names)[0]
    if named is None:
        return None
    return doc.catalog.get(named.code), named.score / 2, ""


def _table_framed(
    doc: _Doc, cell: TableCell, sentence: Sentence, rank_like: bool
) -> tuple[Indicator | None, float, str]:
    """A cell read by the prose frames (row label as the clause), kept to the header's scope."""
    topic = cell.topic + " \n " + doc.topic(sentence)
    row = doc.lower[sentence.start : sentence.end]
    clue = Clue(cell.label, cell.unit, topic, row, cell.quantity.kind, rank_like)
    verdict = classify(clue, doc.catalog)
    if verdict.indicator is None and cell.header_label:
        clue = Clue(cell.header_label, cell.unit, topic + " " + cell.label, row, cell.quantity.kind, rank_like)
        verdict = classify(clue, doc.catalog)
        if verdict.indicator is not None and not cell.is_total:
            return None, 0.0, "số liệu của đơn vị khác trong bảng"
    ind = verdict.indicator
    if ind is None:
        return None, 0.0, verdict.reason
    scope = last_scope(doc.catalog.scopes, cell.header_label)
    if (ind.require_scope is not None and scope != ind.require_scope) or (scope and scope in ind.forbid_scopes):
        return None, 0.0, "cột ghi phạm vi khác (được giao / có mặt)"
    return ind, verdict.score, ""


def _table_candidate(doc: _Doc, ind: Indicator, cell: TableCell, sentence: Sentence, score: float) -> Proposal:
    q = cell.quantity
    period = cell.period or doc.report
    if ind.kind == "rank" and cell.period is None:
        period = _rank_year(doc, sentence) or period
    if ind.kind == "stock":
        when: tuple[date | None, date | None, date | None] = (
            None,
            None,
            cell.as_of if cell.period is None and cell.as_of else _as_of(doc, sentence, period, dated=True),
        )
    else:
        when = (period.start, period.end, None)
    confidence = _TABLE_CONFIDENCE + 0.02 * min(score, 4)
    if not ind.min_value <= q.value <= ind.max_value:
        confidence *= 0.5
    return Proposal(
        indicator=ind,
        rule="table",
        value=scaled(q.value, cell.scale),
        qualifier=q.qualifier,
        denominator=q.denominator,
        num_start=q.num_start,
        start=q.start,
        end=q.end,
        sentence=sentence,
        in_parens=False,
        confidence=round(confidence, 3),
        period=when,
    )


def _rank_year(doc: _Doc, sentence: Sentence) -> Period | None:
    for mention in doc.mentions(sentence):
        if mention.kind == "year":
            return mention.period
    return None


def _unread(q: Quantity, sentence: Sentence, reason: str) -> Unread:
    """A number no indicator took: its evidence runs to the end of its measure words."""
    end = q.end + len(q.measure) + 1 if q.measure else q.end
    measure = q.measure or ("%" if q.kind == "pct" else "đồng" if q.kind == "money" else "")
    return Unread(q.value, measure, q.num_start, q.start, min(end, sentence.end), sentence, reason)
