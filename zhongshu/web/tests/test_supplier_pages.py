"""The supplier pages: the list with search and filters, the form, the
contacts and the products supplied edited in place (htmx and plain posts),
deactivating, the Excel import and export, who may see and change what, and
the menu entry."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhongshu.catalog import testing as catalog_testing
from zhongshu.core import testing
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.partners import services
from zhongshu.partners.models import Supplier, SupplierContact
from zhongshu.partners.testing import make_supplier
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import SupplierProduct

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
USCC = "91440101MA59CDEF1Q"


def text(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def purchaser_client(client: Client, company: Company) -> Client:
    client.force_login(testing.member(company, [Role.PURCHASER], username="caigou"))
    return client


# --- the list -------------------------------------------------------------------------


def test_the_list_shows_searches_and_filters_suppliers(
    owner_client: Client, company: Company
) -> None:
    # given
    make_supplier(company, "A1", name="东莞甲五金")
    make_supplier(company, "B2", name="上海乙化工", province="310000")
    url = reverse("partners_suppliers")
    # when
    everything = owner_client.get(url)
    shanghai = owner_client.get(url, {"province": "310000"}, headers=HTMX)
    searched = owner_client.get(url, {"q": "五金"}, headers=HTMX)
    # then
    assert everything.status_code == 200
    assert "东莞甲五金" in text(everything)
    assert "上海乙化工" in text(everything)
    assert "广东省" in text(everything)
    assert "上海乙化工" in text(shanghai)
    assert "东莞甲五金" not in text(shanghai)
    assert "<html" not in text(shanghai)  # only the results partial
    assert "东莞甲五金" in text(searched)
    assert "上海乙化工" not in text(searched)


def test_the_list_uses_a_fixed_number_of_queries(
    owner_client: Client, company: Company, owner: User
) -> None:
    url = reverse("partners_suppliers")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(url).status_code == 200
        return len(queries)

    make_supplier(company, "A1")
    count()  # the first request also loads what the session caches
    few = count()
    for n in range(8):
        services.add_supplier_contact(
            supplier=make_supplier(company, f"B{n}"),
            actor=owner,
            data=services.ContactData(name="联系人"),
        )
    assert count() == few


def test_the_list_keeps_saved_searches(owner_client: Client, company: Company) -> None:
    # given
    off = make_supplier(company, "OFF")
    services.set_supplier_active(
        supplier=off, actor=testing.owner_of(company), active=False
    )
    make_supplier(company, "ON")
    suppliers = reverse("partners_suppliers")
    # when
    saved = owner_client.post(
        reverse("saved_search_save"),
        {
            "page_key": "partners_suppliers",
            "search_name": "停用供应商",
            "query": "status=inactive",
        },
    )
    # then
    assert saved.status_code == 302
    body = text(owner_client.get(suppliers))
    assert "停用供应商" in body
    filtered = text(owner_client.get(f"{suppliers}?status=inactive"))
    assert f'id="supplier-{off.pk}"' in filtered
    assert "<code>ON</code>" not in filtered


def test_the_menu_links_the_suppliers(purchaser_client: Client) -> None:
    page = purchaser_client.get(reverse("home"))
    assert reverse("partners_suppliers") in text(page)


# --- the form -------------------------------------------------------------------------


def test_a_supplier_is_created_and_edited_through_the_form(
    purchaser_client: Client, company: Company
) -> None:
    # given
    form = {
        "code": "S001",
        "name": "东莞甲五金",
        "uscc": USCC,
        "bank_name": "工商银行",
        "bank_account": "6222000011112222",
        "payment_terms_days": "60",
        "province": "440000",
        "city": "东莞市",
    }
    # when
    created = purchaser_client.post(reverse("partners_supplier_new"), form)
    # then
    supplier = Supplier.objects.get(company=company, code="S001")
    assert created.status_code == 302
    assert created["Location"] == reverse("partners_supplier", args=[supplier.pk])
    assert (supplier.payment_terms_days, supplier.bank_account) == (
        60,
        "6222000011112222",
    )
    page = purchaser_client.get(created["Location"])
    assert "Contacts" in text(page)
    assert "Products supplied" in text(page)
    # when an edit breaks a rule, the error is shown on its field
    bad = purchaser_client.post(created["Location"], {**form, "uscc": "123"})
    assert bad.status_code == 200
    assert "A unified social credit code has 18 characters" in text(bad)
    supplier.refresh_from_db()
    assert supplier.uscc == USCC
    # when a good edit is saved
    saved = purchaser_client.post(created["Location"], {**form, "name": "新名称"})
    assert saved.status_code == 302
    supplier.refresh_from_db()
    assert supplier.name == "新名称"


def test_the_form_refuses_a_taken_code(owner_client: Client, company: Company) -> None:
    make_supplier(company, "S001")
    response = owner_client.post(
        reverse("partners_supplier_new"), {"code": "S001", "name": "又一个"}
    )
    assert response.status_code == 200
    assert "The supplier code S001 exists." in text(response)
    assert Supplier.objects.filter(company=company).count() == 1


def test_deactivating_and_reactivating(owner_client: Client, company: Company) -> None:
    supplier = make_supplier(company)
    url = reverse("partners_supplier_active", args=[supplier.pk])
    assert owner_client.post(url, {"active": "0"}).status_code == 302
    supplier.refresh_from_db()
    assert not supplier.is_active
    owner_client.post(url, {"active": "1"})
    supplier.refresh_from_db()
    assert supplier.is_active


# --- contacts -------------------------------------------------------------------------


def test_contacts_are_added_edited_and_removed_in_place(
    owner_client: Client, company: Company
) -> None:
    # given
    supplier = make_supplier(company)
    # when added with htmx, the section alone comes back
    added = owner_client.post(
        reverse("partners_supplier_contact_add", args=[supplier.pk]),
        {"contact-name": "张经理", "contact-phone": "13800000000"},
        headers=HTMX,
    )
    assert added.status_code == 200
    assert 'id="supplier-contacts"' in text(added)
    assert "<html" not in text(added)
    contact = SupplierContact.objects.get(supplier=supplier)
    assert contact.is_primary
    # when a name is missing, the error is shown in the section
    missing = owner_client.post(
        reverse("partners_supplier_contact_add", args=[supplier.pk]),
        {"contact-name": ""},
        headers=HTMX,
    )
    assert "This field is required." in text(missing)
    assert SupplierContact.objects.count() == 1
    # when edited in place
    edit_url = reverse("partners_supplier_contact", args=[contact.pk])
    assert "contact-" in text(owner_client.get(edit_url, headers=HTMX))
    saved = owner_client.post(
        edit_url,
        {f"contact-{contact.pk}-name": "张总", f"contact-{contact.pk}-title": "总经理"},
    )
    assert saved.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.title) == ("张总", "总经理")
    # when removed
    owner_client.post(
        reverse("partners_supplier_contact_delete", args=[contact.pk]), headers=HTMX
    )
    assert not SupplierContact.objects.exists()


# --- products supplied ----------------------------------------------------------------


def test_products_are_added_edited_and_removed_in_place(
    purchaser_client: Client, company: Company
) -> None:
    # given
    supplier = make_supplier(company, "V1")
    bolt = catalog_testing.make_product(company, "BOLT", name="螺栓")
    add_url = reverse("partners_supplier_product_add", args=[supplier.pk])
    # when added by product code, with htmx
    added = purchaser_client.post(
        add_url,
        {
            "product-product": "BOLT",
            "product-unit_price": "1.25",
            "product-minimum_quantity": "100",
            "product-order_multiple": "50",
            "product-lead_time_days": "7",
            "product-is_preferred": "on",
        },
        headers=HTMX,
    )
    # then
    assert added.status_code == 200
    assert 'id="supplier-products"' in text(added)
    assert "螺栓" in text(added)
    row = SupplierProduct.objects.get(supplier=supplier, product=bolt)
    assert (str(row.unit_price), row.lead_time_days, row.is_preferred) == (
        "1.250000",
        7,
        True,
    )
    # when a product code is unknown or a price negative, the errors show
    unknown = purchaser_client.post(
        add_url, {"product-product": "NOPE", "product-unit_price": "1"}, headers=HTMX
    )
    assert "There is no product NOPE." in text(unknown)
    negative = purchaser_client.post(
        add_url, {"product-product": "BOLT", "product-unit_price": "-1"}, headers=HTMX
    )
    assert "A unit price is zero or more." in text(negative)
    assert SupplierProduct.objects.count() == 1
    # when edited in place
    edit_url = reverse("partners_supplier_product", args=[row.pk])
    assert "product-" in text(purchaser_client.get(edit_url, headers=HTMX))
    saved = purchaser_client.post(
        edit_url,
        {
            f"product-{row.pk}-unit_price": "1.10",
            f"product-{row.pk}-lead_time_days": "3",
        },
    )
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (str(row.unit_price), row.lead_time_days, row.is_preferred) == (
        "1.100000",
        3,
        False,
    )
    # when removed
    purchaser_client.post(
        reverse("partners_supplier_product_delete", args=[row.pk]), headers=HTMX
    )
    assert not SupplierProduct.objects.exists()


def test_the_page_shows_the_products_supplied(
    owner_client: Client, company: Company
) -> None:
    supplier = make_supplier(company, "V1")
    bolt = catalog_testing.make_product(company, "BOLT", name="螺栓")
    purchasing_testing.supplier_product(
        company, supplier, bolt, "12.50", is_preferred=True
    )
    page = owner_client.get(reverse("partners_supplier", args=[supplier.pk]))
    assert "螺栓" in text(page)
    assert "12.50" in text(page)
    assert "Preferred" in text(page)


# --- who may do what ------------------------------------------------------------------


def test_a_salesperson_sees_the_supplier_but_neither_changes_it_nor_sees_prices(
    sales_client: Client, company: Company
) -> None:
    # given
    supplier = make_supplier(company, "V1", name="东莞甲五金")
    page_url = reverse("partners_supplier", args=[supplier.pk])
    # then: the page opens read-only, without the purchase prices
    page = sales_client.get(page_url)
    assert page.status_code == 200
    assert "东莞甲五金" in text(page)
    assert "Products supplied" not in text(page)
    # and every change is refused, with nothing written
    assert sales_client.post(page_url, {"code": "V1", "name": "改"}).status_code == 403
    assert sales_client.get(reverse("partners_supplier_new")).status_code == 403
    contact_add = reverse("partners_supplier_contact_add", args=[supplier.pk])
    assert sales_client.post(contact_add, {"contact-name": "x"}).status_code == 403
    product_add = reverse("partners_supplier_product_add", args=[supplier.pk])
    assert sales_client.post(product_add, {}).status_code == 403
    assert sales_client.get(reverse("partners_supplier_import")).status_code == 403
    supplier.refresh_from_db()
    assert supplier.name == "东莞甲五金"
    assert not SupplierContact.objects.exists()


# --- Excel ----------------------------------------------------------------------------


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
    buffer.name = "suppliers.xlsx"
    return buffer


def test_the_import_page_lists_problems_then_imports(
    purchaser_client: Client, company: Company
) -> None:
    url = reverse("partners_supplier_import")
    assert "Import suppliers" in text(purchaser_client.get(url))
    # when a sheet has problems, they are listed and nothing is imported
    rejected = purchaser_client.post(
        url, {"file": workbook(["S1", "", "火星"], ["S1", "乙"])}
    )
    assert rejected.status_code == 200
    assert 'id="import-problems"' in text(rejected)
    assert "There is no province 火星." in text(rejected)
    assert "The code S1 is also on row 2." in text(rejected)
    assert not Supplier.objects.exists()
    # when the sheet is good, it is imported
    accepted = purchaser_client.post(url, {"file": workbook(["S1", "甲", "广东"])})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("partners_suppliers")
    assert Supplier.objects.get(company=company).province == "440000"
    entry = AuditEntry.objects.filter(object_kind="core.company").latest("id")
    assert entry.changes == {"suppliers_imported": {"created": 1, "updated": 0}}


def test_the_export_and_the_template_download(
    sales_client: Client, company: Company
) -> None:
    make_supplier(company, "S1", name="东莞甲五金")
    exported = sales_client.get(reverse("partners_supplier_export"))
    assert exported.status_code == 200
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert rows[1][:2] == ("S1", "东莞甲五金")
    template = sales_client.get(reverse("partners_supplier_import_template"))
    assert template.status_code == 200
    assert "suppliers-template.xlsx" in template["Content-Disposition"]
