"""ReadSources on the local runner: feeds over loopback HTTP, feed lists, files, failures."""

from __future__ import annotations

from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import FIXTURES, make_test_pipeline
from transforms.fetching import FetchPolicy
from transforms.read import ReadSources, Sources, expand_pattern


def test_expand_pattern_handles_files_dirs_and_globs():
    files = FIXTURES / "files"
    assert expand_pattern(str(files / "story.txt")) == [str(files / "story.txt")]
    assert len(expand_pattern(str(files))) == 4
    assert expand_pattern(str(files / "*.jsonl")) == sorted(str(p) for p in files.glob("*.jsonl"))


def test_read_sources_from_http_feeds_lists_and_files(feed_server, tmp_path):
    feeds_file = tmp_path / "feeds.txt"
    feeds_file.write_text(
        f"# test feeds\n{feed_server}/feeds/rss10.rdf\n{feed_server}/feeds/missing.xml\n"
    )
    wanted = Sources(
        feeds=(f"{feed_server}/feeds/rss20.xml", f"{feed_server}/feeds/not_a_feed.html"),
        feed_lists=(str(feeds_file),),
        inputs=(
            str(FIXTURES / "files"),
            str(FIXTURES / "feeds" / "atom.xml"),
            str(tmp_path / "none-*.jsonl"),
        ),
        policy=FetchPolicy(timeout=5, deadline=10, retries=0),
    )
    with make_test_pipeline() as p:
        articles, failures, _ = p | ReadSources(wanted)
        assert_that(
            articles | "Titles" >> _map(lambda a: a.title),
            equal_to(
                [
                    "Rebels and government hold talks in Nairobi",
                    "Union rejects pay offer",
                    "Truce talks collapse",
                    "Mediators propose ceasefire",
                    "Plain text entry",
                    "Strike ends as union accepts deal",
                    "Singer talks about new album",
                    "Envoy invited to talks",
                    "Rival firms in merger talks",
                    "",  # page.html: its title comes from the page's metadata, in Normalize
                    "Mayor refuses to negotiate with striking drivers",
                ]
            ),
            label="CheckArticles",
        )
        assert_that(
            failures | "Reasons" >> _map(lambda f: f.reason),
            equal_to(["not_a_feed", "http_error", "bad_json", "empty_article", "no_match"]),
            label="CheckFailures",
        )


def _map(fn):
    import apache_beam as beam

    return beam.Map(fn)
