"""Consistency checks: the samples' known findings, and each check on small hand-made facts."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from etl.build import build_warehouse
from etl.checks import CHECKS, CheckInputs, DocumentRecord, FactRecord, load_checks, official_ranks, run_checks
from tests.conftest import GOLD, RAW, ROOT


def fact(fid, indicator, value, doc="a.txt", *, start=None, end=None, as_of=None, qualifier="exact", role="primary"):
    return [fid, doc, indicator, float(value), qualifier, start, end, as_of, role]


def docs(*rows):
    base = {"province": "Tây Ninh", "agency": "Sở X", "report_type": "khac", "period_label": ""}
    return [{**base, "text": r["doc_id"], **r} for r in rows]


def _content(text):
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def inputs(facts, documents=None, reference=None):
    """Hand-made facts and documents as the checks' typed records."""
    if documents is None:
        documents = docs({"doc_id": "a.txt", "period_start": None, "period_end": None})
    where = {d["doc_id"]: (d["province"], d["agency"]) for d in documents}
    records = [FactRecord(*f, n, *where[f[1]]) for n, f in enumerate(facts)]
    document_records = [DocumentRecord(**{k: d[k] for k in DocumentRecord._fields if k != "content_sha256"},
                                       content_sha256=_content(d["text"])) for d in documents]  # fmt: skip
    official = official_ranks(reference) if reference is not None else None
    return CheckInputs.of(records, document_records, official)


def check(facts, documents=None, catalog=None):
    from etl.catalog import default_catalog

    return run_checks(inputs(facts, documents), catalog or default_catalog())


D = date(2024, 7, 31)


def test_samples_raise_the_known_findings_and_no_others(tmp_path):
    build_warehouse(RAW, tmp_path / "w.duckdb")
    out = subprocess.run([sys.executable, "-m", "etl", "check", "--db", str(tmp_path / "w.duckdb"), "--json"],
                         capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    raised = [json.loads(line) for line in out.stdout.splitlines()]
    by_check = {f["check"]: f for f in raised}
    for row in csv.DictReader((GOLD / "seeds_checks.csv").open(encoding="utf-8")):
        if row["expect"] == "flag":
            assert row["check"] in by_check, row
        else:
            assert row["check"] not in by_check, (row, by_check.get(row["check"]))
    assert by_check["inspected_entities_conflict"]["doc_ids"] == ["002_6ad88f1f69047679.txt"]
    monotonic = by_check["tthc_received_not_monotonic"]
    assert monotonic["doc_ids"] == ["000_542a35844e80859c.txt", "004_f3cae4251c6f1b42.txt"]
    assert "41 > 37" in by_check["dvc_exceeds_published"]["message"]


def test_parts_sum_flags_a_mismatch_and_passes_a_match():
    ok = [fact("t", "staff_total", 55, as_of=D), fact("a", "staff_civil_servants", 26, as_of=D),
          fact("b", "staff_public_employees", 20, as_of=D), fact("c", "staff_contracts", 9, as_of=D)]  # fmt: skip
    assert check(ok) == []
    bad = [*ok[:3], fact("c", "staff_contracts", 10, as_of=D)]
    [finding] = check(bad)
    assert finding.check == "staff_parts_sum" and finding.severity == "loi"
    assert set(finding.fact_ids) == {"t", "a", "b", "c"} and "55 ≠ 26 + 20 + 10 = 56" in finding.message


def test_missing_part_only_checks_that_parts_do_not_exceed():
    assert check([fact("t", "tthc_received", 31, end=D), fact("r", "tthc_resolved", 31, end=D)]) == []
    [finding] = check([fact("t", "hotline1022_received", 10, end=D), fact("r", "hotline1022_resolved", 12, end=D)])
    assert finding.check == "hotline1022_resolved_exceeds_received"
    [finding] = check([fact("t", "petitions_received", 5, end=D), fact("a", "complaints_received", 3, end=D),
                       fact("b", "denunciations_received", 4, end=D)])  # fmt: skip
    assert finding.check == "petitions_parts_sum" and "vượt tổng 5" in finding.message


def test_qualified_figures_are_not_compared_as_equal():
    facts = [fact("t", "edocs_exchanged", 100, end=D, qualifier="at_least"),
             fact("r", "edocs_received", 60, end=D), fact("s", "edocs_sent", 50, end=D)]  # fmt: skip
    assert [f.check for f in check(facts)] == []


def test_part_greater_than_whole():
    [finding] = check([fact("p", "dvc_full_online", 41, as_of=D), fact("w", "tthc_published", 37, as_of=D)])
    assert finding.check == "dvc_exceeds_published"
    assert check([fact("p", "dvc_full_online", 30, as_of=D), fact("w", "tthc_published", 37, as_of=D)]) == []
    # 'hơn 10' of a whole of 8 is still more than the whole
    [finding] = check([fact("p", "camera_traffic_ai", 10, as_of=D, qualifier="at_least"),
                       fact("w", "camera_traffic_total", 8, as_of=D)])  # fmt: skip
    assert finding.check == "camera_traffic_ai_exceeds_total"


@pytest.mark.parametrize(
    ("part", "whole"),
    [
        ("exact", "at_least"),  # 41 of 'hơn 37': the whole may well be more than 41
        ("exact", "about"),  # 41 of 'khoảng 37'
        ("at_most", "exact"),  # 'không quá 41' of 37: the part may well be less
        ("about", "exact"),  # 'khoảng 41' of 37
    ],
)
def test_an_inexact_figure_is_not_compared_as_exact(part, whole):
    """'hơn', 'khoảng', 'không quá': a part cannot be shown to exceed a whole one of them leaves open."""
    pair = [fact("p", "dvc_full_online", 41, as_of=D, qualifier=part),
            fact("w", "tthc_published", 37, as_of=D, qualifier=whole)]  # fmt: skip
    assert check(pair) == []
    exact = [fact("p", "dvc_full_online", 41, as_of=D), fact("w", "tthc_published", 37, as_of=D)]
    assert [f.check for f in check(exact)] == ["dvc_exceeds_published"]  # the same figures, exact, are flagged


def test_cumulative_counts_cannot_fall_within_a_year():
    documents = docs({"doc_id": "may.txt", "period_start": None, "period_end": None},
                     {"doc_id": "jul.txt", "period_start": None, "period_end": None})  # fmt: skip
    may = fact("m", "tthc_received", 36, "may.txt", start=date(2024, 1, 1), end=date(2024, 5, 31))
    jul = fact("j", "tthc_received", 31, "jul.txt", start=date(2024, 1, 1), end=date(2024, 7, 31))
    [finding] = check([may, jul], documents)
    assert finding.check == "tthc_received_not_monotonic" and finding.fact_ids == ("m", "j")
    grows = fact("j", "tthc_received", 40, "jul.txt", start=date(2024, 1, 1), end=date(2024, 7, 31))
    assert check([may, grows], documents) == []


def test_periods_of_different_years_or_starts_are_not_cumulative():
    documents = docs({"doc_id": "a.txt", "period_start": None, "period_end": None},
                     {"doc_id": "b.txt", "period_start": None, "period_end": None})  # fmt: skip
    y23 = fact("x", "tthc_received", 37, "a.txt", start=date(2023, 1, 1), end=date(2023, 10, 25))
    y24 = fact("y", "tthc_received", 31, "b.txt", start=date(2024, 1, 1), end=date(2024, 7, 31))
    assert check([y23, y24], documents) == []
    q3 = fact("z", "tthc_received", 5, "b.txt", start=date(2024, 7, 1), end=date(2024, 9, 30))
    q1 = fact("w", "tthc_received", 9, "a.txt", start=date(2024, 7, 1), end=date(2024, 7, 31))
    assert check([q1, q3], documents) == []  # not counted from 1 January


def test_conflicting_values_in_one_document():
    year = {"start": date(2020, 1, 1), "end": date(2020, 12, 31)}
    facts = [
        fact("p", "inspected_entities", 35, **year),
        fact("q", "inspected_entities", 34, role="alternative", **year),
    ]
    [finding] = check(facts)
    assert finding.check == "inspected_entities_conflict" and finding.fact_ids == ("p", "q")


def test_value_outside_the_plausible_range():
    [finding] = check([fact("r", "dti_rank", 70, start=date(2023, 1, 1), end=date(2023, 12, 31))])
    assert finding.check == "dti_rank_out_of_range"


def test_duplicate_documents_and_overlapping_periods():
    documents = docs(
        {"doc_id": "a.txt", "text": "Báo cáo  năm 2024", "report_type": "khac", "period_start": date(2024, 1, 1),
         "period_end": date(2024, 12, 31), "period_label": "năm 2024"},
        {"doc_id": "b.txt", "text": "Báo cáo năm 2024", "report_type": "khac", "period_start": date(2024, 1, 1),
         "period_end": date(2024, 6, 30), "period_label": "6 tháng"},
    )  # fmt: skip
    checks = {f.check: f for f in check([], documents)}
    assert checks["duplicate_documents"].doc_ids == ("a.txt", "b.txt")
    assert checks["overlapping_periods"].severity == "thong_tin"


def test_checks_name_only_catalog_indicators(catalog):
    codes = {i.code for i in catalog.indicators}
    config = load_checks()
    for rule in config["parts_sum"]:
        assert {rule["total"], *rule["parts"]} <= codes, rule["id"]
    for rule in config["not_greater"]:
        assert {rule["part"], rule["whole"]} <= codes, rule["id"]
    severities = [r["severity"] for kind in ("parts_sum", "not_greater") for r in config[kind]]
    assert set(severities) <= {"loi", "canh_bao", "thong_tin"}


@pytest.mark.parametrize("severity", ["loi", "canh_bao"])
def test_findings_are_stored_by_the_build(warehouse, severity):
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("SELECT count(*) FROM findings WHERE severity = ?", [severity]).fetchone()[0]
        linked = con.execute("SELECT count(*) FROM finding_facts JOIN facts USING (fact_id)").fetchone()[0]
    finally:
        con.close()
    assert rows >= 1 and linked >= 2


def test_a_rank_claimed_against_the_official_one():
    from etl.catalog import default_catalog

    reference = pd.DataFrame(
        [{"province": "Tây Ninh", "index_code": "DTI", "year": 2022, "rank": 40, "of_n": 63, "is_derived": False,
          "source_url": "https://dti.gov.vn/xep-hang-2022"},
         {"province": "Tây Ninh", "index_code": "DTI", "year": 2021, "rank": 50, "of_n": 63, "is_derived": True,
          "source_url": "ước tính"}]
    )  # fmt: skip
    year = lambda y: {"start": date(y, 1, 1), "end": date(y, 12, 31)}  # noqa: E731
    facts = [fact("a", "dti_rank", 30, **year(2022)), fact("b", "dti_rank", 44, **year(2021))]
    found = run_checks(inputs(facts, reference=reference), default_catalog())
    assert [f.check for f in found] == ["dti_rank_reference_mismatch"]  # the 2021 estimate is not official
    assert "hạng 30" in found[0].message and "40/63" in found[0].message
    agree = [fact("a", "dti_rank", 40, **year(2022))]
    assert run_checks(inputs(agree, reference=reference), default_catalog()) == []


def test_every_kind_in_checks_toml_has_one_function_and_one_scope():
    """Adding a check of a known kind is an entry in checks.toml (and a test); a new kind, a function."""
    assert set(load_checks()) == set(CHECKS)
    assert {scope for _, scope in CHECKS.values()} == {"document", "collection"}


# ------------------------------------------------------------------ each rule's edges (mutation testing, issue 22)


def test_a_total_that_may_hold_more_is_only_checked_not_to_be_exceeded():
    quota = [fact("t", "staff_quota_total", 50, as_of=D), fact("a", "staff_quota_civil_servants", 30, as_of=D),
             fact("b", "staff_quota_public_employees", 15, as_of=D)]  # fmt: skip
    assert check(quota) == []  # 30 + 15 < 50: the rest may be contracts
    over = [*quota[:2], fact("b", "staff_quota_public_employees", 25, as_of=D)]
    [finding] = check(over)
    assert finding.check == "staff_quota_parts_sum" and finding.message == "Các thành phần (30 + 25 = 55) vượt tổng 50"
    assert check([*quota[:2], fact("b", "staff_quota_public_employees", 20, as_of=D)]) == []  # equal is not more


def test_parts_of_other_dates_are_not_summed():
    other_day = date(2024, 6, 30)
    staff = [fact("t", "staff_total", 55, as_of=D), fact("a", "staff_civil_servants", 26, as_of=D),
             fact("b", "staff_public_employees", 20, as_of=other_day), fact("c", "staff_contracts", 10, as_of=D)]
    assert check(staff) == []  # the parts of 31/07 do not add up to all of it, and none exceeds it


def test_a_part_is_compared_with_its_whole_across_dates_only_where_declared():
    later = date(2024, 12, 31)
    # dvc_exceeds_published: same_date = false — the whole of another date in the same report counts
    [finding] = check([fact("p", "dvc_full_online", 41, as_of=D), fact("w", "tthc_published", 37, as_of=later)])
    assert finding.check == "dvc_exceeds_published" and finding.message == "41 > 37"
    assert finding.fact_ids == ("p", "w")
    # camera_traffic_ai_exceeds_total: the same date only
    assert check([fact("p", "camera_traffic_ai", 10, as_of=D), fact("w", "camera_traffic_total", 8, as_of=later)]) == []
    assert check([fact("p", "camera_traffic_ai", 8, as_of=D), fact("w", "camera_traffic_total", 8, as_of=D)]) == []


def test_only_exact_primary_flows_of_a_province_from_1_january_are_cumulative():
    documents = docs({"doc_id": "may.txt", "period_start": None, "period_end": None},
                     {"doc_id": "jul.txt", "period_start": None, "period_end": None})  # fmt: skip
    jan = date(2024, 1, 1)
    def pair(indicator="tthc_received", qualifier="exact", role="primary", second_end=date(2024, 7, 31)):  # noqa: E306
        return [fact("m", indicator, 36, "may.txt", start=jan, end=date(2024, 5, 31), qualifier=qualifier, role=role),
                fact("j", indicator, 31, "jul.txt", start=jan, end=second_end, qualifier=qualifier, role=role)]
    assert [f.check for f in check(pair(), documents)] == ["tthc_received_not_monotonic"]
    assert check(pair(qualifier="about"), documents) == []
    assert check(pair(role="alternative"), documents) == []
    assert [f.check for f in check(pair(qualifier="sum"), documents)] == ["tthc_received_not_monotonic"]
    assert check(pair(second_end=date(2024, 5, 31)), documents) == []  # the same period twice: not longer
    nowhere = [{**d, "province": None} for d in documents]
    assert check(pair(), nowhere) == []
    [finding] = check(pair(), documents)
    assert finding.message == "36 đến 31/05/2024 nhưng 31 đến 31/07/2024 (cùng tính từ 01/01/2024)"


def test_two_primary_values_without_an_alternative_are_no_conflict():
    year = {"start": date(2020, 1, 1), "end": date(2020, 12, 31)}
    assert check([fact("p", "inspected_entities", 35, **year), fact("q", "inspected_entities", 34, **year)]) == []
    [finding] = check([fact("q", "inspected_entities", 34, role="alternative", **year),
                       fact("p", "inspected_entities", 35, **year)])  # fmt: skip
    assert finding.message == "Văn bản nêu 35 và 34" and finding.fact_ids == ("p", "q")  # the primary first


def test_the_plausible_range_holds_its_ends():
    year = {"start": date(2023, 1, 1), "end": date(2023, 12, 31)}
    assert check([fact("a", "dti_rank", 63, **year), fact("b", "dti_rank", 1, **year)]) == []
    [finding] = check([fact("r", "dti_rank", 64, **year)])
    assert finding.message == "64 ngoài khoảng 1–63"
    [finding] = check([fact("r", "dti_rank", 0.5, **year)])
    assert finding.message == "0,5 ngoài khoảng 1–63"


def test_periods_overlap_when_they_share_a_day_of_one_type_province_and_agency():
    def two(second_start, **second):
        return docs({"doc_id": "a.txt", "text": "A", "period_start": date(2024, 1, 1), "period_end": date(2024, 6, 30)},
                    {"doc_id": "b.txt", "text": "B", "period_start": second_start, "period_end": date(2024, 12, 31),
                     **second})  # fmt: skip

    [finding] = check([], two(date(2024, 6, 30)))
    assert finding.check == "overlapping_periods" and finding.doc_ids == ("a.txt", "b.txt")
    assert finding.message == "a.txt () và b.txt () cùng loại báo cáo, kỳ chồng lấn"
    assert check([], two(date(2024, 7, 1))) == []
    assert check([], two(date(2024, 3, 1), agency="Sở Y")) == []
    assert check([], two(date(2024, 3, 1), report_type="dan_chu_co_so")) == []
    assert check([], two(date(2024, 3, 1), agency=None)) == []
    three = [*two(date(2024, 7, 1)), *docs({"doc_id": "c.txt", "text": "C", "period_start": date(2024, 3, 1),
                                            "period_end": date(2024, 3, 31)})]  # fmt: skip
    assert [f.doc_ids for f in check([], three)] == [("a.txt", "c.txt")]


def test_a_document_alone_is_no_duplicate():
    assert check([], docs({"doc_id": "a.txt", "text": "A", "period_start": None, "period_end": None})) == []


def test_the_scopes_split_the_checks_between_one_document_and_across_them():
    from etl.catalog import default_catalog
    from etl.checks import COLLECTION, DOCUMENT

    documents = docs({"doc_id": "a.txt", "text": "X", "period_start": None, "period_end": None},
                     {"doc_id": "b.txt", "text": "X", "period_start": None, "period_end": None})  # fmt: skip
    facts = [fact("p", "dvc_full_online", 41, as_of=D), fact("w", "tthc_published", 37, as_of=D)]
    both = inputs(facts, documents)
    assert [f.check for f in run_checks(both, default_catalog(), scope=DOCUMENT)] == ["dvc_exceeds_published"]
    assert [f.check for f in run_checks(both, default_catalog(), scope=COLLECTION)] == ["duplicate_documents"]
    assert {f.check for f in run_checks(both, default_catalog())} == {"dvc_exceeds_published", "duplicate_documents"}
    assert run_checks(both, default_catalog(), config={"not_greater": load_checks()["not_greater"][0]}) != []


def test_a_finding_is_named_by_what_it_rests_on():
    from etl.checks import Finding, log_findings

    one = Finding("c", "loi", "T", "message 1", "Tây Ninh", ("b.txt", "a.txt"), ("f1",))
    same = Finding("c", "canh_bao", "T2", "message 2", None, ("a.txt", "b.txt"), ("f1",))
    assert one.finding_id == same.finding_id and len(one.finding_id) == 16
    assert Finding("c", "loi", "T", "m", None, ("a.txt",), ()).finding_id != one.finding_id
    assert one.as_json()["doc_ids"] == ["b.txt", "a.txt"] and one.as_json()["finding_id"] == one.finding_id
    [bad_line] = log_findings(["log dòng 3: hỏng"])
    assert (bad_line.check, bad_line.severity, bad_line.message) == ("corrections_log", "canh_bao", "log dòng 3: hỏng")
    assert bad_line.finding_id != log_findings(["log dòng 4: hỏng"])[0].finding_id  # no facts: its text names it


def test_facts_are_held_in_document_then_position_order_and_dated_by_as_of_first():
    records = [FactRecord("x", "b.txt", "i", 1.0, "exact", None, D, None, "primary", 5, None, ""),
               FactRecord("y", "a.txt", "i", 1.0, "exact", None, D, None, "primary", 9, None, ""),
               FactRecord("z", "a.txt", "i", 1.0, "exact", None, D, date(2024, 1, 1), "primary", None, None, "")]
    assert [r.fact_id for r in CheckInputs.of(records).facts] == ["z", "y", "x"]
    assert records[0].ref == D and records[2].ref == date(2024, 1, 1)


def test_published_ranks_leave_out_estimates_and_gaps():
    reference = pd.DataFrame([
        {"province": "A", "index_code": "DTI", "year": 2022, "rank": 40, "of_n": None, "is_derived": False,
         "source_url": "u"},
        {"province": "A", "index_code": "DTI", "year": 2021, "rank": None, "of_n": 63, "is_derived": False,
         "source_url": "u"},
        {"province": "A", "index_code": "DTI", "year": 2020, "rank": 9, "of_n": 63, "is_derived": True,
         "source_url": "u"},
    ])  # fmt: skip
    assert official_ranks(reference) == {("DTI", "A", 2022): ((40, None, "u"),)}
    assert official_ranks(reference.iloc[0:0]) == {}


def test_a_cumulative_count_that_stays_the_same_has_not_fallen():
    documents = docs({"doc_id": "may.txt", "period_start": None, "period_end": None},
                     {"doc_id": "jul.txt", "period_start": None, "period_end": None})  # fmt: skip
    may = fact("m", "tthc_received", 36, "may.txt", start=date(2024, 1, 1), end=date(2024, 5, 31))
    jul = fact("j", "tthc_received", 36, "jul.txt", start=date(2024, 1, 1), end=date(2024, 7, 31))
    assert check([may, jul], documents) == []


def test_only_the_rank_named_is_held_against_the_published_one():
    from etl.catalog import default_catalog

    reference = pd.DataFrame([{"province": "Tây Ninh", "index_code": "DTI", "year": 2022, "rank": 40, "of_n": 63,
                               "is_derived": False, "source_url": "u"}])  # fmt: skip
    year = {"start": date(2022, 1, 1), "end": date(2022, 12, 31)}
    facts = [fact("a", "tthc_received", 31, **year), fact("b", "dti_rank", 40, **year), fact("c", "dti_rank", 30)]
    assert run_checks(inputs(facts, reference=reference), default_catalog()) == []  # c has no period: no year


def test_an_overlap_names_both_reports_by_their_periods():
    documents = docs(
        {"doc_id": "a.txt", "text": "A", "period_start": date(2024, 1, 1), "period_end": date(2024, 12, 31),
         "period_label": "năm 2024"},
        {"doc_id": "b.txt", "text": "B", "period_start": date(2024, 1, 1), "period_end": date(2024, 6, 30),
         "period_label": "6 tháng"},
    )  # fmt: skip
    [finding] = check([], documents)
    assert finding.message == "a.txt (năm 2024) và b.txt (6 tháng) cùng loại báo cáo, kỳ chồng lấn"


def test_a_finding_on_documents_alone_is_named_by_them_not_by_its_words():
    from etl.checks import Finding

    one = Finding("duplicate_documents", "canh_bao", "T", "Trùng nội dung: a.txt, b.txt", None, ("a.txt", "b.txt"), ())
    reworded = Finding("duplicate_documents", "canh_bao", "T", "Trùng: a.txt, b.txt", None, ("a.txt", "b.txt"), ())
    assert one.finding_id == reworded.finding_id


def test_the_warehouse_hands_the_checks_published_ranks_and_across_documents_only_what_they_compare(warehouse):
    import duckdb

    from etl.checks import COLLECTION, check_inputs

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        everything, across = check_inputs(con), check_inputs(con, scope=COLLECTION)
        one = check_inputs(con, where="province = 'Trà Vinh'")
    finally:
        con.close()
    assert everything.official and across.official == {}
    assert 0 < len(across.facts) < len(everything.facts)
    assert all(r.role == "primary" and r.qualifier in ("exact", "sum") and (r.period_start.month, r.period_start.day)
               == (1, 1) for r in across.facts)  # fmt: skip
    assert {r.province for r in one.facts} == {"Trà Vinh"} and {d.province for d in one.documents} == {"Trà Vinh"}
    assert len(across.documents) == len(everything.documents)
