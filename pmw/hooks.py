"""Named hooks: how a lower app lets the apps built on it take part in its work.

A lower app declares a hook where it does the work (``cases.hooks.CASE_CLOSE_STEPS``) and
calls what is registered; a higher app registers its function in ``AppConfig.ready()``.
The lower app never imports the higher one, and a reader finds every participant by
grepping the hook's name. Registering the same thing twice is ignored, so ``ready()``
running again (tests, management commands) adds nothing.
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Hook(Generic[T]):
    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._items: list[T] = []

    def register(self, item: T) -> T:
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self) -> Iterator[T]:
        # A copy: a step that registers something while the hook runs does not change this run.
        return iter(tuple(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._items)} registered>"


HEALTH_REPORTS: Hook = Hook(
    "health reports",
    """What an app's background work wants the public health endpoint to show: ``report()``
    returns a dict of plain JSON values, never client data. Called only when the database
    answers; a report says, it does not change the endpoint's status code.""",
)
