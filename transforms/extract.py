"""Extract: ``Article`` in, ``Event`` and ``Condition`` rows out (plus failures).

English articles are batched (``BatchElements``) and handed to one ``Extractor`` per worker
process: the spaCy pipeline is loaded once in ``setup()`` through ``apache_beam.utils.shared``,
so threads of a worker share it. Articles in other languages stay in ``articles/`` and are
counted, not extracted. An article that makes the extractor fail becomes a ``Failure`` row; the
rest of its batch is still extracted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils import shared

from schemas.records import Article, Failure
from transforms.negotiation.extractor import DEFAULT_MODEL, Extractor

FAILED = "failures"
CONDITIONS = "conditions"
STAGE = "extract"
EXTRACTED_LANGUAGES = ("en",)
MIN_BATCH = 16  # articles an extractor call at least, while the bundle has them

_LOG = logging.getLogger(__name__)


class _Extract(beam.DoFn):
    def __init__(self, model: str, shared_handle: shared.Shared) -> None:
        self._model = model
        self._shared = shared_handle
        self._extractor: Extractor | None = None
        self._articles = Metrics.counter("parley", "articles_extracted")
        self._conditions = Metrics.counter("parley", "conditions")
        self._count = 0
        self._started = 0.0
        self._last_log = 0.0

    def setup(self) -> None:
        self._extractor = self._shared.acquire(lambda: Extractor(self._model), tag=self._model)
        self._started = time.monotonic()

    def process(self, batch: list[Article]) -> Iterator:
        try:
            results = list(zip(batch, self._extractor.extract(batch)))
        except Exception:  # find the article at fault; the others still count
            results = []
            for article in batch:
                try:
                    results.append((article, self._extractor.extract([article])[0]))
                except Exception as error:
                    detail = f"{type(error).__name__}: {error}"[:500]
                    yield beam.pvalue.TaggedOutput(
                        FAILED, Failure(STAGE, article.source_ref, "extractor_error", detail)
                    )
        for _, extraction in results:
            for event in extraction.events:
                Metrics.counter("parley.events", event.event_type).inc()
                yield event
            for condition in extraction.conditions:
                self._conditions.inc()
                yield beam.pvalue.TaggedOutput(CONDITIONS, condition)
        self._articles.inc(len(results))
        self._progress(len(results))

    def _progress(self, done: int) -> None:
        self._count += done
        now = time.monotonic()
        if now - self._last_log > 10:
            self._last_log = now
            rate = self._count / max(now - self._started, 1e-6)
            _LOG.info("extracted %d articles in this worker (%.0f/s)", self._count, rate)


class ExtractNegotiations(beam.PTransform):
    """PCollection[Article] -> (PCollection[Event], PCollection[Condition], PCollection[Failure])."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64) -> None:
        super().__init__()
        self._model = model
        self._batch_size = batch_size

    def expand(self, articles):
        skipped = Metrics.counter("parley", "articles_not_english")

        def extractable(article: Article) -> bool:
            if article.language in EXTRACTED_LANGUAGES:
                return True
            skipped.inc()
            return False

        results = (
            articles
            | "EnglishOnly" >> beam.Filter(extractable)
            # Beam's batch sizer aims at a fixed per-batch overhead and settles on 4 to 12
            # articles; the tagger and parser run ~15% slower on 4 articles a call than on 16+.
            | "Batch"
            >> beam.BatchElements(
                min_batch_size=min(MIN_BATCH, self._batch_size), max_batch_size=self._batch_size
            )
            | "Extract"
            >> beam.ParDo(_Extract(self._model, shared.Shared())).with_outputs(
                CONDITIONS, FAILED, main="events"
            )
        )
        return results.events, results[CONDITIONS], results[FAILED]
