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
    root: str, run_id: str, dataset: Dataset, date: str, records: Iterable[object]
) -> WrittenPartition:
    """Merge ``records`` into one partition and atomically replace its data file."""
    new = dataset.to_table(records)
    directory = partition_dir(root, dataset.name, date)
    ensure_dir(directory)
    merged = merge_rows(read_partition(directory, dataset), new, dataset.key)
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
    def __init__(self, root: str, run_id: str, dataset: str) -> None:
        self._root, self._run_id, self._dataset = root, run_id, dataset
        self._rows = Metrics.counter("parley", f"rows_written.{dataset}")

    def process(self, keyed: tuple[str, Iterable[object]]) -> Iterator[WrittenPartition]:
        date, records = keyed
        written = write_partition(
            self._root, self._run_id, DATASETS[self._dataset], date, list(records)
        )
        self._rows.inc(written.new_rows)
        yield written


class WritePartitionedParquet(beam.PTransform):
    """PCollection[record] -> PCollection[WrittenPartition], one per ``date=`` folder touched."""

    def __init__(self, root: str, dataset: str, run_id: str) -> None:
        super().__init__()
        self._root, self._dataset, self._run_id = root, dataset, run_id

    def expand(self, records):
        return (
            records
            | "KeyByDate" >> beam.Map(lambda r: (r.date, r))
            | "GroupByDate" >> beam.GroupByKey()
            | "WritePartitions"
            >> beam.ParDo(_WritePartition(self._root, self._run_id, self._dataset))
        )


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
