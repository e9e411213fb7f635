"""Tenant isolation, probed on every route of the API.

For every operation that names an object by id (in its path or its body),
the owner of company A sends company B's ids and must get 404 — not 403,
which would confirm the object exists, and certainly not the data — and
nothing may change anywhere. Routes join this probe by existing: a module
that adds a route with an ``*_id`` parameter must register a factory for it
(``core.testing.object_factory``, in its ``testing.py``), or
``test_every_object_id_has_a_factory`` fails and names the route.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from zhongshu.api.tests.client import ApiClient, as_session, error_of
from zhongshu.api.tests.probe import (
    Route,
    api_routes,
    database_snapshot,
    factory_name,
    load_object_factories,
)
from zhongshu.core import testing
from zhongshu.core.models import Company, Membership

pytestmark = pytest.mark.django_db

ROUTES = api_routes()
WITH_PATH_IDS = [route for route in ROUTES if route.path_ids]
WITH_BODY_IDS = [route for route in ROUTES if route.body_ids]


def ids_in(company: Company, names: list[str]) -> dict[str, int]:
    factories = load_object_factories()
    return {factory_name(n): factories[factory_name(n)](company) for n in names}


def path_values(route: Route, ids: dict[str, int], company: Company) -> dict[str, Any]:
    """Object ids as given; other parameters (a document type's key...) from a
    factory if one is registered, else a placeholder."""
    factories = load_object_factories()
    values: dict[str, Any] = {}
    for name in route.path_parameters:
        if name in ids:
            values[name] = ids[name]
        elif name in factories:
            values[name] = factories[name](company)
        else:
            values[name] = "x"
    return values


def owner_of_a(company: Company, owner: User) -> ApiClient:
    return as_session(owner, HTTP_X_COMPANY=company.code)


def test_the_probe_sees_the_api():
    # then the walk found core's routes, so an empty walk cannot pass silently
    probed = {name for route in WITH_PATH_IDS for name in route.path_ids}
    assert {"audit_entry_id", "token_id", "user_id"} <= probed


def test_every_object_id_has_a_factory():
    # given
    factories = load_object_factories()

    # when
    missing = sorted(
        f"{route}: {name}"
        for route in ROUTES
        for name in route.path_ids + route.body_ids
        if factory_name(name) not in factories
    )

    # then
    assert not missing, (
        "Register a factory with core.testing.object_factory(<name>) for: "
        + "; ".join(missing)
    )


@pytest.mark.parametrize("route", WITH_PATH_IDS, ids=str)
def test_another_companys_object_is_not_found(route, company, owner, other_company):
    # given company B's objects, and A's owner in the browser
    theirs = ids_in(other_company, route.path_ids)
    api = owner_of_a(company, owner)
    before = database_snapshot()

    # when
    url = route.url(path_values(route, theirs, company))
    response = api.request(route.method, url, route.body())

    # then
    assert response.status_code == 404, (route, response.content)
    error_of(response)
    assert database_snapshot() == before


@pytest.mark.parametrize("route", WITH_PATH_IDS, ids=str)
def test_the_probe_reaches_its_own_objects(route, company, owner):
    """The control: with A's own ids the same call is not a 404, so the 404
    above comes from tenancy, not from a broken factory or body."""
    # given
    ours = ids_in(company, route.path_ids)

    # when
    url = route.url(path_values(route, ours, company))
    response = owner_of_a(company, owner).request(route.method, url, route.body())

    # then
    assert response.status_code != 404, (route, response.content)
    assert response.status_code < 500


@pytest.mark.parametrize("route", WITH_BODY_IDS, ids=str)
def test_nothing_can_point_at_another_companys_rows(
    route, company, owner, other_company
):
    # given the path names A's objects and the body names B's
    ours = ids_in(company, route.path_ids)
    theirs = ids_in(other_company, route.body_ids)
    api = owner_of_a(company, owner)
    before = database_snapshot()

    # when
    url = route.url(path_values(route, ours, company))
    response = api.request(route.method, url, route.body(theirs))

    # then
    assert response.status_code == 404, (route, response.content)
    error_of(response)
    assert database_snapshot() == before


def test_roles_cannot_be_given_to_someone_of_another_company(
    company, owner, other_company
):
    # given a user who belongs only to B
    outsider = testing.member(other_company, ["accountant"])

    # when A's owner tries to give them a role in A
    response = owner_of_a(company, owner).put(
        f"/members/{outsider.pk}/roles", {"roles": ["owner"]}
    )

    # then
    assert response.status_code == 404
    assert not Membership.objects.filter(company=company, user=outsider).exists()
    assert list(
        Membership.objects.filter(user=outsider).values_list("company__code", "role")
    ) == [("OTHER", "accountant")]
