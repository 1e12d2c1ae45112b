"""The staff group on Telegram: a forum topic per escalation.

`telegram.py` opens the topics and posts in them (and sends to the user's
chat) for the delivery (bot/delivery.py); `handlers.py` turns staff messages,
commands and buttons in a topic into staff actions (wegwijzer.workspace);
`summary.py` turns the Rasa conversation into the short summary staff see
first."""
