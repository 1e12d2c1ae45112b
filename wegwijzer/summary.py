"""The summary staff see first when a conversation is handed over: who asks,
about what, where, what was already advised, and the user's last words
(redacted before they were stored)."""

from __future__ import annotations

from dataclasses import dataclass

from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import Role


@dataclass(frozen=True)
class Summary:
    role: str
    topics: list[str]  # topic labels
    place: str | None
    gemeente: str | None
    advised: list[str]
    last_messages: list[tuple[str, str]]  # (who: "user" or "bot", text), redacted
    language: str | None = None  # the user's language, when not Dutch: staff answer in it

    def text(self) -> str:
        lines = [
            staff_text("summary_role", role=staff_text(f"role_{Role.of(self.role).value}")),
            staff_text("summary_topics", topics=", ".join(self.topics) or staff_text("unknown")),
        ]
        where = self.place or staff_text("unknown")
        if self.gemeente and self.gemeente != self.place:
            where = staff_text("place_in_gemeente", place=where, gemeente=self.gemeente)
        lines.append(staff_text("summary_place", place=where))
        if self.language and self.language != "nl":
            lines.append(staff_text("summary_language", language=staff_text.label("language", self.language)))
        if self.advised:
            lines.append(staff_text("summary_advised", advised="; ".join(self.advised)))
        if self.last_messages:
            lines.append(staff_text("summary_last_messages"))
            lines.extend(staff_text(f"said_by_{who}", text=text) for who, text in self.last_messages)
        return "\n".join(lines)
