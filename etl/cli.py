"""Command line: thin wrappers that parse, call the library, print.

SIGTERM stops a command as Ctrl-C does: the build kills its workers and removes its temporary
files before the process ends."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from etl.catalog import default_catalog
from etl.readers import ReadError
from etl.sources import shown

if TYPE_CHECKING:
    from contract.messages import ManifestEntry, Message
    from etl.build import BuildInputs
    from etl.corrections import Correction
    from etl.importer import Staged
    from etl.pipeline import Extraction
    from etl.run import BuildReport

DEFAULT_RAW = Path("data/raw")
DEFAULT_DB = Path("data/warehouse.duckdb")


def cmd_build(args: argparse.Namespace) -> int:
    """python -m etl build --raw data/raw --db data/warehouse.duckdb [--engine spark --master URL]"""
    from tqdm import tqdm

    from etl.build import build
    from etl.executor import executor_for
    from etl.spark_executor import SparkUnavailableError

    try:
        executor = executor_for(args.engine, workers=args.workers, master=args.master)
    except SparkUnavailableError as exc:
        print(f"LỖI  {exc}", file=sys.stderr)
        return 2
    if args.master and args.engine != "spark":
        print("LỖI  --master chỉ dùng với --engine spark", file=sys.stderr)
        return 2
    with tqdm(desc="Trích xuất", unit=" văn bản", disable=not sys.stderr.isatty()) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        report = build(_inputs(args), Path(args.db), full=args.full, workers=args.workers,
                       file_timeout=args.file_timeout, on_progress=progress, executor=executor)  # fmt: skip
    if report.mode == "incremental":
        print(f"Cập nhật tăng dần: {report.changed} văn bản đọc lại.")
    groups = ", ".join(f"{g}={n}" for g, n in sorted(report.facts_per_group.items()))
    print(f"Kho dữ liệu: {report.db_path} (build {report.build_id})")
    print(f"Văn bản: {report.documents}   Số liệu: {report.facts}   Theo nhóm: {groups or '-'}")
    print(f"Số liệu chưa gán chỉ tiêu: {report.mentions}")
    for name, reason in report.errors:
        print(f"LỖI  {shown(name)}: {shown(reason)}", file=sys.stderr)
    _warn(args, report)
    print(f"Phát hiện kiểm tra chất lượng: {report.findings}")
    print(f"Thời gian: {report.seconds:.2f} giây; tệp lỗi: {len(report.errors)}")
    return 1 if report.errors else 0


def _inputs(args: argparse.Namespace) -> BuildInputs:
    """The build's inputs: --raw, and --corrections / --reference, by default in --raw's data folder."""
    from etl.build import CORRECTIONS_FILE, REFERENCE_DIR, BuildInputs

    raw = Path(args.raw)
    corrections = Path(args.corrections_log) if args.corrections_log else raw.parent / CORRECTIONS_FILE
    reference = Path(args.reference) if args.reference else raw.parent / REFERENCE_DIR
    return BuildInputs(raw_dir=raw, corrections=corrections, reference_dir=reference, lock_dir=raw.parent)


def _warn(args: argparse.Namespace, report: BuildReport) -> None:
    """The build's warnings (bad lines of the corrections log, corrections naming no figure now):
    on stderr, or as protocol lines (an orphaned correction's with the document it concerns)."""
    from contract.messages import BuildWarning

    if not getattr(args, "json", False):
        for text in report.warnings:
            print(f"CẢNH BÁO  {text}", file=sys.stderr)
        return
    lines = report.warnings[: len(report.warnings) - len(report.orphans)]  # the log's, then the orphans'
    for text in lines:
        print(BuildWarning(file="corrections.jsonl", message=text).to_line())
    for doc_id, message in report.orphans:
        print(BuildWarning(file="corrections.jsonl", message=message, doc_id=doc_id).to_line())


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
        if args.json:
            _print_json(ex, args)
        else:
            _print_text(ex, args)
    return 1 if failed else 0


def _print_json(ex: Extraction, args: argparse.Namespace) -> None:
    print(json.dumps(_document_json(ex), ensure_ascii=False))
    for f in ex.facts:
        if args.all or f.role == "primary":
            row = f.as_json()
            if args.all:
                row["role"] = f.role
            print(json.dumps(row, ensure_ascii=False))
    for m in ex.mentions if args.mentions else ():
        print(json.dumps({**m.as_json(), "doc": ex.meta.doc}, ensure_ascii=False))


def _print_text(ex: Extraction, args: argparse.Namespace) -> None:
    m = ex.meta
    print(f"# {m.doc}: {m.province} | {m.agency} | {m.report_type} | {m.period_label} "
          f"({m.period_start} – {m.period_end})")  # fmt: skip
    for f in ex.facts:
        if args.all or f.role == "primary":
            when = f.as_of or f"{f.period_start}..{f.period_end}"
            print(f"  {f.indicator:34} {f.value:>16,.0f} {f.unit:10} {when}  «{' '.join(f.quote.split())}»")
    for x in ex.mentions if args.mentions else ():
        quote = " ".join(x.quote.split())
        print(f"  {'(chưa gán chỉ tiêu)':34} {x.value:>16,.2f} {x.measure[:10]:10} {x.reason}  «{quote}»")


def cmd_check(args: argparse.Namespace) -> int:
    """python -m etl check --db data/warehouse.duckdb --json"""
    import duckdb

    from contract import SEVERITIES, SEVERITY_LABELS
    from etl.build import sweep_leftovers
    from etl.checks import check_inputs, run_checks, stored_log_findings

    sweep_leftovers(Path(args.db))  # what killed builds left beside the warehouse
    con = duckdb.connect(str(args.db), read_only=True)
    try:
        inputs, logged = check_inputs(con), stored_log_findings(con)  # as the builds read them
    finally:
        con.close()
    findings = run_checks(inputs, default_catalog()) + logged
    order = {s.code: s.order for s in SEVERITIES}
    for f in sorted(findings, key=lambda f: (order[f.severity], f.check, f.doc_ids)):
        if args.json:
            print(json.dumps(f.as_json(), ensure_ascii=False))
        else:
            print(f"[{SEVERITY_LABELS[f.severity]}] {f.check}: {f.title} — {f.message} ({', '.join(f.doc_ids)})")
    if not args.json:
        counts = {s: sum(f.severity == s for f in findings) for s in order}
        print(" · ".join(f"{SEVERITY_LABELS[s]}: {n}" for s, n in counts.items()))
    return 0


def _load_corrections_arg(path: str | None, who: str, by_name: dict[str, str]) -> list[Correction]:
    """The corrections a file asks for (contract/messages.py: a batch, or a bare list of them); an
    item may name its document by 'file' instead of sha256."""
    from contract.messages import MessageError
    from etl.protocol import corrections_of, read_corrections_file

    if not path:
        return []
    try:
        return corrections_of(read_corrections_file(Path(path)), who, by_name)
    except MessageError as exc:
        raise SystemExit(f"LỖI  {Path(path).name}: danh sách sửa đổi không đúng giao thức: {exc}") from None


def cmd_import(args: argparse.Namespace) -> int:
    """python -m etl import new_report.docx --yes"""
    from contract.messages import Published
    from etl.importer import known_hashes, publish, stage

    raw, db = Path(args.raw), Path(args.db)
    known = known_hashes(raw)
    files = [(Path(f).name, Path(f)) for f in args.files]
    if args.manifest:  # uploads: the name the user gave, and where the bytes wait
        files += [(m.name, Path(m.path)) for m in _manifest(Path(args.manifest))]
    items = [stage(name, path.read_bytes(), raw, args.max_mb * 1024 * 1024, known) for name, path in files]
    for item in items:
        _report_staged(args, item)
    if args.dry_run:
        return 0
    ready = [i for i in items if i.publishable]
    corrections = _load_corrections_arg(args.corrections, args.who, {i.name: i.sha256 for i in items})
    if not ready and not corrections:
        return 1 if any(i.error for i in items) else 0
    if not args.yes and input("Công bố vào kho dữ liệu? [c/K] ").strip().lower() not in ("c", "co", "có", "y", "yes"):
        print("Đã hủy; không ghi gì.")
        return 1
    stored, report = publish(ready, _inputs(args), db, corrections)
    done = Published(stored=tuple(p.relative_to(raw).as_posix() for p in stored), corrections=len(corrections),
                     build_id=report.build_id, documents=report.documents)  # fmt: skip
    _say(args, done, f"ĐÃ CÔNG BỐ  {len(stored)} tệp, {len(corrections)} sửa đổi; kho dựng lại ({report.build_id})")
    _warn(args, report)
    return 1 if any(i.error for i in items) or report.errors else 0


def _manifest(path: Path) -> tuple[ManifestEntry, ...]:
    """The uploads the page's manifest names; a manifest off the protocol stops the command, saying why."""
    from contract.messages import MessageError
    from etl.protocol import read_manifest

    try:
        return read_manifest(path)
    except MessageError as exc:
        raise SystemExit(f"LỖI  {path.name}: danh sách tệp tải lên không đúng giao thức: {exc}") from None


def _report_staged(args: argparse.Namespace, item: Staged) -> None:
    from etl.protocol import staged_reply

    reply = staged_reply(item)
    if item.error:
        _say(args, reply, f"LỖI  {item.error}")
        return
    if item.duplicate_of:
        _say(args, reply, f"BỎ QUA  {item.name}: đã có trong kho (trùng nội dung với {item.duplicate_of})")
        return
    m = item.extraction.meta  # type: ignore[union-attr]
    primary = [f for f in item.extraction.facts if f.role == "primary"]  # type: ignore[union-attr]
    about = f"{m.province} · {m.agency} · {m.report_type} · {m.period_label}"
    _say(args, reply, f"SẴN SÀNG  {item.name}: {about} · {len(primary)} số liệu")


def cmd_correct(args: argparse.Namespace) -> int:
    """python -m etl correct --file corrections.json --who 'Nguyễn Văn A'"""
    from contract.messages import Corrected
    from etl.importer import publish

    corrections = _load_corrections_arg(args.file, args.who, {})
    try:
        _, report = publish([], _inputs(args), Path(args.db), corrections)
    except ValueError as exc:
        print(f"LỖI  {exc}", file=sys.stderr)
        return 1
    if report is None:
        print("Không có sửa đổi nào; không ghi gì.")
        return 0
    _say(args, Corrected(corrections=len(corrections), build_id=report.build_id),
         f"ĐÃ LƯU  {len(corrections)} sửa đổi; kho dựng lại ({report.build_id})")  # fmt: skip
    _warn(args, report)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """python -m etl export --parquet out/parquet"""
    from etl.build import sweep_leftovers
    from etl.export import export_parquet

    sweep_leftovers(Path(args.db))
    counts = export_parquet(Path(args.db), Path(args.parquet))
    print(f"Đã xuất {args.parquet}: " + ", ".join(f"{t}={n}" for t, n in counts.items()))
    return 0


def _say(args: argparse.Namespace, reply: Message, text: str) -> None:
    """A reply as its protocol line (--json, what the import page reads), or in words."""
    print(reply.to_line() if getattr(args, "json", False) else text)


def _document_json(ex: Extraction) -> dict[str, object]:
    """The document line of ``extract --json``: the protocol's document fields, typed 'document'."""
    from etl.protocol import document_fields

    return {"type": "document", **document_fields(ex.meta).to_json()}


def _input_options(p: argparse.ArgumentParser) -> None:
    """Where a build's inputs besides the reports are; by default in the data folder of --raw."""
    p.add_argument("--corrections-log", help="nhật ký sửa đổi (mặc định: corrections.jsonl cạnh thư mục --raw)")
    p.add_argument("--reference", help="thư mục bảng tham chiếu (mặc định: reference/ cạnh thư mục --raw)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="Trích xuất số liệu báo cáo vào kho DuckDB.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="dựng kho dữ liệu từ thư mục báo cáo gốc")
    b.add_argument("--raw", default=str(DEFAULT_RAW))
    b.add_argument("--db", default=str(DEFAULT_DB))
    b.add_argument("--workers", type=int, default=None, help="số tiến trình trích xuất (mặc định: theo số lõi)")
    b.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="bộ chạy trích xuất: local (các tiến trình trên máy này) hoặc spark (cần make scale)")
    b.add_argument("--master", default=None,
                   help="địa chỉ Spark master cho --engine spark (mặc định: local[--workers hoặc số lõi])")
    b.add_argument("--full", action="store_true", help="dựng lại toàn bộ, không dùng lại số liệu đã trích xuất")
    b.add_argument("--file-timeout", type=float, default=None,
                   help="số giây tối đa cho một tệp (mặc định ETL_FILE_TIMEOUT hoặc 60; 0: không hạn)")  # fmt: skip
    _input_options(b)
    b.set_defaults(func=cmd_build)
    e = sub.add_parser("extract", help="trích xuất số liệu từ các tệp, in ra màn hình")
    e.add_argument("files", nargs="+")
    e.add_argument("--json", action="store_true", help="một dòng JSON cho mỗi văn bản và mỗi số liệu")
    e.add_argument("--all", action="store_true", help="in cả các giá trị khác mà văn bản đưa ra")
    e.add_argument("--mentions", action="store_true", help="in cả các số liệu chưa gán chỉ tiêu, kèm lý do")
    e.set_defaults(func=cmd_extract)
    i = sub.add_parser("import", help="nhập báo cáo mới vào thư mục gốc và dựng lại kho")
    i.add_argument("files", nargs="*")
    i.add_argument("--manifest", help="tệp JSON [{name, path}] của các tệp tải lên")
    i.add_argument("--dry-run", action="store_true", help="chỉ đọc và trích xuất, không ghi gì")
    i.add_argument("--raw", default=str(DEFAULT_RAW))
    i.add_argument("--db", default=str(DEFAULT_DB))
    i.add_argument("--yes", action="store_true", help="công bố không hỏi lại")
    i.add_argument("--json", action="store_true")
    i.add_argument("--corrections", help="tệp JSON các sửa đổi kèm theo")
    i.add_argument("--who", default="dòng lệnh", help="người nhập")
    i.add_argument("--max-mb", type=int, default=20, help="giới hạn kích thước mỗi tệp (MB)")
    _input_options(i)
    i.set_defaults(func=cmd_import)
    r = sub.add_parser("correct", help="ghi sửa đổi số liệu (có lý do) và dựng lại kho")
    r.add_argument("--file", required=True, help="tệp JSON: danh sách sửa đổi")
    r.add_argument("--raw", default=str(DEFAULT_RAW))
    r.add_argument("--db", default=str(DEFAULT_DB))
    r.add_argument("--who", default="dòng lệnh")
    r.add_argument("--json", action="store_true")
    _input_options(r)
    r.set_defaults(func=cmd_correct)
    x = sub.add_parser("export", help="xuất kho dữ liệu ra Parquet phân vùng theo tỉnh và năm")
    x.add_argument("--parquet", required=True, help="thư mục đích")
    x.add_argument("--db", default=str(DEFAULT_DB))
    x.set_defaults(func=cmd_export)
    c = sub.add_parser("check", help="kiểm tra tính nhất quán của số liệu trong kho")
    c.add_argument("--db", default=str(DEFAULT_DB))
    c.add_argument("--json", action="store_true", help="một dòng JSON cho mỗi phát hiện")
    c.set_defaults(func=cmd_check)
    return p


MOVED_REPORT = ("Báo cáo tổng hợp là lệnh của phía đọc (bảng điều khiển): "
                "python -m dashboard report --period KỲ [--province TỈNH] [--out TỆP.docx] …")  # fmt: skip


def _stop_on_sigterm(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up is not interrupted by a second one
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["report"]:  # the compiled report reads the warehouse as the dashboard does: its command
        print(MOVED_REPORT, file=sys.stderr)
        return 2
    args = parser().parse_args(argv)
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        return int(args.func(args))
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; kho dữ liệu giữ nguyên bản trước.", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
