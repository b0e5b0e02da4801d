-- The warehouse the dashboard reads. etl/ writes it; dashboard/ only reads it; both read this
-- file, the contract between them (with vocabulary.toml beside it).
-- Every row carries the build that wrote it; facts point into documents.text.

CREATE TABLE builds (
    build_id        VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP NOT NULL,
    etl_version     VARCHAR NOT NULL,
    catalog_sha256  VARCHAR NOT NULL,
    inputs_sha256   VARCHAR NOT NULL,      -- catalog + corrections + reference tables + ETL version
    raw_dir         VARCHAR NOT NULL,
    mode            VARCHAR NOT NULL,      -- full | incremental
    engine          VARCHAR NOT NULL,      -- what ran transform: local (the process pool) | spark
    documents       INTEGER NOT NULL,
    facts           INTEGER NOT NULL,
    errors          INTEGER NOT NULL
);

CREATE TABLE build_sources (
    build_id    VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR,
    size_bytes  BIGINT,
    mtime_ns    BIGINT,
    status      VARCHAR NOT NULL,      -- loaded | failed
    error       VARCHAR
);

CREATE TABLE documents (
    doc_id          VARCHAR PRIMARY KEY,   -- the file's path under the raw folder
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    content_sha256  VARCHAR NOT NULL,      -- of the text with whitespace collapsed: same report, any format
    kind            VARCHAR NOT NULL,      -- txt | md | docx | pdf
    encoding        VARCHAR NOT NULL,
    size_bytes      BIGINT NOT NULL,
    province        VARCHAR,
    agency          VARCHAR,
    report_type     VARCHAR NOT NULL,
    period_label    VARCHAR,
    period_start    DATE,
    period_end      DATE,
    report_date     DATE,
    report_number   VARCHAR,
    title           VARCHAR,
    text            VARCHAR NOT NULL,      -- the original text; facts' offsets point here
    page_starts     INTEGER[],
    metadata_status VARCHAR NOT NULL,      -- extracted | corrected
    build_id        VARCHAR NOT NULL,
    period_code     VARCHAR                -- H1 | Y | Q1..Q4 of year(period_end), as report_schedule.period
);

CREATE TABLE indicators (
    code         VARCHAR PRIMARY KEY,
    group_code   VARCHAR NOT NULL,
    group_label  VARCHAR NOT NULL,
    label_vi     VARCHAR NOT NULL,
    label_en     VARCHAR NOT NULL,
    unit         VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,         -- agency | province
    kind         VARCHAR NOT NULL,         -- stock | flow | rate | rank
    min_value    DOUBLE NOT NULL,
    max_value    DOUBLE NOT NULL,
    sort_order   INTEGER NOT NULL,
    build_id     VARCHAR NOT NULL,
    short_label  VARCHAR NOT NULL,         -- on a key-figure card (label_vi when none is declared)
    kpi_order    INTEGER,                  -- 1, 2, … among the key figures of Tổng quan, NULL: not one
    lower_is_better BOOLEAN NOT NULL,      -- a fall is good news (a rank, a backlog)
    official_index  VARCHAR                -- the published index in reference_indices it is ranked in (DTI)
);

-- The vocabulary the dashboard shows, from contract/vocabulary.toml.
CREATE TABLE severities (
    code        VARCHAR PRIMARY KEY,       -- loi | canh_bao | thong_tin
    label       VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL,          -- 0: the most serious
    build_id    VARCHAR NOT NULL
);

CREATE TABLE report_types (
    code        VARCHAR PRIMARY KEY,       -- documents.report_type, report_schedule.report_type
    label       VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL,
    build_id    VARCHAR NOT NULL
);

-- What a fact's status means; kept: whether it counts (kept_facts, fact_view.kept).
CREATE TABLE statuses (
    code        VARCHAR PRIMARY KEY,       -- extracted | corrected | rejected
    label       VARCHAR NOT NULL,
    kept        BOOLEAN NOT NULL,
    sort_order  INTEGER NOT NULL,
    build_id    VARCHAR NOT NULL
);

CREATE TABLE facts (
    fact_id         VARCHAR PRIMARY KEY,
    doc_id          VARCHAR NOT NULL,
    indicator       VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    unit            VARCHAR NOT NULL,
    qualifier       VARCHAR NOT NULL,      -- exact | at_least | about | at_most | sum
    period_start    DATE,
    period_end      DATE,
    as_of           DATE,
    year            INTEGER,
    quote           VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL,
    sentence        VARCHAR NOT NULL,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL,
    page            INTEGER,
    rule            VARCHAR NOT NULL,
    confidence      DOUBLE NOT NULL,
    denominator     DOUBLE,
    role            VARCHAR NOT NULL,      -- primary | alternative
    parts           DOUBLE[],
    period_basis    VARCHAR NOT NULL,      -- stock (at a date) | cumulative (from 1 January) | in_period
    status          VARCHAR NOT NULL,      -- extracted | corrected | rejected
    fact_key        VARCHAR NOT NULL,      -- extracted indicator @ span: what corrections name
    extracted_value DOUBLE NOT NULL,       -- as the rules read it, before any correction
    extracted_indicator VARCHAR NOT NULL,  -- '' for a figure an editor assigned (rule manual.assign)
    extractor       VARCHAR NOT NULL,      -- the extractor that made it (rules, …; manual: an editor's assignment)
    build_id        VARCHAR NOT NULL
);

-- Measured numbers no indicator took, kept so none is dropped silently. An editor's assignment
-- (a correction) turns one into a fact (rule manual.assign) and takes it out of this table.
CREATE TABLE mentions (
    doc_id          VARCHAR NOT NULL,      -- as facts.doc_id
    mention_key     VARCHAR NOT NULL,      -- mention@start-end: what an assignment names
    char_start      INTEGER NOT NULL,      -- into documents.text, like facts
    char_end        INTEGER NOT NULL,
    value           DOUBLE NOT NULL,
    measure         VARCHAR NOT NULL,      -- the measure word beside the number ("cuộc gọi", "hồ sơ")
    quote           VARCHAR NOT NULL,
    sentence        VARCHAR NOT NULL,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL,
    page            INTEGER,
    reason          VARCHAR NOT NULL,      -- why no indicator took it
    build_id        VARCHAR NOT NULL
);

-- Reviewers' corrections, replayed from data/corrections.jsonl by every build.
CREATE TABLE corrections (
    correction_id   VARCHAR PRIMARY KEY,
    made_at         TIMESTAMP NOT NULL,
    who             VARCHAR NOT NULL,
    why             VARCHAR NOT NULL,
    doc_sha256      VARCHAR NOT NULL,
    fact_key        VARCHAR,               -- NULL: the document's metadata
    field           VARCHAR NOT NULL,
    old_value       VARCHAR,
    new_value       VARCHAR,
    applied         BOOLEAN NOT NULL,      -- false: its document or figure is no longer there
    applied_key     VARCHAR,               -- the figure's key now, when the extractor moved its span since (etl/remap.py)
    build_id        VARCHAR NOT NULL
);

CREATE TABLE findings (
    finding_id  VARCHAR PRIMARY KEY,
    check_id    VARCHAR NOT NULL,          -- e.g. staff_parts_sum, tthc_received_not_monotonic
    severity    VARCHAR NOT NULL,          -- loi | canh_bao | thong_tin
    title       VARCHAR NOT NULL,
    message     VARCHAR NOT NULL,
    province    VARCHAR,
    doc_ids     VARCHAR[] NOT NULL,
    fact_ids    VARCHAR[] NOT NULL,
    build_id    VARCHAR NOT NULL
);

-- The worst finding on each fact and the titles of all, for marking it on every page: written
-- by each build once its findings are in (finding_facts aggregated once, not in every query).
CREATE TABLE fact_findings (
    fact_id           VARCHAR PRIMARY KEY,
    finding_severity  VARCHAR NOT NULL,    -- the most serious (severities.sort_order)
    finding_titles    VARCHAR NOT NULL,
    build_id          VARCHAR NOT NULL
);

-- Reference tables, from data/reference/*.csv.
CREATE TABLE reference_indices (
    province    VARCHAR NOT NULL,
    index_code  VARCHAR NOT NULL,          -- DTI | PAR_INDEX | PCI | PAPI
    year        INTEGER NOT NULL,
    rank        INTEGER,
    of_n        INTEGER,
    score       DOUBLE,
    is_derived  BOOLEAN NOT NULL,          -- true: estimated, never shown as official
    source_url  VARCHAR,
    build_id    VARCHAR NOT NULL
);

CREATE TABLE admin_units (                 -- the 1 July 2025 province merger
    old_province    VARCHAR NOT NULL,
    new_province    VARCHAR NOT NULL,
    effective_date  DATE NOT NULL,
    note            VARCHAR,
    build_id        VARCHAR NOT NULL
);

CREATE TABLE agency_lineage (              -- e.g. Sở TT&TT -> Sở KH&CN from 1 March 2025
    old_agency      VARCHAR NOT NULL,
    new_agency      VARCHAR NOT NULL,
    effective_date  DATE NOT NULL,
    note            VARCHAR,
    build_id        VARCHAR NOT NULL
);

CREATE TABLE report_schedule (             -- the reports expected, as Decree 09/2019 defines a regime
    report_type  VARCHAR NOT NULL,
    frequency    VARCHAR NOT NULL,          -- '6 tháng' | 'năm' | 'quý'
    period       VARCHAR NOT NULL,          -- H1 | Y | Q1..Q4
    data_from    VARCHAR NOT NULL,          -- dd/mm (of the previous year when after data_to)
    data_to      VARCHAR NOT NULL,          -- dd/mm
    deadline     VARCHAR NOT NULL,          -- dd/mm
    legal_basis  VARCHAR,
    note         VARCHAR,
    build_id     VARCHAR NOT NULL
);

-- The views below are the warehouse's rules, written once in SQL that DuckDB and Spark both run:
-- no `* EXCLUDE`/`* REPLACE` (columns are named), and only four functions whose names differ, which
-- etl/export.py renames for Spark (unnest, array_to_string, array_extract, list_value).

-- The facts that count: every reader's rule for leaving out what a reviewer rejected
-- (statuses.kept, from the vocabulary).
CREATE VIEW kept_facts AS
SELECT f.* FROM facts f JOIN statuses s ON s.code = f.status WHERE s.kept;

-- The kept figures of rank indicators (indicators.kind): a smaller number is a better place.
CREATE VIEW rank_facts AS
SELECT k.* FROM kept_facts k JOIN indicators i ON i.code = k.indicator WHERE i.kind = 'rank';

-- Each fact with the findings that involve it.
CREATE VIEW finding_facts AS
SELECT finding_id, check_id, severity, title, unnest(fact_ids) AS fact_id FROM findings;

-- What the dashboard reads: one row per figure with its document and indicator.
CREATE VIEW fact_view AS
SELECT
    f.fact_id, f.doc_id, f.indicator, f.value, f.unit, f.qualifier,
    f.period_start, f.period_end, f.as_of, f.year,
    f.quote, f.char_start, f.char_end, f.sentence, f.sentence_start, f.sentence_end, f.page,
    f.rule, f.confidence, f.denominator, f.role, f.parts, f.period_basis, f.status, f.fact_key, f.extracted_value,
    f.build_id,
    d.file_name, d.province, d.agency, d.report_type, d.period_label,
    d.period_start AS report_period_start, d.period_end AS report_period_end, d.report_date,
    i.group_code, i.group_label, i.label_vi, i.label_en, i.scope, i.kind, i.sort_order,
    q.finding_severity, q.finding_titles,
    d.province AS reported_province, d.agency AS reported_agency,
    coalesce(au.new_province, d.province) AS current_province,
    coalesce(al.new_agency, d.agency) AS current_agency,
    i.short_label, i.kpi_order, i.lower_is_better, i.official_index,
    coalesce(st.kept, false) AS kept
FROM facts f
JOIN documents d USING (doc_id)
JOIN indicators i ON i.code = f.indicator
LEFT JOIN statuses st ON st.code = f.status
LEFT JOIN admin_units au ON au.old_province = d.province
LEFT JOIN agency_lineage al ON al.old_agency = d.agency
LEFT JOIN fact_findings q USING (fact_id);

-- Each document's coverage: the share of its measured figures (the spans of its kept facts and
-- its unassigned mentions) that carry an indicator; NULL when it states no measured figure.
CREATE VIEW document_coverage AS
SELECT d.doc_id,
       coalesce(f.assigned, 0) AS assigned,
       coalesce(m.unassigned, 0) AS unassigned,
       coalesce(f.assigned, 0) / nullif(coalesce(f.assigned, 0) + coalesce(m.unassigned, 0), 0) AS coverage
FROM documents d
LEFT JOIN (
    SELECT doc_id, count(*) AS assigned
    FROM (SELECT DISTINCT doc_id, char_start, char_end FROM kept_facts) spans
    GROUP BY doc_id
) f USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS unassigned FROM mentions GROUP BY doc_id) m USING (doc_id);

-- The same figures under today's administrative units (after the 2025 mergers): fact_view's
-- columns in its order, province and agency the current ones.
CREATE VIEW fact_view_current AS
SELECT
    fact_id, doc_id, indicator, value, unit, qualifier,
    period_start, period_end, as_of, year,
    quote, char_start, char_end, sentence, sentence_start, sentence_end, page,
    rule, confidence, denominator, role, parts, period_basis, status, fact_key, extracted_value,
    build_id,
    file_name, current_province AS province, current_agency AS agency, report_type, period_label,
    report_period_start, report_period_end, report_date,
    group_code, group_label, label_vi, label_en, scope, kind, sort_order,
    finding_severity, finding_titles,
    reported_province, reported_agency, current_province, current_agency,
    short_label, kpi_order, lower_is_better, official_index, kept
FROM fact_view;

-- The dashboard's one filter path (dashboard/filters.py): documents and findings under the same
-- filter columns as fact_view — province, agency, report_type, year — with the vocabulary's
-- labels, each with a current-units variant; their indicator groups: document_groups, and a
-- finding's group_codes.

-- The indicator groups each document gives a kept figure of (read only under a group filter).
CREATE VIEW document_groups AS
SELECT DISTINCT x.doc_id, i.group_code
FROM kept_facts x JOIN indicators i ON i.code = x.indicator
WHERE x.role = 'primary';

-- A document's year is the year its period ends; its groups are in document_groups. Every column
-- of documents but text and page_starts.
CREATE VIEW document_view AS
SELECT d.doc_id, d.file_name, d.sha256, d.content_sha256, d.kind, d.encoding, d.size_bytes,
       d.province, d.agency, d.report_type, d.period_label, d.period_start, d.period_end,
       d.report_date, d.report_number, d.title, d.metadata_status, d.build_id, d.period_code,
       year(d.period_end) AS year,
       rt.label AS report_type_label,
       d.province AS reported_province, d.agency AS reported_agency,
       coalesce(au.new_province, d.province) AS current_province,
       coalesce(al.new_agency, d.agency) AS current_agency
FROM documents d
LEFT JOIN report_types rt ON rt.code = d.report_type
LEFT JOIN admin_units au ON au.old_province = d.province
LEFT JOIN agency_lineage al ON al.old_agency = d.agency;

CREATE VIEW document_view_current AS
SELECT doc_id, file_name, sha256, content_sha256, kind, encoding, size_bytes,
       current_province AS province, current_agency AS agency, report_type, period_label, period_start, period_end,
       report_date, report_number, title, metadata_status, build_id, period_code,
       year, report_type_label, reported_province, reported_agency, current_province, current_agency
FROM document_view;

-- A finding's agency and report type are its first document's; its year is the latest of its
-- figures (of its first document's period when it names no figure); its groups and indicator
-- labels are those of its figures; severity_rank is severities.sort_order (0: the most serious).
CREATE VIEW finding_view AS
SELECT f.finding_id, f.check_id, f.severity, f.title, f.message, f.province, f.doc_ids, f.fact_ids,
       f.build_id, s.label AS severity_label, s.sort_order AS severity_rank,
       d.agency, d.report_type, coalesce(g.year, year(d.period_end)) AS year,
       coalesce(g.group_codes, list_value()) AS group_codes, g.labels,
       f.province AS reported_province, d.agency AS reported_agency,
       coalesce(au.new_province, f.province) AS current_province,
       coalesce(al.new_agency, d.agency) AS current_agency
FROM findings f
LEFT JOIN severities s ON s.code = f.severity
LEFT JOIN documents d ON d.doc_id = array_extract(f.doc_ids, 1)
LEFT JOIN (
    SELECT ff.finding_id, max(x.year) AS year,
           array_sort(array_agg(DISTINCT i.group_code)) AS group_codes,
           array_to_string(array_sort(array_agg(DISTINCT i.label_vi)), ', ') AS labels
    FROM finding_facts ff JOIN facts x ON x.fact_id = ff.fact_id JOIN indicators i ON i.code = x.indicator
    GROUP BY ff.finding_id
) g USING (finding_id)
LEFT JOIN admin_units au ON au.old_province = f.province
LEFT JOIN agency_lineage al ON al.old_agency = d.agency;

CREATE VIEW finding_view_current AS
SELECT finding_id, check_id, severity, title, message, current_province AS province, doc_ids, fact_ids,
       build_id, severity_label, severity_rank,
       current_agency AS agency, report_type, year, group_codes, labels,
       reported_province, reported_agency, current_province, current_agency
FROM finding_view;

-- Per province, year and indicator: the kept primary figures' count, their exact sum (DECIMAL,
-- so every engine adds to the same total in any order) and their latest period end. A check
-- total for comparing copies of the warehouse (each report's figure counts once), not a statistic.
CREATE VIEW province_totals AS
SELECT d.province, f.year, f.indicator, f.unit, count(*) AS facts,
       sum(CAST(f.value AS DECIMAL(38, 6))) AS total, max(f.period_end) AS latest_period_end
FROM kept_facts f
JOIN documents d ON d.doc_id = f.doc_id
JOIN indicators i ON i.code = f.indicator
WHERE f.role = 'primary' AND i.kind <> 'rank'
GROUP BY d.province, f.year, f.indicator, f.unit;

-- Serving tables (etl/serving.py): what the pages ask for, written by every build in the same
-- file and swap as the facts, so a page reads the rows it shows instead of every fact. Each is
-- the materialisation of a view below (the same question asked of the facts), with the filter
-- columns of dashboard/filters.py and a current-units variant; an incremental build rewrites
-- the rows of the provinces it touched (``province`` is the province as reported).

-- Every primary figure as the pages read it (fact_view with its labels, report title and number,
-- and the date it is dated by), stored in province, indicator, year order so a filter on the
-- province skips the rest of the table.
CREATE VIEW serving_fact_rows AS
SELECT f.fact_id, f.doc_id, f.file_name, f.province, f.agency, f.report_type, f.period_label,
       f.report_period_start, f.report_period_end, f.report_date,
       f.indicator, f.label_vi, f.group_code, f.group_label, f.unit, f.kind, f.scope, f.sort_order,
       f.value, f.qualifier, f.period_start, f.period_end, f.as_of, f.year,
       f.quote, f.sentence, f.char_start, f.char_end, f.sentence_start, f.sentence_end, f.page, f.rule, f.confidence,
       f.finding_severity, f.finding_titles, f.status, f.fact_key, f.period_basis, f.reported_province,
       f.reported_agency, f.denominator, f.short_label, f.kpi_order, f.lower_is_better, f.official_index,
       s.label AS finding_label, rt.label AS report_type_label, d.title, d.report_number,
       f.current_province, f.current_agency, coalesce(f.as_of, f.period_end) AS end_date, f.kept
FROM fact_view f
JOIN (SELECT doc_id, title, report_number FROM documents) d USING (doc_id)
LEFT JOIN severities s ON s.code = f.finding_severity
LEFT JOIN report_types rt ON rt.code = f.report_type
WHERE f.role = 'primary';

CREATE TABLE serving_facts AS SELECT * FROM serving_fact_rows LIMIT 0;

-- How many of the newest kept figures serving_latest holds per key: a key figure's card needs its
-- latest, the comparable ones before it and a sparkline (dashboard/kpis.py); any other figure one.
CREATE TABLE serving_depth (
    indicator   VARCHAR PRIMARY KEY,
    depth       INTEGER NOT NULL
);

-- The newest kept figures (depth of them) of each indicator, per level of filter key:
-- 'key': province × agency × report type × year (exact for any filter), 'year': province × year
-- (when no agency or report type is chosen), 'all': province, of the figures with a year (when
-- the years chosen hold every year). The newest of a province under a filter is the newest of
-- its level's rows under it, as reported or under today's units. Without the source's quote and
-- sentence: the cards and the comparison show neither (the evidence box reads the fact by its id).
CREATE TABLE serving_latest AS SELECT ''::VARCHAR AS level, * EXCLUDE (quote, sentence) FROM serving_facts LIMIT 0;

-- Every document as Văn bản lists it, with its counts and coverage (document_coverage) and the
-- indicator groups it gives a kept figure of (document_groups).
CREATE VIEW serving_document_rows AS
SELECT d.doc_id, d.file_name, d.province, d.agency, d.report_type, d.report_type_label, d.period_label,
       d.period_start, d.period_end, d.period_code, d.report_date, d.report_number, d.title, d.kind, d.size_bytes,
       left(d.sha256, 10) AS link_id, d.year,
       coalesce(f.facts, 0) AS facts, coalesce(m.unassigned, 0) AS unassigned,
       coalesce(f.assigned, 0) / nullif(coalesce(f.assigned, 0) + coalesce(m.unassigned, 0), 0) AS coverage,
       coalesce(g.group_codes, []::VARCHAR[]) AS group_codes, d.current_province, d.current_agency
FROM document_view d
LEFT JOIN (
    SELECT f.doc_id, count(*) FILTER (WHERE f.role = 'primary') AS facts,
           count(DISTINCT (f.char_start, f.char_end)) FILTER (WHERE st.kept) AS assigned
    FROM facts f JOIN statuses st ON st.code = f.status GROUP BY f.doc_id
) f USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS unassigned FROM mentions GROUP BY doc_id) m USING (doc_id)
LEFT JOIN (SELECT doc_id, list(group_code ORDER BY group_code) AS group_codes FROM document_groups GROUP BY doc_id) g
    USING (doc_id);

CREATE TABLE serving_documents AS SELECT * FROM serving_document_rows LIMIT 0;

CREATE VIEW serving_facts_current AS
SELECT * REPLACE (current_province AS province, current_agency AS agency) FROM serving_facts;

CREATE VIEW serving_latest_current AS
SELECT * REPLACE (current_province AS province, current_agency AS agency) FROM serving_latest;

CREATE VIEW serving_documents_current AS
SELECT * REPLACE (current_province AS province, current_agency AS agency) FROM serving_documents;
