"""The staff review web page of Wegwijzer.

Staff and the gemeente's 'regierol' look back here at conversations that
were handed over to a person: a filterable list, one escalation with its
redacted transcript, notes and timings, statistics with charts drawn on the
server (inline SVG, no JavaScript) and a CSV export without personal data.

  python -m review        start it (REVIEW_HOST, default 127.0.0.1;
                          REVIEW_PORT, default 8080)

`app.create_app()` builds the Starlette application; the data come from the
domain read models in `wegwijzer.review`, logins from `wegwijzer.staff`.
"""
