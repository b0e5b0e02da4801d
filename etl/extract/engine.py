"""Apply the catalog's phrasing rules to one document and resolve what they find."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate
from typing import TYPE_CHECKING

from etl.extract.numbers import QUALIFIER_TAIL, parse_numeral, qualifier_of, scale_of
from etl.extract.periods import PeriodMention, find_period_mentions, shift_years
from etl.extract.segments import Segments, Sentence, segment
from etl.models import DocumentMeta, Fact, NormalizedText, Period

if TYPE_CHECKING:  # the catalog compiles rules with this package's number macros
    from etl.catalog import Catalog, Indicator, Rule

__all__ = ["extract_facts"]

_LOCAL_WINDOW = 160  # characters before a figure searched for its own period
_NOT_BEFORE_WINDOW = 40
_MERGE_GAP = 120  # scanning a short gap costs less than starting another scan


@dataclass(frozen=True, slots=True)
class _Candidate:
    indicator: Indicator
    rule: Rule
    value: float
    qualifier: str
    denominator: float | None
    num_start: int
    start: int
    end: int
    sentence: Sentence
    in_parens: bool
    confidence: float
    period: tuple[date | None, date | None, date | None]  # start, end, as_of
    parts: tuple[float, ...] = ()


class _Doc:
    """Per-document caches shared by every rule."""

    def __init__(self, norm: NormalizedText, meta: DocumentMeta, catalog: Catalog) -> None:
        self.norm = norm
        self.lower = norm.lower
        self.meta = meta
        self.catalog = catalog
        self.segments: Segments = segment(norm.text, norm.lower)
        self.report = Period(meta.period_start, meta.period_end, meta.period_label)
        self._mentions: dict[int, tuple[PeriodMention, ...]] = {}
        # the numeric paragraphs' contexts on one line each: a keyword is found with str.find
        contexts = [self.segments.context(i) for i in self.segments.numeric]
        self._numeric_blob = "\n".join(contexts)
        self._numeric_ends = list(accumulate(len(c) + 1 for c in contexts))
        self._keyword_hits: dict[tuple[str, bool], set[int]] = {}
        self._ranges: dict[tuple[tuple[str, ...], bool], list[tuple[int, int]]] = {}

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

    def mentions(self, sentence: Sentence) -> list[PeriodMention]:
        """Period expressions inside one sentence (found once per paragraph)."""
        p = sentence.paragraph
        if p not in self._mentions:
            self._mentions[p] = find_period_mentions(self.lower, *self.segments.paragraphs[p])
        return [m for m in self._mentions[p] if m.start >= sentence.start and m.end <= sentence.end]

    def scope_at(self, sentence: Sentence, pos: int) -> str | None:
        """Name of the last scope marker before ``pos`` in its sentence."""
        prefix = self.lower[sentence.start : pos]
        best, best_end = None, -1
        for name, pattern in self.catalog.scopes:
            for m in pattern.finditer(prefix):
                if m.end() > best_end:
                    best, best_end = name, m.end()
        return best


def extract_facts(norm: NormalizedText, meta: DocumentMeta, catalog: Catalog) -> list[Fact]:
    """Every figure the catalog's rules find in one document, with its evidence."""
    doc = _Doc(norm, meta, catalog)
    candidates: list[_Candidate] = []
    find = doc.lower.find
    for ind, numeric, rules in catalog.rule_groups:
        ranges = doc.ranges_with(ind.keywords, numeric)
        for rule in rules if ranges else ():
            for start, end in ranges:
                if rule.words and all(find(w, start, end) == -1 for w in rule.words):
                    continue  # none of the words every match holds: nothing to scan for
                for m in rule.regex.finditer(doc.lower, start, end):
                    cand = _candidate(doc, ind, rule, m)
                    if cand is not None:
                        candidates.append(cand)
    candidates = _one_reading_per_number(candidates)
    facts: list[Fact] = []
    by_indicator: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_indicator[c.indicator.code].append(c)
    for ind in catalog.indicators:
        if by_indicator.get(ind.code):
            facts.extend(_resolve(doc, ind, by_indicator[ind.code]))
    facts.extend(_derive(doc, catalog, facts))
    return sorted(facts, key=lambda f: (f.char_start, f.indicator))


def _candidate(doc: _Doc, ind: Indicator, rule: Rule, m: re.Match[str]) -> _Candidate | None:
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
    value, qualifier, den, start = _value_of(rule, m, has_num)
    if value is None:
        return None
    confidence = rule.confidence
    if not ind.min_value <= value <= ind.max_value:
        confidence = round(confidence * 0.5, 3)
    prefix = doc.lower[sentence.start : num_start]
    return _Candidate(
        indicator=ind,
        rule=rule,
        value=value,
        qualifier=qualifier,
        denominator=den,
        num_start=num_start,
        start=start,
        end=m.end(),
        sentence=sentence,
        in_parens=prefix.count("(") > prefix.count(")"),
        confidence=confidence,
        period=_period_of(doc, ind, sentence, num_start),
    )


def _fits_context(doc: _Doc, ind: Indicator, rule: Rule, sentence: Sentence, m: re.Match[str]) -> bool:
    context = doc.segments.context(sentence.paragraph)
    for pattern in (ind.context, rule.context):
        if pattern is not None and not pattern.search(context):
            return False
    for pattern in (ind.not_context, rule.not_context):
        if pattern is not None and pattern.search(context):
            return False
    if rule.before is not None and not rule.before.search(doc.lower, sentence.start, m.start()):
        return False
    if rule.not_before is not None:
        window = doc.lower[max(sentence.start, m.start() - _NOT_BEFORE_WINDOW) : m.start()]
        if rule.not_before.search(window):
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
    scale = scale_of(m.group("scale")) if "scale" in groups else 1.0
    qual = m.group("qual") if "qual" in groups else None
    if qual is None and m.start() == m.start("num"):
        tail = QUALIFIER_TAIL.search(m.string, max(0, m.start() - 14), m.start())
        if tail:
            qual, start = tail.group(1), tail.start(1)
    den_text = m.group("den") if "den" in groups else None
    try:
        value = parse_numeral(m.group("num")) * scale
    except ValueError:
        return None, "exact", None, start
    value = float(round(value)) if abs(value - round(value)) < 1e-6 else value
    return value, qualifier_of(qual), float(den_text) if den_text else None, start


def _period_of(doc: _Doc, ind: Indicator, sentence: Sentence, pos: int) -> tuple[date | None, date | None, date | None]:
    """The figure's own period: a period said just before it, else the report's."""
    report = doc.report
    local = None
    for mention in doc.mentions(sentence):
        if mention.end <= pos and mention.start >= pos - _LOCAL_WINDOW:
            local = mention
    period = _resolve_mention(local, report) if local else report
    if ind.period == "calendar_year" and period.end is not None:
        y = period.end.year
        period = Period(date(y, 1, 1), date(y, 12, 31))
    if ind.kind == "stock":
        as_of = period.end
        if as_of and doc.meta.report_date and as_of > doc.meta.report_date:
            as_of = doc.meta.report_date  # a count cannot be known after the report is signed
        return None, None, as_of
    return period.start, period.end, None


def _resolve_mention(mention: PeriodMention, report: Period) -> Period:
    p = mention.period
    if mention.kind == "same_period":
        m = re.search(r"\d{4}", p.label)
        if m and report.end:
            return shift_years(report, int(m.group(0)) - report.end.year)
        return shift_years(report, -1)
    if mention.kind == "year" and report.end and p.end and p.end.year == report.end.year:
        return report
    if mention.kind == "until" and p.end:
        start = report.start if report.start and report.start.year == p.end.year else None
        return Period(start or date(p.end.year, 1, 1), p.end)
    return p


def _one_reading_per_number(candidates: list[_Candidate]) -> list[_Candidate]:
    """A number is one figure: where rules of several indicators claim it, the surest wins."""
    best: dict[int, float] = {}
    for c in candidates:
        best[c.num_start] = max(best.get(c.num_start, 0.0), c.confidence)
    return [c for c in candidates if c.confidence >= best[c.num_start]]


def _resolve(doc: _Doc, ind: Indicator, cands: list[_Candidate]) -> list[Fact]:
    """Merge one indicator's candidates: parts add up, repeats collapse, conflicts stay visible."""
    by_period: dict[tuple, list[_Candidate]] = defaultdict(list)
    for c in cands:
        by_period[c.period].append(c)
    facts: list[Fact] = []
    for group in by_period.values():
        merged = [_merge_sentence(ind, s) for s in _by_sentence(group)]
        merged.sort(key=lambda c: (-c.confidence, c.start))
        primary = merged[0]
        facts.append(_fact(doc, primary, "primary"))
        seen = {primary.value}
        for other in sorted(merged[1:], key=lambda c: c.start):
            if other.value not in seen:
                seen.add(other.value)
                facts.append(_fact(doc, other, "alternative"))
    return facts


def _by_sentence(group: list[_Candidate]) -> list[list[_Candidate]]:
    sentences: dict[int, dict[int, _Candidate]] = defaultdict(dict)
    for c in sorted(group, key=lambda c: (-c.confidence, c.start)):
        sentences[c.sentence.start].setdefault(c.num_start, c)
    out = []
    for spans in sentences.values():
        cands = sorted(spans.values(), key=lambda c: c.start)
        outside = [c for c in cands if not c.in_parens]
        out.append(outside or cands)
    return out


def _merge_sentence(ind: Indicator, cands: list[_Candidate]) -> _Candidate:
    if ind.combine != "sum" or len(cands) == 1:
        return max(cands, key=lambda c: (c.confidence, -c.start))
    values = tuple(c.value for c in cands)
    return replace(
        cands[0],
        value=float(sum(values)),
        qualifier="sum",
        start=min(c.start for c in cands),
        end=max(c.end for c in cands),
        confidence=min(c.confidence for c in cands),
        parts=values,
    )


def _fact(doc: _Doc, c: _Candidate, role: str) -> Fact:
    start, end = doc.norm.span_in_original(c.start, c.end)
    s_start, s_end = doc.norm.span_in_original(c.sentence.start, c.sentence.end)
    p_start, p_end, as_of = c.period
    return Fact(
        doc=doc.meta.doc,
        indicator=c.indicator.code,
        value=c.value,
        unit=c.indicator.unit,
        qualifier=c.qualifier,
        period_start=p_start,
        period_end=p_end,
        as_of=as_of,
        quote=doc.norm.original[start:end],
        char_start=start,
        char_end=end,
        sentence=doc.norm.text[c.sentence.start : c.sentence.end],
        sentence_start=s_start,
        sentence_end=s_end,
        rule=f"{c.indicator.code}.{c.rule.id}",
        confidence=c.confidence,
        denominator=c.denominator,
        role=role,
        parts=c.parts,
    )


def _derive(doc: _Doc, catalog: Catalog, facts: list[Fact]) -> list[Fact]:
    """Totals the catalog defines as sums, where the document states only the parts."""
    out: list[Fact] = []
    primary = {f.indicator: f for f in facts if f.role == "primary"}
    for d in catalog.derived:
        if d.code in primary or not all(code in primary for code in d.sum_of):
            continue
        parts = [primary[code] for code in d.sum_of]
        if len({p.sentence_start for p in parts}) != 1:
            continue
        ind = catalog.get(d.code)
        first, last = min(parts, key=lambda f: f.char_start), max(parts, key=lambda f: f.char_end)
        out.append(
            replace(
                first,
                indicator=d.code,
                value=float(sum(p.value for p in parts)),
                unit=ind.unit,
                qualifier="sum",
                quote=doc.norm.original[first.char_start : last.char_end],
                char_end=last.char_end,
                rule=f"{d.code}.derived_sum",
                confidence=min(p.confidence for p in parts),
                parts=tuple(p.value for p in parts),
            )
        )
    return out
