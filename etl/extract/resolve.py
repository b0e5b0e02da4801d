"""The one resolver: every extractor's proposals for a document -> its facts and the measured
numbers no indicator took. A number is one figure, parts add up, repeats collapse, conflicts
stay visible; each fact keeps the name of the extractor whose reading it is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from etl.catalog import Indicator
from etl.extract.seam import Context, Proposal, Proposals, Unread, Vocabulary
from etl.models import Fact, Mention

__all__ = ["resolve"]


def resolve(
    context: Context, vocabulary: Vocabulary, proposals: Mapping[str, Proposals]
) -> tuple[list[Fact], list[Mention]]:
    """Facts with evidence and the unassigned mentions (kept, with why), from each extractor's
    proposals by its name; the extractors' order breaks no tie but orders the mentions."""
    figures = [replace(p, extractor=name) for name, found in proposals.items() for p in found.figures]
    figures = _one_reading_per_number(figures)
    facts: list[Fact] = []
    dropped: list[Proposal] = []
    by_indicator: dict[str, list[Proposal]] = defaultdict(list)
    for p in figures:
        by_indicator[p.indicator.code].append(p)
    for ind in vocabulary.indicators:
        if by_indicator.get(ind.code):
            facts.extend(_resolve(context, ind, by_indicator[ind.code], dropped))
    facts.extend(_derive(context, vocabulary, facts))
    unread = _not_read_by_others(proposals)
    unread += [_as_unread(p) for p in dropped]
    mentions = [_mention(context, u) for u in unread]
    return sorted(facts, key=lambda f: (f.char_start, f.indicator)), sorted(mentions, key=lambda m: m.char_start)


def _not_read_by_others(proposals: Mapping[str, Proposals]) -> list[Unread]:
    """Each extractor's unread numbers, but for those another extractor read as a figure."""
    readers: dict[int, set[str]] = defaultdict(set)
    for name, found in proposals.items():
        for p in found.figures:
            readers[p.num_start].add(name)
    return [u for name, found in proposals.items() for u in found.unread if not readers[u.num_start] - {name}]


def _one_reading_per_number(figures: list[Proposal]) -> list[Proposal]:
    """A number is one figure: where several indicators (or extractors) claim it, the surest wins."""
    best: dict[int, float] = {}
    for p in figures:
        best[p.num_start] = max(best.get(p.num_start, 0.0), p.confidence)
    return [p for p in figures if p.confidence >= best[p.num_start]]


def _resolve(context: Context, ind: Indicator, found: list[Proposal], dropped: list[Proposal]) -> list[Fact]:
    """Merge one indicator's proposals: parts add up, repeats collapse, conflicts stay visible;
    a loose reading that loses to another value goes to ``dropped``."""
    by_period: dict[tuple, list[Proposal]] = defaultdict(list)
    for p in found:
        by_period[p.period].append(p)
    facts: list[Fact] = []
    for group in by_period.values():
        merged = [_merge_sentence(ind, s) for s in _by_sentence(group)]
        if len(merged) > 1:
            merged.sort(key=lambda p: _preference(ind, p))
        primary = merged[0]
        facts.append(_fact(context, primary, "primary"))
        seen = {primary.value}
        for other in sorted(merged[1:], key=lambda p: p.start):
            if other.value in seen:
                continue
            if other.loose:  # a loose reading is not worth a conflict: kept as a mention
                dropped.append(other)
                continue
            seen.add(other.value)
            facts.append(_fact(context, other, "alternative"))
    return facts


def _preference(ind: Indicator, p: Proposal) -> tuple[bool, bool, float, float, int]:
    """Order of one indicator's readings for one period: a stated total, a stock said of its date
    ('Tính đến ngày 31/7/2025, còn 103 hồ sơ'), the surer, the larger flow."""
    dated = ind.kind == "stock" and p.said_dated
    total = ind.kind == "flow" and p.said_total
    return (not total, not dated, -round(p.confidence, 1), -p.value if ind.kind == "flow" else 0.0, p.start)


def _by_sentence(group: list[Proposal]) -> list[list[Proposal]]:
    sentences: dict[int, dict[int, Proposal]] = defaultdict(dict)
    for p in sorted(group, key=lambda p: (-p.confidence, p.start)):
        sentences[p.sentence.start].setdefault(p.num_start, p)
    out = []
    for spans in sentences.values():
        found = sorted(spans.values(), key=lambda p: p.start)
        outside = [p for p in found if not p.in_parens]
        out.append(outside or found)
    return out


def _merge_sentence(ind: Indicator, found: list[Proposal]) -> Proposal:
    if ind.combine != "sum" or len(found) == 1:
        return max(found, key=lambda p: (p.confidence, -p.start))
    values = tuple(p.value for p in found)
    return replace(
        found[0],
        value=float(sum(values)),
        qualifier="sum",
        start=min(p.start for p in found),
        end=max(p.end for p in found),
        confidence=min(p.confidence for p in found),
        parts=values,
    )


def _fact(context: Context, p: Proposal, role: str) -> Fact:
    norm = context.norm
    start, end = norm.span_in_original(p.start, p.end)
    s_start, s_end = norm.span_in_original(p.sentence.start, p.sentence.end)
    p_start, p_end, as_of = p.period
    return Fact(
        doc=context.meta.doc,
        indicator=p.indicator.code,
        value=p.value,
        unit=p.indicator.unit,
        qualifier=p.qualifier,
        period_start=p_start,
        period_end=p_end,
        as_of=as_of,
        quote=norm.original[start:end],
        char_start=start,
        char_end=end,
        sentence=norm.text[p.sentence.start : p.sentence.end],
        sentence_start=s_start,
        sentence_end=s_end,
        rule=f"{p.indicator.code}.{p.rule}",
        confidence=p.confidence,
        denominator=p.denominator,
        role=role,
        parts=p.parts,
        extractor=p.extractor,
        num_start=norm.to_original(p.num_start),
    )


def _derive(context: Context, vocabulary: Vocabulary, facts: list[Fact]) -> list[Fact]:
    """Totals the catalog defines as sums, where the document states only the parts (the fact
    is the first part's extractor's)."""
    out: list[Fact] = []
    primary = {f.indicator: f for f in facts if f.role == "primary"}
    for d in vocabulary.derived:
        if d.code in primary or not all(code in primary for code in d.sum_of):
            continue
        parts = [primary[code] for code in d.sum_of]
        if len({p.sentence_start for p in parts}) != 1:
            continue
        ind = vocabulary.get(d.code)
        first, last = min(parts, key=lambda f: f.char_start), max(parts, key=lambda f: f.char_end)
        out.append(
            replace(
                first,
                indicator=d.code,
                value=float(sum(p.value for p in parts)),
                unit=ind.unit,
                qualifier="sum",
                quote=context.norm.original[first.char_start : last.char_end],
                char_end=last.char_end,
                rule=f"{d.code}.derived_sum",
                confidence=min(p.confidence for p in parts),
                parts=tuple(p.value for p in parts),
            )
        )
    return out


def _as_unread(p: Proposal) -> Unread:
    """A loose reading that lost to another value of its period, kept as a number with why."""
    reason = f"{p.indicator.code}: cùng kỳ đã có giá trị khác"
    return Unread(p.value, "", p.num_start, p.start, min(p.end, p.sentence.end), p.sentence, reason)


def _mention(context: Context, u: Unread) -> Mention:
    norm = context.norm
    start, stop = norm.span_in_original(u.start, u.end)
    s_start, s_end = norm.span_in_original(u.sentence.start, u.sentence.end)
    return Mention(
        doc=context.meta.doc,
        value=u.value,
        measure=u.measure,
        quote=norm.original[start:stop],
        char_start=start,
        char_end=stop,
        sentence=norm.text[u.sentence.start : u.sentence.end],
        sentence_start=s_start,
        sentence_end=s_end,
        reason=u.reason,
        num_start=norm.to_original(u.num_start),
    )
