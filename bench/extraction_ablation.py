"""Benchmark (not a test): what each reading of the extractor is worth, and how much regex the
catalog still holds (issue 20's ablation).

    python bench/extraction_ablation.py            # samples, ../shared/dev, ../shared/dev2 in four modes
    python bench/extraction_ablation.py --smoke    # the regex count and one mode on the samples

Modes (the same documents, the same scorer, ../shared/tools/score_extraction.py):
  full            phrasing rules + frames + names + tables, as shipped
  without names   rules and frames only: the extractor before the names stage
  names + tables  no phrasing rule, no frame: only the catalog's names (words), the table model
                  and the role filters
  without frames  rules, names and tables: what the frames still add
  without rules   frames, names and tables: what the per-phrasing rules still add
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.catalog import Catalog, default_catalog  # noqa: E402 - after the path is set
from etl.pipeline import process_file  # noqa: E402

SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
SETS = {
    "samples": (SHARED / "gold" / "seeds_gold.csv", SHARED / "gold" / "seeds_docs.csv", SHARED / "seeds"),
    "dev": (SHARED / "dev" / "gold.csv", SHARED / "dev" / "docs.csv", SHARED / "dev" / "docs"),
    "dev2": (SHARED / "dev2" / "gold.csv", SHARED / "dev2" / "docs.csv", SHARED / "dev2" / "docs"),
}
MODES = ("full", "without names", "without frames", "without rules", "names + tables")


def catalog_for(mode: str) -> Catalog:
    """The shipped catalog with one reading switched off (a new fingerprint, so caches differ)."""
    full = default_catalog()
    if mode == "full":
        return full
    if mode == "without names":
        indicators = tuple(dataclasses.replace(i, names=()) for i in full.indicators)
        return dataclasses.replace(full, indicators=indicators, sha256=full.sha256 + ":no-names")
    if mode == "without frames":
        return dataclasses.replace(full, frames_by_kind={}, sha256=full.sha256 + ":no-frames")
    no_rules = dataclasses.replace(full, rule_groups=(), sha256=full.sha256 + ":no-rules")
    if mode == "without rules":
        return no_rules
    return dataclasses.replace(no_rules, frames_by_kind={}, sha256=full.sha256 + ":names-tables")


def regex_count(catalog: Catalog) -> dict[str, int]:
    """The regular expressions the catalog holds, by kind, and the plain words of its names."""
    rules = sum(1 + sum(p is not None for p in (r.before, r.not_before, r.context, r.not_context))
                for i in catalog.indicators for r in i.rules)  # fmt: skip
    frames = sum(sum(p is not None for p in (f.measure, f.predicate, f.topic, f.not_near, f.not_sentence))
                 for i in catalog.indicators for f in i.frames)  # fmt: skip
    indicator = sum(sum(p is not None for p in (i.context, i.not_context, i.exclude)) for i in catalog.indicators)
    mention = sum(1 for v in dataclasses.astuple(catalog.mention) if v is not None) if catalog.mention else 0
    shared = len(catalog.scopes) + 1 + (catalog.exclude_clause is not None)
    return {
        "phrasing rules": rules,
        "frame parts": frames,
        "indicator conditions": indicator,
        "role and subject vocabulary": mention + shared,
        "all regex strings": rules + frames + indicator + mention + shared,
        "names (plain words)": sum(len(i.names) for i in catalog.indicators),
    }


def emit(mode: str, files: list[str]) -> int:
    """Print facts as ``python -m etl extract --json`` does, read in one mode."""
    catalog = catalog_for(mode)
    for name in files:
        ex = process_file(Path(name), catalog)
        m = ex.meta
        print(json.dumps({"type": "document", "doc": m.doc, "province": m.province, "agency": m.agency,
                          "report_type": m.report_type, "period_label": m.period_label,
                          "period_start": _iso(m.period_start), "period_end": _iso(m.period_end),
                          "report_date": _iso(m.report_date)}, ensure_ascii=False))  # fmt: skip
        for f in ex.facts:
            if f.role == "primary":
                print(json.dumps(f.as_json(), ensure_ascii=False))
    return 0


def _iso(d: object) -> str | None:
    return d.isoformat() if d is not None else None  # type: ignore[attr-defined]


def score(mode: str, name: str) -> str:
    gold, docs, folder = SETS[name]
    files = sorted(str(p) for p in folder.iterdir() if p.is_file())
    cmd = [sys.executable, str(SCORER), "--quiet", "--gold", str(gold), "--docs", str(docs), "--",
           sys.executable, __file__, "--emit", mode, *files]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip().splitlines()
    line = out[-1] if out else ""
    fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
    return f"{fields.get('precision', '?'):>6} {fields.get('recall', '?'):>6} {fields.get('period_exact', '?'):>6}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the regex count and one mode on the samples")
    parser.add_argument("--emit", metavar="MODE", help=argparse.SUPPRESS)
    args, files = parser.parse_known_args(argv)
    if args.emit:
        return emit(args.emit, files)
    for kind, n in regex_count(default_catalog()).items():
        print(f"{kind:32} {n:>5}")
    print("(before issue 20's names stage: 409 regex strings, no names)")
    if not SCORER.exists():
        print(f"no scorer at {SCORER}: the modes are not run")
        return 0
    modes, sets = (("names + tables",), ("samples",)) if args.smoke else (MODES, tuple(SETS))
    print(f"\n{'mode':16} " + " ".join(f"{s + ' P / R / period':>22}" for s in sets))
    for mode in modes:
        print(f"{mode:16} " + " ".join(f"{score(mode, s):>22}" for s in sets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
