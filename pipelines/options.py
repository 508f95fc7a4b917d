"""Parley's pipeline options, on top of Beam's (any Beam option passes through)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from importlib import resources

from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from transforms.negotiation.extractor import DEFAULT_MODEL

DEFAULT_OUTPUT = "parley-data"
# Beam 2.77's default DirectRunner first tries to download a Prism binary: pin the local
# FnApiRunner unless the user names a runner. Its multi_threading mode drops elements; the
# in_memory and multi_processing modes are safe.
DEFAULT_RUNNER = "FnApiRunner"
UNSAFE_RUNNING_MODES = ("multi_threading",)


class ParleyOptions(PipelineOptions):
    @classmethod
    def _add_argparse_args(cls, parser: argparse.ArgumentParser) -> None:
        group = parser.add_argument_group("Parley")
        group.add_argument(
            "--feed",
            action="append",
            default=[],
            metavar="URL_OR_PATH",
            help="an RSS or Atom feed (http(s) URL or file); repeat for more",
        )
        group.add_argument(
            "--feeds-file",
            "--feeds_file",
            dest="feeds_file",
            action="append",
            default=[],
            metavar="PATH",
            help="a file listing feeds, one a line, # for comments",
        )
        group.add_argument(
            "--input",
            action="append",
            default=[],
            metavar="PATTERN",
            help="article files: .jsonl (news-please names accepted), .html, .txt, or feed "
            ".xml/.rss/.atom; a path, directory or glob (quote it); repeat for more",
        )
        group.add_argument(
            "--output",
            default=DEFAULT_OUTPUT,
            metavar="ROOT",
            help="output root: a folder, gs://bucket/path or s3://bucket/path "
            f"(default: {DEFAULT_OUTPUT})",
        )
        group.add_argument(
            "--sample",
            action="store_true",
            help="also read the bundled sample corpus (RSS, Atom and JSONL files)",
        )
        group.add_argument(
            "--spacy-model",
            "--spacy_model",
            dest="spacy_model",
            default=DEFAULT_MODEL,
            help="installed spaCy pipeline to parse with (default: %(default)s; "
            "the official en_core_web_sm works too)",
        )
        group.add_argument(
            "--fetch-timeout",
            "--fetch_timeout",
            dest="fetch_timeout",
            type=float,
            default=20.0,
            help="seconds before a feed fetch gives up (default: %(default)s)",
        )
        group.add_argument(
            "--max-bytes",
            "--max_bytes",
            dest="max_bytes",
            type=int,
            default=20 * 1024 * 1024,
            help="largest feed or file read, in bytes (default: %(default)s)",
        )
        group.add_argument(
            "--fetch-deadline",
            "--fetch_deadline",
            dest="fetch_deadline",
            type=float,
            default=60.0,
            help="seconds a whole fetch may take, retries included, however slowly the "
            "server sends (default: %(default)s)",
        )
        group.add_argument(
            "--retries",
            type=int,
            default=3,
            help="retries, with exponential backoff, on HTTP 429 and 5xx (default: %(default)s)",
        )
        group.add_argument(
            "--fetch-articles",
            "--fetch_articles",
            dest="fetch_articles",
            action="store_true",
            help="fetch the page behind each new feed item and extract its main text "
            "(the feed's summary is kept when that fails)",
        )
        group.add_argument(
            "--per-host-delay",
            "--per_host_delay",
            dest="per_host_delay",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="with --fetch-articles: pages of one host are fetched one at a time, at "
            "least SECONDS apart (default: %(default)s)",
        )
        group.add_argument(
            "--allow-private-links",
            "--allow_private_links",
            dest="allow_private_links",
            action="store_true",
            help="fetch links found inside feeds even when they point at loopback or private "
            "addresses (refused by default; feeds you name yourself are always fetched)",
        )
        group.add_argument(
            "--since",
            default=None,
            metavar="DATE",
            help="keep only articles published on or after DATE (ISO 8601; UTC when no zone)",
        )
        group.add_argument(
            "--reprocess",
            default=None,
            metavar="DATES",
            help="re-extract stored articles of these dates and replace their events and "
            "conditions: 2026-11-01,2026-11-03 or 2026-11-01..2026-11-07 or 'all'; reads no "
            "sources",
        )
        group.add_argument(
            "--wait",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="if another run holds the output, wait up to SECONDS for it (default: refuse)",
        )
        group.add_argument(
            "--batch-size",
            "--batch_size",
            dest="batch_size",
            type=int,
            default=64,
            help="articles per extractor batch (default: %(default)s)",
        )


def sample_inputs() -> list[str]:
    """Paths of the bundled sample corpus."""
    folder = resources.files("pipelines").joinpath("sample")
    return sorted(str(p) for p in folder.iterdir() if p.name.endswith((".xml", ".jsonl")))


def validate(options: PipelineOptions) -> list[str]:
    """Problems with the options, as messages for the user (empty when all is well)."""
    parley = options.view_as(ParleyOptions)
    problems = []
    reading = bool(parley.feed or parley.feeds_file or parley.input or parley.sample)
    if not reading and not parley.reprocess:
        problems.append(
            "nothing to read: give --feed, --feeds-file, --input or --sample (or --reprocess)"
        )
    if not parley.output:
        problems.append("--output must name a folder or bucket path")
    if parley.reprocess:
        try:
            parse_dates(parley.reprocess)
        except ValueError as error:
            problems.append(f"--reprocess: {error}")
        if reading:
            problems.append("--reprocess re-extracts stored articles; give it no sources")
    if parley.fetch_timeout <= 0:
        problems.append("--fetch-timeout must be positive")
    if parley.fetch_deadline <= 0 or parley.retries < 0 or parley.per_host_delay < 0:
        problems.append(
            "--fetch-deadline must be positive, --retries and --per-host-delay not negative"
        )
    if parley.max_bytes <= 0:
        problems.append("--max-bytes must be positive")
    if parley.batch_size <= 0:
        problems.append("--batch-size must be positive")
    if parley.since:
        try:
            datetime.fromisoformat(parley.since)
        except ValueError:
            problems.append(f"--since {parley.since!r} is not an ISO 8601 date (2026-11-01)")
    mode = options.get_all_options().get("direct_running_mode")
    if mode in UNSAFE_RUNNING_MODES:
        problems.append(
            "--direct_running_mode=multi_threading silently drops elements in Beam 2.77; "
            "use in_memory (default) or multi_processing"
        )
    return problems


def parse_dates(value: str) -> list[str] | None:
    """``--reprocess`` dates: a comma list of days and ``FIRST..LAST`` ranges; None for all."""
    if value.strip().lower() == "all":
        return None
    days: set[str] = set()
    for part in filter(None, (p.strip() for p in value.split(","))):
        first, _, last = part.partition("..")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise ValueError(f"{part!r} is not a date (2026-11-01) or range (A..B)") from None
        if end < start or (end - start).days > 3660:
            raise ValueError(f"{part!r} is not a forward range of at most ten years")
        days.update((start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1))
    if not days:
        raise ValueError("no dates given")
    return sorted(days)


def with_local_runner(options: PipelineOptions) -> PipelineOptions:
    """Pin the offline local runner when the user named none."""
    standard = options.view_as(StandardOptions)
    if not standard.runner:
        standard.runner = DEFAULT_RUNNER
    return options
