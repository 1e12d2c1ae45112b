from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from wegwijzer.directory import organisations
from wegwijzer.topics import DOORS, topics


def contract_intents() -> set[str]:
    """The intents of the team's NLU contract, from its checker."""
    path = Path(__file__).resolve().parents[2] / "nlu" / "contract" / "check_nlu_contract.py"
    spec = importlib.util.spec_from_file_location("check_nlu_contract", path)
    assert spec is not None and spec.loader is not None
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    return set(checker.INTENTS)


# The contract's topics: the intents that are not conversation, place or person.
NOT_TOPICS = {
    "inform_location",
    "request_human",
    "urgent_crisis",
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "ask_capabilities",
    "out_of_scope",
}
CONTRACT_TOPICS = contract_intents() - NOT_TOPICS


def test_every_topic_intent_has_a_text_and_a_route() -> None:
    assert set(topics()) == CONTRACT_TOPICS | {"urgent_crisis"}
    for intent in CONTRACT_TOPICS:
        topic = topics()[intent]
        assert topic.label and topic.about and topic.why and topic.sources
        assert topic.helper and topic.professional and topic.bring
        assert set(topic.doors) <= DOORS


@pytest.mark.usefixtures("database_url")
def test_every_named_organisation_is_in_the_directory() -> None:
    for topic in topics().values():
        for org_id in topic.organisations:
            assert org_id in organisations(), (topic.intent, org_id)


def test_the_texts_hold_no_phone_numbers_or_addresses() -> None:
    """Numbers, addresses and hours come from the directory, never from topics.yml."""
    import re
    from pathlib import Path

    text = Path("wegwijzer/data/topics.yml").read_text(encoding="utf-8")
    body = text.split("\ntopics:", 1)[1]
    assert not re.search(r"\b0\d{2,3}[ -]?\d{3}", body)
    assert not re.search(r"\b\d{1,2}[:.]\d{2}\b", body)  # no clock times
    assert "www." not in body and "http" not in body


@pytest.mark.usefixtures("database_url")
def test_unconfirmed_numbers_are_never_shown_as_confirmed() -> None:
    for org in organisations().values():
        lines = " ".join(org.contact_lines())
        if org.phone and not org.confirmed:
            assert "niet gecontroleerd" in lines
            assert not lines.startswith("Bel ")
        if not org.phone:
            assert "Bel " not in lines


@pytest.mark.usefixtures("database_url")
def test_confirmed_numbers_are_shown_with_their_cost() -> None:
    belastingdienst = organisations()["belastingdienst"]
    assert belastingdienst.contact_lines()[0] == "Bel 0800 0543 (gratis)."


def test_the_intents_staff_can_pick_are_the_domains() -> None:
    """Staff mark a misunderstood message with one of these: the same as Rasa's."""
    import yaml

    from wegwijzer.vocabulary import INTENTS

    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "nlu" / "domain" / "base.yml").read_text())
    assert list(INTENTS) == domain["intents"]


# -- the topic texts in every voice ------------------------------------------------
def _texts(topic: object) -> list[str]:
    from wegwijzer.topics import TEXT_FIELDS

    out: list[str] = []
    for name in TEXT_FIELDS:
        value = getattr(topic, name)
        out += list(value) if isinstance(value, tuple) else [value]
    return out


def test_english_topics_have_every_text_and_the_same_rules() -> None:
    from wegwijzer.texts import Voice
    from wegwijzer.topics import topics_in

    dutch, english = topics_in(Voice("nl", "u")), topics_in(Voice("en"))
    assert list(english) == list(dutch)
    for intent, topic in dutch.items():
        other = english[intent]
        assert (other.door, other.also, other.organisations, other.near, other.sources) == (
            topic.door,
            topic.also,
            topic.organisations,
            topic.near,
            topic.sources,
        )
        assert len(_texts(other)) == len(_texts(topic)), intent
        changed = [a for a, b in zip(_texts(other), _texts(topic), strict=True) if a != b or not b]
        # Every text is English: only names (a label such as "DigiD") may stay as they are.
        assert len(changed) >= len(_texts(topic)) - 2, intent


def test_je_topics_never_say_u_and_replace_every_text_that_does() -> None:
    import re

    from wegwijzer.texts import Voice
    from wegwijzer.topics import topics_in

    u_form = re.compile(r"(?i)\b(u|uw|uzelf)\b")
    base, je = topics_in(Voice("nl", "u")), topics_in(Voice("nl", "je"))
    for intent, topic in base.items():
        for text_u, text_je in zip(_texts(topic), _texts(je[intent]), strict=True):
            assert not u_form.search(text_je), f"{intent}: {text_je}"
            if not u_form.search(text_u):
                assert text_je == text_u, f"{intent}: a text without u changed: {text_je}"
