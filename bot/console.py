"""The terminal chat: the same conversation as on Telegram, in a terminal.

Type a message, read the answer; choices are numbered and picked by typing
the number. Works with piped input too (one message per line), so a
conversation can be scripted:

    printf 'hallo\\nmijn buurvrouw is haar digid kwijt\\n' | make run

A person can take over here too: staff answer on the staff page, and their
words are printed as soon as they arrive, also while the chat waits for
input. When piped input ends during a handoff, the chat stays until the
staff member closes the conversation (or Ctrl-C).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from typing import TextIO

from bot.conversation import Conversation
from bot.delivery import Delivery
from bot.rendering import Reply, to_console
from wegwijzer.escalations import Escalations, EscalationView
from wegwijzer.texts import say, speaking

CONSOLE_USER = "terminal"
HANDOFF_CHECK_SECONDS = 0.5  # how often a chat whose input ended looks whether the handoff closed


class ConsoleChat:
    """One terminal conversation; also the delivery's user side."""

    def __init__(self, conversation: Conversation, stdin: TextIO, stdout: TextIO) -> None:
        self.conversation = conversation
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()
        self.choices: dict[str, str] = {}
        self.sender = conversation.sender_id(CONSOLE_USER)
        self.waiting_for_input = False

    def say(self, key: str) -> str:
        """A text of the terminal chat itself, in the user's voice."""
        with speaking(self.conversation.voice_of(CONSOLE_USER)):
            return say(key)

    def show(self, line: str) -> None:
        print(line, file=self.stdout, flush=True)

    def show_replies(self, replies: list[Reply]) -> None:
        rendered, choices = to_console(replies)
        if choices:
            self.choices = choices
        if rendered:
            self.show(rendered)

    def prompt(self) -> None:
        if self.interactive:
            print("\nU: ", end="", file=self.stdout, flush=True)

    async def send(self, escalation: EscalationView, replies: list[Reply], file_id: str | None = None) -> bool:
        """A staff answer (or the handoff's news) arrived: print it now."""
        if escalation.pseudonym != self.sender:
            return False  # another terminal user's (another secret): not this chat's
        if self.waiting_for_input and self.interactive:
            print(file=self.stdout)
        self.show_replies(replies)
        if self.waiting_for_input:
            self.prompt()
        return True

    async def please_wait(self, key: str) -> None:
        self.show(self.say(key))

    async def answer(self, line: str) -> None:
        choice = line.strip()
        if choice in self.choices:
            payload = self.choices[choice]
            replies = await self.conversation.handle_button(CONSOLE_USER, payload, on_wait=self.please_wait)
        elif choice.isdigit() and len(choice) <= 2 and self.choices:
            self.show(self.say("unknown_choice"))
            return
        else:
            replies = await self.conversation.handle_text(CONSOLE_USER, line, on_wait=self.please_wait)
        rendered, choices = to_console(replies)
        self.choices = choices
        if rendered:  # during a handoff a message goes to staff without an answer
            self.show(rendered)

    async def run(self) -> None:
        self.show(self.say("console_welcome"))
        while True:
            self.prompt()
            self.waiting_for_input = True
            line = await read_line(self.stdin)
            self.waiting_for_input = False
            if line == "":  # end of input
                break
            line = line.rstrip("\n")
            if not self.interactive:
                self.show(f"\nU: {line}")
            await self.answer(line)
        await self.stay_during_handoff()
        self.show(self.say("console_bye"))

    async def stay_during_handoff(self) -> None:
        """Input ended while a person helps: keep printing their answers
        until they close the conversation."""
        handoff = self.conversation.handoff
        if handoff is None or not handoff.is_open(self.sender):
            return
        self.show(self.say("console_waiting_for_staff"))
        while handoff.is_open(self.sender):
            await asyncio.sleep(HANDOFF_CHECK_SECONDS)
        if handoff.delivery is not None:
            await handoff.delivery.deliver()  # the closing words


async def read_line(stdin: TextIO) -> str:
    """The next line of input, read in a daemon thread: a stop (Ctrl-C,
    SIGTERM) does not wait for a line that never comes."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def settle(line: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line or "")

    def read() -> None:
        try:
            line, error = stdin.readline(), None
        except (OSError, ValueError) as exc:  # input closed under us
            line, error = "", exc
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(settle, line, error)

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
    return await future


async def run_console(conversation: Conversation, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """The terminal chat, with the delivery of staff answers running beside it."""
    chat = ConsoleChat(conversation, stdin, stdout)
    handoff = conversation.handoff
    if handoff is None:
        await chat.run()
        return
    delivery = Delivery(
        Escalations(handoff.escalations.sessions),
        conversation.channel,
        chat,
        topics=None,
        voice_of=lambda pseudonym: conversation.users.get(pseudonym).voice,
    )
    handoff.delivery = delivery
    task = asyncio.create_task(delivery.run())
    try:
        await chat.run()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
