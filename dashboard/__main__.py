"""The read side's own commands: ``python -m dashboard report …`` (the compiled report from the
warehouse; ``etl`` never imports the dashboard)."""

from __future__ import annotations

import sys

from dashboard.compiled_cli import main as report_main

USAGE = "Cách dùng: python -m dashboard report --period KỲ [--province TỈNH] [--out TỆP.docx] …"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["report"]:
        return report_main(argv[1:])
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
