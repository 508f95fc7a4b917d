"""The rule files: they load, compile, and every id is unique."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import Matcher

from transforms.negotiation import rules


def test_dsl_compiles_to_matcher_patterns():
    classes = {"TALKS": frozenset({"talks", "negotiations"})}
    compiled = rules.compile_pattern("held|had ~{0,2} TALKS Cap? on| !to|for{1,3}", classes)
    assert compiled == [
        {"LOWER": {"IN": ["had", "held"]}},
        {"ORTH": {"NOT_IN": [".", "!", "?", ";"]}, "OP": "{0,2}"},
        {"LOWER": {"IN": ["negotiations", "talks"]}},
        {"TEXT": {"REGEX": "^[A-Z]"}, "LOWER": {"NOT_IN": sorted(rules.CALENDAR)}, "OP": "?"},
        {"LOWER": {"IN": ["on"]}, "OP": "?"},
        {
            "ORTH": {"NOT_IN": [".", "!", "?", ";"]},
            "LOWER": {"NOT_IN": ["for", "to"]},
            "OP": "{1,3}",
        },
    ]


def test_a_word_class_can_be_left_out_like_a_word():
    classes = {"DONE": frozenset({"lifted", "dropped"})}
    compiled = rules.compile_pattern("must be !DONE|ratified", classes)
    assert compiled[-1] == {
        "ORTH": {"NOT_IN": [".", "!", "?", ";"]},
        "LOWER": {"NOT_IN": ["dropped", "lifted", "ratified"]},
    }


def test_a_name_is_never_a_day_or_a_month():
    matcher = Matcher(spacy.blank("en").vocab)
    matcher.add("phoned", [rules.compile_pattern("called Cap", {})])
    nlp = spacy.blank("en")
    assert matcher(nlp("The paper called Thursday on Arabs to unite.")) == []
    assert len(matcher(nlp("Blinken called Lavrov on Thursday."))) == 1
    assert len(matcher(nlp("Blinken called EU officials."))) == 1


def test_unknown_class_is_an_error():
    with pytest.raises(ValueError):
        rules.compile_pattern("NOPE talks", {})


@pytest.mark.parametrize("loader", [rules.trigger_rules, rules.condition_rules, rules.time_rules])
def test_every_rule_compiles_into_a_matcher(loader):
    matcher = Matcher(spacy.blank("en").vocab)
    loaded = loader()
    for rule in loaded:
        matcher.add(rule.id, [list(rule.tokens)])
    assert len({r.id for r in loaded}) == len(loaded)
    if loader is rules.time_rules:
        assert {r.label for r in loaded} == {"DATE", "TIME"}
    else:
        assert all(r.id.split(".")[0] == r.label for r in loaded)


def test_year_is_a_four_digit_year():
    matcher = Matcher(spacy.blank("en").vocab)
    matcher.add("year", [rules.compile_pattern("in Year", {})])
    nlp = spacy.blank("en")
    assert len(matcher(nlp("signed in 1983 and renewed in 2024"))) == 2
    assert matcher(nlp("sent in 5000 troops")) == []


def test_rules_have_a_version():
    assert rules.rules_version()


def _rule(pattern: str) -> rules.Rule:
    classes = {"TALKS": frozenset({"talks", "negotiations"})}
    return rules.Rule("meet.x", "meet", pattern, tuple(rules.compile_pattern(pattern, classes)))


@pytest.mark.parametrize(
    "pattern, anchor, reach",
    [
        ("held|had ~{0,2} TALKS Cap? on|", {"talks", "negotiations"}, (3, 2)),
        ("the TALKS ~{1,3} with", {"talks", "negotiations"}, (1, 4)),  # "the": too common
        ("deal ~{0,2} TALKS", {"deal"}, (0, 3)),  # the first of two as rare
        ("Cap ~* TALKS", {"talks", "negotiations"}, (None, 0)),
        ("Cap Num", set(), (None, None)),
    ],
)
def test_a_rule_reaches_so_far_around_its_anchor(pattern, anchor, reach):
    """The matcher looks only that far around an anchor word: every match holds one."""
    rule = _rule(pattern)
    assert (rule.anchor(), rule.reach()) == (frozenset(anchor), reach)


def test_match_windows_touching_at_a_sentence_end_stay_apart():
    from transforms.negotiation.components import _windows

    anchor = frozenset({"talks"})
    # sentence 0 is tokens 0-4 (its end mark at 4), sentence 1 tokens 5-9
    windows = _windows({anchor: [3, 5, 6]}, [4, 9], 10, {anchor: (2, 2)})
    assert windows == {anchor: [(1, 5), (5, 9)]}
