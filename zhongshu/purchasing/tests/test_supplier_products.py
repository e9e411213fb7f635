"""What suppliers supply: setting a row (created, then changed by supplier
and product), each validation rule refused with a field-keyed error and
nothing written, one preferred supplier per product switched in one step,
removal, the selectors, and the REST endpoints with their roles and
tenancy."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from zhongshu.catalog import services as catalog_services
from zhongshu.catalog import testing as catalog_testing
from zhongshu.catalog.models import Product
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.partners import services as partners_services
from zhongshu.partners.models import Supplier
from zhongshu.partners.testing import make_supplier
from zhongshu.partners.tests.api_client import ApiClient, error_of
from zhongshu.purchasing.models import SupplierProduct
from zhongshu.purchasing.selectors.supplier_products import (
    list_supplier_products,
    preferred_suppliers,
)
from zhongshu.purchasing.services.supplier_products import (
    SupplierProductData,
    remove_supplier_product,
    set_supplier_product,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def vendor(company: Company) -> Supplier:
    return make_supplier(company, "V1")


@pytest.fixture
def bolt(company: Company) -> Product:
    return catalog_testing.make_product(company, "BOLT", name="螺栓")


def put(
    company: Company, supplier: Supplier, product: Product, **values: Any
) -> SupplierProduct:
    data = SupplierProductData(
        supplier=supplier,
        product=product,
        unit_price=values.pop("unit_price", D("1.20")),
        **values,
    )
    return set_supplier_product(
        company=company, actor=core_testing.owner_of(company), data=data
    )


# --- services -------------------------------------------------------------------------


def test_a_row_is_created_then_changed_by_supplier_and_product(
    company: Company, vendor: Supplier, bolt: Product
) -> None:
    # when
    first = put(
        company,
        vendor,
        bolt,
        unit_price=D("1.234567"),
        supplier_code=" HW-2088 ",
        minimum_quantity=D("100"),
        order_multiple=D("50"),
        lead_time_days=7,
    )
    again = put(company, vendor, bolt, unit_price=D("1.10"), lead_time_days=5)
    # then: one row, with the latest values
    assert again.pk == first.pk
    row = SupplierProduct.objects.get()
    assert (row.unit_price, row.minimum_quantity, row.order_multiple) == (
        D("1.100000"),
        D("0"),
        D("0"),
    )
    assert (row.lead_time_days, row.supplier_code, row.is_preferred) == (5, "", False)
    entries = AuditEntry.objects.filter(object_kind="partners.supplier").order_by("id")
    set_entries = [
        e.changes["product_set"] for e in entries if "product_set" in e.changes
    ]
    assert set_entries[0]["supplier_code"] == [None, "HW-2088"]
    assert set_entries[1]["unit_price"] == ["1.234567", "1.10"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"unit_price": D("-0.01")}, "unit_price", "A unit price is zero or more."),
        ({"unit_price": D("1.0000001")}, "unit_price",
         "A unit price has at most 6 decimal places."),
        ({"minimum_quantity": D("-1")}, "minimum_quantity", "Enter zero or more."),
        ({"minimum_quantity": D("1.5")}, "minimum_quantity",
         "The product's unit allows 0 decimal places."),
        ({"order_multiple": D("-2")}, "order_multiple", "Enter zero or more."),
        ({"lead_time_days": -1}, "lead_time_days",
         "A lead time is from 0 to 365 days."),
        ({"lead_time_days": 366}, "lead_time_days",
         "A lead time is from 0 to 365 days."),
        ({"supplier_code": "X" * 61}, "supplier_code",
         "Enter at most 60 characters."),
    ],
)  # fmt: skip
def test_each_rule_is_a_clear_error_on_its_field_and_nothing_is_written(
    company: Company,
    vendor: Supplier,
    bolt: Product,
    values: dict[str, Any],
    field: str,
    message: str,
) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        put(company, vendor, bolt, **values)
    assert caught.value.fields == {field: [message]}
    assert not SupplierProduct.objects.exists()
    assert AuditEntry.objects.count() == before


def test_quantities_follow_the_decimals_of_the_base_unit(
    company: Company, vendor: Supplier
) -> None:
    steel = catalog_testing.make_product(company, "STEEL", unit_code="千克")
    row = put(company, vendor, steel, minimum_quantity=D("0.125"))
    assert row.minimum_quantity == D("0.125")
    with pytest.raises(ValidationError) as caught:
        put(company, vendor, steel, order_multiple=D("0.0001"))
    assert caught.value.fields == {
        "order_multiple": ["The product's unit allows 3 decimal places."]
    }


def test_every_problem_is_reported_at_once(
    company: Company, vendor: Supplier, bolt: Product
) -> None:
    with pytest.raises(ValidationError) as caught:
        put(
            company,
            vendor,
            bolt,
            unit_price=D("-1"),
            minimum_quantity=D("-1"),
            order_multiple=D("-1"),
            lead_time_days=999,
        )
    assert set(caught.value.fields) == {
        "unit_price",
        "minimum_quantity",
        "order_multiple",
        "lead_time_days",
    }


def test_a_disabled_supplier_or_product_is_refused(
    company: Company, owner: User, vendor: Supplier, bolt: Product
) -> None:
    # given
    vendor = partners_services.set_supplier_active(
        supplier=vendor, actor=owner, active=False
    )
    # then
    with pytest.raises(ValidationError) as caught:
        put(company, vendor, bolt)
    assert set(caught.value.fields) == {"supplier"}
    # given an active supplier and a disabled product
    other = make_supplier(company, "V2")
    bolt = catalog_services.set_product_active(product=bolt, actor=owner, active=False)
    with pytest.raises(ValidationError) as caught:
        put(company, other, bolt)
    assert caught.value.fields == {"product": ["Product BOLT is disabled."]}
    assert not SupplierProduct.objects.exists()


def test_another_companys_supplier_or_product_is_not_found(
    company: Company, vendor: Supplier, bolt: Product, other_company: Company
) -> None:
    theirs = make_supplier(other_company, "V9")
    their_bolt = catalog_testing.make_product(other_company, "BOLT")
    with pytest.raises(NotFoundError):
        put(company, theirs, bolt)
    with pytest.raises(NotFoundError):
        put(company, vendor, their_bolt)
    assert not SupplierProduct.objects.exists()


def test_making_one_preferred_unprefers_the_other_supplier(
    company: Company, vendor: Supplier, bolt: Product
) -> None:
    # given
    second = make_supplier(company, "V2")
    nut = catalog_testing.make_product(company, "NUT")
    put(company, vendor, bolt, is_preferred=True)
    put(company, vendor, nut, is_preferred=True)
    # when the second supplier becomes the bolt's preferred one
    put(company, second, bolt, unit_price=D("1.05"), is_preferred=True)
    # then: one preferred supplier per product; the nut's is untouched
    preferred = {
        (r.supplier.code, r.product.code)
        for r in SupplierProduct.objects.filter(is_preferred=True).select_related(
            "supplier", "product"
        )
    }
    assert preferred == {("V2", "BOLT"), ("V1", "NUT")}
    entry = AuditEntry.objects.filter(object_id=str(second.pk)).latest("id")
    assert entry.changes["product_set"]["unpreferred_suppliers"] == ["V1"]


def test_removing_a_row(
    company: Company, owner: User, vendor: Supplier, bolt: Product
) -> None:
    row = put(company, vendor, bolt, is_preferred=True)
    remove_supplier_product(supplier_product=row, actor=owner)
    assert not SupplierProduct.objects.exists()
    entry = AuditEntry.objects.filter(object_id=str(vendor.pk)).latest("id")
    assert entry.changes["product_removed"]["product"] == "BOLT"
    assert entry.changes["product_removed"]["unit_price"] == "1.200000"
    assert preferred_suppliers(company, [bolt.pk]) == {}


# --- selectors ------------------------------------------------------------------------


def test_list_and_preferred_suppliers(
    company: Company, vendor: Supplier, bolt: Product, other_company: Company
) -> None:
    # given
    second = make_supplier(company, "V2")
    nut = catalog_testing.make_product(company, "NUT")
    put(company, vendor, bolt, is_preferred=True)
    put(company, second, bolt)
    put(company, second, nut)
    their_vendor = make_supplier(other_company, "V1")
    their_bolt = catalog_testing.make_product(other_company, "BOLT")
    put(other_company, their_vendor, their_bolt, is_preferred=True)

    def pairs(**filters: Any) -> list[tuple[str, str]]:
        rows = list_supplier_products(company, **filters)
        return [(r.product.code, r.supplier.code) for r in rows]

    # then
    assert pairs() == [("BOLT", "V1"), ("BOLT", "V2"), ("NUT", "V2")]
    assert pairs(supplier=second) == [("BOLT", "V2"), ("NUT", "V2")]
    assert pairs(product=bolt) == [("BOLT", "V1"), ("BOLT", "V2")]
    found = preferred_suppliers(company, [bolt.pk, nut.pk, their_bolt.pk])
    assert {k: v.supplier.code for k, v in found.items()} == {bolt.pk: "V1"}


# --- API ------------------------------------------------------------------------------

BODY = {
    "supplier_code": "HW-2088",
    "unit_price": "12.50",
    "minimum_quantity": "100",
    "order_multiple": "50",
    "lead_time_days": 7,
    "is_preferred": True,
}


def purchasing_api(user: User, company: Company) -> ApiClient:
    return ApiClient(user, company, prefix="/api/v1/purchasing")


def test_api_set_list_get_and_remove(
    company: Company, owner: User, vendor: Supplier, bolt: Product
) -> None:
    api = purchasing_api(owner, company)
    # when
    response = api.put(f"/suppliers/{vendor.pk}/products/{bolt.pk}", BODY)
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["supplier"]["code"], body["product"]["code"]) == ("V1", "BOLT")
    assert (body["unit_price"], body["minimum_quantity"]) == ("12.500000", "100.0000")
    assert (body["base_unit"], body["is_preferred"]) == ("件", True)
    row_id = body["id"]
    # the same PUT again changes nothing and keeps the row
    again = api.put(f"/suppliers/{vendor.pk}/products/{bolt.pk}", BODY)
    assert again.json()["id"] == row_id
    assert [r["id"] for r in api.get(f"/suppliers/{vendor.pk}/products").json()] == [
        row_id
    ]
    assert [r["id"] for r in api.get(f"/products/{bolt.pk}/suppliers").json()] == [
        row_id
    ]
    assert api.get(f"/supplier-products/{row_id}").json()["lead_time_days"] == 7
    # when removed
    assert api.delete(f"/supplier-products/{row_id}").status_code == 204
    assert not SupplierProduct.objects.exists()


def test_api_refusals_are_field_keyed(
    company: Company, owner: User, vendor: Supplier, bolt: Product
) -> None:
    api = purchasing_api(owner, company)
    response = api.put(
        f"/suppliers/{vendor.pk}/products/{bolt.pk}",
        {**BODY, "unit_price": "-1", "lead_time_days": 400},
    )
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"unit_price", "lead_time_days"}
    assert not SupplierProduct.objects.exists()


def test_api_another_companys_ids_are_404(
    company: Company,
    owner: User,
    vendor: Supplier,
    bolt: Product,
    other_company: Company,
) -> None:
    # given
    theirs = make_supplier(other_company, "V9")
    their_bolt = catalog_testing.make_product(other_company, "BOLT")
    their_row = put(other_company, theirs, their_bolt)
    api = purchasing_api(owner, company)
    # then
    assert api.get(f"/suppliers/{theirs.pk}/products").status_code == 404
    assert api.get(f"/products/{their_bolt.pk}/suppliers").status_code == 404
    assert api.get(f"/supplier-products/{their_row.pk}").status_code == 404
    assert (
        api.put(f"/suppliers/{theirs.pk}/products/{bolt.pk}", BODY).status_code == 404
    )
    assert (
        api.put(f"/suppliers/{vendor.pk}/products/{their_bolt.pk}", BODY).status_code
        == 404
    )
    assert api.delete(f"/supplier-products/{their_row.pk}").status_code == 404
    assert list(SupplierProduct.objects.values_list("pk", flat=True)) == [their_row.pk]
    their_row.refresh_from_db()
    assert their_row.unit_price == D("1.20")


@pytest.mark.parametrize(
    ("role", "may_read", "may_write"),
    [
        (Role.PURCHASER, True, True),
        (Role.ACCOUNTANT, True, True),
        (Role.WAREHOUSE, True, False),
        (Role.SALES, False, False),
    ],
)
def test_api_roles(
    company: Company,
    vendor: Supplier,
    bolt: Product,
    role: str,
    may_read: bool,
    may_write: bool,
) -> None:
    api = purchasing_api(core_testing.member(company, [role]), company)
    listed = api.get(f"/suppliers/{vendor.pk}/products")
    assert listed.status_code == (200 if may_read else 403)
    written = api.put(f"/suppliers/{vendor.pk}/products/{bolt.pk}", BODY)
    assert written.status_code == (200 if may_write else 403), written.content
    assert SupplierProduct.objects.exists() == may_write
