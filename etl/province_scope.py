"""The provinces a build step rewrites, as one typed value: the relation it registers under a name
of its own, the clause that reads it, and its removal when the step is done.

The store opens one per recheck and hands it to the serving tables and the checks: no module
reads a relation by a name another module chose.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from types import TracebackType

import duckdb
import pandas as pd

__all__ = ["ProvinceScope"]


class ProvinceScope:
    """A clause on ``province`` for these provinces (None, a report naming none, included), valid
    inside ``with``: entering registers its relation on ``con``, leaving unregisters it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, provinces: Iterable[str | None]) -> None:
        self.con = con
        self.provinces: tuple[str | None, ...] = tuple(provinces)
        self.relation = f"province_scope_{uuid.uuid4().hex}"  # unique: two scopes never read each other
        self._registered = False

    @property
    def named(self) -> list[str]:
        """The provinces with a name (the relation's rows)."""
        return [p for p in self.provinces if isinstance(p, str)]

    @property
    def where(self) -> str:
        """The SQL clause on a ``province`` column; only valid while the scope is entered."""
        if not self._registered:
            raise RuntimeError("ProvinceScope.where read outside its `with` block")
        unnamed = " OR province IS NULL" if len(self.named) < len(self.provinces) else ""
        return f"(province IN (SELECT province FROM {self.relation}){unnamed})"

    def __enter__(self) -> ProvinceScope:
        self.con.register(self.relation, pd.DataFrame({"province": pd.Series(self.named, dtype="string")}))
        self._registered = True
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._registered = False
        self.con.unregister(self.relation)
