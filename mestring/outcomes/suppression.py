"""Small numbers are suppressed so that no figure points to a few identifiable children.

A figure that describes 1–4 pupils is *withheld* (shown as "under 5"); none at all reveals no
one. Within a table, a withheld count could be recovered by subtracting the other rows from the
programme's total, so when exactly one row of a column is withheld, the smallest other non-zero
count of that column is withheld too (secondary suppression). Figures computed from withheld
counts (means, medians, shares) are withheld with them, and so is a count of pupils at or above
10 % when the pupils *below* it are fewer than five (it would reveal them as well).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mestring.outcomes.measures import OutcomeRow

MIN_PUPILS = 5


def is_suppressed(pupils: int) -> bool:
    """A figure describing 1–4 pupils is withheld (none at all reveals no one)."""
    return 0 < pupils < MIN_PUPILS


class Withheld:
    """The value of a withheld figure; templates and exports show it as "under 5"."""

    _instance: Withheld | None = None

    def __new__(cls) -> Withheld:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "WITHHELD"


WITHHELD = Withheld()

COUNTS = (
    "referred",
    "placed",
    "completed",
    "discontinued",
    "measured",
    "worrying_before",
    "worrying_after",
    "follow_up_measured",
    "worrying_follow_up",
)

# A figure is withheld with every count it is computed from.
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "attendance_rate": ("placed",),
    "waiting_median_days": ("placed",),
    "before_mean": ("measured",),
    "before_median": ("measured",),
    "after_mean": ("measured",),
    "after_median": ("measured",),
    "change": ("measured",),
    "share_worrying_before": ("measured", "worrying_before"),
    "share_worrying_after": ("measured", "worrying_after"),
    "follow_up_mean": ("follow_up_measured",),
    "follow_up_median": ("follow_up_measured",),
    "follow_up_change": ("follow_up_measured",),
    "share_worrying_follow_up": ("follow_up_measured", "worrying_follow_up"),
}

# Counts that are parts of another: the part goes when its whole goes, or when the rest of the
# whole (whole − part) is a small number.
PART_OF = {
    "completed": "placed",
    "discontinued": "placed",
    "worrying_before": "measured",
    "worrying_after": "measured",
    "worrying_follow_up": "follow_up_measured",
}
COMPLEMENT_REVEALS = ("worrying_before", "worrying_after", "worrying_follow_up")

FIGURES = (*COUNTS, *DEPENDS_ON)


@dataclass
class ShownRow:
    """An outcome row as a reader may see it: each figure its value or WITHHELD."""

    key: int | None
    label: str
    values: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def withheld(self, name: str) -> bool:
        return self.values[name] is WITHHELD

    @property
    def any_withheld(self) -> bool:
        return any(value is WITHHELD for value in self.values.values())


def _primary(row: OutcomeRow) -> set[str]:
    withheld = {name for name in COUNTS if is_suppressed(getattr(row, name))}
    if is_suppressed(row.waiting_known):
        withheld.add("waiting_median_days")
    for name in COMPLEMENT_REVEALS:
        whole = getattr(row, PART_OF[name])
        if is_suppressed(whole - getattr(row, name)):
            withheld.add(name)
    return withheld


def _with_dependants(withheld: set[str]) -> set[str]:
    result = set(withheld)
    for part, whole in PART_OF.items():
        if whole in result:
            result.add(part)
    for name, bases in DEPENDS_ON.items():
        if any(base in result for base in bases):
            result.add(name)
    return result


def shown_rows(rows: Sequence[OutcomeRow], *, suppress: bool) -> list[ShownRow]:
    """The rows of one table as shown; with ``suppress``, small numbers are withheld."""
    withheld = [_primary(row) if suppress else set() for row in rows]
    if suppress and len(rows) > 1:
        for name in COUNTS:
            hidden = [i for i, names in enumerate(withheld) if name in names]
            if len(hidden) != 1:
                continue
            candidates = [
                (getattr(row, name), i)
                for i, row in enumerate(rows)
                if i not in hidden and getattr(row, name) > 0
            ]
            if candidates:
                withheld[min(candidates)[1]].add(name)
    shown = []
    for row, names in zip(rows, withheld, strict=True):
        names = _with_dependants(names)
        shown.append(
            ShownRow(
                key=row.key,
                label=row.label,
                values={
                    name: WITHHELD if name in names else getattr(row, name) for name in FIGURES
                },
            )
        )
    return shown
