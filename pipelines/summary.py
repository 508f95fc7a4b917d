"""The run summary: Beam metrics counters in, a readable report (and a JSON record) out."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from apache_beam.io.filesystems import FileSystems


@dataclass
class RunSummary:
    run_id: str
    output: str
    elapsed_s: float = 0.0
    feeds_read: int = 0
    feeds_unchanged: int = 0
    files_read: int = 0
    pages_fetched: int = 0
    articles_read: int = 0
    already_stored: int = 0
    articles_reprocessed: int = 0
    articles_stored: int = 0
    duplicates_dropped: int = 0
    not_english: int = 0
    articles_extracted: int = 0
    events_by_type: dict[str, int] = field(default_factory=dict)
    conditions: int = 0
    failures_by_stage: dict[str, int] = field(default_factory=dict)
    rows_written: dict[str, int] = field(default_factory=dict)
    state: str = "DONE"
    reprocess: bool = False

    @property
    def events(self) -> int:
        return sum(self.events_by_type.values())

    @property
    def failures(self) -> int:
        return sum(self.failures_by_stage.values())

    def exit_code(self) -> int:
        """For cron: 0 all done; 5 done, but some sources or records failed (see failures/);
        3 no source could be read at all; 1 the run failed (nothing of it committed)."""
        if self.state != "DONE":
            return 1
        if not self.reprocess and self.feeds_read + self.feeds_unchanged + self.files_read == 0:
            return 3
        if self.failures:
            return 5
        return 0

    def to_json(self) -> str:
        return json.dumps(
            asdict(self) | {"events": self.events, "failures": self.failures}, indent=2
        )

    def render(self) -> str:
        root = self.output.rstrip("/")
        lines = [
            f"Parley run {self.run_id}: {self.state} in {self.elapsed_s:.1f} s",
            f"  feeds read          {self.feeds_read}"
            f"  ({self.feeds_unchanged} unchanged since the last run: 304)",
            f"  files read          {self.files_read}",
            f"  pages fetched       {self.pages_fetched}",
            f"  articles read       {self.articles_read}"
            + (f"  ({self.articles_reprocessed} stored, reprocessed)" if self.reprocess else ""),
            f"  already stored      {self.already_stored}  (skipped: earlier runs have them)",
            f"  duplicates dropped  {self.duplicates_dropped}",
            f"  articles stored     {self.articles_stored}"
            f"  ({self.not_english} not English: stored, not extracted)",
            f"  articles extracted  {self.articles_extracted}",
            f"  events              {self.events}  " + _counts(self.events_by_type),
            f"  conditions          {self.conditions}",
            f"  failures            {self.failures}  " + _counts(self.failures_by_stage),
            f"  exit status         {self.exit_code()}  ({_EXIT_MEANING[self.exit_code()]})",
            "  output",
        ]
        for dataset in ("articles", "events", "conditions", "failures"):
            lines.append(f"    {root}/{dataset}/date=YYYY-MM-DD/*.parquet")
        lines.append(f'  query: parley query --output {root} "SELECT ... FROM events"')
        return "\n".join(lines)


_EXIT_MEANING = {
    0: "all done",
    1: "run failed",
    3: "no source could be read",
    5: "done; some sources or records failed, see failures/",
}


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    return "(" + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")"


def from_metrics(result, run_id: str, output: str, elapsed_s: float) -> RunSummary:
    summary = RunSummary(run_id=run_id, output=output, elapsed_s=elapsed_s)
    counters = result.metrics().query()["counters"]
    for counter in counters:
        name, namespace = counter.key.metric.name, counter.key.metric.namespace
        value = counter.committed if counter.committed is not None else counter.attempted
        if namespace == "parley.events":
            summary.events_by_type[name] = summary.events_by_type.get(name, 0) + value
        elif namespace == "parley.failures":
            summary.failures_by_stage[name] = summary.failures_by_stage.get(name, 0) + value
        elif namespace == "parley" and name.startswith("rows_written."):
            dataset = name.split(".", 1)[1]
            summary.rows_written[dataset] = summary.rows_written.get(dataset, 0) + value
        elif namespace == "parley" and name in _FIELDS:
            setattr(summary, _FIELDS[name], getattr(summary, _FIELDS[name]) + value)
    summary.articles_stored = summary.rows_written.get("articles", 0)
    return summary


_FIELDS = {
    "feeds_read": "feeds_read",
    "feeds_unchanged": "feeds_unchanged",
    "files_read": "files_read",
    "pages_fetched": "pages_fetched",
    "already_stored": "already_stored",
    "articles_reprocessed": "articles_reprocessed",
    "articles_read": "articles_read",
    "duplicates_dropped": "duplicates_dropped",
    "articles_not_english": "not_english",
    "articles_extracted": "articles_extracted",
    "conditions": "conditions",
}


def save(summary: RunSummary) -> str:
    """Write the summary as ``ROOT/_runs/RUN_ID.json`` for cron users and dashboards."""
    path = FileSystems.join(summary.output, "_runs", f"{summary.run_id}.json")
    with FileSystems.create(path) as handle:
        handle.write(summary.to_json().encode("utf-8"))
    return path
