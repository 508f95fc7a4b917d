"""Reading: feed formats, JSON Lines field names, single documents, feed lists."""

from __future__ import annotations

import json

import pytest

from schemas.records import utc_now
from tests.conftest import FIXTURES
from transforms import sources
from transforms.fetching import FetchPolicy
from transforms.read import feed_list_entries
from transforms.sources import SourceError

FEEDS = FIXTURES / "feeds"


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        ("rss20.xml", ["Rebels and government hold talks in Nairobi", "Union rejects pay offer"]),
        ("rss091.xml", ["Ministers sign trade accord"]),
        ("rss10.rdf", ["Truce talks collapse"]),
        ("atom.xml", ["Mediators propose ceasefire", "Plain text entry"]),
    ],
)
def test_every_feed_format_yields_its_entries(name, titles):
    articles = sources.parse_feed((FEEDS / name).read_bytes(), name, utc_now()).articles
    assert [a.title for a in articles] == titles
    assert all(a.origin == "feed" and a.body for a in articles)


def test_feed_dates_are_utc_iso():
    articles = sources.parse_feed((FEEDS / "rss20.xml").read_bytes(), "f", utc_now()).articles
    assert articles[0].published == "2026-11-16T07:00:00+00:00"  # +0100 in the feed


def test_atom_text_content_is_not_treated_as_html():
    articles = sources.parse_feed((FEEDS / "atom.xml").read_bytes(), "f", utc_now()).articles
    assert [a.body_format for a in articles] == ["html", "text"]


@pytest.mark.parametrize(
    ("name", "reason"), [("not_a_feed.html", "not_a_feed"), ("truncated.xml", "malformed_feed")]
)
def test_documents_that_are_not_feeds_are_errors(name, reason):
    with pytest.raises(SourceError) as raised:
        sources.parse_feed((FEEDS / name).read_bytes(), name, utc_now())
    assert raised.value.reason == reason


def test_feedparser_never_opens_a_path_given_as_content(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text((FEEDS / "rss20.xml").read_text())
    with pytest.raises(SourceError):
        sources.parse_feed(str(secret).encode(), "f", utc_now())


def test_jsonl_accepts_our_names_and_news_please_names():
    ours = sources.parse_jsonl_line(
        json.dumps(
            {"url": "u", "title": "T", "text": "body", "published": "2026-01-01", "source": "S"}
        ),
        "ref",
        utc_now(),
    )
    theirs = sources.parse_jsonl_line(
        json.dumps(
            {
                "url": "u",
                "title": "T",
                "maintext": "body",
                "date_publish": "2026-01-01 10:00:00",
                "source_domain": "np.test",
            }
        ),
        "ref",
        utc_now(),
    )
    assert (ours.body, ours.published, ours.source) == ("body", "2026-01-01", "S")
    assert (theirs.body, theirs.published, theirs.source) == (
        "body",
        "2026-01-01 10:00:00",
        "np.test",
    )


def test_jsonl_html_field_is_kept_as_html():
    raw = sources.parse_jsonl_line(json.dumps({"title": "T", "html": "<p>x</p>"}), "r", utc_now())
    assert (raw.body, raw.body_format) == ("<p>x</p>", "html")


@pytest.mark.parametrize(
    ("line", "reason"),
    [("not json", "bad_json"), ("[1, 2]", "bad_json"), ('{"title": ""}', "empty_article")],
)
def test_bad_jsonl_lines_are_errors(line, reason):
    with pytest.raises(SourceError) as raised:
        sources.parse_jsonl_line(line, "r", utc_now())
    assert raised.value.reason == reason


def test_read_jsonl_yields_articles_and_errors_with_line_refs():
    path = str(FIXTURES / "files" / "ours.jsonl")
    items = list(sources.read_jsonl(path, utc_now()))
    errors = [i for i in items if isinstance(i, SourceError)]
    assert len(items) - len(errors) == 3
    assert [(e.reason, e.ref.rsplit(":", 1)[1]) for e in errors] == [
        ("bad_json", "4"),
        ("empty_article", "5"),
    ]


def test_text_file_title_is_its_first_line():
    path = FIXTURES / "files" / "story.txt"
    raw = sources.document_article(str(path), path.read_bytes(), utc_now())
    assert raw.title == "Mayor refuses to negotiate with striking drivers"
    assert raw.body_format == "text"


def test_feed_list_skips_comments_and_blanks():
    text = (
        "# my feeds\nhttps://a.test/rss\n\n  https://b.test/atom  # world desk\n#https://c.test\n"
    )
    assert feed_list_entries(text) == ["https://a.test/rss", "https://b.test/atom"]


def test_fetch_over_http_and_size_cap(feed_server):
    data = sources.fetch(
        f"{feed_server}/feeds/rss20.xml", FetchPolicy(timeout=5, max_bytes=10_000, retries=0)
    )
    assert data.startswith(b"<?xml")
    with pytest.raises(SourceError) as raised:
        sources.fetch(
            f"{feed_server}/feeds/rss20.xml", FetchPolicy(timeout=5, max_bytes=100, retries=0)
        )
    assert raised.value.reason == "too_large"


def test_fetch_errors_name_the_cause(feed_server):
    with pytest.raises(SourceError) as missing:
        sources.fetch(
            f"{feed_server}/feeds/nope.xml", FetchPolicy(timeout=5, max_bytes=1000, retries=0)
        )
    assert missing.value.reason == "http_error"
    with pytest.raises(SourceError) as scheme:
        sources.fetch(
            "ftp://example.org/feed.xml", FetchPolicy(timeout=5, max_bytes=1000, retries=0)
        )
    assert scheme.value.reason == "unsupported_scheme"


def test_gzipped_jsonl_and_over_long_lines(tmp_path):
    import gzip

    record = json.dumps({"url": "http://a.test/1", "title": "Talks", "text": "Talks were held."})
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(f"{record}\n{'x' * 5000}\n{record}\n".encode()))
    items = list(sources.read_jsonl(str(path), utc_now(), max_line_bytes=1000))
    assert [type(i).__name__ for i in items] == ["RawArticle", "SourceError", "RawArticle"]
    assert items[1].reason == "too_large" and items[1].ref.endswith(":2")


def test_capped_lines_across_chunks():
    import io

    data = b"a\n" + b"b" * 50 + b"\nccc\n\ndd"
    lines = list(sources.capped_lines(io.BytesIO(data), max_line_bytes=10, chunk=7))
    assert lines == [b"a", None, b"ccc", b"", b"dd"]
