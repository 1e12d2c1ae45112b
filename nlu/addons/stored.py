"""A Rasa component that saves what it learned in training with the model
and reads it back when the model is loaded: rules taken from the project's
data files (JSON), or a fitted classifier (overriding `write_store` and
`read_store`). A trained model so carries what it was trained with, and the
Rasa server needs no data files to run it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Text

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class StoredComponent(GraphComponent):
    """Subclasses set STORE_FILE and take what was stored in `use()`."""

    STORE_FILE = "store.json"

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        stored: Any = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.use(stored)

    def use(self, stored: Any) -> None:
        raise NotImplementedError

    @staticmethod
    def write_store(path: Path, value: Any) -> None:
        rasa.shared.utils.io.dump_obj_as_json_to_file(path, value)

    @staticmethod
    def read_store(path: Path) -> Any:
        return rasa.shared.utils.io.read_json_file(path)

    def save(self, value: Any) -> Resource:
        """Use `value` from now on and store it with the model."""
        self.use(value)
        with self._model_storage.write_to(self._resource) as directory:
            self.write_store(directory / self.STORE_FILE, value)
        return self._resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoredComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredComponent:
        try:
            with model_storage.read_from(resource) as directory:
                stored = cls.read_store(directory / cls.STORE_FILE)
        except (ValueError, FileNotFoundError):
            stored = None
        return cls(config, model_storage, resource, stored)
