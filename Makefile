# make run  — set up (venv, packages, warehouse) and start the dashboard
# make test — the same set-up, then lint and the test suite (make slow: the slow cases; make e2e: browser)
# make scale — Spark (pyspark) for the slow Spark test and larger builds; optional, never in run/test
PY      := .venv/bin/python
STAMP   := .venv/.installed-stamp
DEVSTAMP := .venv/.dev-installed-stamp
SCALESTAMP := .venv/.scale-installed-stamp
DB      := data/warehouse.duckdb
RAW     := data/raw
PORT    ?= 8501

.PHONY: run test slow e2e scale warehouse lint bench mutation clean

$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

# Test tools (pytest, ruff, playwright, fpdf2 …) only for `make test` / `make e2e`.
$(DEVSTAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(DEVSTAMP)

# Spark (pyspark, py4j: requirements-scale.txt) only for `make scale` / `make slow`: it needs a
# Java runtime (Debian's openjdk-17-jre-headless, which .ci/run installs) and is heavy to install.
$(SCALESTAMP): $(STAMP) requirements-scale.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-scale.txt
	@command -v java >/dev/null 2>&1 || echo "Cảnh báo: chưa có Java; Spark cần: apt-get install openjdk-17-jre-headless"
	@touch $(SCALESTAMP)

scale: $(SCALESTAMP)

# Rebuilt when missing or older than any report or any ETL or contract source file.
warehouse: $(STAMP)
	@if [ ! -f $(DB) ] || [ -n "$$(find $(RAW) data/reference data/corrections.jsonl etl contract -newer $(DB) -type f 2>/dev/null | head -n 1)" ]; then \
		$(PY) -m etl build --raw $(RAW) --db $(DB) || echo "Cảnh báo: có tệp không đọc được (xem trên); các tệp khác đã được nạp."; \
	else echo "Kho dữ liệu $(DB) đã cập nhật."; fi

run: warehouse
	$(PY) -m dashboard.serve --server.port $(PORT) --server.headless true

lint: $(DEVSTAMP)
	$(PY) -m ruff check .

test: warehouse lint $(DEVSTAMP)
	$(PY) -m pytest -m "not browser and not slow"

# The slow cases (atomicity under kills, long interleavings, hostile files over a second each,
# Spark reading the Parquet export and building with --engine spark: needs Java and `make scale`); CI runs them.
slow: warehouse $(DEVSTAMP) $(SCALESTAMP)
	$(PY) -m pytest -m "slow and not browser"

# End-to-end: a real Streamlit server (free loopback port, started and stopped by the tests'
# fixtures) and Debian's chromium driven by Playwright. Needs: apt-get install chromium
e2e: warehouse $(DEVSTAMP)
	@test -x /usr/bin/chromium || { echo "chromium is missing: apt-get install chromium"; exit 1; }
	$(PY) -m pytest -m browser tests/e2e

bench: $(DEVSTAMP)
	$(PY) bench/build_benchmark.py
	$(PY) bench/dashboard_benchmark.py

# Mutation testing (not in `make test`): the business-rule modules, one mutant at a time (one worker),
# each with the tests that cover it; prints the share of mutants killed and the survivors.
mutation: $(DEVSTAMP)
	$(PY) bench/mutation.py --json bench/out/mutation.json

clean:
	rm -rf .venv $(DB) .pytest_cache .ruff_cache
