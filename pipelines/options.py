"""Parley's pipeline options, on top of Beam's (any Beam option passes through)."""

from __future__ import annotations

import argparse
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
    if not (parley.feed or parley.feeds_file or parley.input or parley.sample):
        problems.append("nothing to read: give --feed, --feeds-file, --input or --sample")
    if not parley.output:
        problems.append("--output must name a folder or bucket path")
    if parley.fetch_timeout <= 0:
        problems.append("--fetch-timeout must be positive")
    if parley.max_bytes <= 0:
        problems.append("--max-bytes must be positive")
    if parley.batch_size <= 0:
        problems.append("--batch-size must be positive")
    mode = options.get_all_options().get("direct_running_mode")
    if mode in UNSAFE_RUNNING_MODES:
        problems.append(
            "--direct_running_mode=multi_threading silently drops elements in Beam 2.77; "
            "use in_memory (default) or multi_processing"
        )
    return problems


def with_local_runner(options: PipelineOptions) -> PipelineOptions:
    """Pin the offline local runner when the user named none."""
    standard = options.view_as(StandardOptions)
    if not standard.runner:
        standard.runner = DEFAULT_RUNNER
    return options
