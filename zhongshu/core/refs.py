"""Opaque references from a lower module's rows to a higher module's.

A voucher or stock move stores ``SourceRef(kind="sales.delivery", id=42)`` as
indexed ``source_kind``/``source_id`` columns; the owning module registers
how to display and link each kind, and ``web`` resolves them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceRef:
    kind: str
    id: int


@dataclass(frozen=True, slots=True)
class SourceKind:
    kind: str
    label: str
    url: Callable[[int], str]


_kinds: dict[str, SourceKind] = {}


def register_kind(kind: str, label: str, url: Callable[[int], str]) -> None:
    _kinds[kind] = SourceKind(kind, label, url)


def describe(kind: str) -> SourceKind | None:
    return _kinds.get(kind)
