"""Deduplicate: ``Article`` in, one ``Article`` per canonical URL and per content hash out.

The same story reaches Parley through several feeds, with and without tracking parameters, or
reposted under a new URL. Articles are grouped first by canonical URL, then by content hash, and
each group keeps one article chosen by a total order (``preference``), so that the survivor is
the same on every run and on every runner, whatever order the elements arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article


def preference(article: Article) -> tuple:
    """Sort key: the smallest key wins. Dated by its source, earliest, longest, then by ids."""
    return (
        article.published_at_source != "article",
        article.published_at,
        -len(article.text),
        article.url or "",
        article.source_ref,
        article.article_id,
    )


def choose(articles: Iterable[Article]) -> tuple[Article, int]:
    """The preferred article of a group and how many others it replaces."""
    ordered = sorted(articles, key=preference)
    return ordered[0], len(ordered) - 1


class _KeepOne(beam.DoFn):
    def __init__(self) -> None:
        self._dropped = Metrics.counter("parley", "duplicates_dropped")

    def process(self, keyed: tuple[str, Iterable[Article]]) -> Iterator[Article]:
        _, group = keyed
        survivor, dropped = choose(group)
        self._dropped.inc(dropped)
        yield survivor


class DeduplicateArticles(beam.PTransform):
    """PCollection[Article] -> PCollection[Article], unique by canonical URL and by content."""

    def expand(self, articles):
        return (
            articles
            | "KeyByUrl" >> beam.Map(lambda a: (a.url or f"content:{a.content_hash}", a))
            | "GroupByUrl" >> beam.GroupByKey()
            | "KeepOnePerUrl" >> beam.ParDo(_KeepOne())
            | "KeyByContent" >> beam.Map(lambda a: (a.content_hash, a))
            | "GroupByContent" >> beam.GroupByKey()
            | "KeepOnePerContent" >> beam.ParDo(_KeepOne())
        )
