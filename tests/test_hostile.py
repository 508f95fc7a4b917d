"""One `parley run` over everything hostile at once, beside good sources: every bad source becomes
a row in failures/ with its reason, every good article is stored, the run ends with exit 5."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import parley, rows
from tests.servers import SECRET, Server, Site, story

HOSTILE_FEEDS = {
    "/stall": "timeout",
    "/trickle": "deadline",
    "/loop/a": "redirect_loop",
    "/huge": "too_large",
    "/gzip-bomb": "too_large",
    "/xxe": "xml_entities",
    "/laughs": "xml_entities",
    "/truncated": "malformed_feed",
    "/malformed": "malformed_feed",
    "/html": "not_a_feed",
    "/json": "not_a_feed",
    "/binary": "not_a_feed",
    "/missing": "http_error",
}


def hostile_files(folder) -> dict[str, str]:
    """Files a user's dump folder might hold; name -> the reason it is recorded under."""
    folder.mkdir()
    good = {
        "url": "http://files.test/good",
        "title": "Ministers hold talks in Geneva",
        "text": "The two ministers met in Geneva on Monday for talks on the border.",
        "published": "2026-11-16T08:00:00Z",
    }
    lines = [
        json.dumps(good),
        '{"url": "http://files.test/broken", "title": "cut off',
        "[1, 2, 3]",
        json.dumps({"url": "http://files.test/empty", "title": "", "text": "  "}),
        json.dumps(
            good
            | {
                "url": "http://files.test/ancient",
                "published": "0001-01-01",
                "text": "Envoys met for talks in Oslo on a treaty.",
            }
        ),
        json.dumps(
            good
            | {
                "url": "http://files.test/future",
                "published": "2999-01-01T00:00:00Z",
                "text": "Envoys met for talks in Vienna on the accord.",
            }
        ),
        json.dumps(
            good
            | {
                "url": "http://files.test/long",
                "text": "Markets were calm and the weather mild. " * 14_300,
            }
        ),
    ]
    (folder / "dump.jsonl").write_bytes("\n".join(lines).encode() + b"\n\xff\xfe{bad bytes\n")
    (folder / "junk.xml").write_bytes(os.urandom(4096))
    (folder / "empty.txt").write_text("   \n")
    (folder / "corrupt.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00" + os.urandom(512))
    if os.geteuid() != 0:  # root reads anything; elsewhere a file without permissions too
        locked = folder / "locked.txt"
        locked.write_text("Talks were held.")
        locked.chmod(0)
    return {
        "bad_json": "2 broken lines and 1 line of invalid UTF-8",
        "empty_article": "an empty record and an empty file",
        "bad_date": "year 1 and year 2999",
        "truncated": "100,000 words",
        "not_a_feed": "random bytes named .xml",
        "unreadable_file": "a corrupt gzip archive (and a file without read permission)",
    }


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    secret = tmp / "secret.txt"
    secret.write_text(SECRET)
    site = Site(secret_path=str(secret))
    site.set_items([story(1), story(2)])
    files = hostile_files(tmp / "files")
    with Server(site) as server:
        feeds = tmp / "feeds.txt"
        feeds.write_text("\n".join(f"{server.url}{path}" for path in HOSTILE_FEEDS) + "\n")
        out = tmp / "out"
        done = parley(
            "run",
            "--feed", f"{server.url}/feed",
            "--feeds-file", str(feeds),
            "--feed", "file:///etc/passwd",
            "--input", str(tmp / "files"),
            "--output", str(out),
            "--fetch-timeout", "1",
            "--fetch-deadline", "3",
            "--max-bytes", "2000000",
            "--retries", "0",
            ok=(5,),
        )  # fmt: skip
    return out, done, files


def failures(out) -> list[tuple[str, str, str]]:
    return rows(
        f"SELECT stage, source_ref, reason FROM read_parquet('{out}/failures/**/*.parquet')"
    )


def test_every_hostile_feed_is_a_failure_with_its_reason(hostile_run):
    out, _, _ = hostile_run
    found = {(ref.split("/", 3)[-1], reason) for _, ref, reason in failures(out)}
    for path, reason in HOSTILE_FEEDS.items():
        assert (path.lstrip("/"), reason) in found, path
    assert ("file:///etc/passwd", "unsupported_scheme") in {
        (ref, reason) for _, ref, reason in failures(out)
    }


def test_every_hostile_file_is_a_failure_with_its_reason(hostile_run):
    out, _, expected = hostile_run
    reasons = [reason for _, _, reason in failures(out)]
    for reason in expected:
        assert reason in reasons, reason
    assert reasons.count("bad_json") == 3 and reasons.count("bad_date") == 2


def test_good_articles_beside_them_are_stored(hostile_run):
    out, done, _ = hostile_run
    urls = {r[0] for r in rows(f"SELECT url FROM read_parquet('{out}/articles/**/*.parquet')")}
    assert {
        "http://wire.test/story/1",
        "http://wire.test/story/2",
        "http://files.test/good",
        "http://files.test/ancient",  # stored with the fetch time, and the bad date reported
        "http://files.test/future",
        "http://files.test/long",  # stored, cut, and reported
        "http://wire.test/story/900",  # the truncated feed's readable item
    } <= urls
    texts = rows(f"SELECT text FROM read_parquet('{out}/articles/**/*.parquet')")
    assert not any(SECRET in t for (t,) in texts)
    events = rows(f"SELECT count(*) FROM read_parquet('{out}/events/**/*.parquet')")[0][0]
    assert events >= 4
    assert "exit status         5" in done.stdout
