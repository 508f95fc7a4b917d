"""Scheduled runs as cron makes them: real `parley run` subprocesses against a loopback server
whose feed changes between runs, checked with DuckDB."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import parley, rows
from tests.servers import Server, Site, story


@pytest.fixture()
def server():
    with Server(Site()) as running:
        yield running


def count(out, dataset: str) -> tuple[int, int]:
    """(rows, distinct keys) of a dataset."""
    key = {"articles": "article_id", "events": "event_id", "conditions": "condition_id"}[dataset]
    return rows(
        f"SELECT count(*), count(DISTINCT {key}) FROM read_parquet('{out}/{dataset}/**/*.parquet')"
    )[0]


def ids(out, dataset: str) -> set[str]:
    key = {"articles": "article_id", "events": "event_id", "conditions": "condition_id"}[dataset]
    return {r[0] for r in rows(f"SELECT {key} FROM read_parquet('{out}/{dataset}/**/*.parquet')")}


def summary(out) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "_runs").glob("*.json"))]


def test_three_scheduled_runs_add_exactly_what_is_new(server, tmp_path):
    out, feed = tmp_path / "out", f"{server.url}/feed"
    server.site.set_items([story(n) for n in range(1, 4)])
    parley("run", "--feed", feed, "--output", str(out))
    server.site.set_items([story(n) for n in range(1, 6)])  # two new items, three old
    parley("run", "--feed", feed, "--output", str(out))
    parley("run", "--feed", feed, "--output", str(out))  # nothing changed: one 304
    first, second, third = summary(out)
    assert (first["articles_read"], first["articles_stored"]) == (3, 3)
    assert (second["already_stored"], second["articles_stored"]) == (3, 2)
    assert (third["feeds_unchanged"], third["articles_read"], third["articles_stored"]) == (1, 0, 0)
    assert [status for _, status in server.site.conditional] == [200, 200, 304]

    clean = tmp_path / "clean"  # one run over the final feed is the truth
    parley("run", "--feed", feed, "--output", str(clean))
    for dataset in ("articles", "events", "conditions"):
        total, distinct = count(out, dataset)
        assert total == distinct, dataset
        assert ids(out, dataset) == ids(clean, dataset), dataset
    assert count(out, "articles") == (5, 5)
    assert count(out, "events")[0] >= 10


def test_since_keeps_recent_articles(server, tmp_path):
    out = tmp_path / "out"
    server.site.set_items([story(1, day=14), story(2, day=16), story(3, day=17)])
    parley("run", "--feed", f"{server.url}/feed", "--output", str(out), "--since", "2026-11-16")
    dates = rows(
        f"SELECT DISTINCT date::VARCHAR FROM read_parquet('{out}/articles/**/*.parquet', "
        "hive_partitioning = true) ORDER BY 1"
    )
    assert dates == [("2026-11-16",), ("2026-11-17",)]
    bad = parley("run", "--sample", "--output", str(out), "--since", "last tuesday", check=False)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_reprocess_replaces_chosen_partitions(server, tmp_path):
    out = tmp_path / "out"
    server.site.set_items([story(1, day=16), story(2, day=17)])
    parley("run", "--feed", f"{server.url}/feed", "--output", str(out))
    before = ids(out, "events")
    # An older extractor's leftovers: a stale row in one partition, another partition emptied.
    part16 = out / "events" / "date=2026-11-16" / "part-00000.parquet"
    table = pq.read_table(part16)
    stale = pa.Table.from_pylist(
        [table.slice(0, 1).to_pylist()[0] | {"event_id": "stale-row"}], schema=table.schema
    )
    pq.write_table(pa.concat_tables([table, stale]), part16)
    part17 = out / "events" / "date=2026-11-17" / "part-00000.parquet"
    pq.write_table(pq.read_table(part17).slice(0, 0), part17)

    done = parley("run", "--output", str(out), "--reprocess", "2026-11-16..2026-11-17")
    assert "reprocessed" in done.stdout
    assert ids(out, "events") == before
    assert count(out, "articles") == (2, 2)
    everything = parley("run", "--output", str(out), "--reprocess", "all")
    assert everything.returncode == 0 and ids(out, "events") == before
    mixed = parley("run", "--sample", "--output", str(out), "--reprocess", "all", check=False)
    assert mixed.returncode == 2 and "no sources" in mixed.stderr


def test_a_second_run_on_the_same_output_refuses(tmp_path):
    out = tmp_path / "out"
    (out / "_state").mkdir(parents=True)
    lock = out / "_state" / "run.lock"
    holder = {"run_id": "other", "pid": os.getpid(), "host": socket.gethostname()}
    lock.write_text(json.dumps(holder))
    done = parley("run", "--sample", "--output", str(out), check=False)
    assert done.returncode == 4
    assert "another parley run (other" in done.stderr and "--wait" in done.stderr
    assert not (out / "articles").exists()

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    lock.write_text(json.dumps(holder | {"pid": int(gone.stdout)}))  # a killed run's lock
    parley("run", "--sample", "--output", str(out))
    assert not lock.exists()


def test_fetch_articles_full_text_retries_and_private_links(server, tmp_path):
    feed = f"{server.url}/summary-feed"
    refused = tmp_path / "refused"
    parley("run", "--feed", feed, "--output", str(refused), "--fetch-articles", ok=(5,))
    reasons = rows(f"SELECT stage, reason FROM read_parquet('{refused}/failures/**/*.parquet')")
    assert reasons == [("fetch_page", "private_address")] * 3
    assert count(refused, "articles") == (3, 3)  # the summaries are kept

    out = tmp_path / "out"
    args = ["--feed", feed, "--output", str(out), "--fetch-articles", "--allow-private-links"]
    done = parley("run", *args, "--per-host-delay", "0.1", "--retries", "2", ok=(5,))
    assert "pages fetched       2" in done.stdout
    texts = dict(
        rows(
            f"SELECT split_part(source_ref, '/', -2), text FROM "
            f"read_parquet('{out}/articles/**/*.parquet')"
        )
    )
    assert "Paragraph 7 of story 1" in texts["page"] and "Home | World" not in texts["page"]
    assert "Paragraph 7 of story 2" in texts["flaky-page"]  # 429, then 503, then the page
    assert texts["down-page"].endswith("Round 3 of wage talks.")  # summary kept
    assert rows(f"SELECT reason FROM read_parquet('{out}/failures/**/*.parquet')") == [
        ("http_error",)
    ]
    assert server.site.hits["/flaky-page/2"] == 3


def test_leftovers_of_a_killed_run_are_cleared(tmp_path):
    out = tmp_path / "out"
    dead_temp = out / ".parley-tmp" / "20260101T000000Z-dead00"
    dead_temp.mkdir(parents=True)
    (dead_temp / "events-date=2026-11-16.inprogress").write_bytes(b"half a file")
    (out / "_state").mkdir()
    (out / "_state" / "pending-20260101T000000Z-dead00.json").write_text("{}")
    parley("run", "--sample", "--output", str(out))
    assert not any((out / ".parley-tmp").iterdir())
    assert not list((out / "_state").glob("pending-*"))
