"""A Rasa component whose rules come from the project's data files at
training time and are saved in the model (so a trained model carries what it
was trained with, and the Rasa server needs no data files to run it)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class StoredRulesComponent(GraphComponent):
    """Subclasses set RULES_FILE, build their rules in `make_rules()` and use
    them in `use_rules()`."""

    RULES_FILE = "rules.json"

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        rules: Optional[Dict[Text, Any]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.use_rules(rules)

    def make_rules(self) -> Dict[Text, Any]:
        raise NotImplementedError

    def use_rules(self, rules: Optional[Dict[Text, Any]]) -> None:
        raise NotImplementedError

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "StoredRulesComponent":
        return cls(config, model_storage, resource)

    def save_rules(self) -> Resource:
        rules = self.make_rules()
        self.use_rules(rules)
        with self._model_storage.write_to(self._resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(directory / self.RULES_FILE, rules)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "StoredRulesComponent":
        try:
            with model_storage.read_from(resource) as directory:
                rules = rasa.shared.utils.io.read_json_file(directory / cls.RULES_FILE)
        except ValueError:
            rules = None
        return cls(config, model_storage, resource, rules)
