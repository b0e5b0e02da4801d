"""Corrections follow their figure when the extractor moves its span.

A correction names a figure by its indicator and span (``fact_key``); a change to the extractor
(a rule retired, a quote widened to its measure word, the figure read by another mechanism)
moves the span of the same figure, and the correction would silently stop applying. Before a
document's corrections are replayed, ``resolve`` gives each one whose key matches no figure the
figure it meant, if and only if exactly one figure fits: same document (the caller's), same
indicator (for an assignment: an unassigned number), and its number where the correction's was
— the ``num_start`` it recorded, or failing that the numbers inside its old span (the document
is the same file, so the old span still reads the same text). A recorded value must match.

A correction that finds no figure, or more than one, is not applied and ``orphan_messages``
says so in Vietnamese, naming the figure: the build reports it with its file, never drops it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from etl.catalog import Catalog
from etl.corrections import ASSIGN, Correction, fact_key, mention_key
from etl.models import Fact, Mention
from etl.text.numbers import parse_numeral

__all__ = ["Figure", "Resolved", "number_starts", "orphan_messages", "resolve", "stamped"]

_KEY = re.compile(r"(?P<ind>[^@]+)@(?P<start>\d+)-(?P<end>\d+)")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")  # 1.204 | 12,5 | 2025: where a number starts
_SCALES = (1.0, 1e3, 1e6, 1e9)  # '9.280 triệu đồng' is read as 9 280 000 000
_QUOTE_CHARS = 70  # of a quote in a message


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of the new extraction as a correction can name it: by key, or by where its number is."""

    key: str
    indicator: str  # '' for a number no indicator took
    start: int
    end: int
    positions: frozenset[int]  # where its number starts in the original
    value: float
    quote: str


@dataclass(frozen=True, slots=True)
class Resolved:
    """One document's corrections, each naming the figure it now applies to."""

    corrections: list[Correction]
    remapped: dict[str, str] = field(default_factory=dict)  # correction id -> the key it followed its figure to
    satisfied: frozenset[str] = frozenset()  # assignments the extraction itself now makes (nothing to do)
    reasons: dict[str, str] = field(default_factory=dict)  # correction id -> why it names no figure


def _value_of(token: str) -> float | None:
    try:
        return parse_numeral(token)
    except ValueError:
        return None


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _reads_as(token_value: float | None, value: float) -> bool:
    """Whether a number written in the text states ``value``, perhaps with a scale word after it."""
    return token_value is not None and any(_same(token_value * s, value) for s in _SCALES)


def number_starts(text: str, start: int, end: int, value: float | None = None) -> frozenset[int]:
    """Where the numbers in ``text[start:end]`` start; with ``value``, only those that state it
    (all of them when none does)."""
    if not 0 <= start < end <= len(text):
        return frozenset()
    found = [(m.start(), _value_of(m.group())) for m in _NUMBER.finditer(text, start, end)]
    stating = [at for at, v in found if value is not None and _reads_as(v, value)]
    return frozenset(stating or (at for at, _ in found))


def _figure(key: str, indicator: str, item: Fact | Mention, text: str) -> Figure:
    positions = (
        frozenset({item.num_start})
        if item.num_start is not None
        else number_starts(text, item.char_start, item.char_end, item.value)
    )
    return Figure(key, indicator, item.char_start, item.char_end, positions, item.value, item.quote)


def _fact_figures(facts: Iterable[Fact], text: str) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for f in facts:
        out.setdefault(fact_key(f), _figure(fact_key(f), f.indicator, f, text))
    return out


def _mention_figures(mentions: Iterable[Mention], text: str) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for m in mentions:
        out.setdefault(mention_key(m), _figure(mention_key(m), "", m, text))
    return out


def _span(key: str | None) -> tuple[str, int, int] | None:
    """(indicator, start, end) of a key; the indicator of ``mention@…`` is ''."""
    m = _KEY.fullmatch(key or "")
    if m is None:
        return None
    ind = m.group("ind")
    return ("" if ind == "mention" else ind), int(m.group("start")), int(m.group("end"))


def _as_float(text: object) -> float | None:
    """A value as the log writes it ('1204.0', '12,5'), or None."""
    try:
        value = float(str(text).replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _recorded_value(c: Correction) -> float | None:
    """The figure's value when the correction was made, if it says: recorded, or the old value
    of a value change, or the number an assignment's old value starts with ('1.204 hồ sơ')."""
    if c.num_value is not None:
        return _as_float(c.num_value)
    if c.field not in ("value", ASSIGN) or not c.old_value:
        return None
    plain = _as_float(c.old_value)
    if plain is not None:
        return plain
    token = _NUMBER.search(c.old_value)
    return _value_of(token.group()) if token else None


def _positions(c: Correction, text: str, start: int, end: int) -> frozenset[int]:
    """Where the correction's number was: as recorded, else the numbers of its old span."""
    if c.num_start is not None:
        return frozenset({c.num_start})
    return number_starts(text, start, end, _recorded_value(c))


def _overlaps(f: Figure, start: int, end: int) -> bool:
    return f.start < end and start < f.end


def _candidates(c: Correction, figures: Iterable[Figure], text: str) -> list[Figure]:
    """The figures of the correction's indicator whose number is where the correction's was."""
    indicator, start, end = _span(c.fact_key) or ("", -1, -1)
    mine = [f for f in figures if f.indicator == indicator]
    where = _positions(c, text, start, end)
    if where:
        recorded = c.num_start is not None  # a recorded start is enough; a guessed one keeps to the old span
        return [f for f in mine if f.positions & where and (recorded or _overlaps(f, start, end))]
    return [f for f in mine if _overlaps(f, start, end) and any(start <= p < end for p in f.positions)]


def _value_problem(c: Correction, hit: Figure, earlier: list[float]) -> str | None:
    """Why the figure found is not the one corrected: its value is not the one recorded (an old
    value as a page showed it may be an earlier correction's)."""
    if c.num_value is not None:
        recorded, allowed = _as_float(c.num_value), [hit.value]
    elif c.field == "value":
        recorded, allowed = _as_float(c.old_value), [hit.value, *earlier]
    else:
        return None
    if recorded is None or any(_same(recorded, v) for v in allowed):
        return None
    return f"số liệu ở vị trí đó nay đọc là {_vn(hit.value)} (lúc sửa: {_vn(recorded)})"


def _follow(
    c: Correction, figures: Iterable[Figure], text: str, earlier: dict[str, list[float]]
) -> tuple[Figure | None, str]:
    """The one figure the correction meant, or why there is none."""
    _, start, end = _span(c.fact_key) or ("", -1, -1)
    if c.quote is not None and text[max(start, 0) : max(end, 0)] != c.quote:  # offsets no longer mean the same
        return None, "chữ của văn bản ở vị trí cũ đã khác lúc sửa (tệp nay được đọc khác)"
    hits = _candidates(c, figures, text)
    if not hits:
        return None, "lần trích xuất này không còn số liệu nào của chỉ tiêu đó ở vị trí ấy"
    if len(hits) > 1:
        quotes = "; ".join(f"«{_short(f.quote)}»" for f in sorted(hits, key=lambda f: f.start))
        return None, f"có {len(hits)} số liệu của chỉ tiêu đó trùng vị trí cũ ({quotes}), không rõ sửa đổi thuộc số nào"
    problem = _value_problem(c, hits[0], earlier.get(hits[0].key, []))
    return (None, problem) if problem else (hits[0], "")


def _exact(c: Correction, figures: dict[str, Figure]) -> bool:
    """The key names a figure, and (when the correction recorded it) the same number."""
    f = figures.get(c.fact_key or "")
    return f is not None and (c.num_start is None or c.num_start in f.positions or not f.positions)


def _resolve_assignments(
    mine: list[Correction], mentions: dict[str, Figure], facts: dict[str, Figure], text: str, out: Resolved
) -> tuple[dict[str, Correction], set[str]]:
    """Each assignment with the unassigned number it now names (by id), and the ids of those the
    extractor now makes itself (their number read as their indicator); the others' reasons in ``out``."""
    done: dict[str, Correction] = {}
    satisfied: set[str] = set()
    for c in (c for c in mine if c.field == ASSIGN):
        if _exact(c, mentions):
            done[c.correction_id] = c
            continue
        hit, why = _follow(c, mentions.values(), text, {})
        if hit is not None:
            done[c.correction_id] = replace(c, fact_key=hit.key)
            out.remapped[c.correction_id] = hit.key
            continue
        where = _positions(c, text, *(_span(c.fact_key) or ("", -1, -1))[1:])
        read = sorted({f.indicator for f in facts.values() if f.positions & where})
        if str(c.new_value) in read:
            satisfied.add(c.correction_id)
        else:
            out.reasons[c.correction_id] = (
                f"số này nay đã được trích xuất thành chỉ tiêu {', '.join(read)}" if read else why
            )
    return done, satisfied


def _assigned_figures(
    assignments: Iterable[Correction], mentions: dict[str, Figure], facts: dict[str, Figure], catalog: Catalog
) -> dict[str, Figure]:
    """The facts the assignments will make (the latest per number), as later corrections name them."""
    codes = {c.fact_key: str(c.new_value) for c in assignments}
    taken = {(f.start, f.end) for f in facts.values()}
    out = {}
    for key, code in codes.items():
        m = mentions.get(key or "")
        if m is None or (m.start, m.end) in taken or not _in_catalog(code, catalog):
            continue
        made = replace(m, key=f"{code}@{m.start}-{m.end}", indicator=code)
        out[made.key] = made
    return out


def resolve(
    sha256: str,
    text: str,
    facts: Iterable[Fact],
    mentions: Iterable[Mention],
    corrections: list[Correction],
    catalog: Catalog,
) -> Resolved:
    """The document's corrections (log order), each whose key matches no figure given the key of
    the one figure it meant, when exactly one fits; the others keep their key and a reason."""
    mine = [c for c in corrections if c.doc_sha256 == sha256]
    out = Resolved([])
    if not mine:  # most documents: nothing to follow
        return out
    fact_figs, mention_figs = _fact_figures(facts, text), _mention_figures(mentions, text)
    assignments, satisfied = _resolve_assignments(mine, mention_figs, fact_figs, text, out)
    figures = {**fact_figs, **_assigned_figures(assignments.values(), mention_figs, fact_figs, catalog)}
    earlier: dict[str, list[float]] = {}  # key -> values earlier corrections gave it (what a page showed)
    for c in mine:
        if c.field == ASSIGN:
            out.corrections.append(assignments.get(c.correction_id, c))
            continue
        if c.fact_key is None or _exact(c, figures):
            out.corrections.append(c)
        else:
            hit, why = _follow(c, figures.values(), text, earlier)
            if hit is None:
                out.reasons[c.correction_id] = why
                out.corrections.append(c)
                continue
            c = replace(c, fact_key=hit.key)
            out.remapped[c.correction_id] = hit.key
            out.corrections.append(c)
        if c.field == "value" and c.fact_key is not None and _as_float(c.new_value) is not None:
            earlier.setdefault(c.fact_key, []).append(_as_float(c.new_value))  # type: ignore[arg-type]
    return replace(out, satisfied=frozenset(satisfied))


def orphan_messages(resolved: Resolved, applied: set[str], text: str, catalog: Catalog) -> list[str]:
    """One Vietnamese line per correction of the document that names no figure of it now (the
    document is named beside it: by its file in a build's warnings, its citation on a page)."""
    lines = []
    for c in resolved.corrections:
        if c.fact_key is None or c.correction_id in applied or c.correction_id in resolved.satisfied:
            continue
        why = resolved.reasons.get(c.correction_id) or _unapplied_reason(c, catalog)
        lines.append(
            f"Sửa đổi «{_what(c, catalog)}» cho số liệu {_figure_text(c, text, catalog)} "
            f"không còn áp dụng được: {why}. Hãy xem lại số liệu này và ghi lại sửa đổi nếu cần "
            f"(mã sửa đổi {c.correction_id})."
        )
    return lines


def _unapplied_reason(c: Correction, catalog: Catalog) -> str:
    """Why a correction whose key matched was still not applied (only an assignment can be)."""
    if c.field == ASSIGN and not _in_catalog(str(c.new_value), catalog):
        return f"chỉ tiêu {c.new_value} không còn trong danh mục"
    if c.field == ASSIGN:
        return "số này nay đã được trích xuất thành một chỉ tiêu"
    return "lần trích xuất này không còn số liệu nào của chỉ tiêu đó ở vị trí ấy"


def _in_catalog(code: str, catalog: Catalog) -> bool:
    try:
        catalog.get(code)
    except KeyError:
        return False
    return True


def _label(code: str, catalog: Catalog) -> str:
    try:
        return f"“{catalog.get(code).label_vi}”"
    except KeyError:
        return code


def _day(value: str | None) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _what(c: Correction, catalog: Catalog) -> str:
    """The change in words: 'sửa giá trị thành 1250', 'loại bỏ', 'gán chỉ tiêu “…”'."""
    if c.field == "value":
        return f"sửa giá trị thành {c.new_value}"
    if c.field == "status":
        return "loại bỏ" if c.new_value == "rejected" else "khôi phục"
    if c.field == "indicator":
        return f"đổi chỉ tiêu thành {_label(str(c.new_value), catalog)}"
    if c.field == ASSIGN:
        return f"gán chỉ tiêu {_label(str(c.new_value), catalog)}"
    words = {"period_start": "sửa kỳ: từ ngày", "period_end": "sửa kỳ: đến ngày", "as_of": "sửa ngày của số liệu thành"}
    return f"{words.get(c.field, c.field)} {_day(c.new_value) if c.new_value else '(trống)'}"


def _short(quote: str) -> str:
    words = " ".join(quote.split())
    return words if len(words) <= _QUOTE_CHARS else words[: _QUOTE_CHARS - 1] + "…"


def _figure_text(c: Correction, text: str, catalog: Catalog) -> str:
    """The figure as the correction recorded it: its quote, indicator and place in the file."""
    indicator, start, end = _span(c.fact_key) or ("", -1, -1)
    quote = c.quote if c.quote is not None else (text[start:end] if 0 <= start < end <= len(text) else "")
    what = f"chỉ tiêu {_label(indicator, catalog)}" if indicator else "số liệu chưa gán chỉ tiêu"
    where = f", ký tự {start}–{end}" if start >= 0 else ""
    return f"«{_short(quote)}» ({what}{where})" if quote else f"{c.fact_key} ({what})"


def stamped(c: Correction, facts: Iterable[Fact], mentions: Iterable[Mention], text: str) -> Correction:
    """The correction with the figure it names as this extraction reads it (where its number
    starts, its value, its quote), so a later build can follow the figure; unchanged when it
    names none or already says."""
    if c.fact_key is None or c.num_start is not None:
        return c
    span = _span(c.fact_key)
    found = _fact_figures(facts, text).get(c.fact_key)
    if found is None and span is not None:  # an unassigned number, or the fact an assignment made of it
        found = next((m for m in _mention_figures(mentions, text).values() if (m.start, m.end) == span[1:]), None)
    if found is None or len(found.positions) != 1:
        return c
    (start,) = found.positions
    return replace(c, num_start=start, num_value=_num(found.value), quote=found.quote)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _vn(value: float) -> str:
    """A value as officials write it in a message: 1.204 for a thousand and more, 12,5."""
    whole, _, decimals = f"{value:,.6f}".rstrip("0").rstrip(".").partition(".")
    return whole.replace(",", ".") + ("," + decimals if decimals else "")
