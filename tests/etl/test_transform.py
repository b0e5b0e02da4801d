"""`transform(file, inputs)`: one document's whole step as a pure, picklable function, which any
executor can run — here a fresh process given nothing but the function and its arguments — and
whose rows and findings are what the build writes for that document."""

from __future__ import annotations

import multiprocessing as mp
import pickle
from concurrent.futures import ProcessPoolExecutor

from etl.checks import load_checks, official_ranks
from etl.reference import read_reference
from etl.transform import DocumentRows, TransformInputs, transform
from tests.conftest import rows


def _inputs(raw_dir, catalog) -> TransformInputs:
    reference = read_reference(raw_dir.parent / "reference")
    return TransformInputs(catalog, (), (load_checks(), official_ranks(reference.tables["reference_indices"])))


def test_transform_and_its_inputs_and_rows_pickle(raw_dir, catalog):
    inputs = _inputs(raw_dir, catalog)
    file = ("004_f3cae4251c6f1b42.txt", raw_dir / "004_f3cae4251c6f1b42.txt")
    assert pickle.loads(pickle.dumps(transform)) is transform
    out = transform(file, pickle.loads(pickle.dumps(inputs)))
    again = pickle.loads(pickle.dumps(out))
    assert isinstance(again, DocumentRows) and again.source == out.source
    assert again.rows.facts == out.rows.facts and again.findings == out.findings


def test_a_fresh_process_runs_it_with_no_worker_set_up(raw_dir, catalog):
    """No global the pool sets: a spawned process given only (file, inputs) gives the same rows."""
    inputs = _inputs(raw_dir, catalog)
    files = [(p.name, p) for p in sorted(raw_dir.glob("00*.txt"))[:2]]
    here = [transform(f, inputs) for f in files]
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        there = list(pool.map(transform, files, [inputs] * len(files)))
    assert [d.rows.facts for d in there] == [d.rows.facts for d in here]
    assert [d.findings for d in there] == [d.findings for d in here]


def test_its_rows_and_findings_are_what_the_build_wrote(raw_dir, catalog, warehouse):
    inputs = _inputs(raw_dir, catalog)
    for path in sorted(raw_dir.glob("*.txt")):
        out = transform((path.name, path), inputs)
        assert out.source["status"] == "loaded", out.source
        stored = rows(warehouse, f"SELECT fact_id, value, status FROM facts WHERE doc_id = '{path.name}' ORDER BY 1")
        assert sorted((f[0], f[3]) for f in out.rows.facts) == [(i, v) for i, v, _ in stored]
        written = {i for (i,) in rows(warehouse, "SELECT finding_id FROM findings")}
        assert {f.finding_id for f in out.findings} <= written


def test_a_file_that_cannot_be_read_gives_its_reason_and_no_rows(tmp_path, raw_dir, catalog):
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"not a zip")
    out = transform(("hong.docx", bad), _inputs(raw_dir, catalog))
    assert out.rows is None and out.source["status"] == "failed" and "hong.docx" in out.source["error"]
