"""The errors stages raise for input they cannot use; ``reason`` (a short machine-readable code)
and ``detail`` become a row in ``failures/``."""

from __future__ import annotations


class StageError(Exception):
    def __init__(self, reason: str, detail: str = "", ref: str | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.ref = ref  # where exactly, when finer than the source (a JSONL line)


class SourceError(StageError):
    """A source (feed, file, page) could not be read."""
