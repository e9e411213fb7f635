"""Setup steps that tests of every module compose (never imported by product code).

Also the registry behind the tenant-isolation probe: every API route and page
whose path takes an object id must register how to make such an object in a
given company, keyed by the path parameter's name. The probe test walks all
routes and fails on an id parameter nobody registered, so later modules join
it simply by existing (and registering their factories in their tests'
``conftest.py`` or ``testing.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from django.contrib.auth.models import User

from zhongshu.core import audit, saved_searches, services
from zhongshu.core.models import (
    AccountingStandard,
    Company,
    Membership,
    Role,
    TaxpayerType,
)

PASSWORD = "Zs-test-pass-2026"  # noqa: S105 - test fixture password
_counter = itertools.count(1)

ObjectFactory = Callable[[Company], int]
_object_factories: dict[str, ObjectFactory] = {}


def object_factory(param_name: str) -> Callable[[ObjectFactory], ObjectFactory]:
    """Register how to create, in a company, the object a path parameter names."""

    def decorator(factory: ObjectFactory) -> ObjectFactory:
        _object_factories[param_name] = factory
        return factory

    return decorator


def object_factories() -> dict[str, ObjectFactory]:
    return dict(_object_factories)


def make_user(username: str | None = None, email: str = "") -> User:
    username = username or f"user{next(_counter)}"
    return User.objects.create_user(username=username, email=email, password=PASSWORD)


def make_company(
    code: str | None = None,
    *,
    owner: User | None = None,
    trial_days: int | None = None,
    name: str | None = None,
    uscc: str = "",
    taxpayer_type: str = TaxpayerType.GENERAL,
    accounting_standard: str = AccountingStandard.SMALL_ENTERPRISE,
) -> Company:
    code = code if code is not None else f"C{next(_counter):04d}"
    owner = owner or make_user(f"owner-{code.lower()}-{next(_counter)}")
    data = services.CompanyData(
        code=code,
        name=name or f"公司 {code}",
        uscc=uscc,
        taxpayer_type=taxpayer_type,
        accounting_standard=accounting_standard,
    )
    return services.create_company(data=data, owner=owner, trial_days=trial_days)


def owner_of(company: Company) -> User:
    membership = (
        Membership.objects.filter(company=company, role="owner")
        .select_related("user")
        .order_by("id")
        .first()
    )
    assert membership is not None
    return membership.user


def member(company: Company, roles: Iterable[str], username: str | None = None) -> User:
    """A new user holding ``roles`` in ``company``."""
    user = make_user(username)
    Membership.objects.bulk_create(
        [Membership(company=company, user=user, role=role) for role in roles]
    )
    return user


# --- objects for the tenant-isolation probes, by path parameter name --------


@object_factory("audit_entry_id")
def _audit_entry(company: Company) -> int:
    entry = audit.record(
        company=company,
        actor=owner_of(company),
        action="changed",
        obj=company,
        changes={"name": ["旧名称", company.name]},
    )
    return entry.pk


@object_factory("token_id")
def _api_token(company: Company) -> int:
    """A token of the company's owner: tokens are only ever their owner's."""
    token, _key = services.issue_api_token(
        company=company, user=owner_of(company), name=f"probe-{next(_counter)}"
    )
    return token.pk


@object_factory("user_id")
def _member(company: Company) -> int:
    return member(company, [Role.SALES]).pk


@object_factory("saved_search_id")
def _saved_search(company: Company) -> int:
    """A search of the company's owner: saved searches are only their user's."""
    search = saved_searches.save(
        company=company,
        user=owner_of(company),
        page_key="sales_orders",
        name=f"probe-{next(_counter)}",
        query_string="q=probe",
        params={"q"},
    )
    return search.pk
