"""The front-end: the only process that talks to people.

It starts the Rasa server, the action server and the staff page (launcher),
then serves the terminal chat (console) or Telegram (app, handlers/), both
through the same conversation (conversation, rendering, commands). During a
handoff (handoff) what the user writes goes to staff, and the delivery
(delivery) brings staff's answers from the staff page or the Telegram staff
group (staff/) to the user.
"""
