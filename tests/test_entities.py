"""``parley_entities``: places, dates and names by rule and by name, without the trained NER."""

from __future__ import annotations

import pytest
import spacy

from transforms.negotiation.entities import FindEntities, city_names


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("parley_entities")
    return nlp


def ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They met in Istanbul on Monday.", [("Istanbul", "GPE"), ("Monday", "DATE")]),
        ("Talks resume in March 2024.", [("March 2024", "DATE")]),
        (
            "Envoys met in Sharm el-Sheikh earlier this week.",
            [("Sharm el-Sheikh", "GPE"), ("earlier this week", "DATE")],
        ),
        (
            "He signed at the White House last November.",
            [("the White House", "GPE"), ("last November", "DATE")],
        ),
        (
            "The truce collapsed after two days, on September 29.",
            [("two days", "DATE"), ("September 29", "DATE")],
        ),
        ("A deal may come by the end of August.", [("the end of August", "DATE")]),
        ("Talks ended at 3 p.m. today.", [("3 p.m.", "TIME"), ("today", "DATE")]),
        (
            "Russian and Hamas officials agreed in 1983.",
            [("Russian", "NORP"), ("Hamas", "ORG"), ("1983", "DATE")],
        ),
    ],
)
def test_places_dates_and_names(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_a_modal_or_a_verb_is_no_month(nlp):
    assert ents(nlp, "Protesters may march on the capital.") == []


def test_city_names_leave_out_everyday_and_calendar_words():
    names = city_names()
    assert {"Istanbul", "Geneva", "Doha", "Montevideo"} <= names
    assert not {"Of", "March", "May"} & names


def test_component_is_registered():
    assert isinstance(spacy.blank("en").add_pipe("parley_entities"), FindEntities)


def test_names_are_tokenized_apart_without_touching_the_vocab():
    """The names go through a copy of the tokenizer with a vocab of its own (spaCy caches only
    its first 10,000 chunks, which belong to the text); the model's vocab is left as it was."""
    nlp = spacy.blank("en")
    nlp("Talks in Geneva and Doha resumed on Monday.")
    before = len(nlp.vocab)
    nlp.add_pipe("parley_entities")
    assert len(nlp.vocab) - before < 50  # not the 36,000 names
    assert [t.text for t in nlp("Talks in Sharm el-Sheikh.").ents] == ["Sharm el-Sheikh"]


def test_one_word_names_are_what_the_tokenizer_makes_of_them():
    """Names found by a lookup of the token's text must be single tokens to the tokenizer."""
    nlp = spacy.blank("en")
    finder = nlp.add_pipe("parley_entities")
    words = sorted(finder.words)
    assert len(words) > 10_000
    assert all(len(doc) == 1 for doc in nlp.tokenizer.pipe(words))


def test_a_name_shared_by_a_city_and_a_party_has_one_label(nlp):
    assert ents(nlp, "Obama met envoys in Brussels.") == [("Obama", "PERSON"), ("Brussels", "GPE")]
