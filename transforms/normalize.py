"""Normalize: ``RawArticle`` in, ``Article`` (clean text, canonical URL, UTC date, language, ids) out.

HTML becomes plain text with paragraph boundaries kept (trafilatura), text is NFC with tidy
whitespace, the URL is canonical (no fragment, no tracking parameters, lower-case host), the date
is UTC (the fetch time when the source gives none, and ``published_at_source`` says so), and
``article_id`` is stable: from the canonical URL, or from the content when there is no URL.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit, urlunsplit

import apache_beam as beam
import courlan
import lxml.html
import py3langid
import trafilatura
from apache_beam.metrics import Metrics
from dateutil import parser as dateparser

from schemas.records import Article, Failure, RawArticle, stable_id
from transforms.errors import StageError

FAILED = "failures"
STAGE = "normalize"
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=timezone.utc)
MAX_TEXT_CHARS = 400_000  # about 70,000 words; longer bodies are cut, never dropped

_LOG = logging.getLogger(__name__)
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_BLOCK_END = re.compile(r"(?i)(<br\s*/?>|</(p|div|li|h[1-6]|tr|blockquote|section|article)>)")


class NormalizeError(StageError):
    """An article with nothing usable left after cleaning."""


def clean_text(text: str) -> str:
    """NFC, one space between words, one newline between paragraphs, no control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = (_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page or fragment, one paragraph a line."""
    if not html.strip():
        return ""
    extracted = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True, deduplicate=False
    )
    if extracted and extracted.strip():
        return extracted
    try:  # short fragments (a feed summary) can be below trafilatura's threshold
        root = lxml.html.fromstring(_BLOCK_END.sub(lambda m: m.group(0) + "\n", html))
    except (lxml.etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return root.text_content()


def html_metadata(html: str) -> dict:
    """Title, date and canonical URL a full HTML page declares about itself."""
    meta = trafilatura.extract_metadata(html)
    if meta is None:
        return {}
    return {"title": meta.title, "date": meta.date, "url": meta.url}


def canonical_url(url: str | None) -> str | None:
    """Lower-case host, no default port, no fragment, no tracking parameters, sorted query."""
    if not url or not url.strip():
        return None
    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return url
    try:
        normalized = courlan.normalize_url(url)
    except (ValueError, AttributeError):
        return url
    parts = urlsplit(normalized)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def parse_published(raw: str | None, *, now: datetime) -> datetime | None:
    """A source's date string as UTC; ``None`` when missing, unreadable or absurd."""
    if not raw or not raw.strip():
        return None
    try:
        value = dateparser.parse(raw.strip())
    except (ValueError, OverflowError, TypeError):
        return None
    if value is None:
        return None
    value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    value = value.astimezone(timezone.utc)
    if value < EARLIEST_DATE or value > now + timedelta(days=2):
        return None
    return value


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (``und`` when there is no text)."""
    sample = text[:3000].strip()
    if not sample:
        return "und"
    return py3langid.classify(sample)[0]


def content_hash(text: str) -> str:
    """Hash of the text with case and whitespace folded: reposts with new markup collide."""
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def normalize(raw: RawArticle) -> Article:
    """One ``RawArticle`` as an ``Article``; raises ``NormalizeError`` when nothing usable is left."""
    title, url, published = raw.title, raw.url, raw.published
    if raw.body_format == "html":
        body = html_to_text(raw.body)
        if raw.origin in ("html", "page"):  # a whole page: it may say what it is
            meta = html_metadata(raw.body)
            title = title or meta.get("title") or ""
            url = url or meta.get("url")
            published = published or meta.get("date")
    else:
        body = raw.body
    title = clean_text(title).replace("\n", " ")
    body = clean_text(body)
    text = body if not title or body.startswith(title) else "\n".join(filter(None, (title, body)))
    if not text:
        raise NormalizeError("empty_text", "no text after cleaning")
    text = text[:MAX_TEXT_CHARS]
    published_at = parse_published(published, now=raw.fetched_at)
    url = canonical_url(url)
    digest = content_hash(text)
    return Article(
        article_id=stable_id("url", url) if url else stable_id("content", digest),
        url=url,
        source=clean_text(raw.source).replace("\n", " "),
        title=title,
        published_at=published_at or raw.fetched_at,
        published_at_source="article" if published_at else "fetched",
        fetched_at=raw.fetched_at,
        language=detect_language(text),
        text=text,
        content_hash=digest,
        source_ref=raw.source_ref,
    )


def warnings(raw: RawArticle, article: Article) -> list[tuple[str, str]]:
    """What was stored but not as the source gave it: (reason, detail) for ``failures/``."""
    found = []
    if len(article.text) >= MAX_TEXT_CHARS:
        found.append(("truncated", f"text cut to {MAX_TEXT_CHARS} characters"))
    if raw.published and raw.published.strip() and article.published_at_source == "fetched":
        found.append(("bad_date", f"unreadable, absurd or future date {raw.published[:200]!r}"))
    return found


class _Normalize(beam.DoFn):
    def __init__(self) -> None:
        self._done = Metrics.counter("parley", "articles_normalized")
        self._count = 0
        self._last_log = 0.0

    def process(self, raw: RawArticle) -> Iterator:
        try:
            article = normalize(raw)
        except NormalizeError as error:
            yield beam.pvalue.TaggedOutput(
                FAILED, Failure(STAGE, raw.source_ref, error.reason, error.detail)
            )
            return
        except Exception as error:  # a library choking on odd input must not end the run
            detail = f"{type(error).__name__}: {error}"[:500]
            yield beam.pvalue.TaggedOutput(FAILED, Failure(STAGE, raw.source_ref, "error", detail))
            return
        for reason, detail in warnings(raw, article):
            yield beam.pvalue.TaggedOutput(FAILED, Failure(STAGE, raw.source_ref, reason, detail))
        self._done.inc()
        self._count += 1
        if time.monotonic() - self._last_log > 10:
            self._last_log = time.monotonic()
            _LOG.info("normalized %d articles in this worker", self._count)
        yield article


class NormalizeArticles(beam.PTransform):
    """PCollection[RawArticle] -> (PCollection[Article], PCollection[Failure])."""

    def expand(self, raw):
        results = raw | "Normalize" >> beam.ParDo(_Normalize()).with_outputs(FAILED, main="ok")
        return results.ok, results[FAILED]
