"""Layers are a contract: a stage imports only the stages below it, never one above.

Every import counts — at the top, inside a function, under TYPE_CHECKING — so an arrow that
runs back up fails here, in `make test`.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from tests.conftest import ROOT

# Lowest first. A module may import its own layer and the layers below it.
ETL_LAYERS: tuple[tuple[str, ...], ...] = (
    ("etl", "etl.models", "etl.sources"),  # records, words, what a raw folder holds
    ("etl.text", "etl.normalize", "etl.gazetteer", "etl.readers"),  # text utilities, files to text
    ("etl.catalog", "etl.metadata", "etl.corrections", "etl.remap", "etl.reference"),  # what figures and documents are
    ("etl.extract",),  # the extraction stage
    ("etl.pipeline", "etl.checks", "etl.rows"),  # one extraction, its rows, the checks over records
    ("etl.transform",),  # one document's whole step, pure: what any executor runs
    ("etl.batch", "etl.run", "etl.province_scope"),  # outcomes typed in batches; a build's inputs, report, provinces
    ("etl.workers", "etl.spark_executor", "etl.serving", "etl.store_frames", "etl.plan", "etl.export"),  # executors
    ("etl.executor",),  # what runs transform: the local pool or Spark, behind one interface
    ("etl.store",),  # the warehouse being built: replace, recheck, publish
    ("etl.build",),  # one build entry
    ("etl.importer", "etl.protocol"),  # uploads into the raw folder; the import page's protocol
    ("etl.cli", "etl.__main__"),
)
# Arrows allowed against the layers, each with its reason.
ALLOWED: set[tuple[str, str]] = set()
PAGE_MODULES = ("dashboard", "streamlit", "pandas", "plotly")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, wherever the import statement is."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if base == "etl"}  # from etl import x
    return found


def _layer(module: str) -> int | None:
    """The layer of an etl module: the longest prefix declared."""
    best, depth = None, -1
    for n, layer in enumerate(ETL_LAYERS):
        for prefix in layer:
            if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = n, prefix.count(".")
    return best


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_every_etl_module_has_a_layer():
    assert [_module(p) for p in _files("etl") if _layer(_module(p)) is None] == []


def test_etl_stages_only_look_down():
    upward = []
    for path in _files("etl"):
        here = _module(path)
        for target in _imports(path):
            there = _layer(target) if target.startswith("etl") else None
            if (here, target) in ALLOWED:
                continue
            if there is not None and there > _layer(here):
                upward.append(f"{here} -> {target}")
            if target.split(".")[0] in ("dashboard", "streamlit"):
                upward.append(f"{here} -> {target}")
    assert upward == []


def test_only_the_extract_stage_reaches_into_extract():
    """`etl.extract` is a stage with one entry: other modules import the package, not its parts."""
    inside = [
        f"{_module(p)} -> {t}"
        for p in _files("etl")
        if not _module(p).startswith("etl.extract")
        for t in _imports(p)
        if t.startswith("etl.extract.")
    ]
    assert inside == []


def test_the_etl_never_imports_the_dashboard():
    """Not even lazily: `python -m etl report` became `python -m dashboard report`."""
    crossing = [f"{_module(p)} -> {t}" for p in _files("etl") for t in _imports(p) if t.split(".")[0] == "dashboard"]
    assert crossing == []


def test_the_dashboard_never_imports_etl():
    crossing = [f"{_module(p)} -> {t}" for p in _files("dashboard") for t in _imports(p) if t.split(".")[0] == "etl"]
    assert crossing == []


def test_pages_import_only_the_read_side_and_the_drawing_libraries():
    allowed = set(PAGE_MODULES) | set(sys.stdlib_module_names)
    stray = [
        f"{p.name} -> {t}"
        for p in _files("pages")
        for t in _imports(p)
        if t and t.split(".")[0] not in allowed
    ]
    assert stray == []


def test_the_contract_catches_an_arrow_up():
    """Imports inside functions and relative imports count too (else the contract could not fail)."""
    source = "def f():\n    from etl.cli import main\n\nfrom ..build import build\nfrom . import engine\n"
    found = _imports_in(source, "etl.extract")
    assert found == {"etl.cli", "etl.build", "etl.extract"}
    assert _layer("etl.cli") > _layer("etl.extract") and _layer("etl.build") > _layer("etl.extract")


# The contract (contract/): what both sides read. It imports neither, and the rules and words it
# declares have no second spelling on either side.
SIDES = ("etl", "dashboard", "pages")
OTHERS_FILES: tuple[str, ...] = ()  # none left out: the extractor's quarter tables went too


def _side_files(suffixes: tuple[str, ...] = (".py",)) -> list[Path]:
    return [p for side in SIDES for p in sorted((ROOT / side).rglob("*")) if p.suffix in suffixes]


def test_the_contract_imports_nothing_but_the_standard_library():
    stray = [
        f"{_module(p)} -> {t}"
        for p in _files("contract")
        for t in _imports(p)
        if t and t.split(".")[0] not in sys.stdlib_module_names and t.split(".")[0] != "contract"
    ]
    assert stray == []
    assert [p.name for p in (ROOT / "contract").iterdir() if p.suffix == ".sql"] == ["schema.sql"]
    assert not [p for p in _side_files((".sql",)) if p.name == "schema.sql"], "one schema, in contract/"


def test_the_kept_fact_rule_is_spelled_only_in_the_contract():
    """`status <> 'rejected'` was written in 8 places; now readers ask kept_facts or fact_view.kept."""
    rule = re.compile(r"status\s*(?:<>|!=)\s*'rejected'|!=\s*\"rejected\"\s*\]|\]\s*!=\s*\"rejected\"")
    spelled = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in _side_files((".py", ".sql"))
               for m in rule.finditer(p.read_text(encoding="utf-8"))]  # fmt: skip
    assert spelled == []
    schema = (ROOT / "contract" / "schema.sql").read_text(encoding="utf-8")
    assert "CREATE VIEW kept_facts AS" in schema and "WHERE s.kept" in schema


def _constants(node: ast.AST) -> set[object]:
    inner = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return {n.value for n in inner if isinstance(n, ast.Constant)}


def _tells_by_unit(node: ast.Compare) -> bool:
    """`x == "hạng"`, `x != "hạng"`, `x in ("hạng",)` — not a search for the word in a text."""
    for op, left, right in zip(node.ops, [node.left, *node.comparators], node.comparators, strict=False):
        if isinstance(op, ast.Eq | ast.NotEq) and "hạng" in _constants(left) | _constants(right):
            return True
        listed = isinstance(right, ast.Tuple | ast.List | ast.Set)
        if isinstance(op, ast.In | ast.NotIn) and listed and "hạng" in _constants(right):
            return True
    return False


def test_rank_ness_is_told_by_kind_never_by_the_unit():
    """`unit == "hạng"` was written in 9 places; a rank is an indicator of kind 'rank' (contract.is_rank)."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _side_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Compare) and _tells_by_unit(node)
    ]
    assert found == []


def test_quarter_numerals_and_report_types_have_no_copies():
    """The Roman quarters (5 tables) and the report types (2 dicts) live in contract/vocabulary.toml."""
    from contract import REPORT_TYPES

    codes = {r.code for r in REPORT_TYPES}
    copies = []
    for path in _side_files():
        if path.relative_to(ROOT).as_posix().startswith(OTHERS_FILES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                words = {str(v).lower() for n in (*node.keys, *node.values) if n for v in _constants(n)}
                if {"i", "ii", "iii", "iv"} <= words or len(words & codes) > 1:
                    copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert copies == []


STORE_STEPS = ("open_store", "replace", "recheck", "publish")  # the store's opening and its three steps


def _store_calls(source: str, module: str) -> list[str]:
    """Calls of the store's steps in a module's source: ``open_store`` by name, and ``replace``,
    ``recheck`` or ``publish`` on a name ``store`` (so ``text.replace`` is not one)."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        on_store = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "store"
        if name == "open_store" or (name in STORE_STEPS[1:] and on_store):
            calls.append(f"{module}:{node.lineno} {name}")
    return calls


def test_build_is_the_only_orchestrator_of_the_store():
    """plan -> map -> store -> recheck -> publish happens in etl/build.py alone: no other module
    imports the store, and none opens one or calls its steps."""
    importers = {_module(p) for folder in ("etl", "dashboard", "pages", "bench") for p in _files(folder)
                 if any(t == "etl.store" or t.startswith("etl.store.") for t in _imports(p))}  # fmt: skip
    assert importers == {"etl.build"}
    calls = [c for folder in ("etl", "bench") for p in _files(folder)
             for c in _store_calls(p.read_text(encoding="utf-8"), _module(p))]  # fmt: skip
    assert {c.split(":")[0] for c in calls} == {"etl.build"}
    assert {c.rsplit(" ", 1)[1] for c in calls} == set(STORE_STEPS)  # the check sees each step's call


def test_the_orchestrator_check_catches_a_second_caller():
    source = ("from etl import store as s\n\ndef f(run):\n    with s.open_store(run, False) as store:\n"
              "        store.recheck(store.replace([]))\n        return store.publish([]), 'a'.replace('a', 'b')\n")
    assert "etl.store" in _imports_in(source, "etl.importer")
    assert [c.rsplit(" ", 1)[1] for c in _store_calls(source, "etl.importer")] == [
        "open_store", "recheck", "replace", "publish"]  # fmt: skip
