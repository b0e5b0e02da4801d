"""Command line of the compiled report (``python -m dashboard report``).

    python -m dashboard.compiled_cli --province "Tây Ninh" --period 6T/2024 --out bao-cao.docx
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from dashboard import compiled
from dashboard.compiled_docx import render_docx
from dashboard.db import connect, warehouse_path

_MESSAGES = (
    ("the following arguments are required:", "thiếu tham số bắt buộc:"),
    ("unrecognized arguments:", "tham số không nhận ra:"),
    ("expected one argument", "cần một giá trị"),
    ("argument ", "tham số "),
)


class _Parser(argparse.ArgumentParser):
    """argparse with its messages in Vietnamese."""

    def error(self, message: str) -> NoReturn:
        for english, vietnamese in _MESSAGES:
            message = message.replace(english, vietnamese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {message}\n")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "cách dùng:", 1)

    def format_help(self) -> str:
        return (
            super()
            .format_help()
            .replace("usage:", "cách dùng:", 1)
            .replace("options:", "tùy chọn:", 1)
        )


def _period(text: str) -> compiled.Period:
    try:
        return compiled.parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser(prog: str = "dashboard report") -> argparse.ArgumentParser:
    description = "Tạo báo cáo tổng hợp (.docx theo Nghị định 30/2020/NĐ-CP) và phụ lục số liệu (.xlsx)."
    parser = _Parser(prog=prog, add_help=False, description=description)
    parser.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    parser.add_argument("--period", type=_period, required=True, metavar="KỲ",
                        help=f"kỳ báo cáo: {compiled.PERIOD_HELP}")  # fmt: skip
    parser.add_argument("--province", action="append", default=[], metavar="TỈNH",
                        help="tỉnh, thành phố (lặp lại để chọn nhiều; mặc định: tất cả)")  # fmt: skip
    parser.add_argument("--agency", action="append", default=[], metavar="CƠ_QUAN",
                        help="cơ quan (lặp lại để chọn nhiều; mặc định: tất cả)")  # fmt: skip
    parser.add_argument("--group", action="append", default=[], metavar="NHÓM",
                        help="mã nhóm chỉ tiêu, ví dụ tthc (lặp lại để chọn nhiều; mặc định: tất cả)")  # fmt: skip
    parser.add_argument("--db", type=Path, default=None, metavar="KHO",
                        help="kho dữ liệu (mặc định: $WAREHOUSE hoặc data/warehouse.duckdb)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None, metavar="TỆP.docx",
                        help="tệp báo cáo (mặc định: bao-cao-tong-hop_<tỉnh>_<kỳ>_<ngày>.docx)")  # fmt: skip
    parser.add_argument("--xlsx", type=Path, default=None, metavar="TỆP.xlsx",
                        help="tệp phụ lục Excel (mặc định: cùng tên với báo cáo, đuôi .xlsx)")  # fmt: skip
    return parser


def generate(db: Path, scope: compiled.Scope) -> tuple[compiled.CompiledReport, bytes, bytes]:
    """The compiled report, its .docx and its Excel annex, from one read-only connection."""
    con = connect(db)
    try:
        report = compiled.compile_report(con, scope)
        workbook = compiled.annex_workbook(con, report)
    finally:
        con.close()
    return report, render_docx(report), workbook


def main(argv: list[str]) -> int:
    """Parse, compile from the warehouse, write the .docx and the .xlsx, print a summary."""
    args = build_parser().parse_args(argv)
    db = args.db or warehouse_path()
    if not db.exists():
        print(f"Lỗi: không tìm thấy kho dữ liệu {db}; chạy `python -m etl build` trước.", file=sys.stderr)
        return 1
    scope = compiled.Scope(args.period, tuple(args.province), tuple(args.agency), tuple(args.group))
    report, document, workbook = generate(db, scope)
    out = args.out or Path(compiled.file_stem(scope) + ".docx")
    xlsx = args.xlsx or out.with_suffix(".xlsx")
    out.write_bytes(document)
    xlsx.write_bytes(workbook)
    rows = sum(len(s.rows) for s in report.sections)
    print(f"Báo cáo: {out}\nPhụ lục số liệu: {xlsx}")
    print(f"Kỳ: {scope.period.full}; cơ quan: {len(report.units)}; "
          f"nhóm chỉ tiêu: {len(report.sections)}; dòng số liệu: {rows}; có phát hiện: {len(report.flagged)}; "
          f"không cùng kỳ (phụ lục II): {len(report.omissions)}")  # fmt: skip
    silent = [u.name for u in report.units if not u.reports]
    if silent:
        print("Không báo cáo: " + "; ".join(silent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
