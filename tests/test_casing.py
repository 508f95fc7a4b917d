"""Title Case headlines in sentence case for the parser, names kept; the name He kept a name."""

from __future__ import annotations

import pytest

from transforms.negotiation.casing import is_title_case, name_he, names_inside, sentence_case


def test_title_case_is_told_from_a_sentence():
    assert is_title_case("Teamsters Reach Tentative Deal With UPS")
    assert not is_title_case("Teamsters reach tentative deal with UPS")
    assert not is_title_case("Talks Resume")  # too short to tell
    assert is_title_case(
        "Lavrov Insists Peace Requires Addressing Security Fears Amid Talks with Kyiv"
    )
    # a sentence full of names still has its verbs in lower case
    assert not is_title_case("German Chancellor Olaf Scholz telephoned Turkish President Erdogan")


def test_names_are_the_words_capitalised_inside_sentences():
    text = "The Teamsters union said it had reached a deal. Talks with UPS ended, O'Neill said."
    assert names_inside(text) == {"Teamsters", "UPS", "O'Neill"}


def test_sentence_case_keeps_the_first_word_names_and_acronyms():
    line = "Teamsters Reach Tentative Deal With UPS Over Pay In Chicago"
    assert (
        sentence_case(line, {"Chicago"})
        == "Teamsters reach tentative deal with UPS over pay in Chicago"
    )


def test_sentence_case_keeps_every_offset():
    line = "İstanbul Talks End Without Deal As Kyiv Walks Out"
    assert len(sentence_case(line, set())) == len(line)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Vice Premier Liu He signed the deal.", "Vice Premier Liu Xu signed the deal."),
        ("He Lifeng met Bessent.", "Xu Lifeng met Bessent."),
        ("He said talks would resume.", "He said talks would resume."),
        ("Xi met Trump. He said little.", "Xi met Trump. He said little."),
        ("He Tuesday told reporters.", "He Tuesday told reporters."),
    ],
)
def test_the_name_he_is_read_as_a_name_of_the_same_length(text, parsed):
    assert name_he(text) == parsed
