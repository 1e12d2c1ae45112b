"""Telegram update handlers, one module per kind of update:
`messages` (text, commands, locations), `buttons` (inline keyboard presses),
`other` (photos, voice, stickers, files, group chats). `flow` holds what they
share: per-user order, the rate limit and sending the replies."""
