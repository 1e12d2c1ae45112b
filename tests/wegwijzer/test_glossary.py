"""The glossary of words from letters (wegwijzer.glossary)."""

from __future__ import annotations

import re

import pytest

from wegwijzer.glossary import find, glossary, spans
from wegwijzer.topics import topics

U_OR_JE = re.compile(r"(?i)\b(u|uw|je|jij|jouw)\b")


def test_at_least_sixty_words_each_explained_in_both_languages_with_a_topic() -> None:
    words = glossary()
    assert len(words) >= 60
    for term in words.values():
        assert term.topic in topics(), term.key
        assert term.nl and term.en, term.key
        assert not U_OR_JE.search(term.nl), f"{term.key}: the Dutch explanation fits both u and je"
        assert 1 <= len(re.findall(r"[.!?](\s|$)", term.nl)) <= 3, term.key
        assert term.source is None or term.source.startswith(("https://", "http://")), term.key
    required = {"aanslag", "voorlopige aanslag", "beschikking", "bezwaar", "aanmaning", "machtiging"}
    required |= {"toeslagpartner", "terugvordering", "kwijtschelding", "betalingsregeling", "deurwaarder"}
    required |= {"beslag", "Wmo", "eigen risico"}
    assert required <= set(words)


@pytest.mark.parametrize(
    ("message", "word"),
    [
        ("wat betekent een voorlopige aanslag?", "voorlopige aanslag"),
        ("Wat is kwijtschelding", "kwijtschelding"),
        ("wat is een toeslagpartner eigenlijk?", "toeslagpartner"),
        ("Wat houdt bewindvoering in?", "bewindvoering"),
        ("beslagvrije voet, wat is dat?", "beslagvrije voet"),
        ('in de brief staat "dwangbevel", wat moet ik doen', "dwangbevel"),
        ("what does 'beschikking' mean", "beschikking"),
        ("what is a provisional assessment", "voorlopige aanslag"),
        ("wat betekent bezwaar?", "bezwaar"),
    ],
)
def test_a_question_about_a_word_finds_it(message: str, word: str) -> None:
    found = find(message)
    assert found is not None and found.term.key == word


@pytest.mark.parametrize(
    "message",
    [
        "ik wil bezwaar maken tegen de aanslag",
        "mijn buurvrouw heeft een aanmaning gekregen",
        "wat moet ik doen met deze brief",
        "de deurwaarder staat voor de deur",
    ],
)
def test_a_word_used_in_passing_is_not_explained(message: str) -> None:
    assert find(message) is None


def test_forms_are_marked_anywhere_but_everyday_words_only_when_asked() -> None:
    assert [key for _, _, key, _ in spans("ik wil bezwaar maken")] == ["bezwaar"]  # the form "bezwaar maken"
    assert spans("daar heb ik geen bezwaar tegen") == []  # "bezwaar" alone, not asked
