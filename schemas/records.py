"""Typed records that cross Parley's stage boundaries.

Read emits ``RawArticle`` (what a feed entry or file held, untouched), Normalize turns it into an
``Article``, Extract emits ``Event`` and ``Condition`` rows, and every stage that can fail emits a
``Failure`` instead of dropping or raising. A feedparser dict or a spaCy ``Doc`` never leaves the
step that made it: only these records do.

All timestamps are timezone-aware UTC ``datetime`` objects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def stable_id(*parts: object, length: int = 24) -> str:
    """A short, stable hex id derived from the given parts (same parts, same id, every run)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class RawArticle:
    """One article as a source served it, before any cleaning.

    ``source_ref`` says where it came from precisely enough to find it again: a feed URL plus the
    entry's position or id, a file path plus a line number.
    """

    source_ref: str
    origin: str  # "feed", "page" (a feed item's fetched page), "jsonl", "html" or "text"
    source: str  # publisher or feed title, as the source names itself
    url: str | None
    title: str
    body: str
    body_format: str  # "html" or "text"
    published: str | None  # the date as the source wrote it, parsed by Normalize
    fetched_at: datetime


@dataclass(frozen=True)
class Article:
    """A normalized article: clean text, canonical URL, UTC dates, language and stable ids."""

    article_id: str
    url: str | None
    source: str
    title: str
    published_at: datetime
    published_at_source: str  # "article" when the source dated it, "fetched" when we fell back
    fetched_at: datetime
    language: str
    text: str
    content_hash: str
    source_ref: str

    @property
    def date(self) -> str:
        return self.published_at.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Event:
    """One negotiation event found in one sentence (columns of the spec's ``events`` table)."""

    event_id: str
    article_id: str
    event_type: str
    actor: str | None
    actor_text: str | None
    counterpart: str | None
    counterpart_text: str | None
    mediator: str | None
    location: str | None
    time_text: str | None
    negated: bool
    modality: str
    speaker: str | None
    trigger: str
    sentence: str
    sentence_index: int
    confidence: float
    pattern_id: str
    cameo_code: str
    plover_type: str
    published_at: datetime
    source: str
    url: str | None

    @property
    def date(self) -> str:
        return self.published_at.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Condition:
    """One requirement an actor attaches to talks, a deal or peace (the spec's ``conditions``)."""

    condition_id: str
    article_id: str
    event_id: str | None
    holder: str | None
    holder_text: str | None
    condition_type: str
    text: str
    sentence: str
    sentence_index: int
    pattern_id: str
    published_at: datetime
    source: str
    url: str | None

    @property
    def date(self) -> str:
        return self.published_at.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Failure:
    """A record a stage could not handle: written to ``failures/``, never logged and dropped."""

    stage: str
    source_ref: str
    reason: str
    detail: str = ""
    occurred_at: datetime = field(default_factory=utc_now)

    @property
    def failure_id(self) -> str:
        return stable_id(self.stage, self.source_ref, self.reason, self.detail)

    @property
    def date(self) -> str:
        return self.occurred_at.strftime("%Y-%m-%d")
