"""Aging buckets (账龄区间) shared by receivables and payables: the limits a
company sets ("30,60,90,180"), the buckets they make by document date or by
due date, and the SQL that puts a row in its bucket."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Sequence
from enum import StrEnum

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

DEFAULT_BUCKETS: tuple[int, ...] = (30, 60, 90, 180)
MAX_BUCKETS = 8


class Basis(StrEnum):
    DATE = "date"
    DUE_DATE = "due_date"


def parse_buckets(text: str) -> tuple[int, ...]:
    """ "30,60,90,180" → (30, 60, 90, 180): positive whole days, strictly
    increasing, one to eight of them. Raises ValueError with a message for
    the user otherwise."""
    parts = [part.strip() for part in text.replace("，", ",").split(",")]
    if not text.strip() or any(not part.isdigit() for part in parts):
        raise ValueError(_("Enter whole numbers of days separated by commas."))
    days = tuple(int(part) for part in parts)
    if len(days) > MAX_BUCKETS:
        raise ValueError(_("At most %(count)d bucket limits.") % {"count": MAX_BUCKETS})
    if days[0] < 1 or any(b <= a for a, b in itertools.pairwise(days)):
        raise ValueError(
            _("The limits must be increasing numbers of days, the first at least 1.")
        )
    return days


@dataclasses.dataclass(frozen=True, slots=True)
class Bucket:
    """Ages from ``low`` to ``high`` days, both included (None: unbounded)."""

    index: int
    low: int | None
    high: int | None

    @property
    def label(self) -> str:
        if self.low is None:
            return _("Not yet due")
        if self.high is None:
            return _("Over %(days)d") % {"days": self.low - 1}
        return f"{self.low}–{self.high}"

    @property
    def key(self) -> str:
        """The bucket in a URL: "31-60", "181-" or "due"."""
        if self.low is None:
            return "due"
        return f"{self.low}-{self.high if self.high is not None else ''}"


def make_buckets(limits: Sequence[int], basis: Basis) -> tuple[Bucket, ...]:
    """0–30, 31–60, 61–90, 91–180, >180 for limits 30, 60, 90, 180; by due
    date the first is "not yet due" (0 days or fewer) and the next starts at 1."""
    buckets: list[Bucket] = []
    low: int = 0
    if basis == Basis.DUE_DATE:
        buckets.append(Bucket(0, None, 0))
        low = 1
    for limit in limits:
        buckets.append(Bucket(len(buckets), low, limit))
        low = limit + 1
    buckets.append(Bucket(len(buckets), low, None))
    return tuple(buckets)


def find_bucket(buckets: Sequence[Bucket], key: str) -> Bucket | None:
    return next((b for b in buckets if b.key == key), None)


def reference(basis: Basis, prefix: str = "") -> str:
    """The date field a basis ages by (``prefix`` names a related row)."""
    return f"{prefix}{'due_date' if basis == Basis.DUE_DATE else 'date'}"


def bucket_case(buckets: Sequence[Bucket], as_of: datetime.date, field: str) -> Case:
    """The bucket index of a row by its reference date: age ≤ high ⟺
    date ≥ as_of − high, so the CASE compares dates only (no date arithmetic
    in SQL, the same on SQLite and PostgreSQL)."""
    whens = [
        When(
            Q(**{f"{field}__gte": as_of - datetime.timedelta(days=b.high)}),
            then=Value(b.index),
        )
        for b in buckets
        if b.high is not None
    ]
    return Case(*whens, default=Value(buckets[-1].index), output_field=IntegerField())


def bucket_range(
    bucket: Bucket, as_of: datetime.date, field: str
) -> dict[str, datetime.date]:
    lookups = {}
    if bucket.high is not None:
        lookups[f"{field}__gte"] = as_of - datetime.timedelta(days=bucket.high)
    if bucket.low is not None:
        lookups[f"{field}__lte"] = as_of - datetime.timedelta(days=bucket.low)
    return lookups
