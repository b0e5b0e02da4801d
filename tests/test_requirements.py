"""Run time stays light: Spark is an optional extra (make scale), never in make run or make test."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT


def _pinned(name: str) -> set[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return {re.split(r"[=<>~ ]", line, maxsplit=1)[0].lower() for line in lines if line and line[0].isalpha()}


def test_spark_is_pinned_only_in_the_scale_requirements():
    assert {"pyspark", "py4j"} <= _pinned("requirements-scale.txt")
    assert not {"pyspark", "py4j"} & (_pinned("requirements.txt") | _pinned("requirements-dev.txt"))


def test_make_scale_installs_it_and_make_slow_needs_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(SCALESTAMP\): .*requirements-scale\.txt$", makefile, re.M)
    assert re.search(r"^scale: \$\(SCALESTAMP\)$", makefile, re.M)
    assert re.search(r"^slow: .*\$\(SCALESTAMP\)", makefile, re.M)
    assert not re.search(r"^(test|run|lint|warehouse): .*SCALESTAMP", makefile, re.M)


def test_the_spark_test_is_slow_and_imports_pyspark_only_when_it_runs():
    """Collected by `make test` without pyspark: no import at the top, every case marked slow."""
    tree = ast.parse((ROOT / "tests" / "etl" / "test_spark_export.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = {a.name for n in top for a in n.names} | {n.module for n in top if isinstance(n, ast.ImportFrom)}
    assert not any(str(name).startswith(("pyspark", "py4j")) for name in names)
    marks = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "pytestmark")
    assert "pytest.mark.slow" in ast.unparse(marks.value)
