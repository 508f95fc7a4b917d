"""Parley's benchmark: prints throughput and memory figures from one run. Not a test.

For each corpus (general news with ~10% negotiation stories; dense negotiation), it measures:
  end-to-end   the whole pipeline (read, normalize, dedup, extract, write) on the local runner,
               in one process and with two worker processes (multi_processing)
  extractor    Extractor.extract alone over the normalized texts, in batches
  tokenizer    a spaCy tokenizer-only pass over the same texts: the reference
and prints the ratios to the tokenizer pass, sentences per second, and peak memory (RSS).
Each timing is the median of --repeats runs; the pipeline runs --pipeline-repeats times (default
1: it is long), and with more the median is shown with the range, as this machine's speed varies
by a fifth from run to run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import write_corpus  # noqa: E402
from pipelines import negotiation_events  # noqa: E402
from schemas.records import RawArticle  # noqa: E402
from transforms.negotiation.extractor import Extractor, split_sentences  # noqa: E402
from transforms.normalize import normalize  # noqa: E402


def load_articles(path: Path):
    now = datetime.now(timezone.utc)
    articles = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        raw = RawArticle(
            row["url"],
            "jsonl",
            "bench",
            row["url"],
            row["title"],
            row["text"],
            "text",
            row["published"],
            now,
        )
        articles.append(normalize(raw))
    return articles


def timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def bench_corpus(
    name: str, path: Path, extractor: Extractor, repeats: int, extra: list[str], runs: int = 1
) -> dict:
    articles = load_articles(path)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    sentences = sum(len(split_sentences(extractor.nlp.make_doc(t))) for t in texts)
    tokenizer = extractor.nlp.tokenizer

    t_tok = timed(lambda: list(tokenizer.pipe(texts, batch_size=256)), repeats)
    t_ext = timed(
        lambda: [extractor.extract(articles[i : i + 64]) for i in range(0, len(articles), 64)],
        repeats,
    )
    one = [_pipeline(path, extra) for _ in range(runs)]
    # The same run with two worker processes: how far a 2-core machine carries it.
    two = [_pipeline(path, [*TWO_WORKERS, *extra])[0] for _ in range(runs)]
    summary = one[0][1]
    return {
        "corpus": name,
        "articles": len(articles),
        "words": words,
        "sentences": sentences,
        "tokenizer_s": t_tok,
        "extractor_s": t_ext,
        "end_to_end_s": statistics.median(t for t, _ in one),
        "end_to_end_2_workers_s": statistics.median(two),
        "end_to_end_range": _range([t for t, _ in one]),
        "end_to_end_2_workers_range": _range(two),
        "events": summary.events,
        "conditions": summary.conditions,
    }


TWO_WORKERS = ["--direct_num_workers=2", "--direct_running_mode=multi_processing"]


def _range(times: list[float]) -> str:
    return (
        f"  (median of {len(times)}: {min(times):.2f}-{max(times):.2f} s)" if len(times) > 1 else ""
    )


def _pipeline(path: Path, extra: list[str]):
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = negotiation_events.run(["--input", str(path), "--output", out, *extra])
        return time.perf_counter() - started, summary


def report(r: dict) -> str:
    return "\n".join(
        [
            f"{r['corpus']}: {r['articles']} articles, {r['words']:,} words, {r['sentences']:,} sentences",
            f"  tokenizer only   {r['tokenizer_s']:7.2f} s  {r['words'] / r['tokenizer_s']:>10,.0f} words/s",
            f"  extractor        {r['extractor_s']:7.2f} s  {r['words'] / r['extractor_s']:>10,.0f} words/s"
            f"  {r['sentences'] / r['extractor_s']:>8,.0f} sentences/s"
            f"  ratio to tokenizer {r['extractor_s'] / r['tokenizer_s']:.2f}x",
            f"  end to end       {r['end_to_end_s']:7.2f} s  {r['words'] / r['end_to_end_s']:>10,.0f} words/s"
            f"  {r['articles'] / r['end_to_end_s']:>8,.1f} articles/s"
            f"  {r['sentences'] / r['end_to_end_s']:>8,.0f} sentences/s"
            f"  ratio to tokenizer {r['end_to_end_s'] / r['tokenizer_s']:.2f}x{r['end_to_end_range']}",
            f"  end to end, 2 workers {r['end_to_end_2_workers_s']:7.2f} s"
            f"  {r['sentences'] / r['end_to_end_2_workers_s']:>8,.0f} sentences/s"
            f"  ratio to tokenizer {r['end_to_end_2_workers_s'] / r['tokenizer_s']:.2f}x"
            f"{r['end_to_end_2_workers_range']}",
            f"  found            {r['events']} events, {r['conditions']} conditions",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=2000, help="articles per corpus (default: %(default)s)"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per timing; the median is shown"
    )
    parser.add_argument(
        "--pipeline-repeats",
        type=int,
        default=1,
        help="end-to-end runs per corpus and mode; the median is shown (default: %(default)s)",
    )
    parser.add_argument(
        "--data", default="bench-data", help="where corpora are written (git-ignored)"
    )
    parser.add_argument("pipeline_args", nargs="*", help="extra pipeline options, after --")
    args = parser.parse_args()
    data = Path(args.data)
    corpora = {
        "general (10% negotiation)": write_corpus(data / "general.jsonl", args.articles, 0.10),
        "dense negotiation": write_corpus(data / "dense.jsonl", args.articles, 1.0),
    }
    started = time.perf_counter()
    extractor = Extractor()
    print(
        f"model load {time.perf_counter() - started:.2f} s ({extractor.meta['name']} {extractor.meta['version']})"
    )
    for name, path in corpora.items():
        print(
            report(
                bench_corpus(
                    name, path, extractor, args.repeats, args.pipeline_args, args.pipeline_repeats
                )
            ),
            flush=True,
        )
    print(f"peak memory (max RSS of this process or a child) {peak_rss_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
