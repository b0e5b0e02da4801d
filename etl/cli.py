"""Command line: thin wrappers that parse, call the library, print."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.catalog import default_catalog
from etl.readers import ReadError

DEFAULT_RAW = Path("data/raw")
DEFAULT_DB = Path("data/warehouse.duckdb")


def cmd_build(args: argparse.Namespace) -> int:
    """python -m etl build --raw data/raw --db data/warehouse.duckdb"""
    from etl.warehouse import build_warehouse

    report = build_warehouse(Path(args.raw), Path(args.db), workers=args.workers)
    groups = ", ".join(f"{g}={n}" for g, n in sorted(report.facts_per_group.items()))
    print(f"Kho dữ liệu: {report.db_path} (build {report.build_id})")
    print(f"Văn bản: {report.documents}   Số liệu: {report.facts}   Theo nhóm: {groups or '-'}")
    for name, reason in report.errors:
        print(f"LỖI  {name}: {reason}", file=sys.stderr)
    print(f"Phát hiện kiểm tra chất lượng: {report.findings}")
    print(f"Thời gian: {report.seconds:.2f} giây; tệp lỗi: {len(report.errors)}")
    return 1 if report.errors else 0


def cmd_extract(args: argparse.Namespace) -> int:
    """python -m etl extract report.docx --json"""
    from etl.pipeline import process_file

    catalog = default_catalog()
    failed = 0
    for name in args.files:
        try:
            ex = process_file(Path(name), catalog)
        except ReadError as exc:
            print(f"LỖI  {exc}", file=sys.stderr)
            failed += 1
            continue
        facts = [f for f in ex.facts if args.all or f.role == "primary"]
        if args.json:
            print(json.dumps(_document_json(ex), ensure_ascii=False))
            for f in facts:
                row = f.as_json()
                if args.all:
                    row["role"] = f.role
                print(json.dumps(row, ensure_ascii=False))
        else:
            m = ex.meta
            print(f"# {m.doc}: {m.province} | {m.agency} | {m.report_type} | {m.period_label} "
                  f"({m.period_start} – {m.period_end})")  # fmt: skip
            for f in facts:
                when = f.as_of or f"{f.period_start}..{f.period_end}"
                print(f"  {f.indicator:34} {f.value:>16,.0f} {f.unit:10} {when}  «{' '.join(f.quote.split())}»")
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    """python -m etl check --db data/warehouse.duckdb --json"""
    import duckdb

    from etl.checks import SEVERITY_LABELS, run_checks

    con = duckdb.connect(str(args.db), read_only=True)
    try:
        facts = con.execute("SELECT * FROM facts").df()
        documents = con.execute("SELECT * FROM documents").df()
    finally:
        con.close()
    findings = run_checks(facts, documents, default_catalog())
    order = {"loi": 0, "canh_bao": 1, "thong_tin": 2}
    for f in sorted(findings, key=lambda f: (order[f.severity], f.check, f.doc_ids)):
        if args.json:
            print(json.dumps(f.as_json(), ensure_ascii=False))
        else:
            print(f"[{SEVERITY_LABELS[f.severity]}] {f.check}: {f.title} — {f.message} ({', '.join(f.doc_ids)})")
    if not args.json:
        counts = {s: sum(f.severity == s for f in findings) for s in order}
        print(" · ".join(f"{SEVERITY_LABELS[s]}: {n}" for s, n in counts.items()))
    return 0


def _document_json(ex: object) -> dict[str, object]:
    m = ex.meta  # type: ignore[attr-defined]
    return {
        "type": "document",
        "doc": m.doc,
        "province": m.province,
        "agency": m.agency,
        "report_type": m.report_type,
        "period_label": m.period_label,
        "period_start": m.period_start.isoformat() if m.period_start else None,
        "period_end": m.period_end.isoformat() if m.period_end else None,
        "report_date": m.report_date.isoformat() if m.report_date else None,
        "report_number": m.report_number,
        "title": m.title,
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="Trích xuất số liệu báo cáo vào kho DuckDB.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="dựng kho dữ liệu từ thư mục báo cáo gốc")
    b.add_argument("--raw", default=str(DEFAULT_RAW))
    b.add_argument("--db", default=str(DEFAULT_DB))
    b.add_argument("--workers", type=int, default=None, help="số tiến trình trích xuất (mặc định: theo số lõi)")
    b.set_defaults(func=cmd_build)
    e = sub.add_parser("extract", help="trích xuất số liệu từ các tệp, in ra màn hình")
    e.add_argument("files", nargs="+")
    e.add_argument("--json", action="store_true", help="một dòng JSON cho mỗi văn bản và mỗi số liệu")
    e.add_argument("--all", action="store_true", help="in cả các giá trị khác mà văn bản đưa ra")
    e.set_defaults(func=cmd_extract)
    c = sub.add_parser("check", help="kiểm tra tính nhất quán của số liệu trong kho")
    c.add_argument("--db", default=str(DEFAULT_DB))
    c.add_argument("--json", action="store_true", help="một dòng JSON cho mỗi phát hiện")
    c.set_defaults(func=cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))
