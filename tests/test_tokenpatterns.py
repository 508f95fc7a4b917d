"""The rules' matcher finds exactly what spaCy's ``Matcher`` finds for the same patterns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.matcher import Matcher

from transforms.negotiation import rules
from transforms.negotiation.tokenpatterns import TokenPatterns

HERE = Path(__file__).parent
CLASSES = {"TALKS": frozenset({"talks", "negotiations"})}


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def _texts() -> list[str]:
    articles = [json.loads(line)["text"] for line in (HERE / "gold/devset.jsonl").open()]
    cases = [json.loads(line)["text"] for line in (HERE / "fixtures/extraction_cases.jsonl").open()]
    return articles + cases


def _spacy(nlp, patterns: dict[str, list]):
    """spaCy's matches of these patterns on a doc, sorted."""
    matcher = Matcher(nlp.vocab)
    for key, tokens in patterns.items():
        matcher.add(key, [tokens])
    return lambda doc: sorted((nlp.vocab.strings[k], s, e) for k, s, e in matcher(doc))


def _ours(nlp, patterns: dict[str, list]):
    """``TokenPatterns``' matches of these patterns on a doc (within a stretch), sorted."""
    matcher = TokenPatterns(nlp.vocab, patterns.items())
    return lambda doc, start=0, end=None: sorted(
        matcher.matches(matcher.symbols(doc), patterns, start, end)
    )


@pytest.mark.parametrize("loader", [rules.trigger_rules, rules.condition_rules, rules.time_rules])
def test_every_rule_matches_as_spacy_does_on_the_dev_set(nlp, loader):
    patterns = {rule.id: list(rule.tokens) for rule in loader()}
    spacy_matches, our_matches = _spacy(nlp, patterns), _ours(nlp, patterns)
    total = 0
    for doc in nlp.pipe(_texts()):
        expected = spacy_matches(doc)
        assert our_matches(doc) == expected, doc.text[:80]
        total += len(expected)
    assert total > 100  # the comparison saw real matches, not only empty lists


@pytest.mark.parametrize(
    "pattern, text",
    [
        # a range: every length within it, none beyond
        (
            "TALKS ~{0,5} have|has been suspended",
            "The talks with the rebel group have been suspended.",
        ),
        (
            "TALKS ~{0,5} have|has been suspended",
            "The talks with the large armed rebel group have been suspended.",
        ),
        # optional and repeated elements at the end: one match per length
        ("talks ~{0,3}", "The talks went on and on."),
        ("held ~? TALKS Cap?", "They held new talks Monday in Cairo."),
        ("held ~? TALKS Cap?", "They held new talks Kyiv wanted."),
        # a capital, not a month; a number; a year
        ("called Cap", "The paper called Thursday on Arabs; Blinken called Lavrov."),
        ("sent Num troops", "sent 5,000 troops and sent ten troops"),
        ("in Year", "signed in 1983 and renewed in 2024, not in 5000"),
        # any word but these, and never across a sentence's end
        ("talks !to|for{1,3} deal", "talks over a deal. talks to a deal. talks. a deal"),
    ],
)
def test_a_pattern_matches_as_spacy_does(nlp, pattern, text):
    patterns = {"rule": rules.compile_pattern(pattern, CLASSES)}
    doc = nlp(text)
    assert _ours(nlp, patterns)(doc) == _spacy(nlp, patterns)(doc)


@pytest.mark.parametrize(
    "tokens",
    [
        [{"LOWER": "talks"}, {"LOWER": {"IN": ["in", "on"]}}],
        [{"LOWER": {"IN": ["Talks"]}}],  # no token's lower-case text: no match, as in spaCy
        [{"LOWER": {"IN": ["talks"], "NOT_IN": ["talks"]}}],
        [{"ORTH": {"IN": [",", ";"]}}, {"LIKE_NUM": False, "OP": "+"}],
        [{"TEXT": {"REGEX": "^[A-Z]"}, "OP": "{2,3}"}],
    ],
)
def test_a_token_pattern_matches_as_spacy_does(nlp, tokens):
    patterns = {"rule": tokens}
    doc = nlp("Talks in Geneva, talks on Gaza; 12 rounds in The Hague New York City.")
    assert _ours(nlp, patterns)(doc) == _spacy(nlp, patterns)(doc)


def test_matches_stay_inside_the_stretch_asked_for(nlp):
    patterns = {"rule": rules.compile_pattern("talks ~{0,2} deal", CLASSES)}
    doc = nlp("talks on a deal and talks on a deal")  # tokens 0-3 and 5-8
    ours = _ours(nlp, patterns)
    assert ours(doc) == [("rule", 0, 4), ("rule", 5, 9)]
    assert ours(doc, 1, 9) == [("rule", 5, 9)]
    assert ours(doc, 0, 8) == [("rule", 0, 4)]


def test_an_unknown_token_uses_the_symbols_of_words_no_rule_names(nlp):
    patterns = {"rule": rules.compile_pattern("talks ~ deal", CLASSES)}
    ours = TokenPatterns(nlp.vocab, patterns.items())
    first = ours.symbols(nlp("talks zyzzyva deal"))
    again = ours.symbols(nlp("talks quokka deal"))
    assert first == again and len(first) == 3
    assert ours.matches(again, ["rule"]) == [("rule", 0, 3)]


@pytest.mark.parametrize(
    "tokens",
    [
        [{"POS": "VERB"}],
        [{"LOWER": {"REGEX": "^talk"}}],
        [{"ORTH": {"IN": ["Talks"]}}],  # case-sensitive text: not this matcher's subset
        [{"LOWER": "talks", "OP": "!"}],
    ],
)
def test_a_pattern_outside_the_subset_is_refused(nlp, tokens):
    with pytest.raises(ValueError):
        TokenPatterns(nlp.vocab, [("rule", tokens)])
