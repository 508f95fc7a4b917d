"""Deduplication: one article per URL and per content, the same one whatever the order."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import make_test_pipeline
from transforms.dedup import DeduplicateArticles, choose

T0 = datetime(2026, 11, 16, tzinfo=timezone.utc)


def article(ref: str, url: str | None, text: str, hours: int = 0, dated: bool = True) -> Article:
    return Article(
        article_id=f"id-{url or text}",
        url=url,
        source="s",
        title="t",
        published_at=T0 + timedelta(hours=hours),
        published_at_source="article" if dated else "fetched",
        fetched_at=T0,
        language="en",
        text=text,
        content_hash=f"h-{text}",
        source_ref=ref,
    )


def test_choice_does_not_depend_on_order():
    group = [
        article("feed-a", "u", "x", 2),
        article("feed-b", "u", "x", 1),
        article("feed-c", "u", "xx", 1),
    ]
    winners = {choose(order)[0].source_ref for order in itertools.permutations(group)}
    assert winners == {"feed-c"}  # earliest, then longest


def test_dated_beats_undated():
    dated, undated = article("a", "u", "x", 5), article("b", "u", "x", 0, dated=False)
    assert choose([undated, dated])[0] is dated


def test_deduplicate_by_url_and_by_content():
    a = article("feed-1", "https://a.test/1", "same story")
    a_again = replace(a, source_ref="feed-2")
    reposted = article("feed-3", "https://b.test/copy", "same story", hours=3)
    other = article("feed-4", "https://c.test/2", "another story")
    with make_test_pipeline() as p:
        kept = p | beam.Create([a, a_again, reposted, other]) | DeduplicateArticles()
        assert_that(kept | beam.Map(lambda x: x.source_ref), equal_to(["feed-1", "feed-4"]))
