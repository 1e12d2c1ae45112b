"""After a referral: the handover card for the desk, and "is het gelukt?".

Every referral ends with an offer: an "overdrachtskaart" (a short summary
for the desk: as a message, a printable page behind a short-lived link, and
in Telegram a PDF) and, in Telegram, a question some days later whether it
worked. The terminal chat offers no follow-up: it is gone by then.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.rasa_client import RasaClient
from bot.rendering import Button, Reply
from bot.tracker import latest_referral, topic_of, user_messages
from wegwijzer.clock import now
from wegwijzer.follow_ups import FollowUps
from wegwijzer.handover import HandoverCards, card_pdf, card_text, make_card
from wegwijzer.hours import ZONE
from wegwijzer.texts import DEFAULT_VOICE, Voice, say, speaking
from wegwijzer.topics import topics
from wegwijzer.vocabulary import FollowUpStatus

logger = logging.getLogger(__name__)

Send = Callable[[int, str, list[Reply]], Awaitable[bool]]  # (chat id, pseudonym, replies) → delivered


def person_offer() -> list[Button]:
    """The buttons that hand over to a person (the consent of the handoff)."""
    return [
        Button(say("handoff_yes_button"), "/overdracht ja request_human normal"),
        Button(say("handoff_no_button"), "/overdracht nee"),
    ]


class AfterReferral:
    def __init__(
        self,
        rasa: RasaClient,
        cards: HandoverCards,
        follow_ups: FollowUps | None,
        channel: str,
        card_link: str | None,
        with_pdf: bool,
        follow_up_days: float = 7,
        voice_of: Callable[[str], Voice] = lambda pseudonym: DEFAULT_VOICE,
    ) -> None:
        self.rasa = rasa
        self.cards = cards
        self.follow_ups = follow_ups  # None: this front-end cannot ask later
        self.channel = channel
        self.card_link = card_link  # the printable page's address, without the token; None: no link
        self.with_pdf = with_pdf
        self.follow_up_days = follow_up_days
        self.voice_of = voice_of  # a user's voice by pseudonym (asked later, outside a message)

    def offer(self) -> Reply:
        buttons = [Button(say("handover_button"), "/kaart")]
        if self.follow_ups is not None:
            buttons.append(Button(say("follow_up_offer_button", days=_days(self.follow_up_days)), "/opvolgen"))
            return Reply(text=say("after_referral_with_follow_up"), buttons=buttons)
        return Reply(text=say("after_referral"), buttons=buttons)

    async def _tracker(self, sender: str) -> dict[str, object]:
        try:
            return await self.rasa.tracker(sender)
        except Exception:  # noqa: BLE001 — without the conversation there is no referral to use
            logger.warning("Rasa tracker unavailable for the handover card")
            return {}

    async def card(self, sender: str) -> list[Reply]:
        """The handover card for the latest referral."""
        tracker = await self._tracker(sender)
        doors = latest_referral(tracker)
        topic_intent = topic_of(tracker)
        if not doors and topic_intent is None:
            return [Reply(text=say("handover_nothing_yet"))]
        topic = topics().get(topic_intent or "")
        card = make_card(
            topic, doors[0] if doors else None, [t for t, _ in user_messages(tracker)], now().astimezone(ZONE).date()
        )
        custom: dict[str, object] = {"type": "handover"}
        if self.card_link is not None:
            custom.update(url=f"{self.card_link}/{self.cards.store(card)}", link_label=say("handover_link_label"))
        if self.with_pdf:
            custom.update(pdf=card_pdf(card), filename=say("handover_file_name"))
        return [Reply(text=say("handover_intro")), Reply(text=card_text(card), custom=custom)]

    async def agree(self, sender: str, user_id: str | int) -> list[Reply]:
        """The helper agreed to be asked "is het gelukt?" later."""
        if self.follow_ups is None or not str(user_id).lstrip("-").isdigit():
            return [Reply(text=say("follow_up_not_here"))]
        tracker = await self._tracker(sender)
        doors = latest_referral(tracker)
        if not doors:
            return [Reply(text=say("handover_nothing_yet"))]
        self.follow_ups.request(
            pseudonym=sender,
            channel=self.channel,
            user_chat_id=int(user_id),
            door=doors[0],
            topic=topic_of(tracker),
            days=self.follow_up_days,
        )
        return [Reply(text=say("follow_up_agreed", days=_days(self.follow_up_days), door=doors[0].get("name")))]

    async def answer(self, sender: str, argument: str) -> list[Reply]:
        """ "Ja", "Nee" or "Ik wil hulp" to "is het gelukt?"."""
        raw_id, _, value = argument.partition(" ")
        status = (
            self.follow_ups.answer(int(raw_id), sender, value.strip())
            if self.follow_ups is not None and raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12
            else None
        )
        if status is None:
            return [Reply(text=say("old_button"))]
        if status == FollowUpStatus.COMPLETED:
            return [Reply(text=say("follow_up_thanks_yes"))]
        key = "follow_up_help" if value.strip() == "hulp" else "follow_up_sorry"
        return [Reply(text=say(key), buttons=person_offer())]

    async def ask_due(self, send: Send) -> int:
        """Ask every follow-up whose day has come; returns how many were asked."""
        if self.follow_ups is None:
            return 0
        asked = 0
        for due in self.follow_ups.due(self.channel):
            with speaking(self.voice_of(due.pseudonym)):
                question = Reply(
                    text=say("follow_up_question", door=due.door_name),
                    buttons=[
                        Button(say("follow_up_yes_button"), f"/gelukt {due.id} ja"),
                        Button(say("follow_up_no_button"), f"/gelukt {due.id} nee"),
                        Button(say("follow_up_help_button"), f"/gelukt {due.id} hulp"),
                    ],
                )
                sent = await send(due.user_chat_id, due.pseudonym, [question])
            if sent:
                self.follow_ups.asked(due.id)
                asked += 1
        return asked

    def forget(self, sender: str) -> None:
        if self.follow_ups is not None:
            self.follow_ups.forget_user(sender)


def _days(days: float) -> str:
    return str(int(days)) if float(days).is_integer() else str(days).replace(".", ",")
