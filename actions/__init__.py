"""Rasa custom actions: thin adapters from a conversation to the domain.

One module per feature. The action server (`python -m rasa_sdk --actions
actions`) imports every module in this package.
"""
