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
    inside ``with``: entering registers its relation on ``con``, leaving unregisters it (a clause
    read after that fails loudly: the relation is gone). Plain attributes, so the modules handed
    the scope read it without calling back into this one."""

    __slots__ = ("con", "named", "provinces", "relation", "where")

    def __init__(self, con: duckdb.DuckDBPyConnection, provinces: Iterable[str | None]) -> None:
        self.con = con
        self.provinces: tuple[str | None, ...] = tuple(provinces)
        self.named: list[str] = [p for p in self.provinces if isinstance(p, str)]  # the relation's rows
        self.relation = f"province_scope_{uuid.uuid4().hex}"  # unique: two scopes never read each other
        unnamed = " OR province IS NULL" if len(self.named) < len(self.provinces) else ""
        self.where = f"(province IN (SELECT province FROM {self.relation}){unnamed})"  # SQL on a province column

    def __enter__(self) -> ProvinceScope:
        self.con.register(self.relation, pd.DataFrame({"province": pd.Series(self.named, dtype="string")}))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.con.unregister(self.relation)
