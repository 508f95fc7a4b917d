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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import feedparser
from apache_beam.io.filesystems import FileSystems

from schemas.records import RawArticle
from transforms import fetching
from transforms.errors import SourceError
from transforms.fetching import FetchPolicy

__all__ = ["SourceError", "fetch", "parse_feed", "read_jsonl", "document_article", "file_kind"]

FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json")
HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", ".text")

_DECLARES_ENTITIES = re.compile(rb"<!ENTITY", re.IGNORECASE)

# Field names accepted in JSON Lines records, ours first, then news-please's.
_TEXT_FIELDS = ("text", "maintext", "body", "content")
_DATE_FIELDS = ("published", "date_publish", "published_at", "date")
_SOURCE_FIELDS = ("source", "source_domain")


def declares_entities(data: bytes) -> bool:
    head = data[:1_000_000]
    if _DECLARES_ENTITIES.search(head):
        return True
    if b"\x00" in head[:4]:  # UTF-16 or UTF-32: look at the characters, not the bytes
        for codec in ("utf-16", "utf-32"):
            if "<!entity" in head.decode(codec, errors="ignore").lower():
                return True
    return False


def is_url(location: str) -> bool:
    return urlsplit(location).scheme.lower() in ("http", "https")


def fetch(location: str, policy: FetchPolicy) -> bytes:
    """The bytes at ``location``: an http(s) URL the user named, or a path ``FileSystems`` opens."""
    if is_url(location):
        return fetching.get(location, policy, trusted=True).data or b""
    return read_file(location, policy.max_bytes)


def read_file(location: str, max_bytes: int) -> bytes:
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


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's entries, and what was wrong with the document when it was read anyway
    (``malformed_feed``: cut or broken XML read leniently; ``charset``: a wrong or missing
    encoding guessed), as a ``SourceError`` for ``failures/``."""

    articles: list[RawArticle]
    damage: SourceError | None = None


_ENCODING_PROBLEMS = (feedparser.CharacterEncodingOverride, feedparser.CharacterEncodingUnknown)
_HARMLESS = (feedparser.NonXMLContentType,)  # feeds served as text/html or text/plain


def parse_feed(
    data: bytes, feed_ref: str, fetched_at: datetime, content_type: str | None = None
) -> ParsedFeed:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom document as ``RawArticle`` records.

    A document that declares XML entities is refused before any parser sees it: that is how
    both entity-expansion bombs and external entities (XXE) arrive, and no news feed needs them.
    ``content_type`` is the HTTP header, whose charset feedparser weighs against the XML's own.
    """
    if declares_entities(data):
        raise SourceError("xml_entities", "the document declares XML entities; refused")
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
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
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is None or isinstance(problem, _HARMLESS):
        return ParsedFeed(articles)
    detail = f"{type(problem).__name__}: {problem}"[:500]
    if isinstance(problem, _ENCODING_PROBLEMS):
        return ParsedFeed(articles, SourceError("charset", detail))
    if not articles:  # broken XML that yielded nothing readable
        raise SourceError("malformed_feed", detail)
    return ParsedFeed(articles, SourceError("malformed_feed", f"read leniently; {detail}"))


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


def read_jsonl(
    path: str, fetched_at: datetime, max_line_bytes: int = 20 * 1024 * 1024
) -> Iterator[RawArticle | SourceError]:
    """Every line of a (possibly gzipped) JSON Lines file: an article or the error it raised.

    Lines are read in binary with a cap, so one endless line cannot exhaust memory, and decoded
    leniently: invalid UTF-8 becomes U+FFFD instead of failing the whole file.
    """
    with FileSystems.open(path) as handle:  # compression inferred from the file name
        for number, raw in enumerate(capped_lines(handle, max_line_bytes), 1):
            ref = f"{path}:{number}"
            if raw is None:
                yield SourceError("too_large", f"line longer than {max_line_bytes} bytes", ref)
                continue
            line = raw.decode("utf-8", errors="replace")
            if not line.strip():
                continue
            try:
                yield parse_jsonl_line(line, ref, fetched_at)
            except SourceError as error:
                error.ref = ref
                yield error


def capped_lines(handle, max_line_bytes: int, chunk: int = 1024 * 1024) -> Iterator[bytes | None]:
    """Lines of a binary stream (any object with ``read(n)``), None for one over the cap, whose
    bytes are skipped rather than held."""
    pending, skipping = b"", False
    while True:
        data = handle.read(chunk)
        if not data:
            break
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if skipping:
                skipping = False  # the end of an over-long line
                continue
            yield line if len(line) <= max_line_bytes else None
        if len(pending) > max_line_bytes:
            if not skipping:
                yield None
            pending, skipping = b"", True
    if pending and not skipping:
        yield pending if len(pending) <= max_line_bytes else None


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
