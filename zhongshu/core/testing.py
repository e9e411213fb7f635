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

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from zhongshu.core import services
from zhongshu.core.models import Company, Membership

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


def make_user(username: str | None = None, **extra: object) -> AbstractUser:
    username = username or f"user{next(_counter)}"
    user: AbstractUser = get_user_model().objects.create_user(
        username=username, password=PASSWORD, **extra
    )
    return user


def make_company(
    code: str | None = None,
    *,
    owner: AbstractUser | None = None,
    trial_days: int | None = None,
    **fields: object,
) -> Company:
    code = code if code is not None else f"C{next(_counter):04d}"
    owner = owner or make_user(f"owner-{code.lower()}-{next(_counter)}")
    data = services.CompanyData(code=code, name=str(fields.pop("name", f"公司 {code}")), **fields)  # type: ignore[arg-type]
    return services.create_company(data=data, owner=owner, trial_days=trial_days)


def owner_of(company: Company) -> AbstractUser:
    membership = (
        Membership.objects.filter(company=company, role="owner")
        .select_related("user")
        .order_by("id")
        .first()
    )
    assert membership is not None
    return membership.user  # type: ignore[return-value]


def member(company: Company, roles: Iterable[str], username: str | None = None) -> AbstractUser:
    """A new user holding ``roles`` in ``company``."""
    user = make_user(username)
    Membership.objects.bulk_create(
        [Membership(company=company, user=user, role=role) for role in roles]
    )
    return user
