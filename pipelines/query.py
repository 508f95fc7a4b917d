"""SQL over Parley's output: a DuckDB connection with the four datasets as views.

The view definitions are the SQL files in ``schemas/sql/``. A dataset with no files yet (a run
that found no conditions, say) becomes an empty view with the right columns, so queries that
join it still run.
"""

from __future__ import annotations

import glob
import os
from importlib import resources

import duckdb
import pyarrow as pa

from schemas.tables import DATASETS

VIEWS = ("articles", "events", "conditions", "failures")


def sql_file(name: str) -> str:
    return resources.files("schemas").joinpath("sql", f"{name}.sql").read_text("utf-8")


def _has_files(root: str, dataset: str) -> bool:
    if "://" in root:
        return True  # object stores: let DuckDB (httpfs) look
    return bool(glob.glob(os.path.join(root, dataset, "**", "*.parquet"), recursive=True))


def _empty(dataset: str) -> pa.Table:
    schema = DATASETS[dataset].schema.append(pa.field("date", pa.date32()))
    return schema.empty_table()


def connect(root: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with views ``articles``, ``events``, ``conditions``,
    ``failures`` over the output root."""
    con = duckdb.connect()
    safe_root = root.rstrip("/").replace("'", "''")
    for name in VIEWS:
        if _has_files(root, name):
            con.execute(sql_file(name).replace("{root}", safe_root))
        else:
            con.register(f"_empty_{name}", _empty(name))
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM _empty_{name}")
    return con


def run_query(root: str, sql: str | None = None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of ``sql`` (default: the latest events)."""
    con = connect(root)
    relation = con.sql(sql or sql_file("latest_events"))
    if relation is None:  # a statement without a result (CREATE ...)
        return [], []
    return list(relation.columns), relation.fetchall()


def format_table(columns: list[str], rows: list[tuple], max_width: int = 48) -> str:
    """Rows as an aligned plain-text table, long cells shortened."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join([line, rule, *body, f"({len(rows)} rows)"])
