"""``parley_attributes`` applies the trained pipeline's attribute_ruler rules by lookup: the
same coarse POS, morphology and lemmas, token for token, as spaCy's own ruler."""

from __future__ import annotations

import json

import pytest
import spacy

from tests.conftest import FIXTURES
from transforms.negotiation.attributes import LookupAttributes, compile_spec, holds
from transforms.negotiation.extractor import DEFAULT_MODEL


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(DEFAULT_MODEL, exclude=["lemmatizer", "ner"])


def test_same_attributes_as_the_ruler_token_for_token(nlp):
    texts = [json.loads(line)["text"] for line in (FIXTURES / "extraction_cases.jsonl").open()]
    texts += [
        "I ain't sure y'all got nothin' here.",
        "There is a deal.  It does.\n\nWhat do you have?",
    ]
    ruler = nlp.get_pipe("attribute_ruler")
    lookup = LookupAttributes(ruler)
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        parsed = list(nlp.pipe(texts))
    checked = 0
    for doc in parsed:
        by_ruler, by_lookup = ruler(doc.copy()), lookup(doc.copy())
        for a, b in zip(by_ruler, by_lookup):
            assert (a.pos_, str(a.morph), a.lemma_, a.tag_, a.dep_) == (
                b.pos_,
                str(b.morph),
                b.lemma_,
                b.tag_,
                b.dep_,
            ), (a.text, doc.text)
            checked += 1
    assert checked > 1000


def test_token_checks(nlp):
    doc = nlp.make_doc("They do n't")
    doc[2].tag_ = "RB"
    assert holds(doc[2], compile_spec({"TAG": "RB", "LOWER": {"IN": ["not", "n't"]}}))
    assert not holds(doc[2], compile_spec({"TAG": {"NOT_IN": ["RB"]}}))
    assert holds(doc[2], compile_spec({"LOWER": {"REGEX": "^n'?t$"}}))


def test_unknown_pattern_attributes_are_refused():
    with pytest.raises(ValueError):
        compile_spec({"SHAPE": "Xxxx"})
    with pytest.raises(ValueError):
        compile_spec({"LOWER": {"FUZZY": "talks"}})
