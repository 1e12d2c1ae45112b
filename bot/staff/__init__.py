"""The handoff relay: a person takes over in the staff group.

`relay.py` creates the escalation (with the user's consent), opens a forum
topic per escalation in the staff supergroup, and passes messages both ways;
`handlers.py` holds the staff group's update handlers; `summary.py` turns the
Rasa conversation into the short summary staff see first."""
