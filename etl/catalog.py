"""The indicator catalog: codes, labels, units, ranges and phrasing rules, loaded once.

Rules live in ``indicators.toml``; this module only compiles them. Patterns are
written lower-case and match the normalised text (see ``etl.normalize``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.normalize import unify_tone_marks
from etl.text.literals import required_words
from etl.text.numbers import DIGITLESS_MACROS, MACROS

__all__ = [
    "Catalog",
    "Derived",
    "Frame",
    "Indicator",
    "MentionConfig",
    "Rule",
    "last_scope",
    "load_catalog",
    "number_kind",
]

CATALOG_PATH = Path(__file__).with_name("indicators.toml")
_MACRO = re.compile(r"\{([A-Z_]+)\}")
_LEADING_OPTIONAL = re.compile(r"^(?:\(\?:[^()]*\)\?)+")
KINDS = {"stock", "flow", "rate", "rank"}
PERIODS = {"report", "calendar_year"}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    regex: re.Pattern[str]
    confidence: float
    value: float | None = None  # a fixed value ('không có hồ sơ tồn' -> 0)
    before: re.Pattern[str] | None = None  # must occur earlier in the sentence
    not_before: re.Pattern[str] | None = None  # must not end the 40 characters before
    context: re.Pattern[str] | None = None  # must occur in the paragraph or its lead-in
    not_context: re.Pattern[str] | None = None
    needs_digit: bool = True  # its figure is written with digits: only paragraphs with one are scanned
    words: frozenset[str] = frozenset()  # every match holds one (read from the regex): text without any is skipped


@dataclass(frozen=True, slots=True)
class Frame:
    """One way a quantity mention states an indicator: its parts, each a regex or None.

    ``measure`` follows the number ('cuộc gọi đến') or names it in a label ('Số cuộc gọi đến:');
    ``predicate`` is the verb of its clause, before the number or just after the measure word;
    ``topic`` is found in the sentence, its paragraph, the headings above or the title;
    ``not_near`` rejects a mention whose clause or measure phrase says it (another hotline, a
    plan); ``not_sentence`` rejects it when its sentence says it (a total with outgoing calls).
    """

    measure: re.Pattern[str] | None
    predicate: re.Pattern[str] | None
    topic: re.Pattern[str] | None
    not_near: re.Pattern[str] | None
    not_sentence: re.Pattern[str] | None
    weight: float
    # every mention it takes holds one of these words (from measure and predicate): a quick reject
    words: frozenset[str] = frozenset()  # how specific the frame is: more parts, more sure


@dataclass(frozen=True, slots=True)
class MentionConfig:
    """Catalog-wide vocabulary of quantity mentions: subjects that are not the reporter."""

    other_level: re.Pattern[str]  # commune/district level, other agencies' units
    other_place: re.Pattern[str]  # the nation, another ministry or province
    province_wide: re.Pattern[str]  # the whole province, in an agency's report
    not_a_count: re.Pattern[str]  # words before a number that make it a date or a document number
    total_words: re.Pattern[str]  # words before a figure that make it a total, preferred over parts
    part_words: re.Pattern[str]  # words opening a part of what the clause counted
    average_words: re.Pattern[str]  # words making a figure an average
    part_of_whole: re.Pattern[str] | None = None  # 'Trong tổng số hồ sơ đã giải quyết, 1.037 …': a part
    own_unit: re.Pattern[str] | None = None  # a heading naming the reporter itself ('Kết quả tại Văn phòng')
    unit_subject: re.Pattern[str] | None = None  # a unit opening a sentence as its subject ('Trung tâm …')
    since_inception: re.Pattern[str] | None = None  # 'Từ khi triển khai đến nay': no report's window
    target_opening: re.Pattern[str] | None = None  # a sentence that opens as a plan ('Phấn đấu …; lắp thêm 40 …')
    target_heading: re.Pattern[str] | None = None  # a section of tasks ahead ('IV. Nhiệm vụ quý IV')
    result_heading: re.Pattern[str] | None = None  # a section of results, even of tasks ('Kết quả thực hiện nhiệm vụ')


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    group: str
    label_vi: str
    label_en: str
    unit: str
    scope: str
    kind: str
    min_value: float
    max_value: float
    keywords: tuple[str, ...]
    rules: tuple[Rule, ...]
    combine: str = "first"  # first | sum (parts in one sentence add up)
    period: str = "report"  # report | calendar_year
    forbid_scopes: tuple[str, ...] = ()
    require_scope: str | None = None
    context: re.Pattern[str] | None = None
    not_context: re.Pattern[str] | None = None
    exclude: re.Pattern[str] | None = None  # rejects a match whose clause says this
    allow_targets: bool = False  # a plan itself: the catalog's target wording does not reject it
    frames: tuple[Frame, ...] = ()  # quantity-mention frames (prose mentions and table rows)
    short_label: str = ""  # on a key-figure card; "" -> label_vi
    kpi_order: int | None = None  # its place among the key figures, None when it is not one
    lower_is_better: bool = False  # a fall is good news (a rank, a backlog)
    names: tuple[str, ...] = ()  # what a table row or a report calls it: plain words, no regex
    measures: tuple[str, ...] = ()  # the nouns its figures count ('hồ sơ', 'phản ánh', 'lượt')
    parts: tuple[str, ...] = ()  # the indicators it is the sum of: a table's bare total of them is it
    topics: tuple[str, ...] = ()  # what a passage about it is about ('tổng đài', '1022'): plain words
    # its own topics, not its group's ('an ninh' of security cameras): they tell it from its siblings
    own_topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Derived:
    code: str
    sum_of: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    groups: dict[str, str]
    scopes: tuple[tuple[str, re.Pattern[str]], ...]
    exclude_after: re.Pattern[str]
    exclude_clause: re.Pattern[str] | None
    derived: tuple[Derived, ...]
    sha256: str
    # (indicator, reads a written number, its rules of that kind): the engine's loop, split once
    rule_groups: tuple[tuple[Indicator, bool, tuple[Rule, ...]], ...] = ()
    mention: MentionConfig | None = None
    # (indicator, its frames) by the kind of number they take: count | pct | money | rank
    frames_by_kind: dict[str, tuple[tuple[Indicator, tuple[Frame, ...]], ...]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)  # 'tthc' -> 'thủ tục hành chính'

    def get(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)


def _compile(pattern: str | None, macros: dict[str, str], where: str, anchored: bool = False) -> re.Pattern[str] | None:
    if pattern is None:
        return None

    def expand(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise ValueError(f"{where}: macro {{{name}}} không có trong danh mục")
        return macros[name]

    # A leading optional word never decides a search but makes the scan slow: drop it (not from a
    # pattern matched at a fixed place, where it does decide: a frame's measure after a number).
    source = unify_tone_marks(pattern) if anchored else _LEADING_OPTIONAL.sub("", unify_tone_marks(pattern))
    for macro in ("{NUM}", "{NUMF}"):  # a leading number scans fastest without its qualifier
        if source.startswith(macro):
            source = macro[:-1] + "_BARE}" + source[len(macro) :]
    for _ in range(3):  # macros may use macros
        source = _MACRO.sub(expand, source)
    try:
        return re.compile(source)
    except re.error as exc:
        raise ValueError(f"{where}: biểu thức sai ({exc})") from exc


def _rule(raw: dict, macros: dict[str, str], code: str) -> Rule:
    where = f"{code}.{raw['id']}"
    regex = _compile(raw["re"], macros, where)
    assert regex is not None
    if raw.get("value") is None and "num" not in regex.groupindex:
        raise ValueError(f"{where}: quy tắc thiếu {{NUM}} hoặc value")
    return Rule(
        id=raw["id"],
        regex=regex,
        confidence=float(raw.get("confidence", 0.9)),
        value=raw.get("value"),
        before=_compile(raw.get("before"), macros, where),
        not_before=_compile(raw.get("not_before"), macros, where),
        context=_compile(raw.get("context"), macros, where),
        not_context=_compile(raw.get("not_context"), macros, where),
        needs_digit=raw.get("value") is None and not _uses(raw["re"], DIGITLESS_MACROS, macros),
        words=required_words(regex),
    )


def _frame(raw: dict, macros: dict[str, str], code: str) -> Frame:
    where = f"{code}.frame"
    keys = ("measure", "predicate", "topic", "not_near", "not_sentence")
    parts = {k: _compile(raw.get(k), macros, where, anchored=True) for k in keys}
    if parts["measure"] is None and parts["predicate"] is None:
        raise ValueError(f"{where}: khung cần measure hoặc predicate")
    weight = float(raw.get("weight", sum(1.0 for k in ("measure", "predicate", "topic") if parts[k])))
    words: frozenset[str] = frozenset()
    for key in ("measure", "predicate"):  # a frame needs both: either one's words will do
        if parts[key] is not None:
            found = required_words(parts[key])  # type: ignore[arg-type]
            if found and (not words or len(found) < len(words)):
                words = found
    return Frame(weight=weight, words=words, **parts)  # type: ignore[arg-type]


def _mention_config(raw: dict, macros: dict[str, str]) -> MentionConfig:
    def c(key: str) -> re.Pattern[str]:
        pattern = _compile(raw[key], macros, f"mention.{key}")
        assert pattern is not None
        return pattern

    return MentionConfig(
        *(c(k) for k in ("other_level", "other_place", "province_wide", "not_a_count")),
        *(c(k) for k in ("total_words", "part_words", "average_words")),
        part_of_whole=c("part_of_whole") if "part_of_whole" in raw else None,
        own_unit=c("own_unit") if "own_unit" in raw else None,
        unit_subject=c("unit_subject") if "unit_subject" in raw else None,
        since_inception=c("since_inception") if "since_inception" in raw else None,
        target_opening=c("target_opening") if "target_opening" in raw else None,
        target_heading=c("target_heading") if "target_heading" in raw else None,
        result_heading=c("result_heading") if "result_heading" in raw else None,
    )


def _uses(pattern: str, names: frozenset[str], macros: dict[str, str]) -> bool:
    """Whether ``pattern`` expands one of the macros ``names``, directly or through another macro."""
    used = set(_MACRO.findall(pattern))
    return bool(used & names) or any(_uses(macros[n], names, macros) for n in used - names if n in macros)


def _indicator(raw: dict, macros: dict[str, str], topics: dict[str, list[str]]) -> Indicator:
    code = raw["code"]
    own = tuple(raw.get("topics", ()))  # an indicator's own topics add to its group's
    if raw["kind"] not in KINDS or raw.get("period", "report") not in PERIODS:
        raise ValueError(f"{code}: kind/period không hợp lệ")
    return Indicator(
        code=code,
        group=raw["group"],
        label_vi=raw["label_vi"],
        label_en=raw["label_en"],
        unit=raw["unit"],
        scope=raw["scope"],
        kind=raw["kind"],
        min_value=float(raw["min"]),
        max_value=float(raw["max"]),
        keywords=tuple(unify_tone_marks(k) for k in raw["keywords"]),
        rules=tuple(_rule(r, macros, code) for r in raw["rules"]),
        combine=raw.get("combine", "first"),
        period=raw.get("period", "report"),
        forbid_scopes=tuple(raw.get("forbid_scopes", ())),
        require_scope=raw.get("require_scope"),
        context=_compile(raw.get("context"), macros, code),
        not_context=_compile(raw.get("not_context"), macros, code),
        exclude=_compile(raw.get("exclude"), macros, code),
        allow_targets=bool(raw.get("allow_targets", False)),
        frames=tuple(_frame(f, macros, code) for f in raw.get("frames", ())),
        short_label=raw.get("short_label", raw["label_vi"]),
        kpi_order=raw.get("kpi"),
        lower_is_better=bool(raw.get("lower_is_better", False)),
        names=tuple(unify_tone_marks(n.lower()) for n in raw.get("names", ())),
        measures=tuple(unify_tone_marks(m.lower()) for m in raw.get("measures", (raw["unit"],))),
        parts=tuple(raw.get("parts", ())),
        topics=tuple(dict.fromkeys(unify_tone_marks(t.lower()) for t in (*own, *topics.get(raw["group"], ())))),
        own_topics=tuple(unify_tone_marks(t.lower()) for t in own),
    )


def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Read and compile a catalog file; errors name the indicator and rule."""
    data = path.read_bytes()
    raw = tomllib.loads(data.decode("utf-8"))
    macros = dict(MACROS)
    macros.update(raw.get("macros", {}))
    indicators = tuple(_indicator(i, macros, raw.get("topics", {})) for i in raw["indicator"])
    codes = [i.code for i in indicators]
    if len(codes) != len(set(codes)):
        raise ValueError("mã chỉ tiêu bị trùng trong danh mục")
    scopes = tuple((name, _compile(p, macros, f"scope {name}")) for name, p in raw["scopes"].items())
    return Catalog(
        indicators=indicators,
        groups=dict(raw["groups"]),
        scopes=scopes,  # type: ignore[arg-type]
        exclude_after=_compile(raw["exclude_after"], macros, "exclude_after"),  # type: ignore[arg-type]
        exclude_clause=_compile(raw.get("exclude_clause"), macros, "exclude_clause"),
        derived=tuple(Derived(d["code"], tuple(d["sum_of"])) for d in raw.get("derived", ())),
        sha256=hashlib.sha256(data).hexdigest(),
        rule_groups=tuple(
            (ind, numeric, rules)
            for ind in indicators
            for numeric in (True, False)
            if (rules := tuple(r for r in ind.rules if r.needs_digit == numeric))
        ),
        mention=_mention_config(raw["mention"], macros) if "mention" in raw else None,
        abbreviations={k.lower(): unify_tone_marks(v.lower()) for k, v in raw.get("abbreviations", {}).items()},
        frames_by_kind={
            k: tuple((i, i.frames) for i in indicators if i.frames and number_kind(i) == k) for k in NUMBER_KINDS
        },
    )


NUMBER_KINDS = ("count", "pct", "money", "rank")


def number_kind(ind: Indicator) -> str:
    """The kind of written number an indicator's figures are."""
    if ind.unit == "%":
        return "pct"
    if ind.unit == "đồng":
        return "money"
    return "rank" if ind.kind == "rank" else "count"


def last_scope(scopes: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    """The scope (quota / actual / unused) whose marker ends last in ``text``, or None."""
    best, best_end = None, -1
    for name, pattern in scopes:
        for m in pattern.finditer(text):
            if m.end() > best_end:
                best, best_end = name, m.end()
    return best


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The catalog shipped with the package, compiled once per process."""
    return load_catalog()
