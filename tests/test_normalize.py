"""Normalization: text, URLs, dates, language and ids, as pure functions."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from schemas.records import RawArticle
from transforms.normalize import (
    NormalizeError,
    canonical_url,
    clean_text,
    content_hash,
    detect_language,
    html_to_text,
    normalize,
    parse_published,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def raw(**fields) -> RawArticle:
    base = dict(
        source_ref="ref",
        origin="jsonl",
        source="S",
        url="https://a.test/x",
        title="Title",
        body="Body text.",
        body_format="text",
        published=None,
        fetched_at=NOW,
    )
    return RawArticle(**(base | fields))


def test_clean_text_nfc_whitespace_and_paragraphs():
    text = "Cafe\u0301  talks\u00a0resume\r\n\r\n\n  Second\tparagraph \u200b\n"
    assert clean_text(text) == "Café talks resume\nSecond paragraph"


def test_html_keeps_paragraph_boundaries():
    html = "<p>Talks <b>resumed</b> on Monday.</p><p>Second &amp; last.</p><script>x=1</script>"
    assert clean_text(html_to_text(html)) == "Talks resumed on Monday.\nSecond & last."


def test_short_html_fragment_still_gives_text():
    assert "ceasefire" in html_to_text("<b>ceasefire</b>")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://WWW.Example.COM/a/b?utm_source=x&id=3&fbclid=zz#frag",
            "https://www.example.com/a/b?id=3",
        ),
        ("http://Example.com:80/x/?b=2&a=1&gclid=1", "http://example.com/x/?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
        ("urn:peer:123", "urn:peer:123"),
        ("", None),
        (None, None),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("raw_date", "expected"),
    [
        ("Mon, 16 Nov 2026 08:00:00 +0100", datetime(2026, 11, 16, 7, 0, tzinfo=timezone.utc)),
        ("2026-11-16T20:00:00-05:00", datetime(2026, 11, 17, 1, 0, tzinfo=timezone.utc)),
        ("2026-11-17 09:00:00", datetime(2026, 11, 17, 9, 0, tzinfo=timezone.utc)),
        ("1066-10-14", None),
        ("2031-01-01", None),
        ("yesterday-ish", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(raw_date, expected):
    assert parse_published(raw_date, now=NOW) == expected


def test_language():
    assert detect_language("The delegations met in Istanbul for a second round of talks.") == "en"
    assert (
        detect_language("Les délégations se sont réunies à Istanbul pour des négociations.") == "fr"
    )
    assert detect_language("   ") == "und"


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("Talks  resume\nToday") == content_hash("talks resume today")


def test_ids_are_stable_and_url_based():
    first, second = normalize(raw()), normalize(raw(body="Other body."))
    assert first.article_id == second.article_id  # same canonical URL
    assert normalize(raw(url=None)).article_id != normalize(raw(url=None, body="x")).article_id


def test_title_leads_the_text_once():
    assert normalize(raw()).text == "Title\nBody text."
    assert normalize(raw(body="Title\nBody text.")).text == "Title\nBody text."


def test_missing_date_falls_back_to_fetch_time_and_says_so():
    article = normalize(raw(published=None))
    assert (article.published_at, article.published_at_source) == (NOW, "fetched")
    dated = normalize(raw(published="2026-11-20T10:00:00Z"))
    assert dated.published_at_source == "article"


def test_empty_article_is_an_error():
    with pytest.raises(NormalizeError):
        normalize(raw(title="", body="<p> </p>", body_format="html"))
