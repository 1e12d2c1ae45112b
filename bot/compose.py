"""The composition root of the front-end: the conversation every front-end
(terminal chat, Telegram) is built from, wired in one place."""

from __future__ import annotations

from typing import Any

from bot.after_referral import AfterReferral
from bot.conversation import Conversation
from bot.handoff import Handoff
from bot.rasa_client import RasaClient
from wegwijzer.db.session import session_factory
from wegwijzer.doors import DoorStore
from wegwijzer.escalations import Escalations
from wegwijzer.follow_ups import FollowUps
from wegwijzer.handover import HandoverCards
from wegwijzer.privacy import load_secret, warm_up
from wegwijzer.settings import settings
from wegwijzer.staff import StaffDirectory
from wegwijzer.users import UserStore
from wegwijzer.vocabulary import Channel


def location_for_key(key: str) -> dict[str, Any] | None:
    """A location slot value for a place key such as "gm:GM0106" (deep links)."""
    from wegwijzer.places import gazetteer

    resolution = gazetteer().resolve(key)
    return resolution.location.as_slot() if resolution.found and resolution.location else None


def build_conversation(rasa: RasaClient, channel: str, staff_chat_id: int | None = None) -> Conversation:
    """The conversation for one front-end ("terminal" or "tg"), with its
    handoff to a person: staff answer from the staff page, and from the
    Telegram staff group when there is one (staff_chat_id)."""
    sessions = session_factory()
    users = UserStore(sessions)
    config = settings()
    directory = StaffDirectory(sessions, config.staff_user_ids)
    handoff = Handoff(
        Escalations(sessions),
        rasa,
        users,
        channel,
        staff_reachable=lambda: staff_chat_id is not None or directory.accounts_exist(),
        staff_chat_id=staff_chat_id,
        retention_days=config.retention_days,
        per_day=config.escalations_per_day,
    )
    telegram = channel == Channel.TELEGRAM
    after_referral = AfterReferral(
        rasa,
        HandoverCards(sessions, config.handover_card_hours),
        FollowUps(sessions) if telegram else None,  # the terminal chat is gone by then
        channel,
        # A link to the printable card: in the terminal, and in Telegram when
        # the staff page is reachable from outside (WEGWIJZER_PUBLIC_URL).
        card_link=f"{config.public_url}/kaart" if not telegram or config.public_url_setting else None,
        with_pdf=telegram,
        follow_up_days=config.follow_up_days,
        voice_of=lambda pseudonym: users.get(pseudonym).voice,
    )
    warm_up()  # the redaction's name lists load while the front-end starts
    return Conversation(
        rasa,
        load_secret(),
        channel,
        users,
        places=location_for_key,
        handoff=handoff,
        doors=DoorStore(sessions),
        after_referral=after_referral,
    )
