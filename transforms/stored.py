"""What earlier runs stored: the keys that make a run incremental, the articles ``--reprocess``
re-extracts.

The ``articles/`` dataset is the record of what is done. A run writes an article only after its
events, conditions and failures are written (see the pipeline), so an article found there has
been handled completely, and one a killed run did not finish is simply read again next time.

``DropStored`` keeps only articles whose ``article_id`` (the canonical URL's hash) and
``content_hash`` are both new. Each worker loads the stored keys once, as two sorted arrays of
64-bit prefixes (16 bytes an article: a year of a busy feed list fits in tens of MB), shared by
the worker's threads.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import apache_beam as beam
import numpy as np
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.utils import shared

from schemas.records import Article, Failure, RawArticle, stable_id
from schemas.tables import DATASETS
from transforms.normalize import canonical_url
from transforms.write import DATA_FILE, partition_dir, read_partition

STAGE = "reprocess"
FAILED = "failures"


def _prefix(hex_id: str) -> int:
    return int(hex_id[:16], 16)


@dataclass
class StoredKeys:
    """Sorted 64-bit prefixes of stored article ids and content hashes."""

    ids: np.ndarray
    hashes: np.ndarray

    @staticmethod
    def _has(values: np.ndarray, key: str | None) -> bool:
        if not key or not values.size:
            return False
        probe = np.uint64(_prefix(key))
        at = int(np.searchsorted(values, probe))
        return at < values.size and values[at] == probe

    def has_id(self, article_id: str) -> bool:
        return self._has(self.ids, article_id)

    def has_content(self, content_hash: str) -> bool:
        return self._has(self.hashes, content_hash)


def stored_partitions(root: str, dataset: str = "articles") -> list[str]:
    """Paths of the data files of a dataset, one per ``date=`` partition."""
    pattern = FileSystems.join(root, dataset, "date=*", DATA_FILE)
    try:
        matched = FileSystems.match([pattern])[0].metadata_list
    except Exception:  # no such folder yet: nothing stored
        return []
    return sorted(m.path for m in matched)


def partition_date(path: str) -> str:
    return path.rsplit("date=", 1)[1].split("/", 1)[0]


def _read_columns(path: str, columns: list[str]):
    with FileSystems.open(path, compression_type="uncompressed") as handle:
        return pq.read_table(io.BytesIO(handle.read()), columns=columns)


def load_stored_keys(root: str) -> StoredKeys:
    ids: list[int] = []
    hashes: list[int] = []
    for path in stored_partitions(root):
        table = _read_columns(path, ["article_id", "content_hash"])
        ids.extend(_prefix(v) for v in table["article_id"].to_pylist() if v)
        hashes.extend(_prefix(v) for v in table["content_hash"].to_pylist() if v)
    return StoredKeys(
        np.unique(np.array(ids, dtype=np.uint64)), np.unique(np.array(hashes, dtype=np.uint64))
    )


def raw_article_id(raw: RawArticle) -> str | None:
    """The id Normalize will give an article with a URL (None without one)."""
    url = canonical_url(raw.url)
    return stable_id("url", url) if url else None


def is_stored(record: Article | RawArticle, keys: StoredKeys) -> bool:
    if isinstance(record, Article):
        return keys.has_id(record.article_id) or keys.has_content(record.content_hash)
    article_id = raw_article_id(record)
    return article_id is not None and keys.has_id(article_id)


def stored_keys() -> shared.Shared:
    """A handle to one worker-wide copy of the stored keys."""
    return shared.Shared()


class _DropStored(beam.DoFn):
    def __init__(self, root: str, handle: shared.Shared) -> None:
        self._root = root
        self._handle = handle
        self._dropped = Metrics.counter("parley", "already_stored")
        self._keys: StoredKeys | None = None

    def setup(self) -> None:
        self._keys = self._handle.acquire(lambda: load_stored_keys(self._root))

    def process(self, record: Article | RawArticle) -> Iterator:
        if is_stored(record, self._keys):
            self._dropped.inc()
            return
        yield record


class DropStored(beam.PTransform):
    """PCollection[Article | RawArticle] -> those not already in ``ROOT/articles/``.

    Give every ``DropStored`` of one pipeline the same ``keys`` handle (``stored_keys()``) and
    a worker loads the stored keys once for all of them.
    """

    def __init__(self, root: str, keys: shared.Shared | None = None) -> None:
        super().__init__()
        self._root = root
        self._handle = keys or stored_keys()

    def expand(self, records):
        return records | "DropIfStored" >> beam.ParDo(_DropStored(self._root, self._handle))


def article_from_row(row: dict) -> Article:
    return Article(**{name: row[name] for name in DATASETS["articles"].schema.names})


class _ReadPartition(beam.DoFn):
    def __init__(self, root: str) -> None:
        self._root = root
        self._read = Metrics.counter("parley", "articles_reprocessed")

    def process(self, date: str) -> Iterator:
        directory = partition_dir(self._root, "articles", date)
        try:
            table = read_partition(directory, DATASETS["articles"])
        except Exception as error:  # a partition that cannot be read is reported, not fatal
            detail = f"{type(error).__name__}: {error}"[:500]
            failure = Failure(STAGE, directory, "unreadable_file", detail)
            yield beam.pvalue.TaggedOutput(FAILED, failure)
            return
        for row in table.to_pylist() if table is not None else []:
            self._read.inc()
            yield article_from_row(row)


class ReadStoredArticles(beam.PTransform):
    """Dates -> (PCollection[Article] stored under those ``date=`` partitions, failures)."""

    def __init__(self, root: str, dates: list[str]) -> None:
        super().__init__()
        self._root, self._dates = root, dates

    def expand(self, pipeline):
        results = (
            pipeline
            | "Dates" >> beam.Create(self._dates)
            | "SpreadDates" >> beam.Reshuffle()
            | "ReadPartitions"
            >> beam.ParDo(_ReadPartition(self._root)).with_outputs(FAILED, main="articles")
        )
        return results.articles, results[FAILED]
