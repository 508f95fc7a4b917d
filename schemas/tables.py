"""Arrow schemas of Parley's output datasets: the single source of truth for every column.

Each dataset (``articles``, ``events``, ``conditions``, ``failures``) has a pyarrow schema, a
primary key that makes reruns idempotent, and a converter from typed records to a ``pa.Table``.
The partition column ``date`` is not stored in the files: it lives in the ``date=YYYY-MM-DD/``
folder names (Hive partitioning), as DuckDB, BigQuery, Athena and Spark expect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from schemas.records import Article, Condition, Event, Failure

SCHEMA_VERSION = "2"  # 2: events gained cameo_code and plover_type
METADATA_KEY = b"parley.schema_version"

_TS = pa.timestamp("us", tz="UTC")

ARTICLES = pa.schema(
    [
        ("article_id", pa.string(), False),
        ("url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("published_at", _TS),
        ("published_at_source", pa.string()),
        ("fetched_at", _TS),
        ("language", pa.string()),
        ("text", pa.string()),
        ("content_hash", pa.string()),
        ("source_ref", pa.string()),
    ]
)

EVENTS = pa.schema(
    [
        ("event_id", pa.string(), False),
        ("article_id", pa.string(), False),
        ("event_type", pa.string()),
        ("actor", pa.string()),
        ("actor_text", pa.string()),
        ("counterpart", pa.string()),
        ("counterpart_text", pa.string()),
        ("mediator", pa.string()),
        ("location", pa.string()),
        ("time_text", pa.string()),
        ("negated", pa.bool_()),
        ("modality", pa.string()),
        ("speaker", pa.string()),
        ("trigger", pa.string()),
        ("sentence", pa.string()),
        ("sentence_index", pa.int32()),
        ("confidence", pa.float32()),
        ("pattern_id", pa.string()),
        ("cameo_code", pa.string()),
        ("plover_type", pa.string()),
        ("published_at", _TS),
        ("source", pa.string()),
        ("url", pa.string()),
    ]
)

CONDITIONS = pa.schema(
    [
        ("condition_id", pa.string(), False),
        ("article_id", pa.string(), False),
        ("event_id", pa.string()),
        ("holder", pa.string()),
        ("holder_text", pa.string()),
        ("condition_type", pa.string()),
        ("text", pa.string()),
        ("sentence", pa.string()),
        ("sentence_index", pa.int32()),
        ("pattern_id", pa.string()),
        ("published_at", _TS),
        ("source", pa.string()),
        ("url", pa.string()),
    ]
)

FAILURES = pa.schema(
    [
        ("failure_id", pa.string(), False),
        ("stage", pa.string()),
        ("source_ref", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("occurred_at", _TS),
    ]
)


@dataclass(frozen=True)
class Dataset:
    """One output dataset: its folder name, schema and primary key column."""

    name: str
    schema: pa.Schema
    key: str

    def to_table(self, records: Iterable[object]) -> pa.Table:
        rows = [_row(record, self.schema) for record in records]
        table = pa.Table.from_pylist(rows, schema=self.schema)
        return table.replace_schema_metadata({METADATA_KEY: SCHEMA_VERSION.encode()})

    def conform(self, table: pa.Table) -> pa.Table:
        """Cast a table read back from disk to the current schema (new columns become null)."""
        columns = []
        for f in self.schema:
            if f.name in table.column_names:
                columns.append(table.column(f.name).cast(f.type))
            else:
                columns.append(pa.nulls(table.num_rows, f.type))
        return pa.Table.from_arrays(columns, schema=self.schema).replace_schema_metadata(
            {METADATA_KEY: SCHEMA_VERSION.encode()}
        )


def _row(record: object, schema: pa.Schema) -> dict:
    return {name: getattr(record, name) for name in schema.names}


DATASETS: dict[str, Dataset] = {
    "articles": Dataset("articles", ARTICLES, "article_id"),
    "events": Dataset("events", EVENTS, "event_id"),
    "conditions": Dataset("conditions", CONDITIONS, "condition_id"),
    "failures": Dataset("failures", FAILURES, "failure_id"),
}

RECORD_DATASET: dict[type, str] = {
    Article: "articles",
    Event: "events",
    Condition: "conditions",
    Failure: "failures",
}
