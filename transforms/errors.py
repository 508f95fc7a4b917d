"""The error every reader raises for a source it cannot use; its ``reason`` becomes a row in
``failures/``."""

from __future__ import annotations


class SourceError(Exception):
    """A source could not be read; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str = "", ref: str | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.ref = ref  # where exactly, when finer than the file (a JSONL line)
