"""Synthetic benchmark corpora: a general-news mix (about 10% negotiation stories) and a dense
negotiation mix, written as JSON Lines the pipeline reads. Deterministic for a given seed."""

from __future__ import annotations

import json
import random
from pathlib import Path

PARTIES = [
    ("Russia", "Ukraine"),
    ("Israel", "Hamas"),
    ("the United States", "China"),
    ("Iran", "the European Union"),
    ("Colombia", "the ELN"),
    ("Armenia", "Azerbaijan"),
    ("the union", "the company"),
    ("United Auto Workers", "Stellantis"),
    ("the league", "the players association"),
    ("India", "Britain"),
    ("Sudan's army", "the Rapid Support Forces"),
    ("Ethiopia", "Tigrayan leaders"),
]
MEDIATORS = [
    "Qatar",
    "Egypt",
    "Turkey",
    "Norway",
    "the African Union",
    "a federal mediator",
    "Oman",
]
PLACES = [
    "Doha",
    "Istanbul",
    "Geneva",
    "Cairo",
    "Oslo",
    "Washington",
    "Nairobi",
    "Riyadh",
    "Vienna",
]
WHEN = ["on Monday", "on Tuesday", "earlier this week", "last month", "in March", "on Friday"]

NEGOTIATION = [
    "{a} and {b} held talks in {place} {when}, officials said.",
    "Negotiators from {a} and {b} met for a third round of talks {when}.",
    "The talks are expected to resume next week in {place}.",
    "{a} said it was ready for dialogue as long as {b} halts its attacks.",
    "{b} rejected the latest proposal, calling it unacceptable.",
    "The discussions collapsed {when} after a dispute over the sequencing of a ceasefire.",
    "Talks mediated by {m} have reached an impasse over prisoner releases.",
    "{a} and {b} agreed to exchange prisoners and to resume negotiations next month.",
    "{a} demands security guarantees before any deal is signed.",
    "{b} said it would not accept any agreement that leaves troops on its territory.",
    "{a} has shown flexibility on the timetable, a senior official said.",
    "{m}, which hosted the talks, called on both sides to show restraint.",
    "{a} never rejected negotiations, its foreign minister said {when}.",
    "A senior official said {a} could sign a framework agreement if {b} drops its demands.",
]
GENERAL = [
    "The city council approved a new budget for road repairs {when}.",
    "Heavy rain caused flooding in several districts, and residents were told to stay indoors.",
    "Shares of the carmaker rose 4 percent after it reported higher quarterly profits.",
    "The striker scored twice as the home side won the derby {when}.",
    "Researchers said the new telescope had captured images of a distant galaxy.",
    "Police said two men had been arrested in connection with the robbery.",
    "The museum will reopen its renovated east wing to visitors next spring.",
    "Temperatures are forecast to drop sharply over the weekend across the north.",
    "The film festival announced its lineup, with three debut features in competition.",
    "Officials said the new rail line would cut travel times between the two cities by half.",
    "The central bank kept interest rates unchanged, citing stable inflation.",
    "A local bakery won a national award for its sourdough bread.",
    "The company said it would hire 500 engineers at its new research centre in {place}.",
    "Firefighters brought the blaze under control after several hours, officials said.",
    "The singer talks about her childhood in a new documentary released {when}.",
]


def _fill(template: str, rng: random.Random) -> str:
    a, b = rng.choice(PARTIES)
    text = template.format(
        a=a, b=b, m=rng.choice(MEDIATORS), place=rng.choice(PLACES), when=rng.choice(WHEN)
    )
    return text[0].upper() + text[1:]


def article(i: int, negotiation: bool, rng: random.Random) -> dict:
    pool = NEGOTIATION if negotiation else GENERAL
    sentences = [_fill(rng.choice(pool), rng) for _ in range(rng.randint(8, 16))]
    if negotiation:  # real negotiation stories carry some background too
        sentences += [_fill(rng.choice(GENERAL), rng) for _ in range(rng.randint(2, 5))]
    paragraphs = ["\n".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
    day = 1 + i % 28
    return {
        "url": f"https://bench.test/{'n' if negotiation else 'g'}/{i}",
        "title": _fill(rng.choice(pool), rng).rstrip("."),
        "text": "\n".join(paragraphs),
        "published": f"2026-10-{day:02d}T12:00:00Z",
        "source": "bench",
    }


def write_corpus(path: Path, n: int, negotiation_share: float, seed: int = 7) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps(article(i, rng.random() < negotiation_share, rng)) + "\n")
    return path
