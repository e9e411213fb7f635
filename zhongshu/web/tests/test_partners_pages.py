"""The customer pages: the list with filters and pages, the form with its
contacts and addresses edited in place (htmx and plain posts), categories,
and the Excel import page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from zhongshu.core import testing
from zhongshu.core.models import Company, Role
from zhongshu.partners import services
from zhongshu.partners.models import (
    Contact,
    Customer,
    CustomerCategory,
    DeliveryAddress,
)
from zhongshu.partners.testing import make_customer, make_customer_category

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def text(response: Any) -> str:
    return str(response.content.decode())


def test_the_list_shows_and_filters_customers(
    owner_client: Client, company: Company
) -> None:
    # given
    vip = make_customer_category(company, "VIP", "重点客户")
    make_customer(company, "A1", name="广州甲公司", category=vip)
    make_customer(company, "B2", name="上海乙公司", province="310000")
    url = reverse("partners_customers")
    # when
    everything = owner_client.get(url)
    shanghai = owner_client.get(url, {"province": "310000"}, headers=HTMX)
    # then
    assert everything.status_code == 200
    assert "广州甲公司" in text(everything)
    assert "上海乙公司" in text(everything)
    assert "重点客户" in text(everything)
    assert "广东省" in text(everything)
    assert "上海乙公司" in text(shanghai)
    assert "广州甲公司" not in text(shanghai)
    assert "<html" not in text(shanghai)  # only the results partial


def test_the_list_uses_a_fixed_number_of_queries(
    owner_client: Client, company: Company, owner: User
) -> None:
    url = reverse("partners_customers")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(url).status_code == 200
        return len(queries)

    make_customer(company, "A1")
    count()  # the first request also loads what the session caches
    few = count()
    for n in range(8):
        customer = make_customer(company, f"B{n}")
        services.add_contact(
            customer=customer, actor=owner, data=services.ContactData(name="联系人")
        )
    assert count() == few


def test_a_customer_is_created_and_edited_through_the_form(
    owner_client: Client, company: Company
) -> None:
    # given
    sales = testing.member(company, [Role.SALES], "xiaowang")
    form = {
        "code": "C001",
        "name": "广州甲公司",
        "uscc": "91440101MA59CDEF1Q",
        "salesperson": sales.pk,
        "payment_terms_days": "30",
        "credit_limit": "5000.00",
        "province": "440000",
    }
    # when
    created = owner_client.post(reverse("partners_customer_new"), form)
    # then
    customer = Customer.objects.get(company=company, code="C001")
    assert created.status_code == 302
    assert created["Location"] == reverse("partners_customer", args=[customer.pk])
    assert customer.salesperson == sales
    page = owner_client.get(created["Location"])
    assert "Contacts" in text(page)
    assert "Delivery addresses" in text(page)
    # when an edit breaks a rule, the error is shown on its field
    bad = owner_client.post(created["Location"], {**form, "uscc": "123"})
    assert bad.status_code == 200
    assert "A unified social credit code has 18 characters" in text(bad)
    customer.refresh_from_db()
    assert customer.uscc == "91440101MA59CDEF1Q"


def test_the_form_refuses_a_taken_code(owner_client: Client, company: Company) -> None:
    make_customer(company, "C001")
    response = owner_client.post(
        reverse("partners_customer_new"), {"code": "C001", "name": "又一个"}
    )
    assert response.status_code == 200
    assert "The customer code C001 exists." in text(response)
    assert Customer.objects.filter(company=company).count() == 1


def test_contacts_are_added_edited_and_removed_in_place(
    owner_client: Client, company: Company
) -> None:
    # given
    customer = make_customer(company)
    # when added with htmx, the section alone comes back
    added = owner_client.post(
        reverse("partners_contact_add", args=[customer.pk]),
        {"contact-name": "张经理", "contact-phone": "13800000000"},
        headers=HTMX,
    )
    assert added.status_code == 200
    assert 'id="customer-contacts"' in text(added)
    assert "<html" not in text(added)
    contact = Contact.objects.get(customer=customer)
    assert contact.is_primary
    # when a name is missing, the error is shown in the section
    missing = owner_client.post(
        reverse("partners_contact_add", args=[customer.pk]),
        {"contact-name": ""},
        headers=HTMX,
    )
    assert "This field is required." in text(missing)
    # when the row is opened and saved
    editing = owner_client.get(
        reverse("partners_contact", args=[contact.pk]), headers=HTMX
    )
    assert f'name="contact-{contact.pk}-name"' in text(editing)
    saved = owner_client.post(
        reverse("partners_contact", args=[contact.pk]),
        {f"contact-{contact.pk}-name": "李经理"},
    )
    assert saved.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "李经理"
    # when removed
    owner_client.post(
        reverse("partners_contact_delete", args=[contact.pk]), headers=HTMX
    )
    assert not Contact.objects.filter(customer=customer).exists()


def test_the_default_address_sets_the_region_from_the_page(
    owner_client: Client, company: Company
) -> None:
    customer = make_customer(company, province="440000")
    response = owner_client.post(
        reverse("partners_address_add", args=[customer.pk]),
        {
            "address-province": "310000",
            "address-city": "上海市",
            "address-detail": "1 号",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.province, customer.city) == ("310000", "上海市")
    address = DeliveryAddress.objects.get(customer=customer)
    # the customer form now shows the region as the address's
    page = owner_client.get(reverse("partners_customer", args=[customer.pk]))
    assert "From the default delivery address." in text(page)
    owner_client.post(reverse("partners_address_delete", args=[address.pk]))
    assert not DeliveryAddress.objects.exists()


def test_categories_are_managed(owner_client: Client, company: Company) -> None:
    url = reverse("partners_categories")
    assert (
        owner_client.post(url, {"code": "VIP", "name": "重点客户"}).status_code == 302
    )
    category = CustomerCategory.objects.get(company=company)
    again = owner_client.post(url, {"code": "VIP", "name": "又一个"})
    assert "The category code VIP exists." in text(again)
    edit = reverse("partners_category", args=[category.pk])
    assert owner_client.post(edit, {"code": "KA", "name": "大客户"}).status_code == 302
    category.refresh_from_db()
    assert category.code == "KA"
    owner_client.post(reverse("partners_category_delete", args=[category.pk]))
    assert not CustomerCategory.objects.exists()


def workbook(*rows: list[Any]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Code", "Name", "Province"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "customers.xlsx"
    return buffer


def test_the_import_page_lists_problems_then_imports(
    owner_client: Client, company: Company
) -> None:
    url = reverse("partners_import")
    rejected = owner_client.post(
        url, {"file": workbook(["C1", ""], ["C2", "乙", "火星"])}
    )
    assert rejected.status_code == 200
    assert "2 rows have problems; nothing was imported." in text(rejected)
    assert "There is no province 火星." in text(rejected)
    assert not Customer.objects.exists()
    accepted = owner_client.post(url, {"file": workbook(["C1", "甲", "广东"])})
    assert accepted.status_code == 302
    assert Customer.objects.get(company=company).province == "440000"
    assert owner_client.get(reverse("partners_export")).status_code == 200
    assert owner_client.get(reverse("partners_import_template")).status_code == 200


def test_a_warehouse_keeper_sees_but_cannot_change(
    client: Client, company: Company
) -> None:
    client.force_login(testing.member(company, [Role.WAREHOUSE], "cangku"))
    customer = make_customer(company)
    page = client.get(reverse("partners_customer", args=[customer.pk]))
    assert page.status_code == 200
    assert "Add a contact" not in text(page)
    refused = client.post(
        reverse("partners_customer", args=[customer.pk]),
        {"code": customer.code, "name": "改"},
    )
    assert refused.status_code == 403
    assert client.get(reverse("partners_customer_new")).status_code == 403
