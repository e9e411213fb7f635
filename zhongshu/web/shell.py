"""The frame around every page: current company, switcher, menu, trial state."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.http import HttpRequest

from zhongshu.core import clock, permissions
from zhongshu.core.models import Company
from zhongshu.web.http import CompanyRequest
from zhongshu.web.navigation import NavGroup, NavItem, grouped_entries, registered_items


@dataclass(frozen=True, slots=True, kw_only=True)
class Trial:
    ends_on: datetime.date
    # Trial days left counting today: a 15-day trial shows 15 on its first
    # day and 1 on its last.
    days_left: int
    is_read_only: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Shell:
    company: Company | None = None
    companies: list[Company] = field(default_factory=list)
    roles: frozenset[str] = frozenset()
    navigation: list[NavGroup] = field(default_factory=list)
    trial: Trial | None = None


def visible_items(roles: Iterable[str]) -> list[NavItem]:
    role_set = set(roles)
    return [
        item
        for item in registered_items()
        if item.permission is None or permissions.roles_grant(role_set, item.permission)
    ]


def trial_of(company: Company, today: datetime.date) -> Trial | None:
    if not company.is_trial or company.trial_ends_on is None:
        return None
    return Trial(
        ends_on=company.trial_ends_on,
        days_left=max((company.trial_ends_on - today).days + 1, 0),
        is_read_only=company.is_read_only_on(today),
    )


def build_shell(request: HttpRequest) -> Shell:
    # Error pages of API paths and anonymous visitors get an empty frame;
    # the middleware has set these attributes for every other request.
    company: Company | None = getattr(request, "company", None)
    if company is None or not request.user.is_authenticated:
        return Shell(companies=list(getattr(request, "user_companies", [])))
    page_request = cast(CompanyRequest, request)
    return Shell(
        company=company,
        companies=page_request.user_companies,
        roles=frozenset(page_request.roles),
        navigation=grouped_entries(visible_items(page_request.roles), request.path),
        trial=trial_of(company, clock.today()),
    )
