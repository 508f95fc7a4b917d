"""Write: typed records in, Hive-partitioned Parquet out (``ROOT/DATASET/date=YYYY-MM-DD/``).

Each partition holds one file, ``part-00000.parquet``. A run groups its rows by partition, merges
them with the rows already there (same primary key: the new row wins, so reruns and overlapping
feeds never duplicate), writes the result to a temporary name outside every dataset folder
(``ROOT/.parley-tmp/RUN/...``, not ending in ``.parquet``) and renames it into place. Readers see
the old file or the new one, never a partial one. All I/O goes through Beam's ``FileSystems``, so
``gs://`` and ``s3://`` roots work as local folders do; partition folders are created explicitly.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas.tables import DATASETS, Dataset

DATA_FILE = "part-00000.parquet"
TMP_DIR = ".parley-tmp"


@dataclass(frozen=True)
class WrittenPartition:
    dataset: str
    date: str
    path: str
    new_rows: int
    total_rows: int


def partition_dir(root: str, dataset: str, date: str) -> str:
    return FileSystems.join(root, dataset, f"date={date}")


def temp_dir(root: str, run_id: str) -> str:
    return FileSystems.join(root, TMP_DIR, run_id)


def merge_rows(existing: pa.Table | None, new: pa.Table, key: str) -> pa.Table:
    """Rows of ``new`` plus those of ``existing`` whose key ``new`` lacks, sorted by key."""
    if existing is not None and existing.num_rows:
        kept = existing.filter(pc.invert(pc.is_in(existing[key], value_set=new[key])))
        new = pa.concat_tables([new, kept])
    # Within one batch a key may repeat (the same row emitted twice): keep its first row.
    first = pc.sort_indices(new, sort_keys=[(key, "ascending")])
    ordered = new.take(first)
    keys = ordered[key].to_pylist()
    keep = [i for i, k in enumerate(keys) if i == 0 or k != keys[i - 1]]
    return ordered.take(pa.array(keep, pa.int64()))


def read_partition(directory: str, dataset: Dataset) -> pa.Table | None:
    """Every Parquet file already in a partition folder, conformed to the current schema."""
    matched = FileSystems.match([FileSystems.join(directory, "*.parquet")])[0].metadata_list
    tables = []
    for meta in sorted(matched, key=lambda m: m.path):
        with FileSystems.open(meta.path, compression_type="uncompressed") as handle:
            tables.append(dataset.conform(pq.read_table(io.BytesIO(handle.read()))))
    return pa.concat_tables(tables) if tables else None


def ensure_dir(path: str) -> None:
    # It may exist already; object stores have no folders, so there is nothing to create.
    with contextlib.suppress(OSError):
        FileSystems.mkdirs(path)


def write_partition(
    root: str,
    run_id: str,
    dataset: Dataset,
    date: str,
    records: Iterable[object],
    replace: bool = False,
) -> WrittenPartition:
    """Merge ``records`` into one partition (or, with ``replace``, put them in place of what it
    held) and atomically replace its data file."""
    new = dataset.to_table(records)
    directory = partition_dir(root, dataset.name, date)
    ensure_dir(directory)
    existing = None if replace else read_partition(directory, dataset)
    merged = merge_rows(existing, new, dataset.key)
    tmp = FileSystems.join(temp_dir(root, run_id), f"{dataset.name}-date={date}.inprogress")
    buffer = io.BytesIO()
    pq.write_table(merged, buffer, compression="zstd")
    with FileSystems.create(tmp) as handle:
        handle.write(buffer.getvalue())
    final = FileSystems.join(directory, DATA_FILE)
    FileSystems.rename([tmp], [final])
    stale = [
        m.path
        for m in FileSystems.match([FileSystems.join(directory, "*.parquet")])[0].metadata_list
        if not m.path.endswith(DATA_FILE)
    ]
    if stale:
        FileSystems.delete(stale)
    return WrittenPartition(dataset.name, date, final, new.num_rows, merged.num_rows)


class _WritePartition(beam.DoFn):
    def __init__(self, root: str, run_id: str, dataset: str, replace: frozenset[str]) -> None:
        self._root, self._run_id, self._dataset = root, run_id, dataset
        self._replace = replace
        self._rows = Metrics.counter("parley", f"rows_written.{dataset}")

    def process(self, keyed: tuple[str, Iterable[object]], *after) -> Iterator[WrittenPartition]:
        date, records = keyed
        rows = [r for r in records if r is not None]  # None: a replaced date with no rows left
        written = write_partition(
            self._root,
            self._run_id,
            DATASETS[self._dataset],
            date,
            rows,
            replace=date in self._replace,
        )
        self._rows.inc(written.new_rows)
        yield written


class WritePartitionedParquet(beam.PTransform):
    """PCollection[record] -> PCollection[WrittenPartition], one per ``date=`` folder touched.

    ``after``: outputs of other writes that must be complete before this one starts (the
    pipeline writes ``articles/`` last, which makes it the record of finished work).
    ``replace``: dates whose partitions are rebuilt from these records alone, rather than merged;
    each is written even when no record falls on it (it ends up empty).
    """

    def __init__(
        self,
        root: str,
        dataset: str,
        run_id: str,
        after: tuple = (),
        replace: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self._root, self._dataset, self._run_id = root, dataset, run_id
        self._after, self._replace = after, tuple(replace)

    def expand(self, records):
        keyed = records | "KeyByDate" >> beam.Map(lambda r: (r.date, r))
        if self._replace:
            emptied = records.pipeline | "ReplacedDates" >> beam.Create(
                [(d, None) for d in self._replace]
            )
            keyed = (keyed, emptied) | "WithReplacedDates" >> beam.Flatten()
        waits = [beam.pvalue.AsList(done) for done in self._after]
        return (
            keyed
            | "GroupByDate" >> beam.GroupByKey()
            | "WritePartitions"
            >> beam.ParDo(
                _WritePartition(self._root, self._run_id, self._dataset, frozenset(self._replace)),
                *waits,
            )
        )


class WriteFeedState(beam.PTransform):
    """(feed URL, validators) pairs -> ``ROOT/_state/pending-RUN.json``, committed by the run
    only once it has finished (see pipelines/state.py)."""

    def __init__(self, root: str, run_id: str) -> None:
        super().__init__()
        self._root, self._run_id = root, run_id

    def expand(self, answers):
        path = FileSystems.join(self._root, "_state", f"pending-{self._run_id}.json")
        return (
            answers
            | "AllAnswers" >> beam.combiners.ToDict()
            | "WritePending" >> beam.Map(lambda answers: write_json(path, answers))
        )


def write_json(path: str, value) -> str:
    """Write then rename, so readers see the old file or the new one, never half of one."""
    tmp = f"{path}.tmp"
    with FileSystems.create(tmp) as handle:
        handle.write(json.dumps(value, indent=1, sort_keys=True).encode("utf-8"))
    FileSystems.rename([tmp], [path])
    return path


class _CountFailure(beam.DoFn):
    def process(self, failure) -> Iterator:
        Metrics.counter("parley.failures", failure.stage).inc()
        yield failure


class WriteFailures(beam.PTransform):
    """PCollection[Failure] from every stage -> ``failures/``, counted by stage."""

    def __init__(self, root: str, run_id: str) -> None:
        super().__init__()
        self._root, self._run_id = root, run_id

    def expand(self, failures):
        return (
            failures
            | "CountByStage" >> beam.ParDo(_CountFailure())
            | "WriteFailureRows" >> WritePartitionedParquet(self._root, "failures", self._run_id)
        )
