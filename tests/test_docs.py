"""Documentation that can drift is tested."""

from __future__ import annotations

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


def test_catalog_codes_are_the_spec_codes(catalog):
    import csv

    spec = ROOT.parent / "shared" / "spec" / "indicators.csv"
    codes = {i.code for i in catalog.indicators}
    expected = {
        "staff_total", "tthc_received", "hotline1022_received", "camera_traffic_total", "dti_rank",
        "petitions_received", "inspections_total", "fines_vnd", "edocs_exchanged", "donations_vnd",
    }  # fmt: skip
    assert expected <= codes
    if spec.exists():  # beside the project on CI; the catalog must hold every code of the spec
        rows = list(csv.DictReader(spec.open(encoding="utf-8")))
        assert {r["code"] for r in rows} <= codes
        for r in rows:
            ind = catalog.get(r["code"])
            assert (ind.unit, ind.scope, ind.kind, ind.group) == (r["unit"], r["scope"], r["kind"], r["group"])


def test_every_indicator_has_labels_and_a_range(catalog):
    for ind in catalog.indicators:
        assert ind.label_vi and ind.label_en and ind.unit
        assert ind.min_value <= ind.max_value
        assert ind.group in catalog.groups
