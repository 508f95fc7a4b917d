"""Writing: Hive partitions, idempotent merges, no temp files where queries look."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import apache_beam as beam
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Failure
from schemas.tables import DATASETS, METADATA_KEY, SCHEMA_VERSION
from tests.conftest import make_test_pipeline
from transforms.write import WritePartitionedParquet, merge_rows, write_partition

DAY1 = datetime(2026, 11, 16, 9, tzinfo=timezone.utc)
DAY2 = datetime(2026, 11, 17, 9, tzinfo=timezone.utc)


def failures(*pairs) -> list[Failure]:
    return [Failure("read", ref, "bad", "", when) for ref, when in pairs]


def test_merge_new_rows_win_and_keys_stay_unique():
    old = pa.table({"k": ["a", "b"], "v": [1, 2]})
    new = pa.table({"k": ["b", "c", "c"], "v": [20, 30, 30]})
    merged = merge_rows(old, new, "k")
    assert merged.to_pydict() == {"k": ["a", "b", "c"], "v": [1, 20, 30]}


def test_partition_is_written_once_and_merged_on_rerun(tmp_path):
    dataset = DATASETS["failures"]
    rows = failures(("x", DAY1), ("y", DAY1))
    first = write_partition(str(tmp_path), "run1", dataset, "2026-11-16", rows)
    again = write_partition(
        str(tmp_path), "run2", dataset, "2026-11-16", rows[:1] + failures(("z", DAY1))
    )
    assert (first.total_rows, again.total_rows) == (2, 3)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["failures/date=2026-11-16/part-00000.parquet"]
    table = pq.read_table(tmp_path / files[0])
    assert table.schema.metadata[METADATA_KEY] == SCHEMA_VERSION.encode()


def test_write_stage_creates_partitions_readable_by_duckdb(tmp_path):
    rows = failures(("a", DAY1), ("b", DAY2), ("c", DAY2))
    with make_test_pipeline() as p:
        written = p | beam.Create(rows) | WritePartitionedParquet(str(tmp_path), "failures", "run")
        assert_that(
            written | beam.Map(lambda w: (w.date, w.new_rows)),
            equal_to([("2026-11-16", 1), ("2026-11-17", 2)]),
        )
    assert sorted(p.name for p in (tmp_path / "failures").iterdir()) == [
        "date=2026-11-16",
        "date=2026-11-17",
    ]
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".parquet")]
    con = duckdb.connect()
    counts = con.sql(
        f"SELECT date::VARCHAR, count(*) FROM read_parquet('{tmp_path}/failures/**/*.parquet', "
        "hive_partitioning = true) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert counts == [("2026-11-16", 1), ("2026-11-17", 2)]


def test_temp_names_never_look_like_parquet(tmp_path, monkeypatch):
    seen = []
    from apache_beam.io.filesystems import FileSystems

    real_rename = FileSystems.rename

    def spy(sources, destinations):
        seen.extend(sources)
        return real_rename(sources, destinations)

    monkeypatch.setattr(FileSystems, "rename", staticmethod(spy))
    write_partition(str(tmp_path), "run", DATASETS["failures"], "2026-11-16", failures(("a", DAY1)))
    assert seen and all(not s.endswith(".parquet") for s in seen)
    assert all("/failures/" not in s and Path(s).parts[-3] == ".parley-tmp" for s in seen)
