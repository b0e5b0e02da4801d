"""HTML tables inside markdown, rewritten as the pipe rows every reader hands on.

Converters from Word often leave a table as ``<table>`` with ``rowspan``/``colspan``; a merged
cell is repeated in every grid cell it covers, as the Word reader does, so a two-row header
reads like any other.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_tables_to_rows"]

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_MAX_SPAN = 50  # a span wider than any report table is a typo, not a layout


class _Grid(HTMLParser):
    """Rows of cells (text, rowspan, colspan) of one ``<table>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, int, int]]] = []
        self._cell: list[str] | None = None
        self._spans = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            a = dict(attrs)
            self._spans = (_span(a.get("rowspan")), _span(a.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split()).replace("|", "/")
            self.rows[-1].append((text, *self._spans))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(value or 1)))
    except ValueError:
        return 1


def _lines(rows: list[list[tuple[str, int, int]]]) -> list[str]:
    """The grid, each merged cell repeated where it spans, one pipe line per row."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, down, across in row:
            while (r, c) in grid:
                c += 1
            for i in range(down):
                for j in range(across):
                    grid[r + i, c + j] = text
            c += across
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return ["| " + " | ".join(grid.get((r, c), "") for c in range(width)) + " |" for r in range(height)]


def html_tables_to_rows(text: str) -> str:
    """The text with each ``<table>`` replaced by its pipe rows, a blank line around them."""
    if "<table" not in text.lower():
        return text

    def rows(m: re.Match[str]) -> str:
        parser = _Grid()
        parser.feed(m.group(0))
        parser.close()
        return "\n\n" + "\n".join(_lines(parser.rows)) + "\n\n"

    return _TABLE.sub(rows, text)
