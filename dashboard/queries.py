"""SQL over the warehouse schema (etl/schema.sql). Every function takes a connection and
returns a DataFrame; every user value is a bound parameter."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard.filters import Filters
from dashboard.formatting import fold

FACT_COLUMNS = """
    fact_id, doc_id, file_name, province, agency, report_type, period_label,
    report_period_start, report_period_end, report_date,
    indicator, label_vi, group_code, group_label, unit, kind, scope, sort_order,
    value, qualifier, period_start, period_end, as_of, year,
    quote, sentence, char_start, char_end, sentence_start, sentence_end, page, rule, confidence,
    finding_severity, finding_titles, status, fact_key, period_basis, reported_province, reported_agency,
    denominator
"""
# lower case, no tone marks, đ as d — the same folding as formatting.fold on the search text
_FOLD = "strip_accents(lower(translate({}, 'đĐ', 'dD')))"


def with_titles(con: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> pd.DataFrame:
    """Add each row's report title and number (fact_view lacks them; a report is cited by them).
    Looked up for the rows' documents only and merged here: cheaper than a join in every query."""
    if df.empty:
        return df.assign(title=pd.Series(dtype=str), report_number=pd.Series(dtype=str))
    docs = con.execute(
        "SELECT doc_id, title, report_number FROM documents WHERE list_contains(?::VARCHAR[], doc_id)",
        [df["doc_id"].unique().tolist()],
    ).df()
    by_doc = docs.set_index("doc_id")
    return df.assign(title=df["doc_id"].map(by_doc["title"]), report_number=df["doc_id"].map(by_doc["report_number"]))


def _search(text: str) -> tuple[str, list[str]]:
    """Quotes or indicator names containing ``text``; typed without tone marks ('ho so') it
    matches with or without them ('hồ sơ'), typed with them it matches them as written."""
    folded = fold(" ".join(text.split()))
    plain = folded == " ".join(text.split()).lower()
    source = text if not plain else folded
    like = "%" + " ".join(source.split()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if not plain:
        return " AND (sentence ILIKE ? ESCAPE '\\' OR label_vi ILIKE ? ESCAPE '\\')", [like, like]
    sentence, label = _FOLD.format("sentence"), _FOLD.format("label_vi")
    return f" AND ({sentence} LIKE ? ESCAPE '\\' OR {label} LIKE ? ESCAPE '\\')", [like, like]


@dataclass(frozen=True, slots=True)
class Options:
    """What the filters can offer, read from the warehouse."""

    provinces: list[str]
    years: tuple[int, int] | None
    agencies: list[str]
    report_types: list[str]
    groups: dict[str, str]  # code -> label
    indicators: pd.DataFrame  # code, label_vi, group_code, unit, kind, sort_order


def options(con: duckdb.DuckDBPyConnection, units: str = "reported") -> Options:
    def column(sql: str) -> list:
        return [r[0] for r in con.execute(sql).fetchall()]

    years = con.execute("SELECT min(year), max(year) FROM facts WHERE role = 'primary'").fetchone()
    groups = con.execute(
        "SELECT group_code, any_value(group_label) FROM indicators GROUP BY 1 ORDER BY min(sort_order)"
    ).fetchall()
    return Options(
        provinces=column(
            "SELECT DISTINCT province FROM fact_view_current WHERE province IS NOT NULL ORDER BY 1"
            if units == "current"
            else "SELECT DISTINCT province FROM documents WHERE province IS NOT NULL ORDER BY 1"
        ),
        years=(int(years[0]), int(years[1])) if years and years[0] is not None else None,
        agencies=column(
            "SELECT DISTINCT agency FROM fact_view_current WHERE agency IS NOT NULL ORDER BY 1"
            if units == "current"
            else "SELECT DISTINCT agency FROM documents WHERE agency IS NOT NULL ORDER BY 1"
        ),
        report_types=column("SELECT DISTINCT report_type FROM documents ORDER BY 1"),
        groups=dict(groups),
        indicators=con.execute(
            "SELECT code, label_vi, group_code, unit, kind, sort_order FROM indicators ORDER BY sort_order"
        ).df(),
    )


def facts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    indicators: tuple[str, ...] = (),
    text: str = "",
    limit: int | None = None,
    include_rejected: bool = False,
) -> pd.DataFrame:
    """Primary facts under the filters, optionally for some indicators and quotes containing ``text``.

    Figures a reviewer rejected are left out unless ``include_rejected``."""
    where, params = filters.sql()
    if not include_rejected:
        where += " AND status <> 'rejected'"
    if indicators:
        where += " AND list_contains(?::VARCHAR[], indicator)"
        params.append(list(indicators))
    if text.strip():
        clause, values = _search(text)
        where += clause
        params += values
    sql = f"""
        SELECT {FACT_COLUMNS} FROM {filters.view}
        WHERE role = 'primary' AND {where}
        ORDER BY province COLLATE vi, coalesce(as_of, period_end) DESC, sort_order, doc_id, char_start
    """  # noqa: S608 - 'where' holds only placeholders
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return with_titles(con, con.execute(sql, params).df())


def latest_facts(
    con: duckdb.DuckDBPyConnection, filters: Filters, indicators: tuple[str, ...] = (), per_indicator: int = 1
) -> pd.DataFrame:
    """The newest ``per_indicator`` primary facts of each province and indicator under the filters."""
    where, params = filters.sql()
    where += " AND status <> 'rejected'"
    if indicators:
        where += " AND list_contains(?::VARCHAR[], indicator)"
        params.append(list(indicators))
    params.append(per_indicator)
    sql = f"""
        SELECT {FACT_COLUMNS} FROM {filters.view}
        WHERE role = 'primary' AND {where}
        QUALIFY row_number() OVER (
            PARTITION BY province, indicator ORDER BY coalesce(as_of, period_end) DESC, fact_id) <= ?
        ORDER BY province COLLATE vi, sort_order, coalesce(as_of, period_end) DESC
    """  # noqa: S608 - 'where' holds only placeholders
    return with_titles(con, con.execute(sql, params).df())


def documents(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Loaded reports under the filters (year = the year the report's period ends)."""
    where, params = Filters(
        provinces=filters.provinces,
        year_from=filters.year_from,
        year_to=filters.year_to,
        agencies=filters.agencies,
        report_types=filters.report_types,
    ).sql(year_column="year(d.period_end)", prefix="d.")
    docs = (
        "(SELECT documents.* REPLACE (coalesce(au.new_province, documents.province) AS province,"
        " coalesce(al.new_agency, documents.agency) AS agency) FROM documents"
        " LEFT JOIN admin_units au ON au.old_province = documents.province"
        " LEFT JOIN agency_lineage al ON al.old_agency = documents.agency)"
        if filters.units == "current"
        else "documents"
    )
    # coverage as the view document_coverage defines it, counted for the chosen documents only
    sql = f"""
        WITH d AS (
            SELECT d.doc_id, d.file_name, d.province, d.agency, d.report_type, d.period_label,
                   d.period_start, d.period_end, d.report_date, d.report_number, d.title, d.kind,
                   d.size_bytes
            FROM {docs} d WHERE {where}
        ), f AS (
            SELECT doc_id, count(*) FILTER (WHERE role = 'primary') AS facts,
                   count(DISTINCT (char_start, char_end)) FILTER (WHERE status <> 'rejected') AS assigned
            FROM facts WHERE doc_id IN (SELECT doc_id FROM d) GROUP BY doc_id
        ), m AS (
            SELECT doc_id, count(*) AS unassigned FROM mentions WHERE doc_id IN (SELECT doc_id FROM d) GROUP BY doc_id
        )
        SELECT d.*, coalesce(f.facts, 0) AS facts, coalesce(m.unassigned, 0) AS unassigned,
               coalesce(f.assigned, 0) / nullif(coalesce(f.assigned, 0) + coalesce(m.unassigned, 0), 0) AS coverage
        FROM d LEFT JOIN f USING (doc_id) LEFT JOIN m USING (doc_id)
        ORDER BY province COLLATE vi, period_end DESC NULLS LAST, doc_id
    """  # noqa: S608 - placeholders only
    return con.execute(sql, params).df()


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> tuple[dict | None, pd.DataFrame]:
    """One document's metadata, text and coverage (share of its measured figures assigned an
    indicator: ``coverage``, ``assigned``, ``unassigned``), and all its facts (primary and alternative)."""
    row = con.execute(
        "SELECT d.*, c.coverage, c.assigned, c.unassigned FROM documents d "
        "LEFT JOIN document_coverage c USING (doc_id) WHERE doc_id = ?",
        [doc_id],
    ).df()
    if row.empty:
        return None, pd.DataFrame()
    found = con.execute(
        "SELECT fact_id, indicator, label_vi, value, unit, qualifier, period_start, period_end, as_of, "
        "quote, char_start, char_end, sentence, page, role, rule, status, fact_key FROM fact_view "
        "WHERE doc_id = ? ORDER BY char_start",
        [doc_id],
    ).df()
    return row.iloc[0].to_dict(), found


def mentions(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """The measured numbers of a document that no indicator took, in text order."""
    return con.execute(
        "SELECT mention_key, value, measure, quote, char_start, char_end, sentence, page, reason "
        "FROM mentions WHERE doc_id = ? ORDER BY char_start, char_end",
        [doc_id],
    ).df()


def fact(con: duckdb.DuckDBPyConnection, fact_id: str) -> dict | None:
    """One fact with its sentence, for the evidence box."""
    df = con.execute(f"SELECT {FACT_COLUMNS} FROM fact_view WHERE fact_id = ?", [fact_id]).df()  # noqa: S608
    return None if df.empty else with_titles(con, df).iloc[0].to_dict()


def findings(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Findings about the filtered provinces (a finding belongs to its documents' province)."""
    params: list[object] = []
    where = "TRUE"
    column = "coalesce(au.new_province, f.province)" if filters.units == "current" else "f.province"
    if filters.provinces:
        where = f"list_contains(?::VARCHAR[], {column})"
        params.append(list(filters.provinces))
    return con.execute(
        f"""
        SELECT finding_id, check_id, severity, title, message, {column} AS province, doc_ids, fact_ids,
               (SELECT string_agg(DISTINCT i.label_vi, ', ' ORDER BY i.label_vi) FROM facts x
                JOIN indicators i ON i.code = x.indicator WHERE list_contains(f.fact_ids, x.fact_id)) AS labels,
               CASE severity WHEN 'loi' THEN 0 WHEN 'canh_bao' THEN 1 ELSE 2 END AS severity_rank
        FROM findings f LEFT JOIN admin_units au ON au.old_province = f.province WHERE {where}
        ORDER BY severity_rank, province COLLATE vi, check_id, finding_id
        """,  # noqa: S608 - placeholders only
        params,
    ).df()


def finding_facts(con: duckdb.DuckDBPyConnection, finding_id: str) -> pd.DataFrame:
    """The facts a finding rests on, with their sentences, in the order the check gave them."""
    found = con.execute(
        f"""
        SELECT {FACT_COLUMNS}, role FROM fact_view
        JOIN (SELECT unnest(fact_ids) AS fact_id, generate_subscripts(fact_ids, 1) AS k
              FROM findings WHERE finding_id = ?) USING (fact_id)
        ORDER BY k
        """,  # noqa: S608 - no user text in the SQL
        [finding_id],
    ).df()
    return with_titles(con, found)


def fact_findings(con: duckdb.DuckDBPyConnection, fact_ids: list[str]) -> pd.DataFrame:
    """The worst open finding on each of the given facts (for linking a mark to its finding)."""
    return con.execute(
        """
        SELECT ff.fact_id, arg_min(f.finding_id, CASE f.severity WHEN 'loi' THEN 0 WHEN 'canh_bao' THEN 1 ELSE 2 END)
               AS finding_id
        FROM finding_facts ff JOIN findings f USING (finding_id)
        WHERE list_contains(?::VARCHAR[], ff.fact_id) GROUP BY ff.fact_id
        """,
        [list(fact_ids)],
    ).df()


def coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per indicator and document: how many figures, and the worst finding on them."""
    where, params = filters.sql()
    return con.execute(
        f"""
        SELECT indicator, label_vi, sort_order, doc_id, province, period_label,
               report_period_end AS doc_end,
               count(*) AS facts,
               min(CASE finding_severity WHEN 'loi' THEN 0 WHEN 'canh_bao' THEN 1 WHEN 'thong_tin' THEN 2 END)
                   AS worst
        FROM {filters.view} WHERE role = 'primary' AND status <> 'rejected' AND {where}
        GROUP BY ALL
        """,  # noqa: S608 - placeholders only
        params,
    ).df()


def corrections(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every correction, newest first, with the document it concerns."""
    return con.execute(
        """
        SELECT c.made_at, c.who, c.why, c.field, c.old_value, c.new_value, c.fact_key, c.applied,
               d.doc_id, d.file_name, d.province, d.agency, d.title, d.report_number, d.report_date
        FROM corrections c LEFT JOIN documents d ON d.sha256 = c.doc_sha256
        ORDER BY c.made_at DESC, c.correction_id
        """
    ).df()


def reference_indices(con: duckdb.DuckDBPyConnection, provinces: tuple[str, ...] = ()) -> pd.DataFrame:
    """Officially published index ranks (estimates excluded) of the given provinces, as reported
    or under today's units (a rank published for Trà Vinh stays Trà Vinh's)."""
    where, params = "NOT is_derived", []
    if provinces:
        where += " AND (list_contains(?::VARCHAR[], r.province) OR list_contains(?::VARCHAR[], au.new_province))"
        params += [list(provinces), list(provinces)]
    return con.execute(
        f"""
        SELECT r.province, coalesce(au.new_province, r.province) AS current_province, r.index_code, r.year,
               r.rank, r.of_n, r.score, r.source_url
        FROM reference_indices r LEFT JOIN admin_units au ON au.old_province = r.province
        WHERE {where} ORDER BY r.province COLLATE vi, r.index_code, r.year
        """,  # noqa: S608 - placeholders only
        params,
    ).df()


def unit_changes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Merger dates of provinces and agencies, for marking breaks on charts."""
    return con.execute(
        """
        SELECT 'province' AS kind, old_province AS old_name, new_province AS new_name, effective_date
        FROM admin_units
        UNION ALL
        SELECT 'agency', old_agency, new_agency, effective_date FROM agency_lineage
        """
    ).df()


def schedule(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * EXCLUDE (build_id) FROM report_schedule").df()


def latest_build(con: duckdb.DuckDBPyConnection) -> dict | None:
    df = con.execute("SELECT * FROM builds ORDER BY finished_at DESC LIMIT 1").df()
    return None if df.empty else df.iloc[0].to_dict()
