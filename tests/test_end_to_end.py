"""`parley run` and `parley query` as a user runs them: real subprocesses, real files, DuckDB."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, parley, rows


@pytest.fixture(scope="module")
def run_twice(feed_server, tmp_path_factory):
    """Feeds over loopback HTTP plus JSONL files, run twice into the same output."""
    out = tmp_path_factory.mktemp("out")
    feeds_file = out.parent / "feeds.txt"
    feeds_file.write_text(
        f"{feed_server}/feeds/rss10.rdf\n# a comment\n{feed_server}/feeds/atom.xml\n"
    )
    args = [
        "run",
        "--feed",
        f"{feed_server}/feeds/rss20.xml",
        "--feeds-file",
        str(feeds_file),
        "--input",
        str(FIXTURES / "files" / "*.jsonl"),
        "--output",
        str(out),
    ]
    # The JSONL fixture holds a broken line and an empty article: done, with failures (exit 5).
    first = parley(*args, ok=(5,))
    second = parley(*args, ok=(5,))
    return out, first, second


def test_run_writes_four_queryable_datasets(run_twice):
    out, first, _ = run_twice
    assert "articles read       9" in first.stdout
    for dataset in ("articles", "events", "conditions", "failures"):
        assert list((out / dataset).glob("date=*/part-00000.parquet")), dataset
    titles = rows(
        f"SELECT title FROM read_parquet('{out}/articles/**/*.parquet', hive_partitioning = true) ORDER BY 1"
    )
    assert ("Rebels and government hold talks in Nairobi",) in titles
    assert len(titles) == 9


def test_events_carry_the_spec_columns_and_dates(run_twice):
    out = run_twice[0]
    found = rows(
        f"SELECT date::VARCHAR, event_type, negated, modality FROM read_parquet("
        f"'{out}/events/**/*.parquet', hive_partitioning = true) WHERE url LIKE 'http://wire.test/%' "
        "ORDER BY 1, 2"
    )
    assert ("2026-11-16", "meet", False, "asserted") in found
    assert ("2026-11-16", "schedule", False, "planned") in found
    assert ("2026-11-17", "reject", False, "asserted") in found


def test_canonical_urls_drop_tracking_and_fragments(run_twice):
    out = run_twice[0]
    urls = {r[0] for r in rows(f"SELECT url FROM read_parquet('{out}/articles/**/*.parquet')")}
    assert "http://wire.test/a/talks-nairobi" in urls
    assert "http://atom.test/ceasefire" in urls


def test_failures_are_written_with_stage_and_reason(run_twice):
    out = run_twice[0]
    found = rows(
        f"SELECT stage, reason FROM read_parquet('{out}/failures/**/*.parquet') ORDER BY 2"
    )
    assert found == [("read", "bad_json"), ("read", "empty_article")]


def test_second_run_adds_no_duplicate_rows(run_twice):
    out = run_twice[0]
    for dataset, key in (
        ("articles", "article_id"),
        ("events", "event_id"),
        ("conditions", "condition_id"),
        ("failures", "failure_id"),
    ):
        total, distinct = rows(
            f"SELECT count(*), count(DISTINCT {key}) FROM read_parquet('{out}/{dataset}/**/*.parquet')"
        )[0]
        assert total == distinct, dataset
    assert rows(f"SELECT count(*) FROM read_parquet('{out}/articles/**/*.parquet')") == [(9,)]


def test_summary_and_run_record(run_twice):
    out, first, _ = run_twice
    assert "duplicates dropped" in first.stdout and "events" in first.stdout
    records = sorted((out / "_runs").glob("*.json"))
    assert len(records) == 2
    record = json.loads(records[0].read_text())
    assert record["articles_read"] == 9 and record["state"] == "DONE"
    assert not (out / ".parley-tmp").exists() or not any((out / ".parley-tmp").rglob("*.*"))


def test_progress_log_is_parleys_own_format(run_twice):
    """Beam's import-time 'apitools not found' warning is dropped, and with it the root handler
    it used to install, so progress lines carry a time and the logger's name."""
    _, first, _ = run_twice
    assert "apitools" not in first.stderr
    progress = [line for line in first.stderr.splitlines() if " parley: run " in line]
    assert progress and all(line[:4].isdigit() for line in progress), first.stderr[:500]


def test_query_prints_latest_events_and_runs_sql(run_twice):
    out = run_twice[0]
    latest = parley("query", "--output", str(out))
    assert "event_type" in latest.stdout and "rows)" in latest.stdout
    per_type = parley(
        "query",
        "--output",
        str(out),
        "--csv",
        "SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    )
    assert per_type.stdout.splitlines()[0] == "event_type,n"
    bad = parley("query", "--output", str(out), "SELEC nonsense", check=False)
    assert bad.returncode == 1 and "parley query:" in bad.stderr


def test_module_entry_point_takes_the_same_options(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.negotiation_events",
            "--input",
            str(FIXTURES / "files" / "story.txt"),
            "--output",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    found = rows(f"SELECT event_type, negated FROM read_parquet('{tmp_path}/events/**/*.parquet')")
    assert ("reject", False) in found


def test_nothing_to_read_is_a_usage_error(tmp_path):
    done = parley("run", "--output", str(tmp_path), check=False)
    assert done.returncode == 2 and "nothing to read" in done.stderr


def test_nothing_readable_exits_non_zero(tmp_path):
    done = parley(
        "run",
        "--input",
        str(tmp_path / "missing-*.jsonl"),
        "--output",
        str(tmp_path / "o"),
        check=False,
    )
    assert done.returncode == 3
    assert rows(f"SELECT reason FROM read_parquet('{tmp_path}/o/failures/**/*.parquet')") == [
        ("no_match",)
    ]


def test_multi_threading_mode_is_refused(tmp_path):
    done = parley(
        "run",
        "--sample",
        "--output",
        str(tmp_path),
        "--direct_running_mode=multi_threading",
        check=False,
    )
    assert done.returncode == 2 and "multi_threading" in done.stderr


def test_help_explains_the_options():
    done = parley("run", "--help", check=False)
    assert done.returncode == 0
    for flag in ("--feed", "--feeds-file", "--input", "--output", "--spacy-model", "--sample"):
        assert flag in done.stdout
