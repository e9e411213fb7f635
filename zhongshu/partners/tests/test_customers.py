"""Customers, their categories, contacts and delivery addresses: each
validation rule, uniqueness per company, the primary contact and the default
address whose region the customer takes."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import (
    CompanyReadOnlyError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.partners import services
from zhongshu.partners.models import Contact, Customer, DeliveryAddress
from zhongshu.partners.testing import make_customer, make_customer_category

pytestmark = pytest.mark.django_db

# A valid 统一社会信用代码 (check character Q computed by GB 32100).
USCC = "91440101MA59CDEF1Q"
BASE = services.CustomerData(code="C001", name="广州示例贸易有限公司")


def create(company: Company, owner: User, **changes: object) -> Customer:
    return services.create_customer(
        company=company, actor=owner, data=dataclasses.replace(BASE, **changes)
    )


def refused(company: Company, owner: User, **changes: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        create(company, owner, **changes)
    assert not Customer.objects.filter(company=company).exists()
    return caught.value.fields


def test_a_customer_is_created_with_its_terms_and_audited(
    company: Company, owner: User
) -> None:
    # given
    sales = core_testing.member(company, [Role.SALES], "xiaowang")
    vip = make_customer_category(company, "VIP")
    # when
    customer = create(
        company,
        owner,
        short_name=" 示例 ",
        uscc="９１４４０１０１ma59cdef1q",  # full-width and lower-case, as typed
        category=vip,
        salesperson=sales,
        payment_terms_days=30,
        credit_limit=Decimal("50000.00"),
        province="440000",
        city="广州市",
    )
    # then
    customer.refresh_from_db()
    assert (customer.short_name, customer.uscc) == ("示例", USCC)
    assert customer.credit_limit == Decimal("50000.00")
    assert (customer.category, customer.salesperson) == (vip, sales)
    assert (customer.province, customer.city, customer.is_active) == (
        "440000",
        "广州市",
        True,
    )
    entry = AuditEntry.objects.get(object_kind="partners.customer", action="created")
    assert entry.changes["credit_limit"] == "50000.00"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": ""}, "code", "Enter a code."),
        ({"code": "C 1"}, "code", "A code cannot contain spaces."),
        ({"name": "  "}, "name", "This field is required."),
        ({"province": "999999"}, "province", "Choose a province of China."),
        ({"credit_limit": Decimal("-0.01")}, "credit_limit",
         "A credit limit is zero or more; leave it empty for no limit."),
        ({"credit_limit": Decimal("1.005")}, "credit_limit",
         "A credit limit has at most 2 decimal places."),
        ({"payment_terms_days": -1}, "payment_terms_days",
         "Payment terms are from 0 to 3650 days."),
        ({"payment_terms_days": 3651}, "payment_terms_days",
         "Payment terms are from 0 to 3650 days."),
        ({"short_name": "短" * 61}, "short_name", "Enter at most 60 characters."),
    ],
)  # fmt: skip
def test_each_rule_is_a_clear_error_on_its_field(
    company: Company, owner: User, changes: dict[str, object], field: str, message: str
) -> None:
    assert refused(company, owner, **changes) == {field: [message]}


def test_every_problem_is_reported_at_once(company: Company, owner: User) -> None:
    fields = refused(
        company, owner, code="", name="", province="1", payment_terms_days=9999
    )
    assert set(fields) == {"code", "name", "province", "payment_terms_days"}


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("91440101MA59CDEF1", "A unified social credit code has 18 characters; "
         "this one has 17."),
        ("91440101MA59CDEF1R", "The check character (the last one) is wrong: this "
         "is not a valid unified social credit code."),
    ],
)  # fmt: skip
def test_a_wrong_uscc_is_refused_and_an_empty_one_allowed(
    company: Company, owner: User, uscc: str, message: str
) -> None:
    assert refused(company, owner, uscc=uscc) == {"uscc": [message]}
    assert create(company, owner, uscc="").uscc == ""


def test_limits_at_the_edges_are_accepted(company: Company, owner: User) -> None:
    # zero credit means "nothing on credit"; None means "no limit"
    zero = create(company, owner, code="Z", credit_limit=Decimal("0"))
    unlimited = create(company, owner, code="U", payment_terms_days=3650)
    assert (zero.credit_limit, unlimited.credit_limit) == (Decimal("0"), None)
    assert unlimited.payment_terms_days == 3650


def test_codes_are_unique_per_company(
    company: Company, owner: User, other_company: Company
) -> None:
    # given
    create(company, owner)
    # when / then: the same code in the same company is a conflict
    with pytest.raises(ConflictError) as caught:
        create(company, owner, name="别的名字")
    assert caught.value.fields == {"code": ["The customer code C001 exists."]}
    # but another company may use it
    create(other_company, core_testing.owner_of(other_company))
    assert Customer.objects.filter(code="C001").count() == 2


def test_the_salesperson_must_be_a_member(
    company: Company, owner: User, other_company: Company
) -> None:
    stranger = core_testing.owner_of(other_company)
    assert refused(company, owner, salesperson=stranger) == {
        "salesperson": ["The salesperson must be a member of this company."]
    }


def test_another_companys_category_is_not_found(
    company: Company, owner: User, other_company: Company
) -> None:
    theirs = make_customer_category(other_company, "VIP")
    with pytest.raises(NotFoundError):
        create(company, owner, category=theirs)


def test_a_read_only_company_cannot_add_customers(owner: User) -> None:
    # given a trial that ended
    expired = core_testing.make_company("OLD", owner=owner, trial_days=1)
    expired.trial_ends_on = expired.trial_ends_on.replace(year=2000)
    expired.save(update_fields=["trial_ends_on"])
    # then
    with pytest.raises(CompanyReadOnlyError):
        create(expired, owner)


def test_update_changes_fields_and_keeps_the_code_free_of_clashes(
    company: Company, owner: User
) -> None:
    # given
    first = create(company, owner)
    create(company, owner, code="C002")
    # when
    updated = services.update_customer(
        customer=first,
        actor=owner,
        data=dataclasses.replace(BASE, name="新名称", credit_limit=Decimal("100")),
    )
    # then
    assert (updated.name, updated.credit_limit) == ("新名称", Decimal("100"))
    entry = AuditEntry.objects.filter(action="changed").latest("id")
    assert entry.changes["name"] == ["广州示例贸易有限公司", "新名称"]
    with pytest.raises(ConflictError):
        services.update_customer(
            customer=first, actor=owner, data=dataclasses.replace(BASE, code="C002")
        )


def test_deactivating_and_reactivating(company: Company, owner: User) -> None:
    customer = create(company, owner)
    services.set_customer_active(customer=customer, actor=owner, active=False)
    customer.refresh_from_db()
    assert not customer.is_active
    services.set_customer_active(customer=customer, actor=owner, active=True)
    customer.refresh_from_db()
    assert customer.is_active


# --- categories -----------------------------------------------------------------------


def test_category_codes_are_unique_and_a_used_one_stays(
    company: Company, owner: User
) -> None:
    vip = make_customer_category(company, "VIP")
    with pytest.raises(ConflictError):
        make_customer_category(company, "VIP")
    renamed = services.update_customer_category(
        category=vip, actor=owner, code="KA", name="大客户"
    )
    assert (renamed.code, renamed.name) == ("KA", "大客户")
    make_customer(company, category=vip)
    with pytest.raises(ConflictError):
        services.delete_customer_category(category=vip, actor=owner)


def test_a_category_needs_a_code_and_a_name(company: Company, owner: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_customer_category(
            company=company, actor=owner, code="", name=""
        )
    assert set(caught.value.fields) == {"code", "name"}


# --- contacts -------------------------------------------------------------------------


def contact(
    customer: Customer, owner: User, name: str, primary: bool = False
) -> Contact:
    return services.add_contact(
        customer=customer,
        actor=owner,
        data=services.ContactData(name=name, phone="138", is_primary=primary),
    )


def primary_names(customer: Customer) -> list[str]:
    return list(
        Contact.objects.filter(customer=customer, is_primary=True).values_list(
            "name", flat=True
        )
    )


def test_there_is_one_primary_contact(company: Company, owner: User) -> None:
    # given
    customer = make_customer(company)
    # when: the first becomes primary by itself; a new primary demotes it
    zhang = contact(customer, owner, "张三")
    assert primary_names(customer) == ["张三"]
    li = contact(customer, owner, "李四", primary=True)
    assert primary_names(customer) == ["李四"]
    # when the primary is removed, the first remaining one takes over
    services.remove_contact(contact=li, actor=owner)
    assert primary_names(customer) == ["张三"]
    # and editing keeps it
    services.update_contact(
        contact=zhang,
        actor=owner,
        data=services.ContactData(name="张三丰", email="z@example.cn"),
    )
    assert primary_names(customer) == ["张三丰"]


def test_a_contact_needs_a_name_and_a_valid_email(
    company: Company, owner: User
) -> None:
    customer = make_customer(company)
    with pytest.raises(ValidationError) as caught:
        services.add_contact(
            customer=customer,
            actor=owner,
            data=services.ContactData(name="", email="not-an-email"),
        )
    assert set(caught.value.fields) == {"name", "email"}
    assert not Contact.objects.exists()


# --- delivery addresses ---------------------------------------------------------------


def address(
    customer: Customer, owner: User, province: str, city: str, default: bool = False
) -> DeliveryAddress:
    return services.add_address(
        customer=customer,
        actor=owner,
        data=services.AddressData(
            province=province, city=city, detail="1 号", is_default=default
        ),
    )


def region(customer: Customer) -> tuple[str, str]:
    customer.refresh_from_db()
    return customer.province, customer.city


def test_the_default_address_sets_the_customers_region(
    company: Company, owner: User
) -> None:
    # given a customer in Guangdong without addresses
    customer = make_customer(company, province="440000")
    # when the first address (Shanghai) is added, it is the default
    shanghai = address(customer, owner, "310000", "上海市")
    assert region(customer) == ("310000", "上海市")
    # when a second one is made the default, it takes over
    beijing = address(customer, owner, "110000", "北京市", default=True)
    assert region(customer) == ("110000", "北京市")
    shanghai.refresh_from_db()
    assert not shanghai.is_default
    # when the default one moves, the customer follows
    services.update_address(
        address=beijing,
        actor=owner,
        data=services.AddressData(
            province="330000", city="杭州市", detail="2 号", is_default=True
        ),
    )
    assert region(customer) == ("330000", "杭州市")
    # when it is removed, the remaining one is the default
    services.remove_address(address=beijing, actor=owner)
    assert region(customer) == ("310000", "上海市")
    # and updating the customer cannot move it away from its address
    services.update_customer(
        customer=customer,
        actor=owner,
        data=services.CustomerData(
            code=customer.code, name=customer.name, province="440000", city="深圳市"
        ),
    )
    assert region(customer) == ("310000", "上海市")


def test_an_address_needs_a_known_province_and_a_street(
    company: Company, owner: User
) -> None:
    customer = make_customer(company)
    with pytest.raises(ValidationError) as caught:
        services.add_address(
            customer=customer,
            actor=owner,
            data=services.AddressData(province="990000", detail=""),
        )
    assert caught.value.fields == {
        "province": ["Choose a province of China."],
        "detail": ["This field is required."],
    }
    assert not DeliveryAddress.objects.exists()
    assert region(customer) == ("440000", "")
