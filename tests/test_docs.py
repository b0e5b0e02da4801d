"""Documentation that can drift is tested."""

from __future__ import annotations

import csv
import os

import pytest

from etl.cli import parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_subcommand_is_in_the_readme():
    sub = next(a for a in parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"python -m etl {name}" in README


def test_readme_holds_the_two_set_up_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_catalog_holds_the_key_codes(catalog):
    codes = {i.code for i in catalog.indicators}
    expected = {
        "staff_total", "tthc_received", "hotline1022_received", "camera_traffic_total", "dti_rank",
        "petitions_received", "inspections_total", "fines_vnd", "edocs_exchanged", "donations_vnd",
    }  # fmt: skip
    assert expected <= codes


def test_catalog_codes_are_the_spec_codes(catalog):
    """The catalog holds every code of the spec beside the project (../shared); on CI (CI=1) a
    missing spec fails instead of skipping, so the test cannot pass without running."""
    spec = ROOT.parent / "shared" / "spec" / "indicators.csv"
    if not spec.exists():
        if os.environ.get("CI") == "1":
            pytest.fail(f"{spec} is missing: CI must run beside ../shared")
        pytest.skip(f"{spec} is missing (set CI=1 to make this a failure)")
    rows = list(csv.DictReader(spec.open(encoding="utf-8")))
    assert {r["code"] for r in rows} <= {i.code for i in catalog.indicators}
    for r in rows:
        ind = catalog.get(r["code"])
        assert (ind.unit, ind.scope, ind.kind, ind.group) == (r["unit"], r["scope"], r["kind"], r["group"])


def test_the_module_map_names_every_module():
    """The README's module map (## Modules, ## Data flow) names each module of etl/, bench/,
    dashboard/ and pages/."""
    missing = [
        p.relative_to(ROOT).as_posix()
        for folder in ("etl", "bench", "dashboard", "pages")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if p.name not in ("__init__.py", "__main__.py") and not _named(p)
    ]
    assert missing == []


def _named(path) -> bool:
    """Named by its path from the project (etl/text/numbers.py), from its package (text/numbers.py)
    or, inside a package whose folder the map names, by its file name in backquotes."""
    rel = path.relative_to(ROOT).as_posix()
    inner = path.relative_to(ROOT / rel.split("/")[0]).as_posix()
    return f"`{rel}`" in README or f"`{inner}`" in README or f"`{path.name}`" in README


def test_every_indicator_has_labels_and_a_range(catalog):
    for ind in catalog.indicators:
        assert ind.label_vi and ind.label_en and ind.unit
        assert ind.min_value <= ind.max_value
        assert ind.group in catalog.groups
