"""Evaluate the extractor against annotated articles (the shape of examples/gold.jsonl).

In: gold records ``{"id", "title", "text", "events": [...], "conditions": [...]}``. Out: per-type
precision, recall and F1 for events and conditions, the accuracy of actor, holder, negation and
modality on matched items (and of location and time where the gold gives them), false positives
per 50 negative sentences, and the misses and false positives themselves.

Matching is by sentence and type. A predicted item matches a gold item of the same type whose
sentence is the same sentence (compared with whitespace, case and quotes folded, or one
containing the other); among several candidates the one whose trigger overlaps most wins. Gold
items marked ``optional`` count neither way: a prediction matching one is ignored.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from schemas.records import Article
from transforms.negotiation.extractor import Extractor, split_sentences

EVENT_TYPES = ("propose", "meet", "schedule", "agree", "reject", "breakdown", "mediate", "concede")
CONDITION_TYPES = ("precondition", "demand", "red_line")
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def fold(text: str | None) -> str:
    return " ".join((text or "").translate(_FOLD).lower().split())


def same_sentence(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    return fa == fb or (min(len(fa), len(fb)) > 20 and (fa in fb or fb in fa))


def _overlap(a: str | None, b: str | None) -> int:
    return len(set(fold(a).split()) & set(fold(b).split()))


@dataclass
class Pair:
    article: str
    gold: dict
    predicted: dict


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    pairs: list[Pair] = field(default_factory=list)
    misses: list[tuple[str, dict]] = field(default_factory=list)
    false_positives: list[tuple[str, dict]] = field(default_factory=list)

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        keys = [label] if label else list(set(self.tp) | set(self.fp) | set(self.fn))
        tp = sum(self.tp[k] for k in keys)
        fp = sum(self.fp[k] for k in keys)
        fn = sum(self.fn[k] for k in keys)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match(article: str, gold: list[dict], predicted: list[dict], key: str, scores: Scores) -> None:
    """Pair predictions with gold items of the same type in the same sentence."""
    required = [g for g in gold if not g.get("optional")]
    optional = [g for g in gold if g.get("optional")]
    left = list(predicted)
    for g in required:
        candidates = [
            p for p in left if p[key] == g[key] and same_sentence(p["sentence"], g["sentence"])
        ]
        if not candidates:
            scores.fn[g[key]] += 1
            scores.misses.append((article, g))
            continue
        best = max(
            candidates,
            key=lambda p: _overlap(
                p.get("trigger") or p.get("text"), g.get("trigger") or g.get("text")
            ),
        )
        left.remove(best)
        scores.tp[g[key]] += 1
        scores.pairs.append(Pair(article, g, best))
    for p in left:
        if any(o[key] == p[key] and same_sentence(p["sentence"], o["sentence"]) for o in optional):
            continue
        scores.fp[p[key]] += 1
        scores.false_positives.append((article, p))


def accuracy(pairs: list[Pair], attribute: str) -> tuple[float, int]:
    """Share of matched pairs whose attribute agrees (names compared case-insensitively)."""
    judged = [p for p in pairs if attribute in p.gold]
    if not judged:
        return 1.0, 0
    right = sum(_name(p.gold[attribute]) == _name(p.predicted.get(attribute)) for p in judged)
    return right / len(judged), len(judged)


def _name(value: object) -> str:
    """Names compared without case, quotes or a leading article: 'The union' is 'union', 'A
    federal mediator' is 'federal mediator'."""
    return re.sub(r"^(?:the|an?) ", "", fold(str(value)))


@dataclass
class Report:
    events: Scores
    conditions: Scores
    articles: int
    negative_sentences: int
    negative_fp: int

    @property
    def fp_per_50_negative(self) -> float:
        return 50 * self.negative_fp / self.negative_sentences if self.negative_sentences else 0.0

    def figures(self) -> dict:
        ep, er, ef = self.events.prf()
        cp, cr, cf = self.conditions.prf()
        return {
            "articles": self.articles,
            "event_precision": ep,
            "event_recall": er,
            "event_f1": ef,
            "condition_precision": cp,
            "condition_recall": cr,
            "condition_f1": cf,
            "actor_accuracy": accuracy(self.events.pairs, "actor")[0],
            "holder_accuracy": accuracy(self.conditions.pairs, "holder")[0],
            "negation_accuracy": accuracy(self.events.pairs, "negated")[0],
            "modality_accuracy": accuracy(self.events.pairs, "modality")[0],
            "location_accuracy": accuracy(self.events.pairs, "location")[0],
            "time_accuracy": accuracy(self.events.pairs, "time_text")[0],
            "negative_sentences": self.negative_sentences,
            "events_per_50_negative_sentences": self.fp_per_50_negative,
        }


def load_gold(path: str | Path) -> list[dict]:
    rows = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON: {error}") from error
    return rows


def _article(record: dict) -> Article:
    now = datetime.now(timezone.utc)
    rid = str(record["id"])
    return Article(
        rid,
        record.get("url"),
        record.get("source") or "gold",
        record.get("title") or "",
        now,
        "fetched",
        now,
        "en",
        record["text"],
        rid,
        rid,
    )


def evaluate(records: list[dict], extractor: Extractor) -> Report:
    events, conditions = Scores(), Scores()
    negative_sentences = negative_fp = 0
    results = extractor.extract([_article(r) for r in records])
    for record, result in zip(records, results):
        rid = str(record["id"])
        predicted_events = [vars_of(e) for e in result.events]
        predicted_conditions = [vars_of(c) for c in result.conditions]
        match(rid, record.get("events", []), predicted_events, "event_type", events)
        match(rid, record.get("conditions", []), predicted_conditions, "condition_type", conditions)
        doc = extractor.nlp.make_doc(record["text"])
        gold_sentences = [g["sentence"] for g in record.get("events", [])]
        for start, end in split_sentences(doc):
            sentence = doc[start:end].text
            if any(same_sentence(sentence, g) for g in gold_sentences):
                continue
            negative_sentences += 1
            negative_fp += sum(same_sentence(sentence, p["sentence"]) for p in predicted_events)
    return Report(events, conditions, len(records), negative_sentences, negative_fp)


def vars_of(record) -> dict:
    return {k: getattr(record, k) for k in record.__dataclass_fields__}


def render(report: Report, show: int = 20) -> str:
    f = report.figures()
    lines = [
        f"{report.articles} articles",
        "",
        "events        precision  recall     F1   tp  fp  fn",
    ]
    for label in EVENT_TYPES:
        lines.append(_row(label, report.events, label))
    lines.append(_row("all events", report.events, None))
    lines += ["", "conditions    precision  recall     F1   tp  fp  fn"]
    for label in CONDITION_TYPES:
        lines.append(_row(label, report.conditions, label))
    lines.append(_row("all", report.conditions, None))
    lines.append("")
    for name, scores, attribute in (
        ("actor", report.events, "actor"),
        ("holder", report.conditions, "holder"),
        ("negation", report.events, "negated"),
        ("modality", report.events, "modality"),
        ("location", report.events, "location"),  # where the gold gives one
        ("time", report.events, "time_text"),
    ):
        value, n = accuracy(scores.pairs, attribute)
        lines.append(f"{name + ' accuracy':20} {value:6.3f}  (of {n} matched)")
    lines.append(
        f"{'negative sentences':20} {report.negative_sentences}, events predicted in them "
        f"{report.negative_fp} ({f['events_per_50_negative_sentences']:.2f} per 50)"
    )
    lines += _listing("missed events", report.events.misses, "event_type", show)
    lines += _listing("false positive events", report.events.false_positives, "event_type", show)
    lines += _listing("missed conditions", report.conditions.misses, "condition_type", show)
    lines += _listing(
        "false positive conditions", report.conditions.false_positives, "condition_type", show
    )
    lines += _wrong("actors", report.events.pairs, "actor", "event_type", show)
    lines += _wrong("holders", report.conditions.pairs, "holder", "condition_type", show)
    lines += _wrong("negation", report.events.pairs, "negated", "event_type", show)
    lines += _wrong("modality", report.events.pairs, "modality", "event_type", show)
    return "\n".join(lines)


def _wrong(title: str, pairs: list, attribute: str, key: str, show: int) -> list[str]:
    """Matched items whose ``attribute`` differs from the gold's."""
    wrong = [
        p
        for p in pairs
        if attribute in p.gold and _name(p.gold[attribute]) != _name(p.predicted.get(attribute))
    ]
    if not wrong or not show:
        return []
    lines = ["", f"wrong {title} ({len(wrong)})"]
    for p in wrong[:show]:
        lines.append(
            f"  [{p.article}] {p.gold[key]}: gold {p.gold[attribute]!r}, got "
            f"{p.predicted.get(attribute)!r} | {_short(p.gold['sentence'])}"
        )
    return lines


def _row(name: str, scores: Scores, label: str | None) -> str:
    p, r, f1 = scores.prf(label)
    keys = [label] if label else None
    tp = sum(scores.tp.values()) if keys is None else scores.tp[label]
    fp = sum(scores.fp.values()) if keys is None else scores.fp[label]
    fn = sum(scores.fn.values()) if keys is None else scores.fn[label]
    return f"{name:12} {p:10.3f} {r:7.3f} {f1:6.3f} {tp:4d} {fp:3d} {fn:3d}"


def _short(sentence: str, width: int = 110) -> str:
    s = re.sub(r"\s+", " ", sentence)
    return s if len(s) <= width else s[: width - 1] + "…"


def _listing(title: str, items: list, key: str, show: int) -> list[str]:
    if not items or not show:
        return []
    lines = ["", f"{title} ({len(items)})"]
    for article, item in items[:show]:
        trigger = item.get("trigger") or item.get("text")
        lines.append(f"  [{article}] {item[key]}: {trigger!r} | {_short(item['sentence'])}")
    return lines


def group_by_article(items: list[tuple[str, dict]]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for article, item in items:
        grouped[article].append(item)
    return grouped
