"""A flow's answers: a typed dataclass in code, a JSON object in `dialog_states.data`, converted here only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")

# Building an adapter inspects the class; one per answers class, made on first use.
_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[T]) -> TypeAdapter[T]:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def answers_to_data(answers: object) -> dict[str, Any]:
    """The answers as JSON values: dates as ISO text, Decimals as text, enums as their values."""
    data: dict[str, Any] = _adapter(type(answers)).dump_python(answers, mode="json")
    return data


def answers_from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """The answers back from their JSON form; keys the class no longer has are ignored."""
    return _adapter(cls).validate_python(dict(data))
