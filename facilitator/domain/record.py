"""`record`: how the app declares its values (an action, a session, a change, a message).

A record is a dataclass with value equality and a hash that the type checker holds frozen:
assigning to a field of one is a type error, which mypy (run over the package and the tests
before every commit, `.ci/check`) reports. New values are made with `dataclasses.replace`.

At run time it is a plain dataclass, not `frozen=True`, for speed: on Python 3.11 a frozen
dataclass costs about twice as much to define (two more methods generated and compiled when
its module is imported, some 35 classes at every start) and more to build (each field set
through `object.__setattr__`, for every record read from the data file). Measured, this is an
eighth of what `facilitator actions` does with 1,000 open actions.

A subclass of a record is a record too (`@record`): mypy takes a record for frozen, so it
would accept `@dataclass(frozen=True)` on a subclass, which fails at import (a frozen
dataclass can't inherit from a plain one); and it refuses a plain `@dataclass` subclass.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: type[T]) -> type[T]:
    return dataclass(unsafe_hash=True)(cls)
