"""Benchmark (not a test): follow a build's inputs through the code, as a reader would.

    python bench/build_trace.py [RAW_DIR] [--smoke]

Builds the samples (or RAW_DIR) in this process with a profiler hook on every call into `etl/`,
and prints the path the build takes between files: each call from one etl module into another
is a stop; a call into a module of a higher layer (tests/test_layers.py's table) is a climb
back up (a callback, or a generator of a higher stage resumed from below); a call into a module
the build had already entered from another caller is a return to a file already left (the
records and text utilities of the two lowest layers are a vocabulary read from everywhere, not
counted). Printed: stops, files, climbs, returns, and the climbs by name.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.build import BuildInputs, build  # noqa: E402
from tests.test_layers import _layer  # noqa: E402

ETL = str(ROOT / "etl")
_UTILITIES = 1  # layers 0-1 (records, words, text utilities) are read from everywhere, as a vocabulary


def _module(filename: str) -> str | None:
    if not filename.startswith(ETL):
        return None
    parts = Path(filename).relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def trace_build(raw: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every call from one etl module into another during a build of ``raw``, in order; and
    apart, every generator resumed from another module (a stream pulled by the stage it was handed to)."""
    edges: list[tuple[str, str]] = []
    resumed: list[tuple[str, str]] = []
    names: dict[str, str | None] = {}

    def hook(frame, event, arg):  # noqa: ANN001, ARG001 - the profiler's signature
        if event != "call":
            return
        code = frame.f_code.co_filename
        callee = names[code] if code in names else names.setdefault(code, _module(code))
        if callee is None:
            return
        caller, up = None, frame.f_back
        while up is not None and caller is None:
            caller = names.get(up.f_code.co_filename) or names.setdefault(
                up.f_code.co_filename, _module(up.f_code.co_filename)
            )
            up = up.f_back
        if caller is not None and caller != callee:
            generator = frame.f_code.co_flags & (inspect.CO_GENERATOR | inspect.CO_ASYNC_GENERATOR)
            (resumed if generator and frame.f_lasti > 0 else edges).append((caller, callee))

    with tempfile.TemporaryDirectory() as tmp:
        inputs = BuildInputs.in_folder(Path(tmp), raw_dir=raw)
        sys.setprofile(hook)
        try:
            build(inputs, Path(tmp) / "w.duckdb", full=True, workers=0)
        finally:
            sys.setprofile(None)
    return edges, resumed


def measure(edges: list[tuple[str, str]]) -> dict[str, object]:
    """Stops (distinct calls between two files), files, climbs back up, returns to a file already left."""
    stops = list(dict.fromkeys(edges))
    files = {m for edge in stops for m in edge}
    climbs = [(a, b) for a, b in stops if (_layer(b) or 0) > (_layer(a) or 0)]
    entered: dict[str, str] = {}  # a module -> the caller it was first entered from
    returns = []
    for a, b in stops:
        if b in entered and entered[b] != a and (_layer(b) or 0) > _UTILITIES:
            returns.append((a, b))
        entered.setdefault(b, a)
    return {"stops": len(stops), "files": len(files), "climbs": climbs, "returns": returns}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="?", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--smoke", action="store_true", help="the samples (already seconds): for the tests")
    raw = parser.parse_args().raw
    edges, resumed = trace_build(raw)
    found = measure(edges)
    print(f"build of {raw}: {found['stops']} stops in {found['files']} files, "
          f"{len(found['climbs'])} climbs back up, {len(found['returns'])} returns to a file already left")  # fmt: skip
    for a, b in found["climbs"]:
        print(f"  climb:  {a} -> {b}")
    for a, b in found["returns"]:
        print(f"  return: {a} -> {b}")
    pulled = [(a, b) for a, b in dict.fromkeys(resumed) if (_layer(b) or 0) > (_layer(a) or 0)]
    print(f"streams a lower stage pulls from a higher one (generators resumed, not calls): {len(pulled)}")
    for a, b in pulled:
        print(f"  pulls:  {a} -> {b}")


if __name__ == "__main__":
    main()
