from __future__ import annotations

from wegwijzer.directory import organisations
from wegwijzer.topics import topics

CONTRACT_TOPICS = {
    "topic_digid", "topic_toeslagen", "topic_belasting", "topic_inkomen", "topic_zorg",
    "topic_studie", "topic_schulden", "topic_wonen", "topic_documenten", "topic_brief",
    "topic_phishing", "topic_vaardigheden", "topic_apparaat", "find_ido", "find_loket",
}


def test_every_topic_intent_has_a_text_and_a_route() -> None:
    assert set(topics()) == CONTRACT_TOPICS
    for topic in topics().values():
        assert topic.label and topic.about and topic.local and topic.sources
        assert topic.organisations


def test_unconfirmed_numbers_are_never_shown_as_confirmed() -> None:
    for org in organisations().values():
        lines = " ".join(org.contact_lines())
        if org.phone and not org.confirmed:
            assert "niet gecontroleerd" in lines
            assert not lines.startswith("Bel ")
        if not org.phone:
            assert "Bel " not in lines


def test_confirmed_numbers_are_shown_with_their_cost() -> None:
    belastingdienst = organisations()["belastingdienst"]
    assert belastingdienst.contact_lines()[0] == "Bel 0800 0543 (gratis)."
