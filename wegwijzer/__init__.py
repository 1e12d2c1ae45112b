"""Wegwijzer's domain: places, the directory of organisations and counters,
topics and referral rules, escalations and privacy.

Nothing here imports Rasa or Telegram; `actions/` and `bot/` are the adapters
that use it. Modules that the Rasa server's environment imports too
(`placenames`) stay compatible with Python 3.10.
"""
