"""The ``parley`` command: ``run`` the pipeline, ``query`` its output with SQL."""

from __future__ import annotations

import argparse
import sys

import duckdb

from pipelines import negotiation_events, query
from pipelines.options import DEFAULT_OUTPUT, ParleyOptions

EXAMPLES = """\
examples:
  parley run --sample
  parley run --feed https://example.org/rss.xml --feeds-file feeds.txt \\
             --input 'dumps/*.jsonl' --output parley-data
  parley run --input articles/ --direct_num_workers=2 --direct_running_mode=multi_processing
  parley query --output parley-data
  parley query --output parley-data \\
    "SELECT date, event_type, count(*) FROM events GROUP BY ALL ORDER BY ALL"
"""


def _run_parser(sub) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "run",
        help="read feeds and files, extract negotiation events, write Parquet",
        description="Read feeds and files, extract negotiation events and conditions, and "
        "merge them into date-partitioned Parquet under --output. Any Apache Beam pipeline "
        "option (--runner, --direct_num_workers, --project, ...) is passed through.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ParleyOptions._add_argparse_args(parser)
    return parser


def _query_parser(sub) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "query",
        help="run SQL (DuckDB) over the output; views articles, events, conditions, failures",
        description="Run SQL over Parley's output with DuckDB. The views articles, events, "
        "conditions and failures are defined; each has a date column from its partitions. "
        "With no SQL, shows the latest events.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sql", nargs="?", help="a SQL statement (default: the latest events)")
    parser.add_argument(
        "--output", default=DEFAULT_OUTPUT, help="output root (default: %(default)s)"
    )
    parser.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    parser.add_argument("--max-width", type=int, default=48, help="widest cell in table output")
    return parser


def _evaluate_parser(sub) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "evaluate",
        help="score the extractor against annotated articles (gold JSONL)",
        description="Run extraction on annotated articles (the JSONL shape of "
        "examples/gold.jsonl) and print per-type precision, recall and F1, condition F1, "
        "actor, holder, negation and modality accuracy, events on negative sentences, and "
        "the misses and false positives. Items marked optional count neither way.",
    )
    parser.add_argument("gold", nargs="+", help="gold JSONL file(s)")
    parser.add_argument("--show", type=int, default=20, help="misses and false positives to list")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--spacy-model", dest="spacy_model", default=None, help="spaCy model")
    return parser


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from pipelines import evaluate
    from transforms.negotiation.extractor import DEFAULT_MODEL, Extractor

    try:
        records = [r for path in args.gold for r in evaluate.load_gold(path)]
    except (OSError, ValueError) as error:
        print(f"parley evaluate: {error}", file=sys.stderr)
        return 2
    report = evaluate.evaluate(records, Extractor(args.spacy_model or DEFAULT_MODEL))
    print(
        json.dumps(report.figures(), indent=2) if args.json else evaluate.render(report, args.show)
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="parley",
        description="Parley: negotiation events and conditions from news, as Parquet.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _run_parser(sub)
    _query_parser(sub)
    _evaluate_parser(sub)
    if not argv or argv[0] in ("-h", "--help"):
        parser.print_help()
        return 0 if argv else 2
    if argv[0] == "run":
        if any(a in ("-h", "--help") for a in argv[1:]):
            parser.parse_args(argv)  # prints run's help and exits
        return negotiation_events.main(argv[1:])
    args = parser.parse_args(argv)
    if args.command == "query":
        return _query(args)
    if args.command == "evaluate":
        return _evaluate(args)
    parser.print_help()
    return 2


def _query(args: argparse.Namespace) -> int:
    try:
        columns, rows = query.run_query(args.output, args.sql)
    except duckdb.Error as error:
        print(f"parley query: {error}", file=sys.stderr)
        return 1
    if args.csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif columns:
        print(query.format_table(columns, rows, args.max_width))
    return 0


if __name__ == "__main__":
    sys.exit(main())
