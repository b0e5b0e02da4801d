"""What runs ``transform`` over a build's files: one small interface, two executors.

An executor maps ``transform(file, inputs)`` (etl/transform.py) over the planned files and hands
back, in the files' order, their outcomes: documents or chunks of them, which the store takes
whatever made them. It plans nothing and writes nothing in the warehouse; etl/build.py does.

- ``LocalPool``: the local process pool (etl/workers.py): worker processes tied to the build, a time
  budget per file (an alarm, and a kill when the alarm cannot reach), leftovers swept.
- ``SparkExecutor`` (etl/spark_executor.py): ``mapPartitions`` over the files on a Spark cluster
  (``local[N]`` by default); optional, needs pyspark and Java (``make scale``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from etl.batch import Chunk
from etl.transform import DocumentRows, TransformInputs
from etl.workers import transform_in_chunks

__all__ = ["ENGINES", "Executor", "LocalPool", "executor_for"]

ENGINES = ("local", "spark")  # python -m etl build --engine ...

Progress = Callable[[int, int], None]


class Executor(Protocol):
    """``map`` runs ``transform`` over ``files`` with ``inputs``; ``spool`` is a folder beside the
    warehouse it may leave results in (the build removes it); ``on_progress(done, total)`` as
    outcomes arrive. Closing the returned iterator early stops the work."""

    name: str

    def map(
        self, files: list[tuple[str, Path]], inputs: TransformInputs, spool: Path, on_progress: Progress | None = None
    ) -> Iterator[DocumentRows | Chunk]: ...


@dataclass(frozen=True, slots=True)
class LocalPool:
    """Worker processes on this machine (``workers``: None is by the number of cores, 1 is in the
    build's own process)."""

    workers: int | None = None
    name: str = "local"

    def map(
        self, files: list[tuple[str, Path]], inputs: TransformInputs, spool: Path, on_progress: Progress | None = None
    ) -> Iterator[DocumentRows | Chunk]:
        return transform_in_chunks(files, inputs, self.workers, spool, on_progress)


def executor_for(engine: str, *, workers: int | None = None, master: str | None = None) -> Executor:
    """The executor ``--engine`` names: ``local`` (the process pool, ``workers`` processes) or
    ``spark`` (``master``: a Spark master URL, by default ``local[workers or cores]``)."""
    if engine == "local":
        return LocalPool(workers)
    if engine == "spark":
        from etl.spark_executor import SparkExecutor

        return SparkExecutor(master=master, cores=workers)
    raise ValueError(f"Không có bộ chạy '{engine}': chọn một trong {', '.join(ENGINES)}")
