"""The terminal chat: the same conversation as on Telegram, in a terminal.

Type a message, read the answer; choices are numbered and picked by typing
the number. Works with piped input too (one message per line; it stops at
the end of the input), so a conversation can be scripted:

    printf 'hallo\nmijn buurvrouw is haar digid kwijt\n' | make run
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.conversation import Conversation
from bot.rendering import to_console
from wegwijzer.texts import say

CONSOLE_USER = "terminal"


async def run_console(conversation: Conversation, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    interactive = stdin.isatty()

    def show(line: str) -> None:
        print(line, file=stdout, flush=True)

    async def one_moment() -> None:
        show(say("one_moment"))

    show(say("console_welcome"))
    choices: dict[str, str] = {}
    while True:
        if interactive:
            print("\nU: ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if line == "":  # end of input
            break
        line = line.rstrip("\n")
        if not interactive:
            show(f"\nU: {line}")
        choice = line.strip()
        if choice in choices:
            replies = await conversation.handle_button(CONSOLE_USER, choices[choice], on_wait=one_moment)
        elif choice.isdigit() and len(choice) <= 2 and choices:
            show(say("unknown_choice"))
            continue
        else:
            replies = await conversation.handle_text(CONSOLE_USER, line, on_wait=one_moment)
        rendered, new_choices = to_console(replies)
        choices = new_choices
        show(rendered)
    show(say("console_bye"))
