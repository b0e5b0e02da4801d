"""`streamlit run app.py`, with Streamlit's 'pages/ folder' mode switched off before the first
request, so a link to any page goes through app.py (its config, filters and navigation), and each
page's first view made before the server answers, not when the first official opens it.

    python -m dashboard.serve [streamlit run options...]
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[1] / "app.py"


def _port(argv: list[str]) -> int:
    """The port asked for on the command line (Streamlit's default otherwise)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
        if arg == "--server.port" and i + 1 < len(argv):
            return int(argv[i + 1])
    return 8501


def port_is_free(port: int) -> bool:
    """Whether nothing listens on the port yet (so the failure is ours to explain in Vietnamese)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def warm() -> None:
    """The first page's view made before the server answers (``dashboard.views.warm_first``), the
    other pages' right after, beside the server (``warm_rest``): the first official waits for
    neither imports nor queries, and for no page but the one opened. A missing or damaged
    warehouse only skips it: the pages say so themselves."""
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")  # 'No runtime found': not yet, indeed
    quiet.setLevel(logging.ERROR)
    if _warmed("Tổng quan", "warm_first"):
        threading.Thread(target=_warmed, args=("các trang khác", "warm_rest"), daemon=True, name="warm").start()


def _warmed(what: str, step: str) -> bool:
    started = time.monotonic()
    try:
        from dashboard import views

        getattr(views, step)()
        print(f"Đã chuẩn bị sẵn {what} ({time.monotonic() - started:.1f} giây).", flush=True)
        return True
    except Exception as exc:  # noqa: BLE001 - the server serves anyway
        logging.getLogger("dashboard").warning("pages not warmed (%s): %s", what, exc)
        return False


def main() -> None:
    port = _port(sys.argv[1:])
    if not port_is_free(port):
        sys.exit(
            f"LỖI: cổng {port} đang được chương trình khác dùng (có thể bảng điều khiển đã chạy). "
            f"Mở http://localhost:{port} hoặc chạy trên cổng khác: make run PORT={port + 1}"
        )
    PagesManager.uses_pages_directory = False  # app.py calls st.navigation itself
    warm()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
