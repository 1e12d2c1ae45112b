"""Wegwijzer's add-ons to Rasa: custom NLU components (entities, intents),
the REST input channel with metadata, and a speed-up for action calls."""

from nlu.addons import speedups

speedups.install()
