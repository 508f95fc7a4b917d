"""Negotiation events from news: the Parley pipeline.

A story in five stages. **Read** expands the feeds, feed lists and file patterns the user named
into raw articles (feeds fetched conditionally: an unchanged feed costs one 304; with
``--fetch-articles`` each new item's page too). **Normalize** turns each into clean text with a
canonical URL, a UTC date, a language and stable ids; what earlier runs stored is skipped.
**Deduplicate** keeps one article per URL and per content, the same one every run. **Extract**
finds the negotiation events and the conditions actors attach to them. **Write** merges
everything into Hive-partitioned Parquet under the output root: ``events/``, ``conditions/``,
``failures/`` (every record a stage could not handle) and, last, ``articles/``, which is
therefore the record of finished work the next run reads.

``--reprocess DATES`` is the other shape: stored articles of those dates are extracted again
and their partitions of ``events/`` and ``conditions/`` replaced.

One run at a time holds an output root (``_state/run.lock``); feed validators are committed to
``_state/feeds.json`` only when a run finishes, so a killed run costs the next one nothing.

Run it as ``parley run ...`` or ``python -m pipelines.negotiation_events ...`` with the same
options; any Beam pipeline option (``--runner``, ``--direct_num_workers``, ...) passes through.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import state
from pipelines import summary as run_summary
from pipelines.options import (
    ParleyOptions,
    parse_dates,
    sample_inputs,
    validate,
    with_local_runner,
)
from transforms.dedup import DeduplicateArticles
from transforms.extract import ExtractNegotiations
from transforms.fetching import FetchPolicy
from transforms.normalize import NormalizeArticles
from transforms.pages import FetchArticlePages
from transforms.read import ReadSources, Sources
from transforms.stored import (
    DropStored,
    ReadStoredArticles,
    partition_date,
    stored_keys,
    stored_partitions,
)
from transforms.write import (
    TMP_DIR,
    WriteFailures,
    WriteFeedState,
    WritePartitionedParquet,
    temp_dir,
)

_LOG = logging.getLogger("parley")


class UsageError(ValueError):
    pass


def new_run_id() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def published_since(article, since: datetime | None) -> bool:
    return since is None or article.published_at >= since


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def fetch_policy(parley: ParleyOptions) -> FetchPolicy:
    return FetchPolicy(
        timeout=parley.fetch_timeout,
        deadline=parley.fetch_deadline,
        max_bytes=parley.max_bytes,
        retries=parley.retries,
        allow_private=parley.allow_private_links,
    )


def sources_from(parley: ParleyOptions, validators: dict | None = None) -> Sources:
    inputs = list(parley.input) + (sample_inputs() if parley.sample else [])
    return Sources(
        feeds=tuple(parley.feed),
        feed_lists=tuple(parley.feeds_file),
        inputs=tuple(inputs),
        policy=fetch_policy(parley),
        validators=tuple(sorted((validators or {}).items())),
    )


def build(pipeline: beam.Pipeline, parley: ParleyOptions, run_id: str) -> None:
    """Wire the stages; nothing runs until the pipeline does."""
    if parley.reprocess:
        build_reprocess(pipeline, parley, run_id)
        return
    root = parley.output
    raw, read_failures, feed_answers = pipeline | "Read" >> ReadSources(
        sources_from(parley, state.feed_validators(root))
    )
    _ = feed_answers | "WriteFeedState" >> WriteFeedState(root, run_id)
    failures = [read_failures]
    keys = stored_keys()  # loaded once per worker, whichever skip asks first
    if parley.fetch_articles:
        unseen = raw | "SkipStoredItems" >> DropStored(root, keys)
        raw, page_failures = unseen | "FetchPages" >> FetchArticlePages(
            fetch_policy(parley), parley.per_host_delay
        )
        failures.append(page_failures)
    normalized, normalize_failures = raw | "Normalize" >> NormalizeArticles()
    failures.append(normalize_failures)
    recent = normalized | "KeepSince" >> beam.Filter(published_since, _since(parley.since))
    new = recent | "SkipStored" >> DropStored(root, keys)
    unique = new | "Deduplicate" >> DeduplicateArticles()
    events, conditions, extract_failures = unique | "Extract" >> ExtractNegotiations(
        parley.spacy_model, parley.batch_size
    )
    failures.append(extract_failures)
    written = (
        events | "WriteEvents" >> WritePartitionedParquet(root, "events", run_id),
        conditions | "WriteConditions" >> WritePartitionedParquet(root, "conditions", run_id),
        tuple(failures)
        | "AllFailures" >> beam.Flatten()
        | "WriteFailures" >> WriteFailures(root, run_id),
    )
    # Articles last: an article in articles/ is one whose every row is written (stored.py).
    _ = unique | "WriteArticles" >> WritePartitionedParquet(root, "articles", run_id, after=written)


def build_reprocess(pipeline: beam.Pipeline, parley: ParleyOptions, run_id: str) -> None:
    """Re-extract stored articles of chosen dates; their events and conditions are replaced."""
    root = parley.output
    dates = parse_dates(parley.reprocess)
    stored = [partition_date(p) for p in stored_partitions(root)]
    dates = stored if dates is None else [d for d in dates if d in set(stored)]
    articles, read_failures = pipeline | "ReadStored" >> ReadStoredArticles(root, dates)
    events, conditions, extract_failures = articles | "Extract" >> ExtractNegotiations(
        parley.spacy_model, parley.batch_size
    )
    _ = events | "ReplaceEvents" >> WritePartitionedParquet(root, "events", run_id, replace=dates)
    _ = conditions | "ReplaceConditions" >> WritePartitionedParquet(
        root, "conditions", run_id, replace=dates
    )
    _ = (
        (read_failures, extract_failures)
        | "AllFailures" >> beam.Flatten()
        | "WriteFailures" >> WriteFailures(root, run_id)
    )


def run(argv: list[str] | None = None) -> run_summary.RunSummary:
    """Parse options, run the pipeline to the end, and return its summary."""
    options = with_local_runner(PipelineOptions(argv))
    problems = validate(options)
    if problems:
        raise UsageError("; ".join(problems))
    parley = options.view_as(ParleyOptions)
    run_id = new_run_id()
    started = time.monotonic()
    _LOG.info("run %s: reading into %s", run_id, parley.output)
    with state.RunLock(parley.output, run_id, wait=parley.wait):
        cleared = state.clear_leftovers(
            parley.output, run_id, FileSystems.join(parley.output, TMP_DIR)
        )
        if cleared:
            _LOG.info("removed %d leftovers of killed runs", len(cleared))
        pipeline = beam.Pipeline(options=options)
        build(pipeline, parley, run_id)
        result = pipeline.run()
        outcome = result.wait_until_finish()
        summary = run_summary.from_metrics(
            result, run_id, parley.output, time.monotonic() - started
        )
        summary.state = str(outcome).rsplit(".", 1)[-1]
        summary.reprocess = bool(parley.reprocess)
        _remove_temp(parley.output, run_id)
        if summary.state == "DONE":
            state.commit_feed_validators(parley.output, run_id)
            run_summary.save(summary)
    return summary


def _remove_temp(root: str, run_id: str) -> None:
    path = temp_dir(root, run_id)
    try:
        if FileSystems.exists(path):
            FileSystems.delete([path])
    except OSError as error:  # leftovers are harmless: never under a dataset folder
        _LOG.warning("could not remove %s: %s", path, error)


def configure_logging() -> None:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s", force=True
    )
    for name in ("parley", "transforms", "pipelines"):
        logging.getLogger(name).setLevel(logging.INFO)
    # trafilatura logs every page it cannot read as an ERROR; Parley records those itself.
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    try:
        summary = run(argv)
    except UsageError as error:
        print(f"parley: {error}", file=sys.stderr)
        return 2
    except state.RunLocked as error:
        print(f"parley: {error}", file=sys.stderr)
        return 4
    except Exception as error:  # the pipeline failed: say why, and tell cron
        _LOG.exception("run failed")
        print(f"parley: run failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(summary.render())
    return summary.exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
