"""The read side's data access for Streamlit: one shared connection per warehouse version, one
cached wrapper over every query of ``dashboard.queries`` (keyed by the build it read) and one over
the views that take long to work out (``shared``)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.db import connect, warehouse_path, warehouse_version
from dashboard.filters import Filters

T = TypeVar("T")
SHOWN = 10_000  # figures a table shows at once (Tra cứu): a browser table of millions is no answer


class _Shared:
    """One warehouse connection and the sessions' queries running on it.

    A build swaps a new file in while other sessions are still reading the old one, and DuckDB
    refuses to close a connection that is busy (``ResourceInUseException``) — or, when idle,
    closes the cursors a reader is about to use. So a replaced connection is only *retired*;
    the last query still running on it closes it.
    """

    def __init__(self, path: str, version: tuple[int, int]) -> None:
        self.key = (path, version)
        self.con = connect(Path(path))
        self._lock = threading.Lock()
        self._users = 0
        self._retired = False
        self._closed = False

    def enter(self) -> bool:
        """Count one more reader; False once the connection is closed (the caller asks again)."""
        with self._lock:
            if self._closed:
                return False
            self._users += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            last = self._retired and self._users == 0 and not self._closed
            self._closed = self._closed or last
        if last:
            self._close()

    def retire(self) -> None:
        """A newer warehouse is open: close now if nobody reads, else when the last reader leaves."""
        with self._lock:
            self._retired = True
            idle = self._users == 0 and not self._closed
            self._closed = self._closed or idle
        if idle:
            self._close()

    def _close(self) -> None:
        with contextlib.suppress(duckdb.Error):  # never fail a reader over a connection nobody uses
            self.con.close()


_current: _Shared | None = None
_current_lock = threading.Lock()


def _shared() -> _Shared | None:
    """The connection to the warehouse as it is now, opened once per process and per build."""
    global _current
    with _current_lock:
        version = warehouse_version()
        if version is None:
            return None
        key = (str(warehouse_path()), version)
        if _current is None or _current.key != key:
            old, _current = _current, _Shared(*key)
            if old is not None:
                old.retire()
        return _current


def has_warehouse() -> bool:
    """Whether a warehouse is there to read (queries go through ``_cursor``, never the bare connection)."""
    return _shared() is not None


@contextlib.contextmanager
def _cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for one query (safe across the sessions' threads), on a connection
    that stays open until the query is done even if a build swaps a new warehouse in meanwhile."""
    for _ in range(5):  # a swap between looking the connection up and entering it: look again
        shared = _shared()
        if shared is None:
            raise RuntimeError("Chưa có kho dữ liệu")
        if shared.enter():
            break
    else:
        raise RuntimeError("Kho dữ liệu đang được thay liên tục; thử lại sau giây lát")
    try:
        cur = shared.con.cursor()
        try:
            cur.execute("USE wh")
            yield cur
        finally:
            cur.close()
    finally:
        shared.leave()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(version: tuple[int, int] | None, name: str, key: str, _args: tuple) -> object:
    """One query's answer per warehouse build and arguments (``key``: their repr; ``_args`` is not hashed)."""
    with _cursor() as cur:
        return getattr(queries, name)(cur, *_args)


def cached(query: Callable[..., T], *args: object) -> T:
    """``query(cursor, *args)`` of dashboard.queries, run once per warehouse build and arguments.

    Arguments are plain data (Filters is a frozen dataclass), so their repr is the cache key."""
    return _cached(warehouse_version(), query.__name__, repr(args), args)


@st.cache_resource(max_entries=256, show_spinner=False)
def _view(version: tuple[int, int] | None, name: str, key: str, _make: Callable[..., object], _args: tuple) -> object:
    """One view per warehouse build, function and arguments (``key``: their repr), kept as made."""
    return _make(*_args)


def shared(make: Callable[..., T], *args: object) -> T:
    """``make(*args)`` once per warehouse build and arguments, the same object for every session:
    for what takes long to work out (figures, the comparison, the tracker). Not copied, so never
    changed by its users; arguments are plain data, their repr the key, as with ``cached``."""
    return _view(warehouse_version(), f"{make.__module__}.{make.__qualname__}", repr(args), make, args)


def vocabulary() -> queries.Vocabulary:
    """Severities, report types and key figures with their labels, as the warehouse declares them."""
    return cached(queries.vocabulary)


def options(units: str = "reported") -> queries.Options:
    return cached(queries.options, units)


def facts(
    filters: Filters, indicators: tuple[str, ...] = (), text: str = "", include_rejected: bool = False
) -> pd.DataFrame:
    """Figures under the filters; rejected ones only when asked."""
    return cached(queries.facts, filters, tuple(indicators), text, None, include_rejected)


def fact_page(
    filters: Filters, indicators: tuple[str, ...] = (), text: str = "", include_rejected: bool = False
) -> tuple[pd.DataFrame, int]:
    """The first SHOWN figures under the filters and how many there are in all: a national warehouse
    holds millions, more than a browser table can carry."""
    rows = cached(queries.facts, filters, tuple(indicators), text, SHOWN + 1, include_rejected)
    if len(rows) <= SHOWN:
        return rows, len(rows)
    return rows.iloc[:SHOWN], cached(queries.fact_count, filters, tuple(indicators), text, include_rejected)


def latest_facts(filters: Filters, indicators: tuple[str, ...] = (), per_indicator: int = 1) -> pd.DataFrame:
    """The newest figures of each province and indicator."""
    return cached(queries.latest_facts, filters, tuple(indicators), per_indicator)


def fact_findings(fact_ids: list[str]) -> dict[str, str]:
    """fact_id -> the id of its worst open finding, for the facts that have one."""
    if not fact_ids:
        return {}
    found = cached(queries.fact_findings, sorted(fact_ids))
    return dict(zip(found["fact_id"], found["finding_id"], strict=True))


def latest_build() -> dict | None:
    """The build the warehouse holds (one query per build, not per page run)."""
    return cached(queries.latest_build)


__all__ = ["SHOWN", "cached", "fact_findings", "fact_page", "facts", "has_warehouse", "latest_build",
           "latest_facts", "options", "shared", "vocabulary"]  # fmt: skip
