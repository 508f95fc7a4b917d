"""Negotiation events from news: the Parley pipeline.

A story in five stages. **Read** expands the feeds, feed lists and file patterns the user named
into raw articles. **Normalize** turns each into clean text with a canonical URL, a UTC date, a
language and stable ids. **Deduplicate** keeps one article per URL and per content, the same one
every run. **Extract** finds the negotiation events and the conditions actors attach to them.
**Write** merges everything into Hive-partitioned Parquet under the output root: ``articles/``,
``events/``, ``conditions/`` and ``failures/`` (every record a stage could not handle).

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

from pipelines import summary as run_summary
from pipelines.options import ParleyOptions, sample_inputs, validate, with_local_runner
from transforms.dedup import DeduplicateArticles
from transforms.extract import ExtractNegotiations
from transforms.normalize import NormalizeArticles
from transforms.read import ReadSources, Sources
from transforms.write import WriteFailures, WritePartitionedParquet, temp_dir

_LOG = logging.getLogger("parley")


class UsageError(ValueError):
    pass


def new_run_id() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def sources_from(parley: ParleyOptions) -> Sources:
    inputs = list(parley.input) + (sample_inputs() if parley.sample else [])
    return Sources(
        feeds=tuple(parley.feed),
        feed_lists=tuple(parley.feeds_file),
        inputs=tuple(inputs),
        timeout=parley.fetch_timeout,
        max_bytes=parley.max_bytes,
    )


def build(pipeline: beam.Pipeline, parley: ParleyOptions, run_id: str) -> None:
    """Wire the stages; nothing runs until the pipeline does."""
    root = parley.output
    raw, read_failures = pipeline | "Read" >> ReadSources(sources_from(parley))
    articles, normalize_failures = raw | "Normalize" >> NormalizeArticles()
    unique = articles | "Deduplicate" >> DeduplicateArticles()
    events, conditions, extract_failures = unique | "Extract" >> ExtractNegotiations(
        parley.spacy_model, parley.batch_size
    )
    _ = unique | "WriteArticles" >> WritePartitionedParquet(root, "articles", run_id)
    _ = events | "WriteEvents" >> WritePartitionedParquet(root, "events", run_id)
    _ = conditions | "WriteConditions" >> WritePartitionedParquet(root, "conditions", run_id)
    _ = (
        (read_failures, normalize_failures, extract_failures)
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
    pipeline = beam.Pipeline(options=options)
    build(pipeline, parley, run_id)
    result = pipeline.run()
    state = result.wait_until_finish()
    summary = run_summary.from_metrics(result, run_id, parley.output, time.monotonic() - started)
    summary.state = str(state).rsplit(".", 1)[-1]
    _remove_temp(parley.output, run_id)
    if summary.state == "DONE":
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
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    for name in ("parley", "transforms", "pipelines"):
        logging.getLogger(name).setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    try:
        summary = run(argv)
    except UsageError as error:
        print(f"parley: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # the pipeline failed: say why, and tell cron
        _LOG.exception("run failed")
        print(f"parley: run failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(summary.render())
    return summary.exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
