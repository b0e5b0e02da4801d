"""`python -m dashboard.serve` with every page run slowed by SLOW_SECONDS (default 3): the browser
tests see what an official sees while a page works."""

from __future__ import annotations

import os
import time

from dashboard import serve, sidebar

_page_filters = sidebar.page_filters


def _slow_page_filters() -> object:
    time.sleep(float(os.environ.get("SLOW_SECONDS", "3")))
    return _page_filters()


if __name__ == "__main__":
    sidebar.page_filters = _slow_page_filters  # every page asks for its filters first
    serve.main()
