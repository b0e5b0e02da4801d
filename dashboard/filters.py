"""The filters every page shares, as plain data, and the one SQL they become (parameterised).

Every filtered query reads a view with the same filter columns — province, agency, report_type,
year and the indicator group — for figures, documents or findings, as reported or under today's
units (contract/schema.sql), so a filter means the same thing on every page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """A family of warehouse views carrying the filter columns (fixed names, never user text);
    ``groups`` is the condition for the indicator groups, with one placeholder for the codes."""

    reported: str
    current: str
    groups: str


FACTS = Source("fact_view", "fact_view_current", "group_code = ANY(?::VARCHAR[])")
# a report of the group gives a figure of it; the lookup runs only when groups are chosen
DOCUMENTS = Source("document_view", "document_view_current",
                   "doc_id IN (SELECT doc_id FROM document_groups WHERE list_contains(?::VARCHAR[], group_code))")
FINDINGS = Source("finding_view", "finding_view_current", "list_has_any(?::VARCHAR[], group_codes)")
# the serving tables a build writes (etl/serving.py): the same filter columns, already joined and
# aggregated, ordered by province so a province filter skips the rest
SERVED_FACTS = Source("serving_facts", "serving_facts_current", FACTS.groups)
SERVED_LATEST = Source("serving_latest", "serving_latest_current", FACTS.groups)
SERVED_DOCUMENTS = Source("serving_documents", "serving_documents_current", FINDINGS.groups)


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

    def view(self, source: Source = FACTS) -> str:
        """The view to read for the chosen units."""
        return source.current if self.units == "current" else source.reported

    def where(self, source: Source = FACTS) -> tuple[str, list[object]]:
        """A WHERE clause over the source's filter columns, and its parameters; user values never
        enter the SQL."""
        clauses: list[str] = ["TRUE"]
        params: list[object] = []
        for column, values in (
            ("province", self.provinces),
            ("agency", self.agencies),
            ("report_type", self.report_types),
        ):
            if values:  # '= ANY' reaches the table scan (row groups skipped by their min/max), list_contains not
                clauses.append(f"{column} = ANY(?::VARCHAR[])")
                params.append(list(values))
        if self.groups:
            clauses.append(source.groups)
            params.append(list(self.groups))
        if self.year_from is not None:
            clauses.append("year >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append("year <= ?")
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
