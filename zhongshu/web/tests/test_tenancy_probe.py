"""THE PAGE TENANCY PROBE.

Walks every page route of ``zhongshu.urls`` and, for each one whose path takes
an object id (an ``int`` converter named ``*_id``), opens it as the owner of
company A with an id of company B's. Every such page must answer 404 and leave
B's data untouched. A route whose id parameter has no factory registered in
``zhongshu.core.testing.object_factories()`` fails the probe, so a new page
cannot slip past it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, converters, get_resolver

from zhongshu.core import testing
from zhongshu.core.models import Company

# The admin is Django's, the API has its own probe, i18n takes no ids.
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def walk(
    patterns: list[Any], prefix: str = "", found: dict[str, Any] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(route, {parameter: converter}) for every pattern, through includes."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        params = {**(found or {}), **getattr(pattern.pattern, "converters", {})}
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route, params)
        elif isinstance(pattern, URLPattern):
            yield route, params


def id_parameters(params: dict[str, Any]) -> list[str]:
    return [
        name
        for name, converter in params.items()
        if isinstance(converter, converters.IntConverter) and name.endswith("_id")
    ]


def routes_with_ids() -> list[tuple[str, list[str]]]:
    return [
        (route, id_parameters(params))
        for route, params in walk(get_resolver("zhongshu.urls").url_patterns)
        if id_parameters(params)
    ]


def url_for(route: str, ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(ids.get(match["name"], "x"))

    return "/" + PARAMETER.sub(value, route)


def make_objects(company: Company, names: list[str]) -> dict[str, int]:
    factories = testing.object_factories()
    missing = set(names) - set(factories)
    if missing:
        pytest.fail(f"no factory for {sorted(missing)}")
    return {name: factories[name](company) for name in names}


def snapshot(company: Company) -> dict[str, list[dict[str, Any]]]:
    """Every row of the company, and the company itself and its users."""
    rows: dict[str, list[dict[str, Any]]] = {
        "company": list(Company.objects.filter(pk=company.pk).values()),
        "users": list(
            User.objects.filter(memberships__company=company)
            .distinct()
            .order_by("pk")
            .values()
        ),
    }
    for model in apps.get_models():
        fields = {field.name for field in model._meta.concrete_fields}
        if "company" in fields and model is not Company:
            manager = model._base_manager
            rows[model._meta.label] = list(
                manager.filter(company=company).order_by("pk").values()
            )
    return rows


ROUTES = routes_with_ids()


def test_the_probe_finds_the_pages_with_ids() -> None:
    # then: a sanity check that the walk sees through includes
    assert ("audit/<int:audit_entry_id>/", ["audit_entry_id"]) in ROUTES


def test_every_id_parameter_has_a_factory() -> None:
    # given
    registered = testing.object_factories()
    # when
    missing = sorted(
        f"{name} (in {route})"
        for route, names in ROUTES
        for name in names
        if name not in registered
    )
    # then
    assert not missing, (
        f"register a factory with core.testing.object_factory: {missing}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "names"), ROUTES, ids=[r for r, _ in ROUTES])
def test_another_companys_object_is_404(
    client: Client,
    owner: User,
    company: Company,
    other_company: Company,
    route: str,
    names: list[str],
) -> None:
    # given: company B's objects, and the owner of A signed in
    ids = make_objects(other_company, names)
    before = snapshot(other_company)
    client.force_login(owner)
    url = url_for(route, ids)
    # when
    statuses = {
        "GET": client.get(url).status_code,
        "POST": client.post(url, {"roles": ["owner"], "name": "probe"}).status_code,
    }
    # then: not found (405 where a view takes no such method), nothing changed
    assert set(statuses.values()) <= {404, 405}, (url, statuses)
    assert 404 in statuses.values(), (url, statuses)
    assert snapshot(other_company) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "names"), ROUTES, ids=[r for r, _ in ROUTES])
def test_the_same_page_opens_for_the_companys_own_object(
    client: Client, owner: User, company: Company, route: str, names: list[str]
) -> None:
    """The probe's control: its URLs are right, so its 404s mean isolation."""
    # given
    url = url_for(route, make_objects(company, names))
    client.force_login(owner)
    # when
    statuses = {client.get(url).status_code, client.post(url, {}).status_code}
    # then
    assert statuses & {200, 302}, (url, statuses)
