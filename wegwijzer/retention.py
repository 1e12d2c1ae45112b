"""Least data, limited time: the purge.

What a user wrote and what points to them is kept only as long as it is
needed (WEGWIJZER_RETENTION_DAYS, 30 by default):

- an escalation, this many days after it was closed: its transcript, notes
  and the corrections made from it are deleted; the row stays, stripped of
  content (no pseudonym, no chat id, no summary, no advice), so the staff
  statistics still count it (topic, gemeente, times, outcome);
- the raw chat id of a closed escalation goes earlier, a day after closing
  (REOPEN_WINDOW), once everything for the user has been delivered: staff
  can reopen it within that day and reach the user, not after;
- a user row (role, voice, gemeente) and its buttons, this many days after
  the user's last message, unless the user still has an open escalation, a
  closed one whose transcript is still kept, or a follow-up to be asked;
- follow-ups, this many days after they were answered or cancelled: the
  pseudonym goes, the door, topic, gemeente and answer stay for the counts;
- a Rasa conversation (table `events`), this many days after its last
  event, whole; and the conversation of every user purged above.

A purge run returns (and the caller logs) only counts; the purged pseudonyms
are handed back in memory so the front-end can also delete the Rasa
conversations, and are never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.clock import now_utc
from wegwijzer.conversations import forget_conversations, forget_idle_conversations
from wegwijzer.db.models import (
    ButtonPayload,
    ChatUser,
    Correction,
    Escalation,
    EscalationMessage,
    FollowUp,
    HandoverCard,
    StaffNote,
)
from wegwijzer.escalations import FORGOTTEN
from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import FollowUpStatus

logger = logging.getLogger(__name__)

REOPEN_WINDOW = timedelta(days=1)  # a closed escalation keeps its chat id this long
PURGE_INTERVAL_SECONDS = 3600  # how often the bot process purges
NO_CHAT = 0  # the chat id of an escalation whose user can no longer be reached


@dataclass
class PurgeResult:
    """What one purge run removed: counts only (and, in memory, whom)."""

    escalations: int = 0  # stripped of content, kept for the statistics
    messages: int = 0  # transcript lines deleted
    notes: int = 0
    corrections: int = 0
    chat_ids: int = 0  # raw chat ids of closed escalations released
    users: int = 0
    buttons: int = 0
    follow_ups: int = 0
    handover_cards: int = 0
    conversations: int = 0  # Rasa conversations deleted
    pseudonyms: set[str] = field(default_factory=set, repr=False)  # never logged

    def counts(self) -> dict[str, int]:
        return {
            "escalations": self.escalations,
            "messages": self.messages,
            "notes": self.notes,
            "corrections": self.corrections,
            "chat_ids": self.chat_ids,
            "users": self.users,
            "buttons": self.buttons,
            "follow_ups": self.follow_ups,
            "handover_cards": self.handover_cards,
            "conversations": self.conversations,
        }

    def line(self) -> str:
        return " ".join(f"{key}={value}" for key, value in self.counts().items())


def _rows(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def purge(sessions: sessionmaker[Session], days: int, now: datetime | None = None) -> PurgeResult:
    """Remove what is older than the retention period; return the counts."""
    now = now or now_utc()
    cutoff = now - timedelta(days=days)
    done = PurgeResult()
    with sessions.begin() as session:
        # 1. The raw chat id of a closed escalation, once nothing is left to deliver to the user.
        undelivered = exists().where(EscalationMessage.escalation_id == Escalation.id, EscalationMessage.to_user)
        done.chat_ids = _rows(
            session.execute(
                update(Escalation)
                .where(
                    Escalation.status == "closed",
                    Escalation.closed_at < now - REOPEN_WINDOW,
                    Escalation.user_chat_id != NO_CHAT,
                    ~undelivered,
                )
                .values(user_chat_id=NO_CHAT)
                .execution_options(synchronize_session=False)
            )
        )
        # 2. Escalations closed longer ago than the retention period: content goes, counts stay.
        expired = list(
            session.execute(
                select(Escalation.id, Escalation.pseudonym).where(
                    Escalation.status == "closed",
                    Escalation.closed_at < cutoff,
                    or_(
                        Escalation.pseudonym != FORGOTTEN,
                        Escalation.summary.not_in([staff_text("erased_summary"), staff_text("purged_summary")]),
                    ),
                )
            )
        )
        ids = [row.id for row in expired]
        done.pseudonyms.update(row.pseudonym for row in expired if row.pseudonym != FORGOTTEN)
        if ids:
            messages = select(EscalationMessage.id).where(EscalationMessage.escalation_id.in_(ids))
            done.corrections = _rows(session.execute(delete(Correction).where(Correction.message_id.in_(messages))))
            done.messages = _rows(
                session.execute(delete(EscalationMessage).where(EscalationMessage.escalation_id.in_(ids)))
            )
            done.notes = _rows(session.execute(delete(StaffNote).where(StaffNote.escalation_id.in_(ids))))
            done.escalations = _rows(
                session.execute(
                    update(Escalation)
                    .where(Escalation.id.in_(ids))
                    .values(
                        pseudonym=FORGOTTEN, user_chat_id=NO_CHAT, summary=staff_text("purged_summary"), advised=None
                    )
                    .execution_options(synchronize_session=False)
                )
            )
        # 3. Follow-ups answered or cancelled longer ago: no pseudonym, the counts stay.
        finished = [FollowUpStatus.COMPLETED.value, FollowUpStatus.FAILED.value, FollowUpStatus.CANCELLED.value]
        old_follow_ups = list(
            session.execute(
                select(FollowUp.id, FollowUp.pseudonym).where(
                    FollowUp.pseudonym != FORGOTTEN,
                    FollowUp.status.in_(finished),
                    or_(FollowUp.answered_at < cutoff, FollowUp.answered_at.is_(None) & (FollowUp.created_at < cutoff)),
                )
            )
        )
        if old_follow_ups:
            done.follow_ups = _rows(
                session.execute(
                    update(FollowUp)
                    .where(FollowUp.id.in_([row.id for row in old_follow_ups]))
                    .values(pseudonym=FORGOTTEN, user_chat_id=None)
                    .execution_options(synchronize_session=False)
                )
            )
        # 4. Users not seen for the retention period, with nothing still kept that needs them.
        still_needed = or_(
            exists().where(Escalation.pseudonym == ChatUser.pseudonym),  # open, or closed and not yet purged
            exists().where(
                FollowUp.pseudonym == ChatUser.pseudonym,
                FollowUp.status.in_([FollowUpStatus.REQUESTED.value, FollowUpStatus.IN_PROGRESS.value]),
            ),
        )
        idle = list(
            session.execute(select(ChatUser.pseudonym).where(ChatUser.last_seen < cutoff, ~still_needed)).scalars()
        )
        if idle:
            done.pseudonyms.update(idle)
            done.buttons += _rows(session.execute(delete(ButtonPayload).where(ButtonPayload.pseudonym.in_(idle))))
            done.users = _rows(session.execute(delete(ChatUser).where(ChatUser.pseudonym.in_(idle))))
            session.execute(
                update(FollowUp)
                .where(FollowUp.pseudonym.in_(idle))
                .values(pseudonym=FORGOTTEN, user_chat_id=None)
                .execution_options(synchronize_session=False)
            )
        # 5. Buttons older than the period (they no longer work anyway), expired handover cards.
        done.buttons += _rows(session.execute(delete(ButtonPayload).where(ButtonPayload.created_at < cutoff)))
        done.handover_cards = _rows(session.execute(delete(HandoverCard).where(HandoverCard.expires_at < now)))
        # 6. Rasa's conversations: idle ones, and those of the users purged above.
        idle_conversations = forget_idle_conversations(session, cutoff)
        forget_conversations(session, done.pseudonyms - idle_conversations)
        done.conversations = len(idle_conversations)
    logger.info("Purge (older than %d days): %s", days, done.line())
    return done
