"""Fetch pages: feed items that carry only a summary in, the same items with their page out.

With ``--fetch-articles`` each new feed item's link is fetched and its HTML becomes the body,
which Normalize turns into the page's main text (trafilatura). Politeness and safety:

- items are grouped by host, and one host's pages are fetched one at a time, at least
  ``delay`` seconds apart; different hosts proceed in parallel;
- links inside feeds are third-party input: loopback and private addresses are refused unless
  the user allows them, and every fetch runs under the same ``FetchPolicy`` as feeds (timeouts,
  deadline, size cap, redirect checks, retries with backoff on 429/5xx);
- a page that fails leaves the item as the feed gave it and its failure goes to ``failures/``;
  a page with no more text than the summary (a paywall) is dropped quietly: the summary is
  kept either way.
"""

from __future__ import annotations

import codecs
import dataclasses
import time
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

import apache_beam as beam
from apache_beam.metrics import Metrics
from trafilatura.utils import decode_file

from schemas.records import Failure, RawArticle
from transforms import fetching
from transforms.errors import SourceError
from transforms.fetching import FetchPolicy
from transforms.normalize import html_to_text

STAGE = "fetch_page"
FAILED = "failures"


def wants_page(raw: RawArticle) -> bool:
    return raw.origin == "feed" and bool(raw.url) and urlsplit(raw.url).scheme in ("http", "https")


def with_page(raw: RawArticle, html: str) -> RawArticle | None:
    """The item with its page as body, or None when the page's text is no longer than the
    summary (a paywall, a cookie wall, a page trafilatura cannot read)."""
    page_text = html_to_text(html)
    summary_text = html_to_text(raw.body) if raw.body_format == "html" else raw.body
    if len(page_text.strip()) <= len(summary_text.strip()):
        return None
    return dataclasses.replace(raw, body=html, body_format="html", origin="page")


class _FetchHost(beam.DoFn):
    def __init__(self, policy: FetchPolicy, delay: float) -> None:
        self._policy, self._delay = policy, delay
        self._fetched = Metrics.counter("parley", "pages_fetched")
        self._not_better = Metrics.counter("parley", "pages_not_better")

    def process(self, keyed: tuple[str, Iterable[RawArticle]]) -> Iterator:
        _, items = keyed
        last = None
        for raw in sorted(items, key=lambda r: r.url or ""):
            if last is not None:
                time.sleep(max(0.0, self._delay - (time.monotonic() - last)))
            last = time.monotonic()
            try:
                page = fetching.get(raw.url, self._policy, trusted=False)
                html = decode_page(page.data or b"", page.content_type)
                replaced = with_page(raw, html)
            except Exception as error:  # fetch failures, and pages that break the extractor
                if not isinstance(error, SourceError):
                    error = SourceError("error", f"{type(error).__name__}: {error}"[:500])
                failure = Failure(STAGE, raw.url or raw.source_ref, error.reason, error.detail)
                yield beam.pvalue.TaggedOutput(FAILED, failure)
                yield raw  # the summary is kept
                continue
            if replaced is None:  # a paywall or cookie wall: the summary is the better text
                self._not_better.inc()
                yield raw
                continue
            self._fetched.inc()
            yield replaced


def decode_page(data: bytes, content_type: str | None) -> str:
    """Page bytes as text: the HTTP charset when it names a real one, else what the page
    declares or its bytes suggest (trafilatura's detection), invalid bytes replaced."""
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                return data.decode(codecs.lookup(value.strip("\"' ")).name, errors="replace")
            except LookupError:
                break
    return decode_file(data)


class FetchArticlePages(beam.PTransform):
    """PCollection[RawArticle] -> (PCollection[RawArticle], PCollection[Failure])."""

    def __init__(self, policy: FetchPolicy, delay: float) -> None:
        super().__init__()
        self._policy, self._delay = policy, delay

    def expand(self, raws):
        split = raws | "NeedsPage" >> beam.Partition(lambda r, _: 0 if wants_page(r) else 1, 2)
        fetched = (
            split[0]
            | "KeyByHost" >> beam.Map(lambda r: ((urlsplit(r.url).hostname or "").lower(), r))
            | "GroupByHost" >> beam.GroupByKey()
            | "FetchPerHost"
            >> beam.ParDo(_FetchHost(self._policy, self._delay)).with_outputs(FAILED, main="raw")
        )
        merged = (fetched.raw, split[1]) | "WithPages" >> beam.Flatten()
        return merged, fetched[FAILED]
