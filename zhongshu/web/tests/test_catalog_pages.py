"""The catalog's pages: each renders in both languages, products go through
the form with units and barcodes, errors land on their rows, the import lists
every problem, and the product list's queries do not grow with the data."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from zhongshu.catalog import selectors, services
from zhongshu.catalog.models import (
    CatalogSettings,
    Category,
    PriceList,
    PriceListItem,
    Product,
    Unit,
)
from zhongshu.catalog.testing import (
    make_category,
    make_product,
    make_style,
    unit,
)
from zhongshu.core import testing
from zhongshu.core.models import Company, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(company: Company) -> dict[str, int]:
    """One object of each kind, for the pages that show one."""
    product = make_product(company, "CUP", name="陶瓷杯", alt_units={"箱": "12"})
    style = make_style(company, "T01")
    plist = services.create_price_list(
        company=company,
        actor=testing.owner_of(company),
        data=services.PriceListData(code="R", name="零售价", kind="retail"),
    )
    return {
        "product_id": product.pk,
        "category_id": make_category(company, "A").pk,
        "style_id": style.pk,
        "price_list_id": plist.pk,
        "unit_id": unit(company, "件").pk,
    }


PAGES: list[tuple[str, str | None]] = [
    ("catalog_products", None),
    ("catalog_product_new", None),
    ("catalog_product", "product_id"),
    ("catalog_categories", None),
    ("catalog_category", "category_id"),
    ("catalog_styles", None),
    ("catalog_style", "style_id"),
    ("catalog_price_lists", None),
    ("catalog_price_list", "price_list_id"),
    ("catalog_import", None),
    ("catalog_settings", None),
    ("catalog_unit", "unit_id"),
]


def url_of(name: str, param: str | None, catalog: dict[str, int]) -> str:
    return reverse(name, kwargs={param: catalog[param]} if param else None)


@pytest.mark.parametrize(("name", "param"), PAGES)
def test_every_page_renders_in_english(
    owner_client: Client, catalog: dict[str, int], name: str, param: str | None
) -> None:
    response = owner_client.get(url_of(name, param, catalog))
    assert response.status_code == 200
    assert b'lang="en"' in response.content


@pytest.mark.parametrize(("name", "param"), PAGES)
def test_every_page_renders_in_chinese(
    chinese_client: Client,
    owner: User,
    catalog: dict[str, int],
    name: str,
    param: str | None,
) -> None:
    chinese_client.force_login(owner)
    response = chinese_client.get(url_of(name, param, catalog))
    assert response.status_code == 200
    assert b'lang="zh-hans"' in response.content


def test_the_menu_shows_the_catalog_to_its_roles(
    client: Client, company: Company
) -> None:
    client.force_login(testing.member(company, [Role.WAREHOUSE]))
    html = client.get(reverse("home")).content.decode()
    assert reverse("catalog_products") in html
    assert reverse("catalog_import") not in html  # managing is the purchaser's


# --- products -------------------------------------------------------------------------


def product_post(company: Company, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "MUG",
        "name": "马克杯",
        "specification": "400ml",
        "category": "",
        "base_unit": unit(company, "件").pk,
        "brand": "",
        "tax_code": "",
        "vat_rate": "0.13",
        "shelf_life_days": "",
        "image_url": "",
        "units-TOTAL_FORMS": "2",
        "units-INITIAL_FORMS": "0",
        "units-0-unit": unit(company, "箱").pk,
        "units-0-factor": "24",
        "units-1-unit": "",
        "units-1-factor": "",
        "barcodes-TOTAL_FORMS": "3",
        "barcodes-INITIAL_FORMS": "0",
        "barcodes-0-code": "6901234567892",
        "barcodes-0-kind": "",
        "barcodes-0-unit": "",
        "barcodes-1-code": "",
        "barcodes-1-kind": "",
        "barcodes-1-unit": "",
        "barcodes-2-code": "MUG-BOX",
        "barcodes-2-kind": "",
        "barcodes-2-unit": unit(company, "箱").pk,
    }
    data.update(changes)
    return data


def test_a_product_is_made_with_its_box_and_barcodes(
    owner_client: Client, company: Company
) -> None:
    # when
    response = owner_client.post(reverse("catalog_product_new"), product_post(company))
    # then
    product = Product.objects.get(company=company, code="MUG")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog_product", args=[product.pk])
    assert selectors.to_base_quantity(product, "2", unit(company, "箱")) == Decimal(
        "48"
    )
    assert selectors.find_by_barcode(company, "MUG-BOX").unit.code == "箱"
    # and the page shows it
    html = owner_client.get(response["Location"]).content.decode()
    assert "6901234567892" in html
    assert "MUG-BOX" in html


def test_row_errors_land_on_their_rows_and_nothing_is_saved(
    owner_client: Client, company: Company
) -> None:
    # when: a wrong check digit in the third barcode row, a zero factor
    response = owner_client.post(
        reverse("catalog_product_new"),
        product_post(
            company, **{"barcodes-2-code": "6901234567891", "units-0-factor": "0"}
        ),
    )
    # then
    assert response.status_code == 200
    barcodes = response.context["barcodes"]
    assert barcodes.forms[2].errors["code"] == [
        "The check digit of EAN-13 barcode 6901234567891 is wrong (it should end in 2)."
    ]
    assert "factor" in response.context["units"].forms[0].errors
    assert not Product.objects.filter(company=company).exists()


def test_a_taken_code_is_shown_on_the_code_field(
    owner_client: Client, company: Company
) -> None:
    make_product(company, "MUG")
    response = owner_client.post(reverse("catalog_product_new"), product_post(company))
    assert response.context["form"].errors["code"] == ["The product code MUG exists."]


def test_deactivating_a_product(owner_client: Client, company: Company) -> None:
    product = make_product(company, "CUP")
    owner_client.post(
        reverse("catalog_product_active", args=[product.pk]), {"active": "0"}
    )
    product.refresh_from_db()
    assert not product.is_active
    listed = owner_client.get(reverse("catalog_products"), {"status": "inactive"})
    assert [p.code for p in listed.context["page"]] == ["CUP"]


def test_the_list_searches_and_filters_by_category(
    owner_client: Client, company: Company
) -> None:
    # given 服装 > T恤
    clothes = make_category(company, "A")
    tees = make_category(company, "A01", parent=clothes)
    make_product(company, "TEE", name="T恤", category=tees, barcodes=["96385074"])
    make_product(company, "CUP", name="杯子")
    url = reverse("catalog_products")

    # then
    def codes(**params: Any) -> list[str]:
        return [p.code for p in owner_client.get(url, params).context["page"]]

    assert codes() == ["CUP", "TEE"]
    assert codes(category=clothes.pk) == ["TEE"]
    assert codes(q="96385074") == ["TEE"]
    assert codes(q="杯") == ["CUP"]
    # htmx asks for the results only
    partial = owner_client.get(url, {"q": "杯"}, HTTP_HX_REQUEST="true")
    assert b'id="catalog-results"' in partial.content
    assert b"<html" not in partial.content


def count_queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_product_list_costs_the_same_queries_for_more_products(
    owner_client: Client, company: Company
) -> None:
    # given
    category = make_category(company, "A")
    for n in range(3):
        make_product(
            company, f"P{n}", category=category, alt_units={"箱": "12"},
            barcodes=[f"INT-{n}"],
        )  # fmt: skip
    few = count_queries(owner_client, reverse("catalog_products"))
    # when: ten times as many
    for n in range(3, 30):
        make_product(
            company, f"P{n}", category=category, alt_units={"箱": "12"},
            barcodes=[f"INT-{n}"],
        )  # fmt: skip
    many = count_queries(owner_client, reverse("catalog_products"))
    # then
    assert many == few


# --- categories, settings -------------------------------------------------------------


def test_categories_are_added_moved_and_refused_cycles(
    owner_client: Client, company: Company
) -> None:
    owner_client.post(reverse("catalog_categories"), {"code": "A", "name": "服装"})
    parent = Category.objects.get(company=company, code="A")
    owner_client.post(
        reverse("catalog_categories"),
        {"code": "A01", "name": "上衣", "parent": parent.pk},
    )
    child = Category.objects.get(company=company, code="A01")
    # moving A under A01 is not offered, and refused when posted
    page = owner_client.get(reverse("catalog_category", args=[parent.pk]))
    assert child.pk not in [c[0] for c in page.context["form"].fields["parent"].choices]
    refused = owner_client.post(
        reverse("catalog_category", args=[parent.pk]),
        {"code": "A", "name": "服装", "parent": child.pk},
    )
    assert refused.status_code == 200
    parent.refresh_from_db()
    assert parent.parent_id is None
    # deleting the parent is refused with a message
    owner_client.post(reverse("catalog_category_delete", args=[parent.pk]))
    assert Category.objects.filter(pk=parent.pk).exists()


def test_the_costing_method_and_units_are_set_on_the_settings_page(
    owner_client: Client, company: Company
) -> None:
    url = reverse("catalog_settings")
    owner_client.post(url, {"action": "costing", "costing_method": "fifo"})
    owner_client.post(
        url,
        {"action": "unit", "unit-code": "包", "unit-name": "包", "unit-places": "0"},
    )
    assert CatalogSettings.objects.get(company=company).costing_method == "fifo"
    assert Unit.objects.filter(company=company, code="包").exists()


# --- styles ---------------------------------------------------------------------------


def test_a_style_generates_its_matrix_from_the_page(
    owner_client: Client, company: Company
) -> None:
    # given colour × size and a style
    style = make_style(company, "T01", name="T恤")
    # when: red and blue in S and M
    response = owner_client.post(
        reverse("catalog_style_generate", args=[style.pk]),
        {"axis-colour": ["RED", "BLUE"], "axis-size": ["S", "M"]},
    )
    # then
    assert response.status_code == 302
    page = owner_client.get(reverse("catalog_style", args=[style.pk]))
    matrix = page.context["matrix"]
    assert [[c.product.code for c in r.cells] for r in matrix.rows] == [
        ["T01-RED-S", "T01-RED-M"],
        ["T01-BLUE-S", "T01-BLUE-M"],
    ]
    assert "T01-BLUE-M" in page.content.decode()


def test_attributes_and_styles_are_added_on_the_styles_page(
    owner_client: Client, company: Company
) -> None:
    url = reverse("catalog_styles")
    owner_client.post(
        url,
        {
            "action": "attribute",
            "attribute-code": "colour",
            "attribute-name": "颜色",
            "attribute-values": "RED 红色\nBLUE 蓝色",
        },
    )
    colour = selectors.find_attribute(company, "colour")
    assert colour is not None
    owner_client.post(
        reverse("catalog_attribute_value_add", args=[colour.pk]),
        {"value-code": "BLACK", "value-name": "黑色"},
    )
    response = owner_client.post(
        url,
        {
            "action": "style",
            "code": "T02",
            "name": "卫衣",
            "axes": ["colour"],
            "base_unit": unit(company).pk,
            "vat_rate": "0.13",
        },
    )
    assert response.status_code == 302
    colour = selectors.get_attribute(company, colour.pk)
    assert [v.code for v in colour.values.all()] == ["RED", "BLUE", "BLACK"]
    assert selectors.find_style(company, "T02") is not None


# --- price lists ----------------------------------------------------------------------


def test_prices_are_added_by_barcode_and_checked(
    owner_client: Client, company: Company
) -> None:
    # given
    make_product(company, "CUP", alt_units={"箱": "12"}, barcodes=["6901234567892"])
    owner_client.post(
        reverse("catalog_price_lists"),
        {"code": "R", "name": "零售价", "kind": "retail", "priority": "10",
         "tax_inclusive": "on", "is_active": "on"},
    )  # fmt: skip
    plist = PriceList.objects.get(company=company, code="R")
    # when: 12.00 from 0, found by its barcode
    response = owner_client.post(
        reverse("catalog_price_list", args=[plist.pk]),
        {"action": "price", "price-product": "6901234567892", "price-unit": "",
         "price-min_quantity": "0", "price-price": "12.00"},
    )  # fmt: skip
    # then
    assert response.status_code == 302
    assert PriceListItem.objects.get(price_list=plist).price == Decimal("12.000000")
    # 2 boxes: 12.00 × 12 = 144 a box
    check = owner_client.get(
        reverse("catalog_price_lists"),
        {"product": "CUP", "quantity": "2", "unit": unit(company, "箱").pk},
    )
    assert check.context["quote"].price == Decimal("144.000000")
    assert "144" in check.content.decode()


# --- Excel ----------------------------------------------------------------------------


def sheet(*rows: list[Any]) -> io.BytesIO:
    book = Workbook()
    active = book.active
    assert active is not None
    active.append(["code", "name", "base_unit", "barcode"])
    for row in rows:
        active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "products.xlsx"
    return buffer


def test_the_import_page_lists_every_problem(
    owner_client: Client, company: Company
) -> None:
    response = owner_client.post(
        reverse("catalog_import"),
        {"file": sheet(["CUP", "", "件", "6901234567891"], ["MUG", "杯", "桶", ""])},
    )
    assert response.status_code == 200
    assert [(p.row, p.column) for p in response.context["problems"]] == [
        (2, "name"),
        (2, "barcode"),
        (3, "base_unit"),
    ]
    html = response.content.decode()
    assert "2 rows have problems; nothing was imported." in html
    assert "There is no unit 桶." in html
    assert not Product.objects.filter(company=company).exists()


def test_a_good_import_lands_on_the_product_list(
    owner_client: Client, company: Company
) -> None:
    response = owner_client.post(
        reverse("catalog_import"), {"file": sheet(["CUP", "杯子", "件", "96385074"])}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog_products")
    assert Product.objects.filter(company=company, code="CUP").exists()


def test_a_broken_file_is_a_form_error(owner_client: Client) -> None:
    broken = io.BytesIO(b"not a workbook")
    broken.name = "products.xlsx"
    response = owner_client.post(reverse("catalog_import"), {"file": broken})
    assert response.context["form"].errors["file"] == [
        "The file is not a readable Excel workbook (.xlsx)."
    ]


def test_the_template_and_export_download(
    owner_client: Client, company: Company
) -> None:
    make_product(company, "CUP")
    for name in ("catalog_import_template", "catalog_export"):
        response = owner_client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content[:2] == b"PK"


# --- permissions ----------------------------------------------------------------------


def test_sales_see_products_but_cannot_change_them(
    sales_client: Client, company: Company
) -> None:
    product = make_product(company, "CUP")
    listed = sales_client.get(reverse("catalog_products"))
    assert listed.status_code == 200
    assert reverse("catalog_product_new") not in listed.content.decode()
    assert sales_client.get(reverse("catalog_product_new")).status_code == 403
    assert (
        sales_client.post(
            reverse("catalog_product", args=[product.pk]),
            product_post(company, code="CUP"),
        ).status_code
        == 403
    )
    assert sales_client.post(reverse("catalog_import"), {}).status_code == 403


def test_accountants_do_not_see_the_catalog(accountant_client: Client) -> None:
    assert accountant_client.get(reverse("catalog_products")).status_code == 403
