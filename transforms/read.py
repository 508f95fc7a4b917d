"""Read: feeds and article files in, ``RawArticle`` records (and failures) out.

``ReadSources`` is the stage the pipeline wires. It starts from a handful of strings (feed URLs or
paths, feed-list files, file patterns) and expands them inside the pipeline: feed lists into
feed locations, patterns and directories into files, files into articles. Nothing is loaded into
``beam.Create`` but the strings the user typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas.records import Failure, RawArticle, utc_now
from transforms import fetching, sources
from transforms.errors import SourceError
from transforms.fetching import FetchPolicy

FAILED = "failures"
VALIDATORS = "validators"
STAGE = "read"


@dataclass(frozen=True)
class Sources:
    """What a run reads: feed locations, files listing feeds, and article file patterns."""

    feeds: tuple[str, ...] = ()
    feed_lists: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    policy: FetchPolicy = FetchPolicy()
    # (feed URL, {"etag": ..., "last_modified": ...}) from the last finished run
    validators: tuple[tuple[str, dict], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.feeds or self.feed_lists or self.inputs)


def feed_list_entries(text: str) -> list[str]:
    """Feed locations in a feeds file: one a line, blank lines and ``#`` comments ignored."""
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if entry:
            entries.append(entry)
    return entries


def expand_pattern(pattern: str) -> list[str]:
    """Files a path, directory or glob names (directories are read recursively)."""
    candidates = [pattern]
    if not any(ch in pattern for ch in "*?[") and FileSystems.exists(pattern):
        directory = FileSystems.join(pattern, "**")
        matched = FileSystems.match([directory])[0].metadata_list
        if matched:
            return sorted(m.path for m in matched)
    matched = FileSystems.match(candidates)[0].metadata_list
    return sorted(m.path for m in matched)


def _failure(ref: str, error: SourceError) -> Failure:
    return Failure(STAGE, error.ref or ref, error.reason, error.detail)


class _ExpandFeedLists(beam.DoFn):
    def __init__(self, policy: FetchPolicy) -> None:
        self._policy = policy

    def process(self, path: str) -> Iterator:
        try:
            data = sources.fetch(path, self._policy)
        except SourceError as error:
            yield beam.pvalue.TaggedOutput(FAILED, _failure(path, error))
            return
        yield from feed_list_entries(data.decode("utf-8", errors="replace"))


class _ExpandPatterns(beam.DoFn):
    def process(self, pattern: str) -> Iterator:
        try:
            paths = expand_pattern(pattern)
        except Exception as error:  # BeamIOError and friends: the pattern itself is unusable
            yield beam.pvalue.TaggedOutput(
                FAILED, Failure(STAGE, pattern, "bad_pattern", str(error))
            )
            return
        if not paths:
            yield beam.pvalue.TaggedOutput(
                FAILED, Failure(STAGE, pattern, "no_match", "no file matches")
            )
        yield from paths


class _ReadFeed(beam.DoFn):
    """A feed location -> its entries as RawArticle; fetch and parse errors -> failures.

    URLs are fetched conditionally with what the feed answered last time; an unchanged feed
    costs one 304 and yields nothing. The feed's new ``ETag``/``Last-Modified`` go to the
    ``validators`` output, which the run commits only once it has finished.
    """

    def __init__(self, policy: FetchPolicy, validators: dict[str, dict]) -> None:
        self._policy = policy
        self._validators = validators
        self._feeds = Metrics.counter("parley", "feeds_read")
        self._unchanged = Metrics.counter("parley", "feeds_unchanged")

    def process(self, location: str) -> Iterator:
        fetched_at = utc_now()
        try:
            if sources.is_url(location):
                known = self._validators.get(location, {})
                answer = fetching.get(
                    location,
                    self._policy,
                    trusted=True,
                    etag=known.get("etag"),
                    last_modified=known.get("last_modified"),
                )
                if answer.data is None:
                    self._unchanged.inc()
                    return
                parsed = sources.parse_feed(answer.data, location, fetched_at, answer.content_type)
                if answer.etag or answer.last_modified:
                    validators = {"etag": answer.etag, "last_modified": answer.last_modified}
                    yield beam.pvalue.TaggedOutput(VALIDATORS, (location, validators))
            else:
                data = sources.read_file(location, self._policy.max_bytes)
                parsed = sources.parse_feed(data, location, fetched_at)
        except SourceError as error:
            yield beam.pvalue.TaggedOutput(FAILED, _failure(location, error))
            return
        except Exception as error:  # a parser choking on hostile bytes must not end the run
            detail = f"{type(error).__name__}: {error}"[:500]
            yield beam.pvalue.TaggedOutput(FAILED, Failure(STAGE, location, "error", detail))
            return
        self._feeds.inc()
        if parsed.damage is not None:
            yield beam.pvalue.TaggedOutput(FAILED, _failure(location, parsed.damage))
        yield from parsed.articles


class _ReadFile(beam.DoFn):
    """An article file -> RawArticle records (one per file, or one per JSONL line)."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._files = Metrics.counter("parley", "files_read")

    def process(self, path: str) -> Iterator:
        fetched_at = utc_now()
        kind = sources.file_kind(path)
        try:
            if kind == "jsonl":
                for item in sources.read_jsonl(path, fetched_at, self._max_bytes):
                    if isinstance(item, SourceError):
                        yield beam.pvalue.TaggedOutput(FAILED, _failure(path, item))
                    else:
                        yield item
                self._files.inc()
                return
            if kind is None:
                raise SourceError("unsupported_file", "not .jsonl, .html, .txt, .xml/.rss/.atom")
            data = sources.read_file(path, self._max_bytes)
            if kind == "feed":
                parsed = sources.parse_feed(data, path, fetched_at)
                if parsed.damage is not None:
                    yield beam.pvalue.TaggedOutput(FAILED, _failure(path, parsed.damage))
                yield from parsed.articles
            else:
                yield sources.document_article(path, data, fetched_at)
            self._files.inc()
        except SourceError as error:
            yield beam.pvalue.TaggedOutput(FAILED, _failure(path, error))
        except Exception as error:  # an unreadable file must not end the run
            yield beam.pvalue.TaggedOutput(
                FAILED, Failure(STAGE, path, "unreadable_file", f"{type(error).__name__}: {error}")
            )


class _CountArticles(beam.DoFn):
    def __init__(self) -> None:
        self._read = Metrics.counter("parley", "articles_read")

    def process(self, article: RawArticle) -> Iterator[RawArticle]:
        self._read.inc()
        yield article


class ReadSources(beam.PTransform):
    """Pipeline root -> (PCollection[RawArticle], PCollection[Failure], PCollection of
    (feed URL, {"etag", "last_modified"}) answers for the next run's conditional GETs)."""

    def __init__(self, wanted: Sources) -> None:
        super().__init__()
        self._wanted = wanted

    def expand(self, root):
        w = self._wanted
        listed = (
            root
            | "FeedLists" >> beam.Create(list(w.feed_lists))
            | "ExpandFeedLists"
            >> beam.ParDo(_ExpandFeedLists(w.policy)).with_outputs(FAILED, main="feeds")
        )
        typed = root | "Feeds" >> beam.Create(list(w.feeds))
        feeds = (typed, listed.feeds) | "AllFeeds" >> beam.Flatten()
        from_feeds = (
            feeds
            | "DistinctFeeds" >> beam.Distinct()
            | "SpreadFeeds" >> beam.Reshuffle()
            | "FetchFeeds"
            >> beam.ParDo(_ReadFeed(w.policy, dict(w.validators))).with_outputs(
                FAILED, VALIDATORS, main="articles"
            )
        )
        files = (
            root
            | "Patterns" >> beam.Create(list(w.inputs))
            | "ExpandPatterns" >> beam.ParDo(_ExpandPatterns()).with_outputs(FAILED, main="paths")
        )
        from_files = (
            files.paths
            | "DistinctFiles" >> beam.Distinct()
            | "SpreadFiles" >> beam.Reshuffle()
            | "ReadFiles"
            >> beam.ParDo(_ReadFile(w.policy.max_bytes)).with_outputs(FAILED, main="articles")
        )
        articles = (
            (from_feeds.articles, from_files.articles)
            | "AllArticles" >> beam.Flatten()
            | "CountRead" >> beam.ParDo(_CountArticles())
        )
        failures = (
            listed[FAILED],
            from_feeds[FAILED],
            files[FAILED],
            from_files[FAILED],
        ) | "ReadFailures" >> beam.Flatten()
        return articles, failures, from_feeds[VALIDATORS]
