"""Mutation testing (not a test, not in `make test`): would the tests notice if a business rule changed?

    python bench/mutation.py                          # the five modules of MODULES, each with its tests
    python bench/mutation.py dashboard/tracker.py     # one of them
    python bench/mutation.py etl/checks.py --tests tests/etl/test_checks.py   # any module, any selection
    python bench/mutation.py --list etl/checks.py     # the mutants, not run
    python bench/mutation.py --smoke

Each mutant is one standard change to one place of the module's syntax tree:

- a comparison flipped: ``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``, ``is`` ↔ ``is not``;
- a boolean negated: ``not x`` → ``x``, and a bare condition (``if x``, ``… if x else …``, a
  comprehension's ``if x``) → ``not x``;
- ``and`` ↔ ``or``;
- a constant changed: a number ``n`` → ``n + 1``, ``True`` ↔ ``False``, and a string compared with
  (``x == "rejected"``, ``q in ("about", …)``, ``.isin(["stock", …])``) → another string; other strings
  are wording, which the page and report tests read;
- arithmetic swapped: ``+`` ↔ ``-``, ``*`` ↔ ``/`` (not when building text);
- a statement inside a function removed (an expression, assignment, ``continue``, ``break``,
  ``raise``, a whole ``if``): replaced by ``pass``.

Docstrings, annotations and module-level statements are not mutated. Mutants run one at a time (one
worker: the machine has two cores) on a copy of the work tree, so the tree is never touched and
the tests' own subprocesses (``python -m etl …``) run the mutant too: the mutant is written into the
copy, a process forked from a warm parent (the heavy libraries imported once) runs
``pytest -x -q <selection>`` there, and the original is put back. A mutant is *killed* when the
selection fails (or errors, or outlasts its limit: one and a half times the unmutated run, at
least 30 s), *survived* when it passes. The unmutated module is run first and must pass.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import importlib
import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each module and the tests that cover it, fastest first (``-x`` stops at the first failure).
MODULES: dict[str, list[str]] = {
    "etl/checks.py": ["tests/etl/test_checks.py"],
    "etl/corrections.py": ["tests/etl/test_corrections.py", "tests/etl/test_mentions.py",
                           "tests/reliability/test_corrections.py"],
    "dashboard/kpis.py": ["tests/app/test_kpis.py", "tests/app/test_comparisons.py",
                          "tests/app/test_official_reading.py", "tests/app/test_views.py"],
    "dashboard/tracker.py": ["tests/app/test_tracker.py"],
    "dashboard/compiled.py": ["tests/app/test_compiled_report.py", "tests/app/test_compiled_edges.py"],
}  # fmt: skip
MARKERS = "not slow and not browser"
_HEAVY = ("pytest", "numpy", "pandas", "pyarrow", "duckdb", "openpyxl", "docx", "streamlit", "plotly")

_FLIP: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip
_ARITHMETIC: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
_SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
           ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
           ast.Div: "/", ast.And: "and", ast.Or: "or"}  # fmt: skip
_BODIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith,
           ast.Try, ast.ExceptHandler)  # fmt: skip
_REMOVABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Continue, ast.Break, ast.Raise, ast.If)


@dataclass(frozen=True, slots=True)
class Mutant:
    number: int  # 1, 2, … in the module, in source order
    line: int
    operator: str  # comparison | negation | boolean | constant | arithmetic | statement
    change: str  # what was changed, e.g. "`>` → `>=`"
    site: int  # the node's index in ast.walk order (the same for every parse of the same source)
    detail: int = 0  # which operator of a chained comparison


@dataclass(slots=True)
class Outcome:
    mutant: Mutant
    status: str  # killed | timeout | survived
    seconds: float


# ------------------------------------------------------------------------------------ making mutants


def _skipped_nodes(tree: ast.Module) -> set[int]:  # noqa: C901 - one rule per kind of node
    """ids of nodes never mutated: docstrings, annotations, module-level statements other than
    functions and classes (imports, constants, ``__all__``), decorators."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for stmt in tree.body:  # a module-level constant's numbers are mutated (a limit, a tolerance)
        constant = isinstance(stmt, ast.Assign | ast.AnnAssign) and "__all__" not in ast.unparse(stmt).split("=")[0]
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and not constant:
            mark(stmt)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        is_scope = isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        if is_scope and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            mark(body[0])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            mark(node.returns)
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs, node.args.vararg,
                        node.args.kwarg]:  # fmt: skip
                mark(arg.annotation if arg else None)
            for decorator in node.decorator_list:
                mark(decorator)
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign):  # a dataclass field: its annotation and default
                    mark(stmt)
            for decorator in node.decorator_list:
                mark(decorator)
        if isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.keyword) and node.arg == "strict":  # zip(..., strict=True): only a guard
            mark(node.value)
    return skip


def _compared_strings(tree: ast.Module) -> set[int]:
    """ids of string constants a comparison or ``.isin`` reads: rules, not wording."""
    found: set[int] = set()

    def take(node: ast.AST) -> None:
        items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
        found.update(id(i) for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str))

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                take(side)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "isin":
            for arg in node.args:
                take(arg)
    return found


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _conditions(tree: ast.Module) -> set[int]:
    """ids of bare conditions (no comparison, ``and``/``or`` or ``not`` of their own): negated whole."""
    tests = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If | ast.While | ast.IfExp):
            tests.append(node.test)
        elif isinstance(node, ast.comprehension):
            tests += node.ifs
    bare = (ast.Compare, ast.BoolOp, ast.UnaryOp)
    return {id(t) for t in tests if not isinstance(t, bare)}


def _sites(tree: ast.Module) -> Iterator[tuple[int, ast.AST, str, str, int]]:  # noqa: C901 - one rule per operator
    """(site, node, operator, change, detail) of every mutation of ``tree``."""
    skip, strings, conditions = _skipped_nodes(tree), _compared_strings(tree), _conditions(tree)
    for site, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        if id(node) in conditions:
            yield site, node, "negation", f"`{ast.unparse(node)}` → `not …`", 0
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                yield site, node, "comparison", f"`{_SYMBOL[type(op)]}` → `{_SYMBOL[_FLIP[type(op)]]}`", k
        elif isinstance(node, ast.BoolOp):
            other = ast.Or if isinstance(node.op, ast.And) else ast.And
            yield site, node, "boolean", f"`{_SYMBOL[type(node.op)]}` → `{_SYMBOL[other]}`", 0
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield site, node, "negation", "`not` removed", 0
        elif isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            if not (_is_text(node.left) or _is_text(node.right)):
                op = type(node.op)
                yield site, node, "arithmetic", f"`{_SYMBOL[op]}` → `{_SYMBOL[_ARITHMETIC[op]]}`", 0
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                yield site, node, "constant", f"`{value}` → `{not value}`", 0
            elif isinstance(value, int | float):
                yield site, node, "constant", f"`{value!r}` → `{value + 1!r}`", 0
            elif isinstance(value, str) and id(node) in strings:
                yield site, node, "constant", f"`{value!r}` → `{_other_string(value)!r}`", 0
        if isinstance(node, _BODIES):
            for field in ("body", "orelse", "finalbody"):
                for k, stmt in enumerate(getattr(node, field, []) or []):
                    if isinstance(stmt, _REMOVABLE) and id(stmt) not in skip:
                        first = ast.unparse(stmt).splitlines()[0]
                        yield site, stmt, "statement", f"`{first[:60]}` removed", _STATEMENT[field] + k


_STATEMENT = {"body": 0, "orelse": 10_000, "finalbody": 20_000}  # a statement's place: field and index


def _other_string(value: str) -> str:
    return f"{value}_mutated" if value else "mutated"


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    found = [Mutant(0, getattr(node, "lineno", 0), operator, change, site, detail)
             for site, node, operator, change, detail in _sites(tree)]  # fmt: skip
    found.sort(key=lambda m: (m.line, m.site, m.detail, m.operator))
    return [Mutant(n, m.line, m.operator, m.change, m.site, m.detail) for n, m in enumerate(found, start=1)]


def mutate(source: str, mutant: Mutant) -> str:
    """The module's source with the one change of ``mutant`` (formatting as ``ast.unparse`` writes it)."""
    tree = ast.parse(source)
    node = next(n for k, n in enumerate(ast.walk(tree)) if k == mutant.site)
    _apply(node, mutant)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _apply(node: ast.AST, mutant: Mutant) -> None:  # noqa: C901 - one branch per operator
    if mutant.operator == "statement":
        field = next(f for f, start in sorted(_STATEMENT.items(), key=lambda s: -s[1]) if mutant.detail >= start)
        body = getattr(node, field)
        body[mutant.detail - _STATEMENT[field]] = ast.Pass()
    elif mutant.operator == "comparison":
        node.ops[mutant.detail] = _FLIP[type(node.ops[mutant.detail])]()
    elif mutant.operator == "boolean":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif mutant.operator == "arithmetic":
        node.op = _ARITHMETIC[type(node.op)]()
    elif mutant.operator == "negation" and isinstance(node, ast.UnaryOp):
        _replace(node, node.operand)
    elif mutant.operator == "negation":
        _replace(node, ast.UnaryOp(op=ast.Not(), operand=copy.copy(node)))
    elif isinstance(node.value, bool):
        node.value = not node.value
    elif isinstance(node.value, str):
        node.value = _other_string(node.value)
    else:
        node.value = node.value + 1


def _replace(node: ast.AST, new: ast.AST) -> None:
    """Turn ``node`` into ``new`` in place (its parent keeps pointing at it)."""
    new = copy.copy(new)
    node.__class__ = new.__class__
    for name in node._fields:
        if hasattr(node, name):
            delattr(node, name)
    for name in new._fields:
        setattr(node, name, getattr(new, name))


# ------------------------------------------------------------------------------------ running them


def _tree_copy(tests_at: str | None = None) -> Path:
    """The work tree's files (tracked and new, not ignored) in a temporary folder; with
    ``tests_at``, its ``tests/`` as they were at that git revision (to measure an older suite)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")  # fmt: skip
    target = Path(tempfile.mkdtemp(prefix="mutation-"))
    for name in filter(None, listed):
        source = ROOT / name
        if name.startswith(".venv") or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    if tests_at:
        shutil.rmtree(target / "tests")
        archive = subprocess.run(["git", "archive", tests_at, "tests"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def _warm(tree: Path) -> None:
    """The parent every run forks from, in the copy: the heavy libraries imported once."""
    os.chdir(tree)
    sys.path[:] = [str(tree), *[p for p in sys.path if Path(p or ".").resolve() not in (ROOT, ROOT / "bench")]]
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # the tests' subprocesses compile the mutant from its source
    sys.dont_write_bytecode = True
    for name in _HEAVY:
        with contextlib.suppress(ImportError):
            __import__(name)


def _module_name(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def _functions(namespace: dict, owner: str) -> Iterator[tuple[str, types.FunctionType]]:
    """(qualified name, function) of the functions and methods a module defines, unwrapped."""
    for name, value in namespace.items():
        if isinstance(value, type) and value.__module__ == owner:
            for attr, member in vars(value).items():
                for fn in (member, getattr(member, "fget", None), getattr(member, "__func__", None),
                           getattr(member, "func", None)):  # fmt: skip
                    if isinstance(fn, types.FunctionType) and fn.__module__ == owner:
                        yield f"{name}.{attr}", fn
        fn = inspect.unwrap(value) if callable(value) else None
        if isinstance(fn, types.FunctionType) and fn.__module__ == owner:
            yield name, fn


def _swap_in(module: types.ModuleType, source: str) -> None:
    """Make the imported ``module`` run ``source``: every function and method of it takes the new
    code and defaults (so whoever imported them runs the mutant too), and its plain constants the
    new values; its caches are emptied."""
    scratch: dict[str, object] = {"__name__": module.__name__, "__file__": module.__file__,
                                  "__package__": module.__package__}  # fmt: skip
    exec(compile(source, module.__file__ or module.__name__, "exec"), scratch)  # noqa: S102 - our own module
    new = dict(_functions(scratch, module.__name__))
    for name, fn in _functions(vars(module), module.__name__):
        if name in new and fn.__code__.co_filename == module.__file__:  # not what dataclasses generate
            fn.__code__ = new[name].__code__
            fn.__defaults__, fn.__kwdefaults__ = new[name].__defaults__, new[name].__kwdefaults__
    for name, value in scratch.items():
        plain = isinstance(value, int | float | str | bytes | tuple | frozenset | set) or value is None
        if plain and not name.startswith("__") and getattr(module, name, object()) != value:
            setattr(module, name, value)
    for value in vars(module).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


# Fixtures that build a warehouse or start the app: tests that use none run first, so a mutant
# they catch is caught before any build (the order of tests never decides whether one fails).
_COSTLY = {"warehouse", "raw_dir", "app", "site", "small_site", "generated", "year_report", "half_year", "tmp_path"}


class _Plugin:
    """Cheap tests first; the session's sample warehouse, when given, made once for every mutant
    (for a module the build does not run: the dashboard's)."""

    def __init__(self, prebuilt: dict[str, Path]) -> None:
        self.prebuilt = prebuilt

    @staticmethod
    def pytest_collection_modifyitems(items: list) -> None:
        items.sort(key=lambda item: bool(_COSTLY & set(getattr(item, "fixturenames", ()))))

    def pytest_fixture_setup(self, fixturedef: object, request: object) -> object:
        name = fixturedef.argname  # type: ignore[attr-defined]
        if name in self.prebuilt and fixturedef.scope == "session":  # type: ignore[attr-defined]
            fixturedef.cached_result = (self.prebuilt[name], fixturedef.cache_key(request), None)  # type: ignore
            return self.prebuilt[name]
        return None


def _prebuild(tree: Path) -> dict[str, Path]:
    """The samples' warehouse as tests/conftest.py makes it (``raw_dir``, ``warehouse``), made once."""
    from etl.build import build_warehouse
    from tests.conftest import RAW, REPORTS

    data = Path(tempfile.mkdtemp(prefix="mutation-data-", dir=tree)) / "data"
    shutil.copytree(RAW.parent / "reference", data / "reference")
    raw = data / "raw"
    raw.mkdir()
    for f in [*sorted(RAW.glob("*.txt")), *sorted(p for p in REPORTS.glob("*.*") if p.suffix in (".txt", ".md"))]:
        shutil.copy(f, raw / f.name)
    db = data.parent / "warehouse.duckdb"
    assert not build_warehouse(raw, db).errors
    return {"raw_dir": raw, "warehouse": db}


def _run_tests(module: str, source: str | None, tests: list[str], plugin: _Plugin, limit: float,
               log: Path) -> tuple[str, float]:  # fmt: skip
    """``pytest -x -q`` on ``tests`` in a forked child whose ``module`` runs ``source`` (None: as it
    is): killed | timeout | survived, and seconds."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: its own process group, so a timeout takes its workers too
        code = 3
        try:
            os.setpgid(0, 0)
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            if source is not None:
                _swap_in(sys.modules[_module_name(module)], source)
            import pytest

            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-m", MARKERS, *tests], plugins=[plugin])
        except BaseException:  # a mutant that cannot even load is caught
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(code))
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return ("survived" if code == 0 else "killed"), time.monotonic() - start
        if time.monotonic() - start > limit:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout", time.monotonic() - start
        time.sleep(0.02)


def run_module(tree: Path, module: str, tests: list[str], only: set[int] | None = None,
               log_dir: Path | None = None) -> tuple[list[Outcome], float]:  # fmt: skip
    """Every mutant of ``module`` (or those numbered in ``only``) against ``tests``; and the unmutated run's seconds."""
    path = tree / module
    original = path.read_text(encoding="utf-8")
    found = [m for m in mutants(original) if only is None or m.number in only]
    log_dir = log_dir or tree / ".mutation-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    stem = module.replace("/", "_")
    importlib.import_module(_module_name(module))
    for test in tests:  # imported once here, not in every run
        importlib.import_module(test.removesuffix(".py").replace("/", "."))
    plugin = _Plugin(_prebuild(tree) if module.startswith("dashboard/") else {})
    outcomes = []
    try:
        plain = ast.unparse(ast.parse(original)) + "\n"  # the formatting every mutant has
        path.write_text(plain, encoding="utf-8")
        status, baseline = _run_tests(module, plain, tests, plugin, 3600, log_dir / f"{stem}.baseline.log")
        if status != "survived":
            raise SystemExit(f"{module}: its tests fail without any mutant ({log_dir / f'{stem}.baseline.log'})")
        limit = max(30.0, 1.5 * baseline)  # a mutant that hangs (a lock never given back) is stopped
        for m in found:
            changed = mutate(original, m)
            path.write_text(changed, encoding="utf-8")  # for the tests' own subprocesses
            status, seconds = _run_tests(module, changed, tests, plugin, limit, log_dir / f"{stem}.{m.number}.log")
            outcomes.append(Outcome(m, status, seconds))
            mark = {"killed": ".", "timeout": "T", "survived": "S"}[status]
            print(mark, end="" if len(outcomes) % 60 else "\n", flush=True)
    finally:
        path.write_text(original, encoding="utf-8")
    print(flush=True)
    return outcomes, baseline


def _earlier(path: Path | None, module: str) -> dict | None:
    if path is None:
        return None
    found = [r for r in json.loads(path.read_text(encoding="utf-8")) if r["module"] == module]
    if not found:
        raise SystemExit(f"{path} holds no results for {module}")
    return found[0]


def summary(module: str, outcomes: list[Outcome], source: str, earlier: dict | None = None) -> dict[str, object]:
    """The figures of a run (with ``earlier``: of the earlier run whose survivors it ran again)."""
    lines = source.splitlines()
    total = earlier["mutants"] if earlier else len(outcomes)
    killed = sum(o.status != "survived" for o in outcomes) + (earlier["killed"] if earlier else 0)
    survivors = [{**asdict(o.mutant), "code": lines[o.mutant.line - 1].strip()} for o in outcomes
                 if o.status == "survived"]  # fmt: skip
    return {
        "module": module,
        "mutants": total,
        "killed": killed,
        "timeouts": sum(o.status == "timeout" for o in outcomes) + (earlier["timeouts"] if earlier else 0),
        "survived": len(survivors),
        "killed_share": round(100 * killed / total, 1) if total else None,
        "survivors": survivors,
        "rerun_of_survivors": bool(earlier),
    }


def _print(result: dict[str, object]) -> None:
    print(f"{result['module']}: {result['killed']}/{result['mutants']} killed ({result['killed_share']} %), "
          f"{result['timeouts']} of them by the time limit; {result['survived']} survived")  # fmt: skip
    for s in result["survivors"]:  # type: ignore[union-attr]
        print(f"  #{s['number']:<4} line {s['line']:<4} {s['operator']:<10} {s['change']}\n        {s['code'][:110]}")


def _smoke() -> int:
    """The mutants of the five modules are listed, one in ten of each operator made and compiled;
    one known mutant runs and is killed."""
    total, made = 0, 0
    for module in MODULES:
        source = (ROOT / module).read_text(encoding="utf-8")
        plain = ast.unparse(ast.parse(source)) + "\n"
        found = mutants(source)
        for m in found[::10] + [next(m for m in found if m.operator == op) for op in {m.operator for m in found}]:
            changed = mutate(source, m)
            compile(changed, module, "exec")
            assert changed != plain, (module, m)
            made += 1
        total += len(found)
    print(f"{total} mutants across {len(MODULES)} modules; {made} of them made and compiled")
    source = (ROOT / "etl/corrections.py").read_text(encoding="utf-8")
    # 'a later value correction keeps a rejection': ``status != "rejected"`` flipped
    rule = next(m for m in mutants(source) if m.operator == "comparison" and 'status != "rejected"' in _line(source, m))
    tree = _tree_copy()
    try:
        _warm(tree)
        outcomes, _ = run_module(tree, "etl/corrections.py", ["tests/etl/test_corrections.py"], {rule.number})
    finally:
        os.chdir(ROOT)
        shutil.rmtree(tree, ignore_errors=True)
    print(f"etl/corrections.py #{rule.number} ({rule.change}, line {rule.line}): {outcomes[0].status}")
    return 0 if outcomes[0].status == "killed" else 1


def _line(source: str, m: Mutant) -> str:
    return source.splitlines()[m.line - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"modules to mutate (default: {', '.join(MODULES)})")
    parser.add_argument("--tests", nargs="+", help="the test selection (default: the module's in MODULES)")
    parser.add_argument("--only", help="run only these mutants, by number: 3,17,40")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--tests-at", metavar="REV", help="the tests as they were at this git revision")
    parser.add_argument("--survivors-of", type=Path, metavar="JSON",
                        help="run only the survivors of an earlier run's results (tests only added since: "
                             "a mutant killed then is killed now); the figures count both runs")  # fmt: skip
    parser.add_argument("--smoke", action="store_true", help="make every mutant; run one (for the tests)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the copy is still removed
    args.json = args.json.resolve() if args.json else None  # the runs work inside the copy
    args.survivors_of = args.survivors_of.resolve() if args.survivors_of else None
    if args.smoke:
        return _smoke()
    modules = args.modules or list(MODULES)
    if args.list:
        for module in modules:
            for m in mutants((ROOT / module).read_text(encoding="utf-8")):
                print(f"{module} #{m.number} line {m.line} {m.operator}: {m.change}")
        return 0
    only = {int(n) for n in args.only.split(",")} if args.only else None
    tree = _tree_copy(args.tests_at)
    results = []
    try:
        _warm(tree)
        for module in modules:
            tests = [t for t in args.tests or MODULES[module] if (tree / t).exists()]  # an older suite may lack some
            print(f"{module} with {' '.join(tests)}", flush=True)
            earlier = _earlier(args.survivors_of, module)
            wanted = {s["number"] for s in earlier["survivors"]} if earlier else only
            outcomes, baseline = run_module(tree, module, tests, wanted, ROOT / "bench" / "out" / "mutation")
            result = summary(module, outcomes, (tree / module).read_text(encoding="utf-8"), earlier)
            result["tests"], result["baseline_seconds"] = tests, round(baseline, 1)
            result["tests_at"] = args.tests_at
            _print(result)
            results.append(result)
    finally:
        os.chdir(ROOT)
        shutil.rmtree(tree, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
