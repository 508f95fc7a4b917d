"""DuckDB views over the output, including datasets that have no files yet."""

from __future__ import annotations

from datetime import datetime, timezone

from pipelines import query
from schemas.records import Failure
from schemas.tables import DATASETS
from transforms.write import write_partition


def test_views_exist_even_with_no_files(tmp_path):
    con = query.connect(str(tmp_path))
    for name in query.VIEWS:
        assert con.sql(f"SELECT count(*) FROM {name}").fetchall() == [(0,)]
    columns = [c[0] for c in con.sql("DESCRIBE events").fetchall()]
    assert columns[:3] == ["event_id", "article_id", "event_type"] and columns[-1] == "date"


def test_views_read_partitions(tmp_path):
    when = datetime(2026, 11, 16, tzinfo=timezone.utc)
    write_partition(
        str(tmp_path),
        "r",
        DATASETS["failures"],
        "2026-11-16",
        [Failure("read", "x", "bad", "", when)],
    )
    columns, rows = query.run_query(str(tmp_path), "SELECT stage, date::VARCHAR FROM failures")
    assert (columns, rows) == (["stage", "CAST(date AS VARCHAR)"], [("read", "2026-11-16")])


def test_format_table_shortens_long_cells():
    text = query.format_table(["a", "b"], [("x" * 60, None)], max_width=10)
    assert "xxxxxxxxx…" in text and text.endswith("(1 rows)")
