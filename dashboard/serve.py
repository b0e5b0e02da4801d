"""`streamlit run app.py`, with Streamlit's 'pages/ folder' mode switched off before the first
request, so a link to any page goes through app.py (its config, filters and navigation).

    python -m dashboard.serve [streamlit run options...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[1] / "app.py"


def main() -> None:
    PagesManager.uses_pages_directory = False  # app.py calls st.navigation itself
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
