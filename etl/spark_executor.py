"""Spark as an executor of the build: ``transform`` over the raw files by ``mapPartitions``.

``python -m etl build --engine spark [--master URL]``: the build plans, stores, rechecks and
publishes as always (etl/build.py); only the map over the planned files runs on Spark. The files
are parallelised as (doc_id, path) pairs, each partition runs ``transform`` on its files in a Spark
Python worker and types their rows there as Arrow tables (chunks, as the local pool's workers do),
the partitions are computed all at once into Spark's storage (its disk), then streamed back to the
build one partition at a time with ``toLocalIterator`` (the build holds one partition, not the
corpus) and handed to the store exactly as the local pool's chunks are.

The time budget per file holds: ``transform`` sets its alarm in the Spark Python worker's main
thread, where each partition runs, so a file over budget fails with the same reason. What the
alarm cannot reach (a file stuck in C code) holds its task: Spark does not kill a task for time,
so unlike the local pool nothing gives that one file up (the build waits). A worker that dies
fails its task, and Spark tries it again (on a cluster; ``local[N]`` tries once) before the build
stops with Spark's error.

On a cluster (``--master spark://…``, ``yarn`` …) every executor must see the raw files at the same
path (a shared file system) and run this project's code with its packages (the same checkout and
Python environment on each node, ``spark.pyspark.python`` and ``PYTHONPATH`` set by the cluster's
configuration). Optional: pyspark (requirements-scale.txt, ``make scale``) and a Java runtime.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from etl.batch import Chunk, chunk_of
from etl.transform import DocumentRows, TransformInputs, transform

__all__ = ["DEFAULT_PARTITION", "SparkExecutor", "SparkUnavailableError", "spark_unavailable"]

DEFAULT_PARTITION = 64  # files per partition at most: what the build holds at a time, and a task's work
_CHUNK = 32  # files typed into one chunk inside a partition (as the local pool's workers do)
ROOT = Path(__file__).resolve().parents[1]  # the project: etl/ and contract/ for the Python workers


class SparkUnavailableError(RuntimeError):
    """Spark cannot run here: pyspark or Java is missing (the message says which, in Vietnamese)."""


def spark_unavailable() -> str | None:
    """Why Spark cannot run here (a Vietnamese sentence), or None when it can."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return ("Chưa cài pyspark: bộ chạy Spark là tùy chọn, cài bằng `make scale` (requirements-scale.txt); "
                "hoặc dựng với --engine local")  # fmt: skip
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and (Path(java_home) / "bin" / "java").exists()):
        return "Chưa có Java: Spark cần Java 17 (apt-get install openjdk-17-jre-headless); hoặc dựng với --engine local"
    return None


def _transform_partition(inputs: TransformInputs, files: Iterable[tuple[str, Path]]) -> Iterator[Chunk]:
    """One partition's files through ``transform`` (in a Spark Python worker), as chunks."""
    done: list[DocumentRows] = []
    for file in files:
        done.append(transform(file, inputs))
        if len(done) >= _CHUNK:
            yield chunk_of(done)
            done = []
    if done:
        yield chunk_of(done)


@dataclass(frozen=True, slots=True)
class SparkExecutor:
    """``transform`` on Spark: ``master`` a Spark master URL (None: ``local[cores]``, ``cores`` None
    is every core of this machine); ``partition``: files per partition at most."""

    master: str | None = None
    cores: int | None = None
    partition: int = DEFAULT_PARTITION
    name: str = "spark"

    def __post_init__(self) -> None:
        reason = spark_unavailable()
        if reason:
            raise SparkUnavailableError(reason)

    @property
    def master_url(self) -> str:
        return self.master or f"local[{self.cores or os.cpu_count() or 1}]"

    def map(
        self,
        files: list[tuple[str, Path]],
        inputs: TransformInputs,
        spool: Path,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[DocumentRows | Chunk]:
        """The files' chunks in order; ``on_progress`` is told as they come back (after the map, so
        a progress bar stands still while Spark computes, then fills)."""
        if not files:
            return
        from pyspark import StorageLevel
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()  # a session the caller made stays theirs
        session = active or self.session(spool)
        sc = session.sparkContext
        slices = min(len(files), max(sc.defaultParallelism, math.ceil(len(files) / self.partition)))
        shared = sc.broadcast(inputs)  # sent once to each executor, not with every task
        rdd = sc.parallelize(files, slices).mapPartitions(lambda part: _transform_partition(shared.value, part))
        rdd.persist(StorageLevel.DISK_ONLY)
        done = 0
        try:
            sc.setJobDescription(f"etl build: transform {len(files)} files")
            rdd.foreachPartition(_drain)  # every partition at once, on every core, into Spark's storage
            for chunk in rdd.toLocalIterator():  # then back one partition at a time, in the files' order
                done += len(chunk.sources)
                if on_progress is not None:
                    on_progress(done, len(files))
                yield chunk
        finally:
            with suppress(Exception):  # after a failure Spark may be gone already: its error is the one to see
                rdd.unpersist()
                shared.destroy()
            if active is None:
                session.stop()

    def session(self, scratch: Path):  # noqa: ANN201 - pyspark is imported only when used
        """A Spark session at ``master_url`` (its scratch files in ``scratch`` when local); a build
        run while it is active uses it and leaves it running (the caller stops it)."""
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(self.master_url).appName("etl-build")
        builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        if self.master_url.startswith("local"):  # this machine: its Python, this checkout, its loopback
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # pyspark reads its workers' Python here
            builder = (
                builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executorEnv.PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT),
                                                                                       os.environ.get("PYTHONPATH")])))
                .config("spark.local.dir", str(scratch))  # Spark's scratch files go with the build's spool
            )  # fmt: skip
        with warnings.catch_warnings():  # pyspark's note on pandas 3: no pandas API of it is used here
            warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas")
            session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        return session


def _drain(part: Iterable[object]) -> None:
    for _ in part:
        pass
