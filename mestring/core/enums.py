"""Enums whose members carry a translated label for the UI."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Any

from wtforms import SelectChoice

from mestring.core.translations import catalogue

_LABELS: dict[type[StrEnum], Mapping[Any, Any]] = {}


class LabelledEnum(StrEnum):
    """A StrEnum stored by value and shown by its label (see ``set_labels``)."""

    @property
    def label(self) -> str:
        return _label(catalogue(), type(self), self)

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        """Form choices whose labels are translated when rendered, not when the form is defined."""
        return [SelectChoice(member.value, _LABELS[cls][member]) for member in cls]


def set_labels(enum_cls: type[LabelledEnum], labels: Mapping[Any, Any]) -> None:
    """Register the (lazily translated) label of every member of ``enum_cls``."""
    missing = set(enum_cls) - set(labels)
    if missing:
        raise ValueError(f"{enum_cls.__name__} lacks labels for {sorted(missing)}")
    _LABELS[enum_cls] = labels


@lru_cache(maxsize=1024)
def _label(translations: Any, enum_cls: type[LabelledEnum], member: LabelledEnum) -> str:
    """A member's label in one catalogue: tables show the same few labels in every row. The
    class is part of the key, as members of different enums can share a value."""
    return str(_LABELS[enum_cls][member])
