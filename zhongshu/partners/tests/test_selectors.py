"""The customer list: each filter, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company, Role
from zhongshu.partners import selectors, services
from zhongshu.partners.testing import make_customer, make_customer_category

pytestmark = pytest.mark.django_db


def codes(company: Company, **filters: object) -> list[str]:
    return [c.code for c in selectors.list_customers(company, **filters)]  # type: ignore[arg-type]


def test_filters(company: Company, owner: User, other_company: Company) -> None:
    # given
    vip = make_customer_category(company, "VIP")
    wang = core_testing.member(company, [Role.SALES], "xiaowang")
    make_customer(company, "A1", name="广州甲公司", category=vip)
    b2 = make_customer(company, "B2", name="上海乙公司", province="310000")
    services.update_customer(
        customer=b2,
        actor=owner,
        data=services.CustomerData(
            code="B2",
            name="上海乙公司",
            short_name="乙司",
            uscc="91440101MA59CDEF1Q",
            salesperson=wang,
            province="310000",
        ),
    )
    c3 = make_customer(company, "C3", name="停用丙公司")
    services.set_customer_active(customer=c3, actor=owner, active=False)
    make_customer(other_company, "A9", name="广州别家")
    # then
    assert codes(company) == ["A1", "B2", "C3"]
    assert codes(company, search="广州") == ["A1"]
    assert codes(company, search="乙司") == ["B2"]
    assert codes(company, search="ma59cdef") == ["B2"]  # USCC, any case
    assert codes(company, search="c3") == ["C3"]
    assert codes(company, category=vip) == ["A1"]
    assert codes(company, salesperson=wang) == ["B2"]
    assert codes(company, province="310000") == ["B2"]
    assert codes(company, active=True) == ["A1", "B2"]
    assert codes(company, active=False) == ["C3"]


def test_the_list_loads_in_a_fixed_number_of_queries(
    company: Company, owner: User
) -> None:
    # given customers with a category, a contact and an address each
    vip = make_customer_category(company, "VIP")

    def load() -> int:
        with CaptureQueriesContext(connection) as queries:
            for customer in selectors.list_customers(company):
                _ = customer.category, customer.salesperson
                _ = list(customer.contacts.all()), list(customer.addresses.all())
        return len(queries)

    for n in range(2):
        customer = make_customer(company, f"Q{n}", category=vip)
        services.add_contact(
            customer=customer, actor=owner, data=services.ContactData(name="联系人")
        )
    few = load()
    for n in range(2, 8):
        make_customer(company, f"Q{n}", category=vip)
    # then: the customers, their contacts, their addresses
    assert few == load() == 3


def test_another_companys_customer_is_not_found(
    company: Company, other_company: Company
) -> None:
    theirs = make_customer(other_company)
    with pytest.raises(NotFoundError):
        selectors.get_customer(company, theirs.pk)
    assert selectors.get_customer(other_company, theirs.pk) == theirs
