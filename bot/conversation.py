"""One user message in, the bot's replies out: the flow every front-end shares.

The terminal chat and Telegram both call `Conversation`, so a message takes
the same path whatever the front-end:

1. personal numbers are redacted (BSN, IBAN, phone, e-mail, codes) and the
   user is warned once;
2. the front-end's own commands (/start, /help, /rol, /locatie, /privacy,
   /bronnen, /stop) are answered here;
3. anything else goes to Rasa with a pseudonymous sender id and metadata
   (role, language, shared location), retried when Rasa is slow or down;
4. Rasa's answer becomes `Reply` objects for the front-end to render.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.after_referral import AfterReferral
from bot.commands import BUTTON_ONLY, command_name, help_text, typed_command
from bot.handoff import Handoff
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.rendering import Button, Reply, from_rasa
from wegwijzer import metrics
from wegwijzer.crisis import crisis_signals
from wegwijzer.crisis_answer import crisis_text, needs_gemeente
from wegwijzer.doors import DoorStore
from wegwijzer.language import MIN_CONFIDENCE, SURE, Heard, hear, other_language
from wegwijzer.privacy import pseudonym, redact
from wegwijzer.texts import LANGUAGES, Voice, current_voice, say, speaking
from wegwijzer.texts import staff as staff_text
from wegwijzer.users import UserStore
from wegwijzer.vocabulary import Priority, Reason, Role

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 4096  # Telegram's own limit for one text message
# Words in a /start deep link that set the role: ?start=pro, ?start=ido_GM0106.
PROFESSIONAL_LINKS = {"pro", "professional", "wijkteam", "hulpverlener"}
HELPER_LINKS = {"helper", "ido", "vrijwilliger"}
# "in English please" alone: the language is set, nothing else to answer.
ONLY_A_REQUEST = 4
REPORT_DONE = "klaar"  # "/melding klaar": no text for the report
# Tells the user to wait: "one_moment" at the first retry, "taking_long"
# when Rasa is still away after LONG_WAIT seconds (the text key is the argument).
OnWait = Callable[[str], Awaitable[None]] | None
LONG_WAIT = 40.0


class Conversation:
    def __init__(
        self,
        rasa: RasaClient,
        secret: bytes,
        channel: str,
        users: UserStore,
        places: Callable[[str], dict[str, Any] | None] | None = None,
        handoff: Handoff | None = None,
        doors: DoorStore | None = None,
        after_referral: AfterReferral | None = None,
    ) -> None:
        self.rasa = rasa
        self.secret = secret
        self.channel = channel
        self.users = users
        # Turns "gm:GM0106" into a location slot value (deep links); optional.
        self.places = places
        # The handoff to a person; without it a person is offered at a desk.
        self.handoff = handoff
        # Where "Klopt dit niet?" reports about a door go.
        self.doors = doors
        # The handover card and "is het gelukt?" offered after a referral.
        self.after_referral = after_referral

    def sender_id(self, user_id: str | int) -> str:
        return pseudonym(self.channel, user_id, self.secret)

    # -- entry points -------------------------------------------------------
    async def handle_text(
        self,
        user_id: str | int,
        message: str,
        metadata: dict[str, Any] | None = None,
        on_wait: OnWait = None,
    ) -> list[Reply]:
        sender = self.sender_id(user_id)
        with speaking(self.users.get(sender).voice):
            return await self._text(sender, user_id, message, metadata, on_wait)

    async def _text(
        self, sender: str, user_id: str | int, message: str, metadata: dict[str, Any] | None, on_wait: OnWait
    ) -> list[Reply]:
        message = (message or "").strip()
        if not message:
            return [Reply(text=say("empty_message"))]
        notes: list[str] = []
        if len(message) > MAX_MESSAGE_LENGTH:
            message = message[:MAX_MESSAGE_LENGTH]
            notes.append("too_long")
        message, removed = redact(message)
        if removed and not self.users.get(sender).privacy_warned:
            self.users.update(sender, privacy_warned=True)
            notes.append("privacy_warning")
        message = typed_command(message)
        command = command_name(message)
        if command is None and message.startswith("/"):
            refused = self.refuse_syntax(message)
            if refused is not None:
                return self.noted(notes) + refused
            message = message.lstrip("/ ")  # an urgent message that starts with a slash
        if command == "/stop":
            message = "/stop"  # typed, "/stop ja" asks first: only the button erases
        if command:
            return self.noted(notes) + (
                [Reply(text=say("button_only"))]  # only the bot's own buttons carry these
                if command in BUTTON_ONLY
                else await self.command(sender, user_id, message, on_wait)
            )
        heard = hear(message)
        voice, switched = self.listen(sender, heard)
        with speaking(voice):
            replies = self.noted(notes)
            if switched:
                replies.append(Reply(text=say("language_set" if heard.asked else "language_detected")))
                if heard.asked and len(message.split()) <= ONLY_A_REQUEST:
                    return replies  # "in English please": nothing more to answer
            return replies + await self.after_listening(sender, message, heard, metadata, on_wait)

    def refuse_syntax(self, message: str) -> list[Reply] | None:
        """A typed message in Rasa's own syntax ("/restart", "/urgent_crisis",
        '/inform_location{...}') would force an intent: only the front-end
        sends those. Refused politely, unless it reads as urgent help."""
        if crisis_signals().match(message.lstrip("/ ")):
            return None
        logger.info("Refused a typed message in Rasa's syntax")
        return [Reply(text=say("unknown_command"))]

    def noted(self, notes: list[str]) -> list[Reply]:
        return [Reply(text=say(key, limit=MAX_MESSAGE_LENGTH)) for key in notes]

    def listen(self, sender: str, heard: Heard) -> tuple[Voice, bool]:
        """The user's voice after this message, and whether the language changed.

        A language is taken when Wegwijzer speaks it and the message is clear
        enough: for a first language, or when the user asks for it; a
        remembered language changes only when the message is surely in the
        other one. The form (u or je) follows what the user writes."""
        user = self.users.get(sender)
        language, form = user.language, user.form
        if heard.spoken and heard.language != (language or "nl"):
            sure = heard.asked or heard.confidence >= (SURE if language else MIN_CONFIDENCE)
            if sure:
                language = heard.language
        elif heard.spoken and language is None:
            language = heard.language
        if heard.form is not None and (language or "nl") == "nl":
            form = heard.form
        switched = (language or "nl") != (user.language or "nl")
        if (language, form) != (user.language, user.form):
            self.users.update(sender, language=language, form=form)
        return Voice.of(language, form), switched

    async def after_listening(
        self, sender: str, message: str, heard: Heard, metadata: dict[str, Any] | None, on_wait: OnWait
    ) -> list[Reply]:
        pending = self.users.get(sender).pending_report
        if pending is not None and self.doors is not None and not await self.is_urgent(message):
            self.doors.add_text(pending, message)
            self.users.update(sender, pending_report=None)
            return [Reply(text=say("report_text_saved"))]
        if self.handoff is not None and self.handoff.is_open(sender):
            # A person has taken over: the message goes to staff, not to Rasa.
            # Urgent help still comes first: the numbers at once, and the
            # escalation becomes urgent.
            if await self.is_urgent(message):
                numbers = await self.crisis_reply(sender, message)
                return [numbers, *await self.handoff.user_urgent(sender, message)]
            return await self.handoff.user_text(sender, message)
        if heard.language is not None and not heard.spoken:
            # A language Wegwijzer does not speak: a fixed text in it, and a person.
            fixed = other_language(heard.language)
            *first, last = fixed.texts
            return [
                *(Reply(text=text) for text in first),
                Reply(text=last, buttons=[Button(fixed.button, "/medewerker")]),
            ]
        return await self.to_rasa(sender, message, metadata, on_wait)

    async def is_urgent(self, message: str) -> bool:
        """A crisis signal, or the NLU's urgent_crisis (when Rasa answers)."""
        if crisis_signals().match(message):
            return True
        try:
            parsed = await self.rasa.parse(message)
        except Exception:  # noqa: BLE001 — Rasa down: the signals above decide
            logger.warning("Rasa parse unavailable for the urgency check")
            return False
        return (parsed.get("intent") or {}).get("name") == "urgent_crisis"

    async def urgent_now(self, user_id: str | int, message: str) -> list[Reply]:
        """The urgent numbers for a message with a crisis signal, at once
        (while an earlier message of this user still waits); else nothing."""
        if not crisis_signals().match(message):
            return []
        with speaking(self.voice_of(user_id)):
            return [await self.crisis_reply(self.sender_id(user_id), message)]

    async def crisis_reply(self, sender: str, message: str) -> Reply:
        """The urgent answer for the kind of crisis, with the gemeente's number
        where that helps and the place is known."""
        metrics.URGENT.inc()
        code = None
        if needs_gemeente(message):
            code = self.users.get(sender).gemeente_code
            try:
                slots = (await self.rasa.tracker(sender)).get("slots") or {}
                location = slots.get("location")
                if isinstance(location, dict) and location.get("gemeente_code"):
                    code = str(location["gemeente_code"])
            except Exception:  # noqa: BLE001 — without the place, the answer says where to look
                logger.warning("Rasa tracker unavailable for the urgent answer")
        return Reply(text=crisis_text(message, code))

    def voice_of(self, user_id: str | int) -> Voice:
        """The voice a user is answered in (for texts the front-end says itself)."""
        return self.users.get(self.sender_id(user_id)).voice

    async def handle_button(self, user_id: str | int, payload: str, on_wait: OnWait = None) -> list[Reply]:
        """A pressed button (its payload, already looked up by the front-end)."""
        with speaking(self.voice_of(user_id)):
            return await self._button(user_id, payload, on_wait)

    async def _button(self, user_id: str | int, payload: str, on_wait: OnWait) -> list[Reply]:
        sender = self.sender_id(user_id)
        if command_name(payload):
            return await self.command(sender, user_id, payload, on_wait)
        if self.handoff is not None and self.handoff.is_open(sender):
            return [Reply(text=say("button_during_handoff"))]  # an old bot button while a person helps
        return await self.to_rasa(sender, payload, None, on_wait)

    async def handle_location(self, user_id: str | int, lat: float, lon: float, on_wait: OnWait = None) -> list[Reply]:
        """A shared location: Rasa's location form uses it as it is."""
        sender = self.sender_id(user_id)
        with speaking(self.voice_of(user_id)):
            if self.handoff is not None and self.handoff.is_open(sender):
                return await self.handoff.user_text(sender, staff_text("user_shared_location"))
            return await self.to_rasa(sender, "/inform_location", {"location": {"lat": lat, "lon": lon}}, on_wait)

    # -- Rasa ---------------------------------------------------------------
    async def to_rasa(self, sender: str, message: str, metadata: dict[str, Any] | None, on_wait: OnWait) -> list[Reply]:
        user = self.users.get(sender)
        voice = current_voice()
        meta = {"role": user.role, "language": voice.language, "voice": voice.as_dict(), **(metadata or {})}

        said_long = False

        async def on_retry(attempt: int, waited: float) -> None:
            nonlocal said_long
            metrics.RASA_UP.set(0)
            metrics.RASA_RETRIES.inc()
            if on_wait is None:
                return
            if attempt == 0:
                await on_wait("one_moment")
            elif waited >= LONG_WAIT and not said_long:
                said_long = True  # once: the message stays queued and is answered when Rasa is back
                await on_wait("taking_long")

        try:
            answer = await self.rasa.send(sender, message, meta, on_retry=on_retry)
        except RasaUnavailable:
            logger.error("Rasa unavailable for too long; the message could not be answered")
            metrics.RASA_UP.set(0)
            metrics.RASA_GAVE_UP.inc()
            return [Reply(text=say("unavailable"))]
        metrics.RASA_UP.set(1)
        if any(isinstance(m.get("custom"), dict) and m["custom"].get("say") in metrics.FALLBACK_KEYS for m in answer):
            metrics.FALLBACKS.inc()
        replies = from_rasa(answer)
        for i, reply in enumerate(replies):
            if reply.kind == "crisis":  # the right numbers first, by kind
                replies[i] = await self.crisis_reply(sender, message)
        if self.after_referral is not None and any(r.kind == "referral" for r in replies):
            replies.append(self.after_referral.offer())
        return replies

    # -- the front-end's own commands ----------------------------------------
    async def command(self, sender: str, user_id: str | int, message: str, on_wait: OnWait = None) -> list[Reply]:
        name, _, argument = message.partition(" ")
        name = name.split("@")[0].lower()
        argument = argument.strip()
        if name == "/start":
            return await self.start(sender, argument)
        if name == "/help":
            return [Reply(text=help_text())]
        if name == "/rol":
            return self.role(sender, argument)
        if name == "/locatie":
            return [Reply(text=say("location_question"), custom={"type": "ask_location"})]
        if name == "/privacy":
            return [Reply(text=say("privacy"))]
        if name == "/bronnen":
            return [Reply(text=say("sources"))]
        if name == "/stop":
            return await self.stop(sender, argument)
        if name == "/taal":
            return self.language(sender, argument)
        if name == "/medewerker":
            return await self.to_rasa(sender, "/request_human", None, on_wait)
        if name == "/overdracht":
            return await self.consent(sender, user_id, argument.split())
        if name == "/uitkomst":
            if self.handoff is None:
                return [Reply(text=say("old_button"))]
            return await self.handoff.outcome(sender, argument)
        if name == "/melding":
            return self.report(sender, argument)
        if name in ("/kaart", "/opvolgen", "/gelukt"):
            if self.after_referral is None:
                return [Reply(text=say("old_button"))]
            if name == "/kaart":
                return await self.after_referral.card(sender)
            if name == "/opvolgen":
                return await self.after_referral.agree(sender, user_id)
            return await self.after_referral.answer(sender, argument)
        return [Reply(text=say("unknown_command"))]

    def report(self, sender: str, argument: str) -> list[Reply]:
        """ "Klopt dit niet?" on a door's card: stored at once, then an optional
        short text ("/melding klaar" skips it)."""
        if argument == REPORT_DONE:
            self.users.update(sender, pending_report=None)
            return [Reply(text=say("report_done"))]
        report_id = self.doors.report(int(argument), None, self.channel) if self.doors and argument.isdigit() else None
        if report_id is None:
            return [Reply(text=say("old_button"))]
        self.users.update(sender, pending_report=report_id)
        return [
            Reply(text=say("report_thanks_ask"), buttons=[Button(say("report_skip_button"), f"/melding {REPORT_DONE}")])
        ]

    async def consent(self, sender: str, user_id: str | int, answer: list[str]) -> list[Reply]:
        """The answer to "may a person take over?": ["ja", reason, priority] or ["nee"]."""
        if not answer or answer[0] != "ja":
            return [Reply(text=say("handoff_declined"))]
        if self.handoff is None:
            return [Reply(text=say("no_staff"))]
        reason = Reason.of(answer[1] if len(answer) > 1 else None)
        priority = Priority.of(answer[2] if len(answer) > 2 else None)
        # A Telegram chat id to answer in; the terminal chat has none (0).
        chat_id = int(user_id) if str(user_id).lstrip("-").isdigit() else 0
        return await self.handoff.start(sender, chat_id, reason, priority)

    async def start(self, sender: str, payload: str) -> list[Reply]:
        """/start, also with a deep-link payload: "ido_GM0106", "pro", "pro_GM0363"."""
        replies = [Reply(text=say("welcome"))]
        parts = [p for p in payload.replace("-", "_").split("_") if p]
        if any(p.lower() in PROFESSIONAL_LINKS for p in parts):
            self.users.update(sender, role=Role.PROFESSIONAL.value)
            replies.append(Reply(text=say("role_set_professional")))
        elif any(p.lower() in HELPER_LINKS for p in parts):
            self.users.update(sender, role=Role.HELPER.value)
        for part in parts:
            if part.upper().startswith("GM") and self.places is not None:
                location = self.places(f"gm:{part.upper()}")
                if location is not None:
                    self.users.update(sender, gemeente_code=part.upper())
                    await self.remember_location(sender, location)
                    replies.append(Reply(text=say("welcome_gemeente", gemeente=location["name"])))
        return replies

    async def remember_location(self, sender: str, location: dict[str, Any]) -> None:
        """Put a place in the Rasa conversation, as if the user had said it."""
        try:
            await self.rasa.append_events(sender, [{"event": "slot", "name": "location", "value": location}])
        except Exception:  # noqa: BLE001 — a deep link must never break /start
            logger.warning("Could not set the location from a deep link")

    def language(self, sender: str, argument: str) -> list[Reply]:
        """/taal: Nederlands or English ("/taal en"); without a choice, the question."""
        choice = argument.lower()
        if choice in LANGUAGES:
            user = self.users.update(sender, language=choice)
            with speaking(user.voice):
                return [Reply(text=say("language_set"))]
        return [
            Reply(
                text=say("language_question"),
                buttons=[Button(say("language_nl_button"), "/taal nl"), Button(say("language_en_button"), "/taal en")],
            )
        ]

    def role(self, sender: str, argument: str) -> list[Reply]:
        choice = argument.lower()
        if choice in {role.value for role in Role}:
            self.users.update(sender, role=choice)
            return [Reply(text=say(f"role_set_{choice}"))]
        return [
            Reply(
                text=say("role_question"),
                buttons=[
                    Button(say("role_helper_button"), f"/rol {Role.HELPER.value}"),
                    Button(say("role_professional_button"), f"/rol {Role.PROFESSIONAL.value}"),
                ],
            )
        ]

    async def stop(self, sender: str, argument: str) -> list[Reply]:
        if argument == "ja":
            self.users.forget(sender)
            if self.handoff is not None:
                self.handoff.forget(sender)
            if self.after_referral is not None:
                self.after_referral.forget(sender)
            try:
                await self.rasa.forget(sender)
            except Exception:  # noqa: BLE001
                logger.warning("Could not delete the Rasa conversation")
            return [Reply(text=say("stop_done"))]
        if argument == "nee":
            return [Reply(text=say("stop_cancelled"))]
        return [
            Reply(
                text=say("stop_question"),
                buttons=[Button(say("stop_yes_button"), "/stop ja"), Button(say("stop_no_button"), "/stop nee")],
            )
        ]
