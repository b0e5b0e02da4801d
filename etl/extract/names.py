"""Indicators found by their names: words from the catalog, scored against a figure's context.

A table row says what it counts in a noun phrase ('Hồ sơ thanh toán phí, lệ phí trực tuyến'),
not in a sentence a phrasing rule was written for. Each indicator lists in the catalog its
names, synonyms and measure nouns as plain words; abbreviations (TTHC, PAKN, CBCCVC …) are
expanded once from the catalog's table. A name is found when its syllables occur in order with
small gaps, so 'thanh toán trực tuyến' is found in 'thanh toán phí, lệ phí trực tuyến'.

The score of an indicator on a context, in words:
  * the best name found in the row label counts its syllables (a longer name is more specific),
    less a little for every syllable skipped inside it;
  * a name found only in the caption (given for a total row: the whole of what the table lists)
    counts half;
  * its measure noun in the unit column, right after the figure or as the label's head noun (the
    first noun: 'hồ sơ thủ tục hành chính' counts hồ sơ) adds one; another's head noun takes one;
    a percentage, an amount or a rank says its unit by its kind, which adds one;
  * in prose, a word of the indicator's topic ('tổng đài', '1022') in the figure's paragraph, the
    headings above it or the title adds one: 'tiếp nhận 8.408 yêu cầu' in a passage about the
    hotline is the hotline's; a topic never names a figure alone;
  * a figure of another kind (a percentage, an amount of money, a rank) never takes it;
  * a scope the header or label states ('được giao', 'có mặt') must be one the indicator accepts;
  * of two indicators named alike, one of the agency and one of the whole province, the
    province's gets a quarter more where the context says 'toàn tỉnh'; otherwise the tie goes to
    the prose frames, then to the reporter's own level (``twins_by_level``).
The best indicator wins when it beats the next by a clear margin; a tie is not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.catalog import Catalog, Indicator, last_scope, number_kind
from etl.normalize import unify_tone_marks

__all__ = [
    "NameContext",
    "NameMatch",
    "NameTable",
    "best_by_names",
    "name_table",
    "rank_by_names",
    "tokens",
    "twins_by_level",
]

_WORD = re.compile(r"[^\W_]+")
_MAX_GAP = 4  # syllables a name may skip between two of its own
_GAP_COST = 0.2
_MARGIN = 0.25  # the best must beat the next by this much (a level's quarter is enough)
_MIN_SCORE = 2.0  # a one-syllable name alone is not enough
_MIXED = ("các", "loại")  # 'camera các loại': of every kind, no one kind a passage's topic names


@dataclass(frozen=True, slots=True)
class NamedIndicator:
    """What the matcher needs of one indicator, read from the catalog."""

    code: str
    names: tuple[tuple[str, ...], ...]  # each name as syllables
    measures: tuple[tuple[str, ...], ...]
    number_kind: str  # count | pct | money | rank
    forbid_scopes: tuple[str, ...]
    require_scope: str | None
    level: str  # agency | province: whose figure it is (a Sở's own, or the whole province's)
    topics: tuple[tuple[str, ...], ...] = ()  # what a passage about it is about, as syllables
    own_topics: tuple[tuple[str, ...], ...] = ()  # its own, not its group's: what tells it from its siblings
    firsts: frozenset[str] = frozenset()  # the syllables its names open with: none in a context, no name there


@dataclass(frozen=True, slots=True)
class NameTable:
    """Every indicator's names, and the abbreviations expanded before matching."""

    indicators: tuple[NamedIndicator, ...]
    abbreviations: dict[str, tuple[str, ...]]
    scopes: tuple[tuple[str, re.Pattern[str]], ...]
    twins: dict[str, str]  # an indicator -> the one named alike at the other level (agency/province)
    measure_nouns: tuple[tuple[str, ...], ...] = ()  # every indicator's measure nouns, longest first
    measures_of: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # code -> its nouns
    words: frozenset[str] = frozenset()  # every syllable of a name or a topic ('1022' is one: a name, no count)


@dataclass(frozen=True, slots=True)
class NameContext:
    """The words around one figure (any case; tone marks are unified here)."""

    label: str  # the row label, or the clause before a figure
    kind: str  # count | pct | money | rank: the kind of number the figure is
    header: str = ""  # the column header: its scope qualifies the label ('được giao', 'có mặt')
    unit: str = ""  # a unit the table states for the row ('hồ sơ', 'lượt')
    caption: str = ""  # what names a total row's whole: its column header, the table's caption
    after: str = ""  # the measure words right after the figure
    province_wide: bool = False  # the context or the reporter speaks for the whole province
    max_gap: int = _MAX_GAP  # syllables a name may skip: none in prose, where skipped words qualify
    topic: frozenset[str] = frozenset()  # the syllables of the passage the figure is in (prose)
    topic_words: tuple[str, ...] = ()  # the same in order, for topics of several syllables
    local_words: tuple[str, ...] = ()  # the figure's own paragraph and its lead-in line (prose)


@dataclass(frozen=True, slots=True)
class NameMatch:
    code: str
    score: float
    name: str  # the name found, as the catalog writes it (syllables joined)


def tokens(text: str, abbreviations: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """Lower-case syllables, abbreviations written out ('tthc' -> 'thủ tục hành chính')."""
    out: list[str] = []
    for word in _WORD.findall(unify_tone_marks(text.lower())):
        out.extend(abbreviations.get(word, (word,)) if abbreviations else (word,))
    return tuple(out)


def find_name(name: tuple[str, ...], words: tuple[str, ...], max_gap: int = _MAX_GAP) -> float:
    """The name's score in ``words``: its length less the syllables skipped; 0 when absent."""
    if not name or len(name) > len(words):
        return 0.0
    best, first, start = 0.0, name[0], -1
    while True:  # each place the name's first syllable is (tuple.index: a search in C)
        try:
            start = words.index(first, start + 1)
        except ValueError:
            return best
        skipped, pos, ok = 0, start, True
        for syllable in name[1:]:
            nxt = _next(words, syllable, pos + 1, pos + 2 + max_gap)
            if nxt < 0:
                ok = False
                break
            skipped += nxt - pos - 1
            pos = nxt
        if ok:
            best = max(best, len(name) - _GAP_COST * skipped)


def _next(words: tuple[str, ...], syllable: str, lo: int, hi: int) -> int:
    try:
        return words.index(syllable, lo, min(hi, len(words)))
    except ValueError:
        return -1


def _best_name(
    names: tuple[tuple[str, ...], ...],
    words: tuple[str, ...],
    max_gap: int = _MAX_GAP,
    present: frozenset[str] | None = None,
) -> tuple[float, tuple[str, ...]]:
    best, which = 0.0, ()
    present = present if present is not None else frozenset(words)
    for name in names:
        if name[0] not in present:  # most names: their first syllable is absent, nothing to scan
            continue
        score = find_name(name, words, max_gap)
        if score > best:
            best, which = score, name
    return best, which


def _kinds(kind: str) -> tuple[str, ...]:
    return ("rank", "count") if kind == "rank" else (kind,)


def _head_noun(label: tuple[str, ...], nouns: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """The first measure noun of a label: the head of a Vietnamese noun phrase comes first
    ('hồ sơ thủ tục hành chính tiếp nhận' counts hồ sơ, not thủ tục)."""
    for i in range(len(label)):
        for noun in nouns:
            if label[i : i + len(noun)] == noun:
                return noun
    return None


def _measure_score(
    ind: NamedIndicator, label: tuple[str, ...], stated: tuple[str, ...], head: tuple[str, ...] | None
) -> float:
    """+1 when the figure counts what the indicator counts (the unit stated, the words after the
    figure, or the label's head noun); -1 when the label's head noun is another indicator's only."""
    if any(find_name(m, stated) for m in ind.measures) or (head is not None and head in ind.measures):
        return 1.0
    if head is not None:
        return -1.0
    return 1.0 if any(find_name(m, label) for m in ind.measures) else 0.0


def rank_by_names(ctx: NameContext, table: NameTable) -> list[NameMatch]:
    """Every indicator some name of which is in the context, best first."""
    ab = table.abbreviations
    label, caption = tokens(ctx.label, ab), tokens(ctx.caption, ab)
    measure_words = tokens(" ".join((ctx.unit, ctx.after)), ab)
    lowered = unify_tone_marks((ctx.header + " \n " + ctx.label).lower())
    scope = last_scope(table.scopes, lowered)
    kinds = _kinds(ctx.kind)
    head = _head_noun(measure_words, table.measure_nouns) or _head_noun(label, table.measure_nouns)
    in_label, in_caption = frozenset(label), frozenset(caption)
    out: list[NameMatch] = []
    unnamed: list[NamedIndicator] = []
    said = 0  # how many of the measure phrase's words a name said whole covers
    for ind in table.indicators:
        if not _admitted(ind, kinds, scope):
            continue
        if in_label.isdisjoint(ind.firsts) and in_caption.isdisjoint(ind.firsts):
            unnamed.append(ind)  # none of its names opens in the label or the caption
            continue
        own, name = _best_name(ind.names, label, ctx.max_gap, in_label)
        if own == 0.0:
            qualified, name = _best_name(ind.names, caption, _MAX_GAP, in_caption)
            own = qualified / 2
        if own == 0.0:
            unnamed.append(ind)
            continue
        said = max(said, _common_start(name, measure_words))
        out.append(_match(ind, own, name, ctx, (label, measure_words, head)))
    if ctx.local_words and not find_name((*measure_words, *_MIXED), label, 0):
        for ind in unnamed:  # a name said whole beats one the passage completes that says less of the figure
            if not ind.own_topics:
                continue  # only an own topic completes a name
            own, name = _named_by_passage(ind, measure_words, ctx.local_words, said)
            if own > 0.0:
                out.append(_match(ind, own, name, ctx, (label, measure_words, head)))
    out.sort(key=lambda m: -m.score)
    return out


def _admitted(ind: NamedIndicator, kinds: tuple[str, ...], scope: str | None) -> bool:
    """Whether the figure's kind and stated scope are ones the indicator may take."""
    if ind.number_kind not in kinds or scope in ind.forbid_scopes:
        return False
    return ind.require_scope is None or scope == ind.require_scope


def _match(
    ind: NamedIndicator,
    own: float,
    name: tuple[str, ...],
    ctx: NameContext,
    words: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...] | None],
) -> NameMatch:
    """The indicator's score: its name, measure noun, level, the passage's topic and own topic."""
    label, measure_words, head = words
    measured = _measure_score(ind, label, measure_words, head) if ctx.kind == "count" else 1.0
    level = 0.25 if ctx.province_wide and ind.level == "province" else 0.0
    topical = 1.0 if ctx.topic and name not in ind.measures and _topical(ind, ctx) else 0.0
    placed = 1.0 if ind.own_topics and _best_name(ind.own_topics, ctx.local_words, 0)[0] > 0 else 0.0
    return NameMatch(ind.code, own + measured + level + topical + placed, " ".join(name))


def _common_start(name: tuple[str, ...], words: tuple[str, ...]) -> int:
    n = 0
    while n < min(len(name), len(words)) and name[n] == words[n]:
        n += 1
    return n


def _named_by_passage(
    ind: NamedIndicator, measure_words: tuple[str, ...], local: tuple[str, ...], said: int = 0
) -> tuple[float, tuple[str, ...]]:
    """A name split between the figure and its paragraph: the figure's measure phrase opens it
    ('12.460 camera', '35 camera AI …'), the rest is one of the indicator's own topics said in the
    paragraph ('hệ thống giám sát an ninh …' for 'camera an ninh'). It counts the measure words it
    covers and one for the topic however long: a paragraph naming two siblings' topics tells
    neither from the other."""
    noun = next((len(m) for m in ind.measures if measure_words[: len(m)] == m), 0)
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    for name in ind.names:
        for k in range(max(noun, said), min(len(name), len(measure_words)) + 1) if noun else ():
            rest = name[k:]
            if name[:k] == measure_words[:k] and rest in ind.own_topics and find_name(rest, local, 0):
                best = max(best, (k + 1.0, name))
    return best


def _topical(ind: NamedIndicator, ctx: NameContext) -> bool:
    """Whether the passage is about the indicator's topic (a name that is only its measure noun,
    'công chức', gains nothing from it: any passage about staff counts công chức)."""
    return _best_name(ind.topics, ctx.topic_words, 0, ctx.topic)[0] > 0


def best_by_names(ctx: NameContext, table: NameTable) -> tuple[NameMatch | None, str]:
    """The indicator the context names, or None with the reason (nothing named, or a tie)."""
    ranked = rank_by_names(ctx, table)
    if not ranked or ranked[0].score < _MIN_SCORE:
        return None, "không tên chỉ tiêu nào"
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < _MARGIN:
        return None, "khớp nhiều chỉ tiêu: " + ", ".join(m.code for m in ranked[:2])
    return ranked[0], ""


def twins_by_level(ctx: NameContext, table: NameTable, reporter_level: str) -> NameMatch | None:
    """Of two indicators named alike that differ only in whose figure it is (the agency's own or
    the whole province's), the one of the reporter's level; None for any other tie."""
    ranked = rank_by_names(ctx, table)
    if len(ranked) < 2 or ranked[0].score < _MIN_SCORE or ranked[0].score - ranked[1].score >= _MARGIN:
        return None
    if len(ranked) > 2 and ranked[0].score - ranked[2].score < _MARGIN:
        return None
    levels = {i.code: i.level for i in table.indicators}
    pair = {levels[m.code]: m for m in ranked[:2]}
    return pair.get(reporter_level) if set(pair) == {"agency", "province"} else None


_TABLES: dict[str, NameTable] = {}


def name_table(catalog: Catalog) -> NameTable:
    """The catalog's names as syllables, abbreviations written out; built once per catalog."""
    table = _TABLES.get(catalog.sha256)
    if table is None:
        ab = {k: tuple(v.split()) for k, v in catalog.abbreviations.items()}
        named = tuple(_named(i, ab) for i in catalog.indicators)
        twins = {a.code: b.code for a in named for b in named if a.names == b.names and a.level != b.level}
        nouns = sorted({m for i in named for m in i.measures if m != ("%",)}, key=len, reverse=True)
        words = frozenset(w for i in named for n in (*i.names, *i.topics) for w in n)
        table = NameTable(named, ab, catalog.scopes, twins, tuple(nouns), {i.code: i.measures for i in named}, words)
        _TABLES[catalog.sha256] = table
    return table


def _named(ind: Indicator, ab: dict[str, tuple[str, ...]]) -> NamedIndicator:
    names = tuple(dict.fromkeys(t for n in ind.names if (t := tokens(n, ab))))
    measures = tuple(dict.fromkeys(t for m in ind.measures if (t := tokens(m, ab))))
    topics = tuple(dict.fromkeys(t for m in ind.topics if (t := tokens(m, ab))))
    own = tuple(dict.fromkeys(t for m in ind.own_topics if (t := tokens(m, ab))))
    return NamedIndicator(ind.code, names, measures, number_kind(ind), ind.forbid_scopes, ind.require_scope,
                          ind.scope, topics, own, frozenset(n[0] for n in names if n))  # fmt: skip
