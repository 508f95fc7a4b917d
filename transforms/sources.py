"""Pure functions that turn bytes from feeds and files into ``RawArticle`` records.

In: a location (http(s) URL or a path Beam's ``FileSystems`` can open) or the bytes it held.
Out: ``RawArticle`` records, or a ``SourceError`` whose ``reason`` becomes a row in ``failures/``.

feedparser is always handed bytes wrapped in a stream: given a string or raw bytes it may open
URLs or local files on its own, which would escape our timeout, size cap and URL policy.
"""

from __future__ import annotations

import calendar
import io
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urlsplit

import feedparser
from apache_beam.io.filesystems import FileSystems

from schemas.records import RawArticle

USER_AGENT = "Parley/0.1 (+https://github.com/parley-events/parley; negotiation event research)"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json")
HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", ".text")

# Field names accepted in JSON Lines records, ours first, then news-please's.
_TEXT_FIELDS = ("text", "maintext", "body", "content")
_DATE_FIELDS = ("published", "date_publish", "published_at", "date")
_SOURCE_FIELDS = ("source", "source_domain")


class SourceError(Exception):
    """A source could not be read; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str = "", ref: str | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.ref = ref  # where exactly, when finer than the file (a JSONL line)


def is_url(location: str) -> bool:
    return urlsplit(location).scheme.lower() in ("http", "https")


def fetch(location: str, *, timeout: float, max_bytes: int) -> bytes:
    """The bytes at ``location``: an http(s) URL, or any path or URL ``FileSystems`` opens."""
    if is_url(location):
        return _fetch_http(location, timeout=timeout, max_bytes=max_bytes)
    scheme = urlsplit(location).scheme.lower()
    if scheme and len(scheme) > 1 and scheme not in ("gs", "s3", "hdfs", "azfs"):
        raise SourceError("unsupported_scheme", f"{scheme}:// is not fetched")
    try:
        with FileSystems.open(location, compression_type="uncompressed") as handle:
            data = handle.read(max_bytes + 1)
    except Exception as error:  # FileSystems raises several kinds; all mean "unreadable"
        raise SourceError("unreadable_file", f"{type(error).__name__}: {error}") from error
    if len(data) > max_bytes:
        raise SourceError("too_large", f"more than {max_bytes} bytes")
    return data


def _fetch_http(url: str, *, timeout: float, max_bytes: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise SourceError("http_error", f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise SourceError("fetch_failed", f"{type(error).__name__}: {error}") from error
    if len(data) > max_bytes:
        raise SourceError("too_large", f"more than {max_bytes} bytes")
    return data


def parse_feed(data: bytes, feed_ref: str, fetched_at: datetime) -> list[RawArticle]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom document as ``RawArticle`` records."""
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f"{type(problem).__name__}: {problem}" if problem else "no RSS or Atom root"
        raise SourceError("not_a_feed", detail[:500])
    feed = parsed.get("feed", {})
    source = feed.get("title") or urlsplit(feed.get("link") or feed_ref).hostname or feed_ref
    articles = []
    for position, entry in enumerate(parsed.entries):
        body, body_format = _entry_body(entry)
        title = entry.get("title", "") or ""
        if not body.strip() and not title.strip():
            continue  # an entry with nothing to read; counted by the caller as skipped
        articles.append(
            RawArticle(
                source_ref=f"{feed_ref}#{entry.get('id') or entry.get('link') or position}",
                origin="feed",
                source=source,
                url=entry.get("link"),
                title=title,
                body=body,
                body_format=body_format,
                published=_entry_date(entry),
                fetched_at=fetched_at,
            )
        )
    if parsed.get("bozo") and not articles:  # broken XML that yielded nothing readable
        problem = parsed.get("bozo_exception")
        raise SourceError("malformed_feed", f"{type(problem).__name__}: {problem}"[:500])
    return articles


def _entry_body(entry: dict) -> tuple[str, str]:
    contents = entry.get("content") or []
    if contents:
        best = max(contents, key=lambda c: len(c.get("value", "")))
        return best.get("value", ""), _format_of(best.get("type"))
    detail = entry.get("summary_detail") or {}
    return entry.get("summary", "") or "", _format_of(detail.get("type"))


def _format_of(mime: str | None) -> str:
    return "text" if mime == "text/plain" else "html"


def _entry_date(entry: dict) -> str | None:
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            stamp = calendar.timegm(parsed)
            return datetime.fromtimestamp(stamp, timezone.utc).isoformat()
        if entry.get(key):
            return entry[key]
    return None


def parse_jsonl_line(line: str, ref: str, fetched_at: datetime) -> RawArticle:
    """One JSON Lines record (our field names or news-please's) as a ``RawArticle``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise SourceError("bad_json", str(error)) from error
    if not isinstance(record, dict):
        raise SourceError("bad_json", f"expected an object, got {type(record).__name__}")
    text = _first(record, _TEXT_FIELDS)
    html = record.get("html")
    title = _as_text(record.get("title"))
    if not (text or html or title):
        raise SourceError("empty_article", "no text, html, maintext or title")
    url = _as_text(record.get("url")) or None
    return RawArticle(
        source_ref=ref,
        origin="jsonl",
        source=_first(record, _SOURCE_FIELDS) or (urlsplit(url).hostname if url else "") or "",
        url=url,
        title=title,
        body=text if text else _as_text(html),
        body_format="text" if text else "html",
        published=_first(record, _DATE_FIELDS) or None,
        fetched_at=fetched_at,
    )


def _first(record: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = _as_text(record.get(name))
        if value.strip():
            return value
    return ""


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def read_jsonl(path: str, fetched_at: datetime) -> Iterator[RawArticle | SourceError]:
    """Every line of a (possibly gzipped) JSON Lines file: an article or the error it raised."""
    with FileSystems.open(path) as handle:  # compression inferred from the file name
        for number, raw in enumerate(io.TextIOWrapper(handle, "utf-8", errors="replace"), 1):
            if not raw.strip():
                continue
            ref = f"{path}:{number}"
            try:
                yield parse_jsonl_line(raw, ref, fetched_at)
            except SourceError as error:
                error.ref = ref
                yield error


def document_article(path: str, data: bytes, fetched_at: datetime) -> RawArticle:
    """A single ``.html`` or ``.txt`` file as one article."""
    text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise SourceError("empty_article", "the file is empty")
    is_html = path.lower().endswith(HTML_SUFFIXES)
    title = "" if is_html else text.strip().splitlines()[0].strip()
    return RawArticle(
        source_ref=path,
        origin="html" if is_html else "text",
        source=os.path.basename(os.path.dirname(path)) or "file",
        url=None,
        title=title,
        body=text,
        body_format="html" if is_html else "text",
        published=None,  # a bare file carries no date we can trust; Normalize falls back
        fetched_at=fetched_at,
    )


def file_kind(path: str) -> str | None:
    lower = path.lower()
    for kind, suffixes in (
        ("feed", FEED_SUFFIXES),
        ("jsonl", JSONL_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("text", TEXT_SUFFIXES),
    ):
        if lower.endswith(suffixes):
            return kind
    return None
