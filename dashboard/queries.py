"""SQL over the warehouse schema (contract/schema.sql). Every function takes a connection and
returns a DataFrame; every user value is a bound parameter."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard.filters import DOCUMENTS, FACTS, FINDINGS, SERVED_DOCUMENTS, SERVED_FACTS, SERVED_LATEST, Filters, Source
from dashboard.formatting import fold
from dashboard.frames import frame

FACT_COLUMNS = """
    fact_id, doc_id, file_name, province, agency, report_type, period_label,
    report_period_start, report_period_end, report_date,
    indicator, label_vi, group_code, group_label, unit, kind, scope, sort_order,
    value, qualifier, period_start, period_end, as_of, year,
    quote, sentence, char_start, char_end, sentence_start, sentence_end, page, rule, confidence,
    finding_severity, finding_titles, status, fact_key, period_basis, reported_province, reported_agency,
    denominator, short_label, kpi_order, lower_is_better, official_index, finding_label, report_type_label
"""
# the newest figures' columns (latest_facts): the cards and the comparison show no source sentence
LATEST_COLUMNS = ",".join(c for c in FACT_COLUMNS.split(",") if c.strip() not in ("quote", "sentence"))
# fact_view's rows with the vocabulary's words for their finding's severity and report type
_LABELLED = (
    "{view} LEFT JOIN (SELECT code AS finding_severity, label AS finding_label FROM severities)"
    " USING (finding_severity)"
    " LEFT JOIN (SELECT code AS report_type, label AS report_type_label FROM report_types) USING (report_type)"
)
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
class Vocabulary:
    """The words the warehouse declares once for both sides (contract/vocabulary.toml, the catalog)."""

    severities: dict[str, str]  # code -> label, the most serious first
    report_types: dict[str, str]  # code -> label, in their order
    kpis: dict[str, str]  # indicator -> its short label, in the order of the key-figure cards


def vocabulary(con: duckdb.DuckDBPyConnection) -> Vocabulary:
    """The severities, report types and key figures, as the build loaded them."""
    return Vocabulary(
        severities=dict(con.execute("SELECT code, label FROM severities ORDER BY sort_order").fetchall()),
        report_types=dict(con.execute("SELECT code, label FROM report_types ORDER BY sort_order").fetchall()),
        kpis=dict(con.execute("SELECT code, short_label FROM indicators WHERE kpi_order IS NOT NULL "
                              "ORDER BY kpi_order").fetchall()),  # fmt: skip
    )


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
    """The values the sidebar offers (provinces and agencies as reported or under today's units)."""
    view = Filters(units=units).view(DOCUMENTS)

    def column(sql: str) -> list:
        return [r[0] for r in con.execute(sql).fetchall()]

    years = con.execute("SELECT min(year), max(year) FROM facts WHERE role = 'primary'").fetchone()
    groups = con.execute(
        "SELECT group_code, any_value(group_label) FROM indicators GROUP BY 1 ORDER BY min(sort_order)"
    ).fetchall()
    return Options(
        provinces=column(f"SELECT DISTINCT province FROM {view} WHERE province IS NOT NULL ORDER BY 1"),
        years=(int(years[0]), int(years[1])) if years and years[0] is not None else None,
        agencies=column(f"SELECT DISTINCT agency FROM {view} WHERE agency IS NOT NULL ORDER BY 1"),
        report_types=column("SELECT DISTINCT report_type FROM documents ORDER BY 1"),
        groups=dict(groups),
        indicators=con.execute(
            "SELECT code, label_vi, group_code, unit, kind, sort_order FROM indicators ORDER BY sort_order"
        ).df(),
    )


def served(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse holds the serving tables (etl/serving.py); one built before them, or
    a Parquet folder exported without them, is asked the same questions of its facts."""
    return con.execute(
        "SELECT count(*) FROM (SELECT table_name AS name, database_name FROM duckdb_tables() UNION ALL "
        "SELECT view_name, database_name FROM duckdb_views()) WHERE database_name = current_database() "
        "AND name = 'serving_latest'"
    ).fetchone()[0] > 0


def _fact_where(
    filters: Filters,
    indicators: tuple[str, ...],
    text: str = "",
    include_rejected: bool = False,
    source: Source = FACTS,
) -> tuple[str, list[object]]:
    """The filters' clause over fact_view (or a serving table of its rows), narrowed to some
    indicators and a searched text."""
    where, params = filters.where(source)
    if not include_rejected:
        where += " AND kept"
    if indicators:
        where += " AND indicator = ANY(?::VARCHAR[])"
        params.append(list(indicators))
    if text.strip():
        clause, values = _search(text)
        where += clause
        params += values
    return where, params


def facts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    indicators: tuple[str, ...] = (),
    text: str = "",
    limit: int | None = None,
    include_rejected: bool = False,
    *,
    from_facts: bool = False,
) -> pd.DataFrame:
    """Primary facts under the filters, optionally for some indicators and quotes containing ``text``.

    Figures a reviewer rejected are left out unless ``include_rejected``. Read from serving_facts
    unless ``from_facts`` (the same question asked of fact_view: the tests and benchmark compare)."""
    if not from_facts and served(con):
        where, params = _fact_where(filters, indicators, text, include_rejected, SERVED_FACTS)
        sql = f"""
            SELECT {FACT_COLUMNS}, title, report_number FROM {filters.view(SERVED_FACTS)}
            WHERE {where}
            ORDER BY province COLLATE vi, end_date DESC, sort_order, doc_id, char_start
        """  # noqa: S608 - 'where' holds only placeholders
        return frame(con, sql + (" LIMIT ?" if limit else ""), [*params, limit] if limit else params)
    where, params = _fact_where(filters, indicators, text, include_rejected)
    sql = f"""
        SELECT {FACT_COLUMNS} FROM {_LABELLED.format(view=filters.view(FACTS))}
        WHERE role = 'primary' AND {where}
        ORDER BY province COLLATE vi, coalesce(as_of, period_end) DESC, sort_order, doc_id, char_start
    """  # noqa: S608 - 'where' holds only placeholders
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return with_titles(con, frame(con, sql, params))


def fact_count(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    indicators: tuple[str, ...] = (),
    text: str = "",
    include_rejected: bool = False,
    *,
    from_facts: bool = False,
) -> int:
    """How many figures ``facts`` would return without a limit: the page says how many it shows of them."""
    if not from_facts and served(con):
        where, params = _fact_where(filters, indicators, text, include_rejected, SERVED_FACTS)
        sql = f"SELECT count(*) FROM {filters.view(SERVED_FACTS)} WHERE {where}"  # noqa: S608 - placeholders only
        return int(con.execute(sql, params).fetchone()[0])
    where, params = _fact_where(filters, indicators, text, include_rejected)
    sql = f"SELECT count(*) FROM {_LABELLED.format(view=filters.view(FACTS))} WHERE role = 'primary' AND {where}"  # noqa: S608
    return int(con.execute(sql, params).fetchone()[0])


def _latest_level(con: duckdb.DuckDBPyConnection, filters: Filters, indicators: tuple[str, ...], depth: int) -> str:
    """serving_latest's level answering the filters ('' when it holds too few figures per key)."""
    held = con.execute(
        "SELECT min(depth) FROM serving_depth WHERE cardinality(?::VARCHAR[]) = 0 OR indicator = ANY(?::VARCHAR[])",
        [list(indicators), list(indicators)],
    ).fetchone()[0]
    if held is None or depth > held:
        return ""
    if filters.agencies or filters.report_types:
        return "key"
    if filters.year_from is None or filters.year_to is None:
        return "year"
    low, high = con.execute("SELECT min(year), max(year) FROM serving_latest WHERE level = 'year'").fetchone()
    every = low is None or (filters.year_from <= low and filters.year_to >= high)
    return "all" if every else "year"  # a range holding every year keeps exactly the figures with one


def latest_facts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    indicators: tuple[str, ...] = (),
    per_indicator: int = 1,
    *,
    from_facts: bool = False,
) -> pd.DataFrame:
    """The newest ``per_indicator`` primary facts of each province and indicator under the filters
    (LATEST_COLUMNS: no quote or sentence): the newest of serving_latest's rows under them, unless
    ``from_facts`` (or it keeps too few)."""
    level = "" if from_facts or not served(con) else _latest_level(con, filters, indicators, per_indicator)
    if level:
        where, params = _fact_where(filters, indicators, source=SERVED_LATEST)
        view = filters.view(SERVED_LATEST)
        # the window over the filter columns only, then the whole rows of the newest: 2-3× less work
        sql = f"""
            SELECT {LATEST_COLUMNS}, title, report_number FROM {view}
            WHERE level = ? AND {where} AND fact_id IN (
                SELECT fact_id FROM {view} WHERE level = ? AND {where}
                QUALIFY row_number() OVER (PARTITION BY province, indicator ORDER BY end_date DESC, fact_id) <= ?)
            ORDER BY province COLLATE vi, sort_order, end_date DESC
        """  # noqa: S608 - 'where' holds only placeholders
        return frame(con, sql, [level, *params, level, *params, per_indicator])
    where, params = _fact_where(filters, indicators)
    params.append(per_indicator)
    sql = f"""
        SELECT {LATEST_COLUMNS} FROM {_LABELLED.format(view=filters.view(FACTS))}
        WHERE role = 'primary' AND {where}
        QUALIFY row_number() OVER (
            PARTITION BY province, indicator ORDER BY coalesce(as_of, period_end) DESC, fact_id) <= ?
        ORDER BY province COLLATE vi, sort_order, coalesce(as_of, period_end) DESC
    """  # noqa: S608 - 'where' holds only placeholders
    return with_titles(con, frame(con, sql, params))


_DOCUMENT_COLUMNS = """
    doc_id, file_name, province, agency, report_type, report_type_label, period_label, period_start, period_end,
    period_code, report_date, report_number, title, kind, size_bytes, link_id, facts, unassigned, coverage
"""


def documents(con: duckdb.DuckDBPyConnection, filters: Filters, *, from_facts: bool = False) -> pd.DataFrame:
    """Loaded reports under the filters (year = the year the report's period ends; a group filter
    keeps the reports giving a figure of the group), with their coverage and ``link_id``: a short,
    stable id for a link (the file's hash, cut), as the stored file name is never shown.
    Read from serving_documents unless ``from_facts``."""
    if not from_facts and served(con):
        where, params = filters.where(SERVED_DOCUMENTS)
        sql = f"""
            SELECT {_DOCUMENT_COLUMNS} FROM {filters.view(SERVED_DOCUMENTS)} WHERE {where}
            ORDER BY province COLLATE vi, period_end DESC NULLS LAST, doc_id
        """  # noqa: S608 - placeholders only
        return con.execute(sql, params).df()
    where, params = filters.where(DOCUMENTS)
    # coverage as the view document_coverage defines it, counted for the chosen documents only
    sql = f"""
        WITH d AS (
            SELECT doc_id, file_name, province, agency, report_type, report_type_label, period_label,
                   period_start, period_end, period_code, report_date, report_number, title, kind, size_bytes,
                   left(sha256, 10) AS link_id
            FROM {filters.view(DOCUMENTS)} WHERE {where}
        ), f AS (
            SELECT doc_id, count(*) FILTER (WHERE role = 'primary') AS facts
            FROM facts WHERE doc_id IN (SELECT doc_id FROM d) GROUP BY doc_id
        ), k AS (
            SELECT doc_id, count(DISTINCT (char_start, char_end)) AS assigned
            FROM kept_facts WHERE doc_id IN (SELECT doc_id FROM d) GROUP BY doc_id
        ), m AS (
            SELECT doc_id, count(*) AS unassigned FROM mentions WHERE doc_id IN (SELECT doc_id FROM d) GROUP BY doc_id
        )
        SELECT d.*, coalesce(f.facts, 0) AS facts, coalesce(m.unassigned, 0) AS unassigned,
               coalesce(k.assigned, 0) / nullif(coalesce(k.assigned, 0) + coalesce(m.unassigned, 0), 0) AS coverage
        FROM d LEFT JOIN f USING (doc_id) LEFT JOIN k USING (doc_id) LEFT JOIN m USING (doc_id)
        ORDER BY province COLLATE vi, period_end DESC NULLS LAST, doc_id
    """  # noqa: S608 - placeholders only
    return con.execute(sql, params).df()


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> tuple[dict | None, pd.DataFrame]:
    """One document's metadata, text and coverage (share of its measured figures assigned an
    indicator: ``coverage``, ``assigned``, ``unassigned``), and all its facts (primary and alternative)."""
    row = con.execute(
        "SELECT d.*, rt.label AS report_type_label, c.coverage, c.assigned, c.unassigned FROM documents d "
        "LEFT JOIN report_types rt ON rt.code = d.report_type "
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


# a mention whose number is part of a name, not a quantity: the measure read after it is a province
# ('Fanpage 1022 Tây Ninh', 'Tổng đài 1022 Tây Ninh'), or the words just before it name a line
_NAMING_NUMBER = (
    "(EXISTS (SELECT 1 FROM (SELECT unnest([old_province, new_province]) AS name FROM admin_units"
    " UNION SELECT province FROM documents) p"
    " WHERE m.measure = lower(p.name) OR starts_with(m.measure, lower(p.name) || ' '))"
    " OR regexp_matches(lower((SELECT substr(d.text, greatest(m.char_start - 29, 1), least(m.char_start, 30))"
    " FROM documents d WHERE d.doc_id = m.doc_id)), '(tổng đài|đường dây nóng|đầu số|hotline|số điện thoại)\\s*$'))"
)


def mentions(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """The measured numbers of a document that no indicator took, in text order; a number that
    names a line ('Tổng đài 1022 Tây Ninh') is not a quantity and is left out."""
    return con.execute(
        "SELECT mention_key, value, measure, quote, char_start, char_end, sentence, sentence_start, page, reason "
        f"FROM mentions m WHERE doc_id = ? AND NOT {_NAMING_NUMBER} ORDER BY char_start, char_end",
        [doc_id],
    ).df()


def fact(con: duckdb.DuckDBPyConnection, fact_id: str) -> dict | None:
    """One fact with its sentence, for the evidence box."""
    df = con.execute(
        f"SELECT {FACT_COLUMNS} FROM {_LABELLED.format(view='fact_view')} WHERE fact_id = ?", [fact_id]
    ).df()
    return None if df.empty else with_titles(con, df).iloc[0].to_dict()


def facts_by_id(con: duckdb.DuckDBPyConnection, fact_ids: list[str], provinces: tuple[str, ...] = ()) -> pd.DataFrame:
    """The given facts with their titles, in no particular order (``provinces`` lets DuckDB skip rows early)."""
    found = con.execute(
        f"SELECT {FACT_COLUMNS} FROM {_LABELLED.format(view='fact_view')} "
        "WHERE fact_id IN (SELECT unnest(?::VARCHAR[])) "
        "AND (cardinality(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], province))",
        [list(fact_ids), list(provinces), list(provinces)],
    ).df()
    return with_titles(con, found)


def findings(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Findings under the filters: a finding belongs to its documents' province, its first
    document's agency and report type, the year of its latest figure and its figures' groups."""
    where, params = filters.where(FINDINGS)
    return con.execute(
        f"""
        SELECT finding_id, check_id, severity, severity_label, severity_rank, title, message, province,
               doc_ids, fact_ids, labels
        FROM {filters.view(FINDINGS)} WHERE {where}
        ORDER BY severity_rank, province COLLATE vi, check_id, finding_id
        """,  # noqa: S608 - placeholders only
        params,
    ).df()


def findings_evidence(con: duckdb.DuckDBPyConnection, finding_ids: list[str]) -> pd.DataFrame:
    """The facts the given findings rest on, in one query: ``row_no`` is the finding's place in
    ``finding_ids`` (from 1), the facts in the order each check gave them."""
    found = con.execute(
        f"""
        SELECT {FACT_COLUMNS}, role, n.row_no FROM {_LABELLED.format(view='fact_view')}
        JOIN (SELECT finding_id, unnest(fact_ids) AS fact_id, generate_subscripts(fact_ids, 1) AS k FROM findings)
            USING (fact_id)
        JOIN (SELECT unnest(?::VARCHAR[]) AS finding_id, generate_subscripts(?::VARCHAR[], 1) AS row_no) n
            USING (finding_id)
        ORDER BY n.row_no, k
        """,  # noqa: S608 - no user text in the SQL
        [list(finding_ids), list(finding_ids)],
    ).df()
    return with_titles(con, found)


def finding_facts(con: duckdb.DuckDBPyConnection, finding_id: str) -> pd.DataFrame:
    """The facts a finding rests on, with their sentences, in the order the check gave them."""
    return findings_evidence(con, [finding_id]).drop(columns="row_no")


def fact_findings(con: duckdb.DuckDBPyConnection, fact_ids: list[str]) -> pd.DataFrame:
    """The worst open finding on each of the given facts (for linking a mark to its finding)."""
    return con.execute(
        """
        SELECT ff.fact_id, arg_min(f.finding_id, s.sort_order) AS finding_id
        FROM finding_facts ff JOIN findings f USING (finding_id) JOIN severities s ON s.code = f.severity
        WHERE list_contains(?::VARCHAR[], ff.fact_id) GROUP BY ff.fact_id
        """,
        [list(fact_ids)],
    ).df()


def coverage(con: duckdb.DuckDBPyConnection, filters: Filters, documents: int | None = None) -> pd.DataFrame:
    """Per indicator and document: how many figures, and the worst finding on them
    (``worst``: severities.sort_order, 0 the most serious); of the ``documents`` newest reports only
    when given (a heatmap of thousands of reports is no picture)."""
    where, params = filters.where(FACTS)
    newest = ""
    if documents is not None:
        newest = f"""AND doc_id IN (SELECT doc_id FROM {filters.view(FACTS)} WHERE role = 'primary' AND kept
                     AND {where} GROUP BY doc_id ORDER BY max(report_period_end) DESC NULLS LAST, doc_id LIMIT ?)"""
        params = [*params, *params, documents]
    return con.execute(
        f"""
        SELECT indicator, label_vi, sort_order, doc_id, province, period_label,
               report_period_end AS doc_end, count(*) AS facts, min(s.worst) AS worst
        FROM {filters.view(FACTS)}
        LEFT JOIN (SELECT code AS finding_severity, sort_order AS worst FROM severities) s USING (finding_severity)
        WHERE role = 'primary' AND kept AND {where} {newest}
        GROUP BY ALL
        """,  # noqa: S608 - placeholders only
        params,
    ).df()


def covered_documents(con: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    """How many reports under the filters state a figure kept: the heatmap says how many it shows."""
    where, params = filters.where(FACTS)
    sql = f"SELECT count(DISTINCT doc_id) FROM {filters.view(FACTS)} WHERE role = 'primary' AND kept AND {where}"  # noqa: S608
    return int(con.execute(sql, params).fetchone()[0])


def corrections(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every correction, newest first, with the document it concerns and the unit of the figure's
    indicator (so a value reads '12,5%')."""
    return con.execute(
        """
        SELECT c.made_at, c.who, c.why, c.field, c.old_value, c.new_value, c.fact_key, c.applied, c.applied_key,
               d.doc_id, d.file_name, d.province, d.agency, d.title, d.report_number, d.report_date, i.unit
        FROM corrections c LEFT JOIN documents d ON d.sha256 = c.doc_sha256
        LEFT JOIN indicators i ON i.code = split_part(c.fact_key, '@', 1)
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
    """The reporting schedule, each report type with its label."""
    return con.execute(
        "SELECT s.* EXCLUDE (build_id), rt.label AS report_type_label FROM report_schedule s "
        "LEFT JOIN report_types rt ON rt.code = s.report_type"
    ).df()


# a date line with its day left blank to be written by hand: 'Tây Ninh, ngày     tháng 8 năm 2024'
_MONTH_ONLY_DATE = r"(?m)^[^\n,]{2,40},\s*ngày[\s.…_]*tháng\s+(\d{1,2})\s+năm\s+(\d{4})"


def report_months(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Reports without a full date whose date line gives month and year (doc_id, year, month), so
    the tracker can still tell a report sent in August from one due on 20 June."""
    return con.execute(
        """
        SELECT doc_id, year::INTEGER AS year, month::INTEGER AS month FROM (
            SELECT doc_id, regexp_extract(left(text, 3000), ?, 1) AS month,
                   regexp_extract(left(text, 3000), ?, 2) AS year
            FROM documents WHERE report_date IS NULL
        ) WHERE month <> ''
        """,
        [_MONTH_ONLY_DATE, _MONTH_ONLY_DATE],
    ).df()


def latest_build(con: duckdb.DuckDBPyConnection) -> dict | None:
    df = con.execute("SELECT * FROM builds ORDER BY finished_at DESC LIMIT 1").df()
    return None if df.empty else df.iloc[0].to_dict()
