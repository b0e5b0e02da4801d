"""The filters every page shares, as plain data, and the SQL they become (parameterised)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Filters:
    """Empty tuples mean 'all'."""

    provinces: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    agencies: tuple[str, ...] = ()
    report_types: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    units: str = "reported"  # reported | current (provinces and agencies after the 2025 mergers)

    @property
    def view(self) -> str:
        """The fact view for the chosen units (a fixed name, never user text)."""
        return "fact_view_current" if self.units == "current" else "fact_view"

    def sql(self, year_column: str = "year", prefix: str = "") -> tuple[str, list[object]]:
        """A WHERE clause over fact_view columns, and its parameters; user values never enter the SQL."""
        clauses: list[str] = ["TRUE"]
        params: list[object] = []
        for column, values in (
            ("province", self.provinces),
            ("agency", self.agencies),
            ("report_type", self.report_types),
            ("group_code", self.groups),
        ):
            if values:
                clauses.append(f"list_contains(?::VARCHAR[], {prefix}{column})")
                params.append(list(values))
        if self.year_from is not None:
            clauses.append(f"{year_column} >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append(f"{year_column} <= ?")
            params.append(self.year_to)
        return " AND ".join(clauses), params

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, for the Excel 'Thông tin' sheet."""
        every = "tất cả"
        years = (
            f"{self.year_from or '…'}–{self.year_to or '…'}"
            if self.year_from is not None or self.year_to is not None
            else every
        )
        if self.year_from is not None and self.year_from == self.year_to:
            years = str(self.year_from)  # one year, not '2024–2024'
        return [
            ("Tỉnh, thành phố", ", ".join(self.provinces) or every),
            ("Năm", years),
            ("Cơ quan", ", ".join(self.agencies) or every),
            ("Loại báo cáo", ", ".join(self.report_types) or every),
            ("Nhóm chỉ tiêu", ", ".join(self.groups) or every),
            (
                "Đơn vị hành chính",
                "theo đơn vị hiện nay (sau sáp nhập 2025)" if self.units == "current" else "như báo cáo",
            ),
        ]
