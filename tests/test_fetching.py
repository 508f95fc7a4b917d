"""The hardened HTTP client and the feed parser against a hostile loopback server."""

from __future__ import annotations

import io
import time

import feedparser
import pytest

from schemas.records import utc_now
from tests.servers import SECRET, Server, Site
from transforms import fetching, sources
from transforms.errors import SourceError
from transforms.fetching import FetchPolicy

POLICY = FetchPolicy(timeout=1.0, deadline=3.0, max_bytes=1024 * 1024, retries=0, backoff=0.1)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    secret = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret.write_text(SECRET)
    with Server(Site(secret_path=str(secret))) as server:
        yield server


def read(server: Server, path: str, policy: FetchPolicy = POLICY) -> sources.ParsedFeed:
    """Fetch and parse as the feed reader does; raises SourceError when nothing is readable."""
    answer = fetching.get(f"{server.url}{path}", policy, trusted=True)
    return sources.parse_feed(answer.data, path, utc_now(), answer.content_type)


def reason_of(server: Server, path: str) -> str:
    """The reason a hostile answer is recorded under: raised, or damage read past."""
    try:
        parsed = read(server, path)
    except SourceError as error:
        return error.reason
    return parsed.damage.reason if parsed.damage else "ok"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/stall", "timeout"),
        ("/trickle", "deadline"),
        ("/loop/a", "redirect_loop"),
        ("/huge", "too_large"),
        ("/gzip-bomb", "too_large"),
        ("/xxe", "xml_entities"),
        ("/laughs", "xml_entities"),
        ("/malformed", "malformed_feed"),
        ("/html", "not_a_feed"),
        ("/json", "not_a_feed"),
        ("/binary", "not_a_feed"),
        ("/missing", "http_error"),
        ("/down-page/1", "http_error"),
    ],
)
def test_hostile_answers_become_reasons(hostile, path, reason):
    started = time.monotonic()
    assert reason_of(hostile, path) == reason
    assert time.monotonic() - started < POLICY.deadline + 2  # nothing hangs past the deadline


def test_truncated_xml_is_read_leniently_and_reported(hostile):
    parsed = read(hostile, "/truncated")
    assert parsed.damage.reason == "malformed_feed"
    assert [a.title for a in parsed.articles] == ["Union and rail operator hold talks in round 900"]


def test_external_entities_never_read_the_disk(hostile):
    # Even bypassing the guard, feedparser must not resolve SYSTEM entities.
    answer = fetching.get(f"{hostile.url}/xxe", POLICY, trusted=True)
    parsed = feedparser.parse(io.BytesIO(answer.data))
    assert SECRET not in repr(parsed)


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/latin1", "Talks in Bogotá resume"),
        ("/bad-utf8", None),
        ("/wrong-charset", None),
    ],
)
def test_wrong_or_missing_charsets_still_read(hostile, path, title):
    parsed = read(hostile, path)
    assert len(parsed.articles) == 1
    if title:
        assert parsed.articles[0].title == title
    assert "talks" in parsed.articles[0].title.lower()


def test_retries_with_backoff_on_429_and_5xx(hostile):
    patient = FetchPolicy(timeout=1.0, deadline=10.0, retries=3, backoff=0.1)
    answer = fetching.get(f"{hostile.url}/flaky-page/7", patient, trusted=True)
    assert b"story 7" in answer.data
    assert hostile.site.hits["/flaky-page/7"] == 3


def test_retries_give_up(hostile):
    patient = FetchPolicy(timeout=1.0, deadline=10.0, retries=2, backoff=0.05)
    with pytest.raises(SourceError) as raised:
        fetching.get(f"{hostile.url}/down-page/8", patient, trusted=True)
    assert raised.value.reason == "http_error"
    assert hostile.site.hits["/down-page/8"] == 3


def test_private_addresses_refused_for_links_not_for_named_feeds(hostile):
    with pytest.raises(SourceError) as raised:
        fetching.get(f"{hostile.url}/page/1", POLICY, trusted=False)
    assert raised.value.reason == "private_address"
    assert fetching.get(f"{hostile.url}/page/1", POLICY, trusted=True).data
    allowed = FetchPolicy(timeout=1.0, allow_private=True)
    assert fetching.get(f"{hostile.url}/page/1", allowed, trusted=False).data
    for link in ("http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[::1]/x"):
        with pytest.raises(SourceError) as refused:
            fetching.get(link, POLICY, trusted=False)
        assert refused.value.reason == "private_address"


def test_only_http_and_https(hostile):
    for url in ("file:///etc/passwd", "ftp://example.org/feed", "gopher://x/"):
        with pytest.raises(SourceError) as raised:
            fetching.get(url, POLICY, trusted=True)
        assert raised.value.reason == "unsupported_scheme"


def test_conditional_get_returns_none_on_304(hostile):
    hostile.site.set_items([{"title": "a", "link": "http://wire.test/a", "summary": "s"}])
    first = fetching.get(f"{hostile.url}/feed", POLICY, trusted=True)
    assert first.data and first.etag
    again = fetching.get(f"{hostile.url}/feed", POLICY, trusted=True, etag=first.etag)
    assert again.data is None
    assert hostile.site.conditional[-2:] == [("/feed", 200), ("/feed", 304)]
