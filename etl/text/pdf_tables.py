"""Unruled PDF tables: a table drawn without lines, its columns aligned by position only.

pypdf reads such a table as wrapped text (each label cell broken over several lines, a row's
figures on one line) and pdfplumber's text strategy splits words, so the grid is rebuilt here
from word boxes (pdfplumber's ``extract_words``):

1. Lines are words at one height; a line splits into *chunks* where a gap is wider than half
   the text height (a cell's words are a space apart, columns further).
2. A table's *anchors* are lines holding at least two numeric chunks, on consecutive lines
   whose figures stand at the same x; a single one needs three figures under header cells.
3. Columns are the gaps in the projection of the anchors' chunks (and the lines between them)
   onto the x axis: an x-range no word crosses. A line whose chunks bridge most gaps is prose,
   not a row: it ends the table.
4. Rows: each line with a figure in a column of figures opens a row. A text cell is a column's
   lines set a line-spacing apart (rows stand further apart when the table pads its cells); a
   cell joins the row whose figures it overlaps. When rows are set as close as a cell's lines,
   the cell is shared out line by line as the cells are aligned (top, middle or bottom of the
   row: whichever fits the rows best). A line opening with a section number ("II. ...") and no
   figure is a row of its own.
5. The lines above the first row, up to the caption or the paragraph before, are the header; it
   has as many rows as one column stacks cells (a group header over its sub-columns makes two).
6. A table running to the foot of a page hands its columns to the next page: rows there with
   figures in the same columns go on with it, header repeated or not, and text at the top with
   nothing in a column of figures ends the row the page broke (the reader mends that row).

A merged header cell (a chunk bridging a gap) is repeated in every column it covers, as the
Word and ruled-PDF readers give merged cells. Pages that show no such structure give no table.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Columns", "UnruledTable", "find_unruled_tables", "may_hold_unruled"]

_NUMBER = re.compile(r"[(\[]?[+\-−–]?\d+(?:[.,]\d+)*\.?[%‰]?[)\]]?[,;]?")  # not "10/2025": a period
_DIGIT_GROUP = re.compile(r"\d{3}(?:[.,]\d+)?[%‰]?")  # "688" of "12 688": one figure, not two cells
_SECTION = re.compile(r"(?:[IVXL]+|[A-ZĐ])(?:[.)]\s|[.)]?$)")  # "II. Dịch vụ công", "I" in the STT column
_PLACEHOLDERS = frozenset({"-", "–", "—", "x", "X", "…"})
_MAX_HEADER_LINES = 14
_MAX_LINES_AROUND_CONTINUATION = 3  # a running page header and a "(tiếp theo)" caption

Span = tuple[float, float]  # top, bottom


@dataclass(frozen=True, slots=True)
class Chunk:
    """Words of one line close enough to be one cell's text; kind: number, blank ("-") or text."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    kind: str

    @property
    def value_like(self) -> bool:
        return self.kind in ("number", "blank")


@dataclass(frozen=True, slots=True)
class Line:
    """Chunks at one height, left to right."""

    top: float
    bottom: float
    chunks: tuple[Chunk, ...]

    @property
    def numbers(self) -> list[Chunk]:
        return [c for c in self.chunks if c.kind == "number"]


@dataclass(frozen=True, slots=True)
class Columns:
    """Column gaps (x-ranges no cell text crosses) and the columns that hold figures."""

    gaps: tuple[tuple[float, float], ...]
    numeric: frozenset[int]

    @property
    def count(self) -> int:
        return len(self.gaps) + 1

    def of(self, chunk: Chunk) -> int:
        """The column a chunk's centre falls in."""
        return self.at((chunk.x0 + chunk.x1) / 2)

    def at(self, x: float) -> int:
        """The column at ``x``: boundaries stand in the middle of each gap."""
        return sum(1 for lo, hi in self.gaps if x >= (lo + hi) / 2)

    def bridged(self, chunk: Chunk) -> int:
        """How many gaps the chunk runs across from one side to the other."""
        return sum(1 for lo, hi in self.gaps if chunk.x0 < lo and chunk.x1 > hi)

    def covered(self, chunk: Chunk) -> list[int]:
        """The columns a chunk spans: one, or several for a merged header cell."""
        if not self.bridged(chunk):
            return [self.of(chunk)]
        edges = [-math.inf, *(x for gap in self.gaps for x in gap), math.inf]
        spans = [(edges[2 * i], edges[2 * i + 1]) for i in range(self.count)]
        return [i for i, (lo, hi) in enumerate(spans) if chunk.x0 < hi and chunk.x1 > lo]


@dataclass(frozen=True, slots=True)
class UnruledTable:
    """One table found on a page: where it stands, its rows of cells, and its columns (handed
    to the next page when the table runs to the page's foot)."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str]]
    columns: Columns
    spacing: float  # the widest gap between two lines of one cell
    ends_page: bool
    tail: tuple[str, ...] = ()  # cells ending the last row of the page before (a row broken by the page)


def may_hold_unruled(text: str) -> bool:
    """A cheap test on a page's plain text, where pypdf puts a row's figures side by side on one
    line: two lines with two figures in a row ("52.944 153.553", "1.395 - 1.661") or one with
    three. Dates and counts in prose rarely stand so."""
    runs = [n for line in text.splitlines() if (n := _figures_side_by_side(line.split())) >= 2]
    return len(runs) >= 2 or any(n >= 3 for n in runs)


def _figures_side_by_side(tokens: list[str]) -> int:
    """The most numbers in a row with nothing but placeholders ("-") between them."""
    best = numbers = 0
    for token in tokens:
        if _is_number(token):
            numbers += 1
            best = max(best, numbers)
        elif token not in _PLACEHOLDERS:
            numbers = 0
    return best


def find_unruled_tables(words: Sequence[dict[str, Any]], carried: UnruledTable | None = None) -> list[UnruledTable]:
    """The unruled tables among a page's words (pdfplumber word dicts: text, x0, x1, top, bottom);
    ``carried``: a table the page before ended with, which may go on here in the same columns."""
    upright = [w for w in words if w.get("upright", True) and str(w.get("text", "")).strip()]
    if not upright:
        return []
    height = statistics.median(float(w["bottom"]) - float(w["top"]) for w in upright) or 10.0
    lines = _lines(upright, height)
    tables = [t for run in _anchor_runs(lines, height) if (t := _fresh_table(lines, run, height))]
    if not tables and carried is not None:
        table = _continued_table(lines, carried, height)
        tables = [table] if table else []
    return tables


# ---------------------------------------------------------------- words -> lines -> chunks


def _lines(words: Iterable[dict[str, Any]], height: float) -> list[Line]:
    """Words grouped by height (tops within a third of the text height), top to bottom."""
    groups: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (float(w["top"]), float(w["x0"]))):
        if groups and float(word["top"]) - float(groups[-1][0]["top"]) <= height / 3:
            groups[-1].append(word)
        else:
            groups.append([word])
    lines = []
    for group in groups:
        chunks = tuple(_chunks(sorted(group, key=lambda w: float(w["x0"])), height))
        lines.append(Line(min(c.top for c in chunks), max(c.bottom for c in chunks), chunks))
    return lines


def _chunks(words: list[dict[str, Any]], height: float) -> list[Chunk]:
    """A line's words joined into chunks; two numbers stay apart unless the second is a digit group."""
    parts: list[list[dict[str, Any]]] = []
    for word in words:
        if parts and not _splits(parts[-1][-1], word, height):
            parts[-1].append(word)
        else:
            parts.append([word])
    return [_chunk(part) for part in parts]


def _splits(left: dict[str, Any], right: dict[str, Any], height: float) -> bool:
    if float(right["x0"]) - float(left["x1"]) > height / 2:
        return True
    return _is_number(left["text"]) and _is_number(right["text"]) and not _DIGIT_GROUP.fullmatch(right["text"])


def _chunk(words: list[dict[str, Any]]) -> Chunk:
    texts = [str(w["text"]) for w in words]
    text = " ".join(texts)
    kind = "text"
    if all(_is_number(t) for t in texts) or (len(texts) == 2 and _is_number(texts[0]) and texts[1] in ("%", "‰")):
        kind = "number"
    elif len(texts) == 1 and text in _PLACEHOLDERS:
        kind = "blank"
    top, bottom = min(float(w["top"]) for w in words), max(float(w["bottom"]) for w in words)
    return Chunk(text, float(words[0]["x0"]), float(words[-1]["x1"]), top, bottom, kind)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text)) and any(ch.isdigit() for ch in text)


# ---------------------------------------------------------------- where a table is


def _anchor_runs(lines: list[Line], height: float) -> list[list[int]]:
    """Runs of lines with two or more figures standing under the figures of the line before."""
    runs: list[list[int]] = []
    for i, line in enumerate(lines):
        if len(line.numbers) < 2:
            continue
        if runs and _aligned(lines[runs[-1][-1]], line, height):
            runs[-1].append(i)
        else:
            runs.append([i])
    return [part for run in runs for part in _split_at_prose(lines, run)]


def _aligned(above: Line, below: Line, height: float) -> bool:
    """At least two figures of ``below`` overlap figures of ``above`` in x (the same columns)."""
    slack = height / 4
    shared = sum(1 for b in below.numbers if any(a.x0 - slack < b.x1 and b.x0 < a.x1 + slack for a in above.numbers))
    return shared >= 2


def _split_at_prose(lines: list[Line], run: list[int]) -> list[list[int]]:
    """The run cut at any line between its anchors that reads across the columns (prose)."""
    columns = _columns_of(lines, run)
    for a, b in zip(run, run[1:], strict=False):
        cut = next((k for k in range(a + 1, b) if _is_prose(lines[k], columns)), None)
        if cut is not None:
            left, right = [i for i in run if i < cut], [i for i in run if i > cut]
            return [p for part in (left, right) if part for p in _split_at_prose(lines, part)]
    return [run]


def _is_prose(line: Line, columns: Columns) -> bool:
    """A line whose chunks bridge half the column gaps (two at least) runs across the table."""
    bridged = sum(columns.bridged(c) for c in line.chunks)
    return bridged >= max(2, math.ceil(len(columns.gaps) / 2))


def _columns_of(lines: list[Line], anchors: list[int]) -> Columns:
    """Gaps of the x-projection of the anchors and the lines between them that bridge none of the
    anchors' own gaps; a column of figures holds a figure on at least half the anchor lines."""
    first, last = anchors[0], anchors[-1]
    own = Columns(_gaps((c for i in anchors for c in lines[i].chunks), _min_gap(lines, anchors)), frozenset())
    between = (c for k in range(first, last + 1) for c in lines[k].chunks if not own.bridged(c))
    gaps = _gaps(between, _min_gap(lines, anchors))
    plain = Columns(gaps, frozenset())
    counts = [0] * plain.count
    for i in anchors:
        for col in {plain.of(c) for c in lines[i].numbers}:
            counts[col] += 1
    need = 1 if len(anchors) == 1 else max(2, math.ceil(len(anchors) / 2))
    return Columns(gaps, frozenset(col for col, n in enumerate(counts) if n >= need))


def _min_gap(lines: list[Line], anchors: list[int]) -> float:
    """The narrowest column gap: half the text height (a word space is about a quarter)."""
    return statistics.median(c.bottom - c.top for i in anchors for c in lines[i].chunks) / 2


def _gaps(chunks: Iterable[Chunk], min_width: float) -> tuple[tuple[float, float], ...]:
    """X-ranges at least ``min_width`` wide that no chunk covers, between the first and last chunk."""
    spans = sorted((c.x0, c.x1) for c in chunks)
    gaps = []
    reach = spans[0][1] if spans else 0.0
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_width:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return tuple(gaps)


# ---------------------------------------------------------------- one table


@dataclass(frozen=True, slots=True)
class _Zone:
    """A table's lines: header from ``start``, rows from ``first`` (the first anchor) to ``end``."""

    start: int
    first: int
    last: int  # the last anchor
    end: int
    spacing: float


def _fresh_table(lines: list[Line], run: list[int], height: float) -> UnruledTable | None:
    """The table around a run of anchor lines, if its columns hold up; a single row needs three
    figures, each under a header cell."""
    columns = _columns_of(lines, run)
    if columns.count < 3 or len(columns.numeric) < 2 or not _one_figure_per_cell(lines, run, columns):
        return None
    spacing = _cell_spacing(lines, run[0], run[-1], columns, height) or _NO_SPACING * height
    zone = _zone(lines, run[0], run[-1], columns, height, spacing)
    if len(run) == 1 and not _headed(lines, zone, columns):
        return None
    return _build(lines, zone, columns, height)


_NO_SPACING = 0.6  # a cell's line gap, in text heights, when no cell shows one


def _one_figure_per_cell(lines: list[Line], anchors: list[int], columns: Columns) -> bool:
    """No anchor line has two figures in one column of figures (a gap the projection missed)."""
    for i in anchors:
        cols = [columns.of(c) for c in lines[i].numbers]
        numeric = [c for c in cols if c in columns.numeric]
        if len(numeric) != len(set(numeric)):
            return False
    return True


def _headed(lines: list[Line], zone: _Zone, columns: Columns) -> bool:
    """Three figures or more on the row, and a header cell over each of them."""
    row = lines[zone.first]
    if len(row.numbers) < 3 or zone.start == zone.first:
        return False
    headed = {col for line in lines[zone.start : zone.first] for c in line.chunks for col in columns.covered(c)}
    return all(columns.of(c) in headed for c in row.numbers)


def _continued_table(lines: list[Line], carried: UnruledTable, height: float) -> UnruledTable | None:
    """Rows at the top of a page that carry on the table the page before ended with: figures in
    the same columns, under at most a running header and a "(tiếp theo)" caption. Lines at the
    top with text only outside the columns of figures, set apart from the first row, end the row
    the page before broke off (lines a cell's line gap above it are that row's own)."""
    columns = carried.columns
    anchors = [i for i, line in enumerate(lines) if _fits(line, columns)]
    if not anchors:
        start, end = _top_tail(lines, columns, carried.spacing)
        return _with_tail(None, lines[start:end], columns) if end > start else None
    run = [anchors[0]]
    for i in anchors[1:]:
        if any(_is_prose(lines[k], columns) for k in range(run[-1] + 1, i)):
            break
        run.append(i)
    spacing = min(_cell_spacing(lines, run[0], run[-1], columns, height) or math.inf, carried.spacing)
    zone = _zone(lines, run[0], run[-1], columns, height, spacing)
    start, end = _top_tail(lines, columns, zone.spacing)
    if start < end == zone.first and lines[end].top - lines[end - 1].bottom > zone.spacing:
        rows = _Zone(zone.first, zone.first, zone.last, zone.end, zone.spacing)
        return _with_tail(_build(lines, rows, columns, height, least=1), lines[start:end], columns)
    if zone.start > _MAX_LINES_AROUND_CONTINUATION:
        return None
    return _build(lines, zone, columns, height, least=1)


def _top_tail(lines: list[Line], columns: Columns, spacing: float) -> tuple[int, int]:
    """The lines, past a running header, that open the page with text only outside the columns
    of figures, a cell's line gap apart: (start, end), empty when there are none."""
    top = lines[:_MAX_LINES_AROUND_CONTINUATION]
    start = next((i for i, line in enumerate(top) if not _is_prose(line, columns)), len(top))
    end = start
    while end < len(lines) and _only_text(lines[end], columns):
        if end > start and lines[end].top - lines[end - 1].bottom > spacing:
            break
        end += 1
    return start, end


def _only_text(line: Line, columns: Columns) -> bool:
    """Text in columns without figures only, none of it read across a gap."""
    return not any(columns.bridged(c) or columns.of(c) in columns.numeric for c in line.chunks)


def _with_tail(table: UnruledTable | None, lines: list[Line], columns: Columns) -> UnruledTable | None:
    """The table (or no rows at all) with the cells, on ``lines``, that end the row the page
    before broke off; their lines go in its box."""
    tail = tuple(_row_texts(_pieces(lines, columns, header=False), columns))
    if table is None:
        return None if not lines else UnruledTable(_box(lines), [], columns, 0.0, False, tail)
    return UnruledTable(_box(lines, table.bbox), table.rows, table.columns, table.spacing, table.ends_page, tail)


def _box(lines: Iterable[Line], *more: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The bounding box of the lines' chunks and of any further boxes."""
    boxes = [(c.x0, c.top, c.x1, c.bottom) for line in lines for c in line.chunks] + list(more)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _fits(line: Line, columns: Columns) -> bool:
    """Two or more figures, each alone in its own column of figures, and nothing read across."""
    cols = [columns.of(c) for c in line.numbers]
    return (len(cols) >= 2 and len(set(cols)) == len(cols) and all(c in columns.numeric for c in cols)
            and not _is_prose(line, columns))  # fmt: skip


def _zone(lines: list[Line], first: int, last: int, columns: Columns, height: float, spacing: float) -> _Zone:
    """The lines of the table whose anchors run from ``first`` to ``last``; ``spacing``: the widest
    gap between a cell's lines (``_cell_spacing``)."""
    end = _body_end(lines, last, columns, spacing)
    return _Zone(_header_start(lines, first, end, columns, spacing, height), first, last, end, spacing)


def _build(lines: list[Line], zone: _Zone, columns: Columns, height: float, least: int = 2) -> UnruledTable | None:
    """Header rows, body rows and bounding box of a table; None with fewer than ``least`` rows."""
    align = _alignment(lines, zone, columns, height)
    first = _first_row_start(lines, zone, columns, align)
    header = _header_rows(lines[zone.start : first], columns, zone.spacing)
    rows = header + _body_rows(lines[first : zone.end + 1], columns, zone.spacing, align, height)
    if len(rows) < least:
        return None
    ends_page = len(lines) - 1 - zone.end <= 2
    return UnruledTable(_box(lines[zone.start : zone.end + 1]), rows, columns, zone.spacing, ends_page)


def _first_row_start(lines: list[Line], zone: _Zone, columns: Columns, align: str | None) -> int:
    """The first line of the first row: its anchor, unless its text cells run higher (centred
    cells, as many lines above as below; cells set apart from the header by a wider gap)."""
    if align == "top":
        return zone.first
    body = lines[zone.first : zone.end + 1]
    limit = _lines_below_first_core(body, columns, zone.spacing) if align == "center" else len(lines)
    return zone.first - min(limit, _text_lines_above(lines, zone, columns))


def _lines_below_first_core(body: list[Line], columns: Columns, spacing: float) -> int:
    """Lines under the first row's figures nearer to them than to the next row's."""
    cores = _cores(body, columns, spacing)
    end = (cores[0][1] + cores[1][0]) / 2 if len(cores) > 1 else math.inf
    return sum(1 for line in body[1:] if line.top < end)


def _cell_spacing(lines: list[Line], first: int, last: int, columns: Columns, height: float) -> float | None:
    """The widest vertical gap between two lines of one cell: the narrowest gap between two lines
    in one column, near the rows and not read across, plus a little (rows and captions are set
    further apart than the lines of a wrapped cell); None when no column has two lines."""
    spans: dict[int, list[Span]] = {}
    near = lines[max(0, first - _MAX_HEADER_LINES) : last + _MAX_HEADER_LINES + 1]
    for line in near:
        if any(columns.bridged(c) for c in line.chunks):
            continue
        for col in {columns.of(c) for c in line.chunks}:
            spans.setdefault(col, []).append((line.top, line.bottom))
    gaps = [b[0] - a[1] for column in spans.values() for a, b in zip(column, column[1:], strict=False)]
    return max(0.15 * height, min(gaps)) + 0.3 * height if gaps else None


def _body_end(lines: list[Line], last: int, columns: Columns, spacing: float) -> int:
    """The last line of the table: the last anchor, then the lines of its wrapped text cells."""
    end = last
    while end + 1 < len(lines):
        nxt = lines[end + 1]
        if nxt.top - lines[end].bottom > spacing or not _only_text(nxt, columns):
            break
        end += 1
    return end


def _header_start(lines: list[Line], first: int, end: int, columns: Columns, spacing: float, height: float) -> int:
    """The first header line: lines above the first row, set no further apart than the rows,
    up to a line read across the columns; a caption's last lines are left out."""
    left = min(c.x0 for line in lines[first : end + 1] for c in line.chunks)
    steps = [b.top - a.bottom for a, b in zip(lines[first:end], lines[first + 1 : end + 1], strict=False)]
    reach = max([height, *steps]) + 0.3 * height
    start = first
    while start > 0 and first - start < _MAX_HEADER_LINES:
        above = lines[start - 1]
        if lines[start].top - above.bottom > reach or _is_prose(above, columns):
            break
        start -= 1
    while start < first and _is_caption_tail(lines, start, columns, spacing, (left, height / 4)):
        start += 1
    return start


def _is_caption_tail(lines: list[Line], i: int, columns: Columns, spacing: float, edge: tuple[float, float]) -> bool:
    """One chunk set further from the line below than a cell's lines ("ĐVT: triệu đồng", "Biểu 01
    (tiếp theo)"); or the last line of the paragraph above ("như sau:", starting where it does);
    or starting at or left of the table's left edge and running on past its first column ("NĂM 2025")."""
    line, below = lines[i], lines[i + 1]
    if len(line.chunks) != 1:
        return False
    chunk = line.chunks[0]
    left, slack = edge
    above = lines[i - 1] if i else None
    ends_paragraph = (above is not None and _is_prose(above, columns) and line.top - above.bottom <= spacing
                      and abs(above.chunks[0].x0 - chunk.x0) <= slack)  # fmt: skip
    runs_on = chunk.x0 < left + slack and columns.at(chunk.x1) > 0 and not columns.bridged(chunk)
    return below.top - line.bottom > spacing or chunk.x0 < left - slack or runs_on or ends_paragraph


# ---------------------------------------------------------------- rows and cells


Piece = tuple[float, float, float, str]  # top, bottom, x0, text: a chunk placed in a column
Row = list[str]


def _pieces(lines: Sequence[Line], columns: Columns, header: bool) -> dict[int, list[Piece]]:
    """Each column's chunks top to bottom; a header chunk over several columns goes in each, a
    body chunk in the column it starts in."""
    out: dict[int, list[Piece]] = {}
    for line in lines:
        for c in line.chunks:
            cols = columns.covered(c) if header else [columns.covered(c)[0]]
            for col in cols:
                out.setdefault(col, []).append((line.top, line.bottom, c.x0, c.text))
    return out


def _cells(pieces: list[Piece], spacing: float) -> list[list[Piece]]:
    """A column's pieces cut into cells where two lines stand further apart than ``spacing``."""
    cells: list[list[Piece]] = []
    for piece in pieces:
        if cells and piece[0] - max(p[1] for p in cells[-1]) <= spacing:
            cells[-1].append(piece)
        else:
            cells.append([piece])
    return cells


def _text(pieces: Iterable[Piece]) -> str:
    """A cell's text on one line, in reading order, with the cell separator kept out."""
    text = " ".join(p[3] for p in sorted(pieces, key=lambda p: (p[0], p[2])))
    return " ".join(text.split()).replace("|", "/")


def _header_rows(lines: Sequence[Line], columns: Columns, spacing: float) -> list[Row]:
    """Header rows: as many as the most cells one column stacks (a group header over its
    sub-column's header makes two); each cell goes to the row whose band it overlaps most."""
    if not lines:
        return []
    cells = {col: _cells(p, spacing) for col, p in _pieces(lines, columns, header=True).items()}
    depth = max(len(column) for column in cells.values())
    full = [column for column in cells.values() if len(column) == depth]
    bands = [(min(c[k][0][0] for c in full), max(_bottom(c[k]) for c in full)) for k in range(depth)]
    rows = [[""] * columns.count for _ in range(depth)]
    for col, column in cells.items():
        for cell in column:
            k = _nearest(bands, (cell[0][0], _bottom(cell)))
            rows[k][col] = _joined(rows[k][col], _text(cell))
    return rows



def _bottom(cell: list[Piece]) -> float:
    return max(p[1] for p in cell)


def _nearest(spans: list[Span], span: Span) -> int:
    """The span overlapping ``span`` most, or else the one whose middle is nearest."""
    overlaps = [min(b, span[1]) - max(t, span[0]) for t, b in spans]
    best = max(range(len(spans)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    return min(range(len(spans)), key=lambda i: abs(sum(spans[i]) - sum(span)))


def _joined(before: str, text: str) -> str:
    return f"{before} {text}" if before else text


_ALIGNMENTS = ("top", "center", "bottom")  # in this order on a tie: Word sets cells at the top


def _alignment(lines: list[Line], zone: _Zone, columns: Columns, height: float) -> str | None:
    """Where cells sit in their rows (top, center, bottom), read from the cells that run over
    several rows' figures (rows set as close as the lines of a cell), and on a tie from the text
    lines just above the first row and below the last; None when rows stand apart."""
    body = lines[zone.first : zone.end + 1]
    cores = _cores(body, columns, zone.spacing)
    cells = _pieces([line for line in body if not _is_section(line, columns)], columns, header=False)
    blocks = [cell for pieces in cells.values() for cell in _cells(pieces, zone.spacing)]
    blocks = [cell for cell in blocks if len(_hits(cell, cores)) > 1]
    if not blocks:
        return None
    fits = {align: sum(_fit(cell, cores, align, height) for cell in blocks) for align in _ALIGNMENTS}
    above, below = _text_lines_above(lines, zone, columns) > 0, zone.end > zone.last
    fits["top"] += below and not above
    fits["center"] += below and above
    fits["bottom"] += above and not below
    return max(_ALIGNMENTS, key=lambda align: fits[align])


def _text_lines_above(lines: list[Line], zone: _Zone, columns: Columns) -> int:
    """Lines of text-only cells right above the first row, a cell's line gap apart."""
    start = zone.first
    while start > zone.start:
        above = lines[start - 1]
        if lines[start].top - above.bottom > zone.spacing or not _only_text(above, columns):
            break
        start -= 1
    return zone.first - start


def _fit(cell: list[Piece], cores: list[Span], align: str, height: float) -> int:
    """How many rows the cell's lines, shared out as ``align`` says, sit in as it says."""
    fit = 0
    for r, part in _shared(cell, cores, _hits(cell, cores), align, height):
        top, bottom = part[0][0], _bottom(part)
        core = cores[r]
        if align == "top":
            fit += abs(top - core[0]) <= height / 3
        elif align == "bottom":
            fit += abs(bottom - core[1]) <= height / 3
        else:
            fit += abs(top + bottom - core[0] - core[1]) <= height
    return fit


def _hits(cell: list[Piece], cores: list[Span]) -> list[int]:
    top, bottom = cell[0][0], _bottom(cell)
    return [r for r, (t, b) in enumerate(cores) if t < bottom and top < b]


def _shared(
    cell: list[Piece], cores: list[Span], hits: list[int], align: str, height: float
) -> list[tuple[int, list[Piece]]]:
    """A cell over several rows' figures shared out line by line: to the last row starting at or
    above the line (top), the first ending at or below it (bottom), or the nearest (center)."""
    out: dict[int, list[Piece]] = {}
    slack = height / 3
    for piece in cell:
        if align == "top":
            r = max((h for h in hits if cores[h][0] <= piece[0] + slack), default=hits[0])
        elif align == "bottom":
            r = min((h for h in hits if cores[h][1] >= piece[1] - slack), default=hits[-1])
        else:
            r = min(hits, key=lambda h: abs(cores[h][0] + cores[h][1] - piece[0] - piece[1]))
        out.setdefault(r, []).append(piece)
    return sorted(out.items())


def _body_rows(
    lines: Sequence[Line], columns: Columns, spacing: float, align: str | None, height: float
) -> list[Row]:
    """One row per line with a figure in a column of figures (two such lines a cell apart with
    figures in different columns are one row); every other line's cell joins the row it
    overlaps, or is shared out among several as the cells are aligned; a section heading
    ("II. Dịch vụ công trực tuyến") is a row of its own."""
    cores = _cores(lines, columns, spacing)
    placed: dict[int, dict[int, list[Piece]]] = {}
    sections = [line for line in lines if _is_section(line, columns)]
    extra = [(col, part) for col, part in _pieces(sections, columns, header=False).items()]
    for col, pieces in _pieces([line for line in lines if line not in sections], columns, header=False).items():
        for cell in _cells(pieces, spacing):
            hits = _hits(cell, cores)
            if not hits:
                extra.append((col, cell))
                continue
            for row, part in _shared(cell, cores, hits, align or "top", height):
                placed.setdefault(row, {}).setdefault(col, []).extend(part)
    keyed = [(core[0], _row_texts(placed.get(r, {}), columns)) for r, core in enumerate(cores)]
    keyed += _extra_rows(extra, columns, spacing)
    return [row for _, row in sorted(keyed, key=lambda item: item[0])]


def _is_section(line: Line, columns: Columns) -> bool:
    """A line opening with a section number (I, II, A.) and no figure after it: a heading row."""
    first, *rest = line.chunks
    return bool(_SECTION.match(first.text)) and not any(c.value_like and columns.of(c) in columns.numeric for c in rest)


def _cores(lines: Sequence[Line], columns: Columns, spacing: float) -> list[Span]:
    """The vertical span of each row's figures."""
    cores: list[tuple[float, float, set[int]]] = []
    for line in lines:
        cols = {columns.of(c) for c in line.chunks if c.value_like} & columns.numeric
        if not cols:
            continue
        if cores and line.top - cores[-1][1] <= spacing and not cols & cores[-1][2]:
            top, _, seen = cores[-1]
            cores[-1] = (top, line.bottom, seen | cols)
        else:
            cores.append((line.top, line.bottom, cols))
    return [(top, bottom) for top, bottom, _ in cores]


def _extra_rows(extra: list[tuple[int, list[Piece]]], columns: Columns, spacing: float) -> list[tuple[float, Row]]:
    """Cells that overlap no row of figures (a section heading, a unit row) make rows of their own."""
    rows: list[tuple[float, float, dict[int, list[Piece]]]] = []
    for col, cell in sorted(extra, key=lambda item: item[1][0][0]):
        top, bottom = cell[0][0], _bottom(cell)
        if rows and top - rows[-1][1] <= spacing and col not in rows[-1][2]:
            t, b, cells = rows[-1]
            rows[-1] = (t, max(b, bottom), {**cells, col: cell})
        else:
            rows.append((top, bottom, {col: cell}))
    return [(t, _row_texts(cells, columns)) for t, _, cells in rows]


def _row_texts(cells: dict[int, list[Piece]], columns: Columns) -> Row:
    return [_text(cells.get(col, [])) for col in range(columns.count)]
