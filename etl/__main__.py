"""python -m etl build | extract | check"""

from etl.cli import main

raise SystemExit(main())
