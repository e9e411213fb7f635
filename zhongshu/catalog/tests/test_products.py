"""Catalog setup, categories, units and products: worked examples, and each
refusal with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from zhongshu.catalog import selectors, services
from zhongshu.catalog.errors import UnitNotConvertibleError, UnknownBarcodeError
from zhongshu.catalog.models import (
    Barcode,
    CatalogSettings,
    Category,
    CostingMethod,
    Product,
    ProductUnit,
    Unit,
)
from zhongshu.catalog.testing import make_category, make_product, unit
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import AuditEntry, Company
from zhongshu.ledger import services as ledger_services
from zhongshu.ledger.models import Account

pytestmark = pytest.mark.django_db


def product_data(
    company: Company, code: str = "CUP", **changes: object
) -> services.ProductData:
    values: dict[str, object] = {
        "code": code,
        "name": "陶瓷杯",
        "specification": "350ml 白色",
        "base_unit": unit(company, "件"),
        "brand": "景德",
        "tax_code": "1080101010000000000",
        "vat_rate": Decimal("0.13"),
        "units": (services.AltUnit(unit=unit(company, "箱"), factor=Decimal("12")),),
        "barcodes": (
            services.BarcodeInput(code="6901234567892"),
            services.BarcodeInput(
                code="16901234567899", kind="internal", unit=unit(company, "箱")
            ),
        ),
    }
    values.update(changes)
    return services.ProductData(**values)  # type: ignore[arg-type]


# --- setup ----------------------------------------------------------------------------


def test_a_new_company_gets_settings_and_the_default_units(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # when: CompanyCreated is dispatched after the commit
    with django_capture_on_commit_callbacks(execute=True):
        company = core_testing.make_company("NEW")
    # then
    settings = CatalogSettings.objects.get(company=company)
    assert settings.costing_method == CostingMethod.MOVING_AVERAGE
    assert sorted(
        Unit.objects.filter(company=company).values_list("code", "places")
    ) == sorted([("件", 0), ("个", 0), ("箱", 0), ("千克", 3), ("米", 2)])


def test_setting_up_twice_changes_nothing_and_keeps_deleted_units_deleted(
    company: Company, owner: User
) -> None:
    # given
    services.delete_unit(unit=unit(company, "米"), actor=owner)
    # when
    services.ensure_catalog(company=company)
    # then
    assert not Unit.objects.filter(company=company, code="米").exists()
    assert CatalogSettings.objects.filter(company=company).count() == 1


def test_a_company_without_settings_gets_them_on_first_use(
    company: Company, owner: User
) -> None:
    # given: a company made before the catalog existed
    CatalogSettings.objects.filter(company=company).delete()
    # when
    settings = services.set_costing_method(
        company=company, actor=owner, costing_method=CostingMethod.FIFO
    )
    # then
    assert settings.costing_method == "fifo"
    assert AuditEntry.objects.filter(
        company=company, object_kind="catalog.catalogsettings", action="changed"
    ).exists()


# --- costing method -------------------------------------------------------------------


def test_the_costing_method_comes_from_the_nearest_category_else_the_company(
    company: Company, owner: User
) -> None:
    # given: 服装 (FIFO) > 上衣 (no override) > T恤; 食品 without override
    clothes = services.create_category(
        company=company, actor=owner, code="A", name="服装", costing_method="fifo"
    )
    tops = services.create_category(
        company=company, actor=owner, code="A01", name="上衣", parent=clothes
    )
    tees = make_category(company, "A0101", parent=tops)
    food = make_category(company, "B")
    services.set_costing_method(
        company=company, actor=owner, costing_method="monthly_average"
    )
    # when / then
    assert selectors.costing_method_of(make_product(company, category=tees)) == "fifo"
    assert selectors.costing_method_of(make_product(company, category=food)) == (
        "monthly_average"
    )
    assert selectors.costing_method_of(make_product(company)) == "monthly_average"


def test_an_unknown_costing_method_is_refused(company: Company, owner: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.set_costing_method(company=company, actor=owner, costing_method="lifo")
    assert list(refused.value.fields) == ["costing_method"]
    with pytest.raises(ValidationError):
        services.create_category(
            company=company, actor=owner, code="X", name="X", costing_method="lifo"
        )
    assert not Category.objects.filter(company=company).exists()


# --- categories -----------------------------------------------------------------------


def test_a_category_cannot_move_under_itself_or_its_descendants(
    company: Company, owner: User
) -> None:
    # given 服装 > 上衣 > T恤
    clothes = make_category(company, "A")
    tops = make_category(company, "A01", parent=clothes)
    tees = make_category(company, "A0101", parent=tops)
    # when / then
    for new_parent in (clothes, tees):
        with pytest.raises(ValidationError) as refused:
            services.update_category(
                category=clothes,
                actor=owner,
                code="A",
                name="服装",
                parent=new_parent,
                costing_method="",
            )
        assert list(refused.value.fields) == ["parent"]
    clothes.refresh_from_db()
    assert clothes.parent_id is None
    # but moving T恤 up under 服装 is fine
    services.update_category(
        category=tees,
        actor=owner,
        code="A0101",
        name="T恤",
        parent=clothes,
        costing_method="",
    )
    assert [n.path for n in selectors.category_tree(company)] == [
        "分类 A",
        "分类 A / 分类 A01",
        "分类 A / T恤",
    ]


def test_only_an_empty_category_can_be_deleted(company: Company, owner: User) -> None:
    # given
    parent = make_category(company, "A")
    child = make_category(company, "A01", parent=parent)
    product = make_product(company, category=child)
    # then: a parent, a category with products
    with pytest.raises(ConflictError, match="sub-categories"):
        services.delete_category(category=parent, actor=owner)
    with pytest.raises(ConflictError, match="Products or styles"):
        services.delete_category(category=child, actor=owner)
    # when the product moves away, the child goes, then the parent
    Product.objects.filter(pk=product.pk).update(category=None)
    services.delete_category(category=child, actor=owner)
    services.delete_category(category=parent, actor=owner)
    assert not Category.objects.filter(company=company).exists()


def test_a_category_an_account_role_refines_cannot_be_deleted(
    company: Company, owner: User
) -> None:
    # given: goods of this category post to their own inventory account
    category = make_category(company, "A")
    ledger_services.set_up_books(company=company, first_year=2026)
    account = Account.objects.get(company=company, code="1405")
    ledger_services.set_account_role(
        company=company,
        actor=owner,
        role="inventory",
        account=account,
        key_kind="catalog.category",
        key_id=category.pk,
    )
    # then
    with pytest.raises(ConflictError, match="account role"):
        services.delete_category(category=category, actor=owner)


def test_category_codes_are_unique_per_company(
    company: Company, other_company: Company, owner: User
) -> None:
    make_category(company, "A")
    make_category(other_company, "A")  # another company may use it
    with pytest.raises(ConflictError) as refused:
        make_category(company, "A")
    assert refused.value.fields == {"code": ["The category code A exists."]}


def test_a_parent_of_another_company_looks_absent(
    company: Company, other_company: Company, owner: User
) -> None:
    theirs = make_category(other_company, "A")
    with pytest.raises(NotFoundError):
        services.create_category(
            company=company, actor=owner, code="B", name="B", parent=theirs
        )


# --- units ----------------------------------------------------------------------------


def test_units_in_use_keep_their_places_and_cannot_be_deleted(
    company: Company, owner: User
) -> None:
    # given: 包 is the alternative unit of a product
    pack = services.create_unit(company=company, actor=owner, code="包", name="包")
    make_product(company, alt_units={"包": "6"})
    # then
    with pytest.raises(ConflictError):
        services.update_unit(unit=pack, actor=owner, name="包", places=2)
    with pytest.raises(ConflictError, match="in use"):
        services.delete_unit(unit=pack, actor=owner)
    # renaming is fine
    assert services.update_unit(unit=pack, actor=owner, name="小包", places=0).name == (
        "小包"
    )


def test_a_unit_has_at_most_four_places(company: Company, owner: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_unit(
            company=company, actor=owner, code="克", name="克", places=5
        )
    assert list(refused.value.fields) == ["places"]


# --- products -------------------------------------------------------------------------


def test_a_product_with_a_box_unit_and_two_barcodes(
    company: Company, owner: User
) -> None:
    # when
    product = services.create_product(
        company=company, actor=owner, data=product_data(company)
    )
    # then
    product = selectors.get_product(company, product.pk)
    assert (product.code, product.name, product.base_unit.code) == (
        "CUP",
        "陶瓷杯",
        "件",
    )
    assert [(u.unit.code, u.factor) for u in product.units.all()] == [
        ("箱", Decimal("12.0000"))
    ]
    assert sorted((b.code, b.kind, b.unit_id) for b in product.barcodes.all()) == [
        ("16901234567899", "internal", unit(company, "箱").pk),
        ("6901234567892", "ean13", None),
    ]
    assert (
        AuditEntry.objects.filter(
            company=company, object_kind="catalog.product", action="created"
        ).count()
        == 1
    )


def test_quantities_convert_to_the_base_unit(company: Company) -> None:
    # given 1 箱 = 12 件; 1 千克-product sold by 米? no: a 千克 product with 袋 of 2.5
    cup = make_product(company, "CUP", alt_units={"箱": "12"})
    rice = make_product(company, "RICE", unit_code="千克", alt_units={"袋": "2.5"})
    box, piece, bag = unit(company, "箱"), unit(company, "件"), unit(company, "袋")
    # then: 2 箱 × 12 = 24 件; 3 件 stay 3; 3 袋 × 2.5 = 7.5 千克
    assert selectors.to_base_quantity(cup, "2", box) == Decimal("24")
    assert selectors.to_base_quantity(cup, Decimal("3"), piece) == Decimal("3")
    assert selectors.to_base_quantity(cup, 5) == Decimal("5")
    assert selectors.to_base_quantity(rice, "3", bag) == Decimal("7.500")
    assert services.to_base_quantity(cup, "-1", box) == Decimal("-12")


def test_a_unit_the_product_lacks_is_not_convertible(company: Company) -> None:
    # given
    cup = make_product(company, "CUP", alt_units={"箱": "12"})
    # when
    with pytest.raises(UnitNotConvertibleError) as refused:
        selectors.to_base_quantity(cup, "1", unit(company, "千克"))
    # then
    assert refused.value.code == "unit_not_convertible"
    assert "no unit 千克" in refused.value.message


def test_a_quantity_finer_than_its_unit_is_refused(company: Company) -> None:
    cup = make_product(company, "CUP", alt_units={"箱": "12"})
    with pytest.raises(ValidationError, match="at most 0 decimal places"):
        selectors.to_base_quantity(cup, "1.5", unit(company, "件"))
    # 1.0 件 is a whole piece
    assert selectors.to_base_quantity(cup, "1.0") == Decimal("1")


def test_a_barcode_names_the_product_and_its_unit(company: Company) -> None:
    # given
    services.create_product(
        company=company,
        actor=core_testing.owner_of(company),
        data=product_data(company),
    )
    # when
    piece_hit = selectors.find_by_barcode(company, "6901234567892\r")
    product, box, factor = selectors.find_by_barcode(company, "16901234567899")
    # then
    assert (piece_hit.product.code, piece_hit.unit.code, piece_hit.factor) == (
        "CUP",
        "件",
        Decimal("1"),
    )
    assert (product.code, box.code, factor) == ("CUP", "箱", Decimal("12.0000"))


def test_an_unknown_barcode_is_a_clear_error(
    company: Company, other_company: Company
) -> None:
    make_product(other_company, barcodes=["6901234567892"])
    with pytest.raises(UnknownBarcodeError) as refused:
        selectors.find_by_barcode(company, "6901234567892")
    assert refused.value.code == "unknown_barcode"
    assert refused.value.message == "No product has the barcode 6901234567892."


def test_every_problem_of_a_product_is_reported_at_once(
    company: Company, owner: User
) -> None:
    # given
    data = product_data(
        company,
        code="BAD CODE",
        name="",
        tax_code="12345",
        vat_rate=Decimal("13"),
        shelf_life_days=30,
        units=(
            services.AltUnit(unit=unit(company, "件"), factor=Decimal("1")),
            services.AltUnit(unit=unit(company, "箱"), factor=Decimal("0")),
        ),
        barcodes=(
            services.BarcodeInput(code="6901234567891"),
            services.BarcodeInput(code="X1", unit=unit(company, "千克")),
        ),
    )
    # when
    with pytest.raises(ValidationError) as refused:
        services.create_product(company=company, actor=owner, data=data)
    # then
    assert refused.value.fields == {
        "code": ["A code cannot contain spaces."],
        "name": ["This field is required."],
        "tax_code": ["A tax classification code has 19 digits."],
        "vat_rate": [
            "Enter a VAT rate from 0 to below 1 with at most 4 places, e.g. 0.13."
        ],
        "shelf_life_days": ["A shelf life needs expiry tracking."],
        "units.0.unit": ["The base unit is not an alternative unit."],
        "units.1.factor": [
            "A conversion factor is above 0 with at most 4 decimal places."
        ],
        "barcodes.0": [
            "The check digit of EAN-13 barcode 6901234567891 is wrong "
            "(it should end in 2)."
        ],
        "barcodes.1": ["The unit 千克 of barcode X1 is not a unit of the product."],
    }
    assert not Product.objects.filter(company=company).exists()


def test_codes_and_barcodes_are_unique_per_company(
    company: Company, other_company: Company, owner: User
) -> None:
    # given
    make_product(company, "CUP", barcodes=["6901234567892"])
    make_product(other_company, "MUG", barcodes=["6901234567892"])  # theirs: fine
    # when / then
    with pytest.raises(ConflictError) as code_taken:
        make_product(company, "CUP")
    assert code_taken.value.fields == {"code": ["The product code CUP exists."]}
    with pytest.raises(ConflictError) as barcode_taken:
        make_product(company, "MUG", barcodes=["96385074", "6901234567892"])
    assert barcode_taken.value.fields == {
        "barcodes.1": ["The barcode 6901234567892 is already used by CUP."]
    }
    assert Product.objects.filter(company=company).count() == 1
    assert Barcode.objects.filter(company=company).count() == 1


def test_updating_replaces_units_and_barcodes_but_not_the_base_unit(
    company: Company, owner: User
) -> None:
    # given
    product = services.create_product(
        company=company, actor=owner, data=product_data(company)
    )
    # when: the box becomes 24, a 个 barcode goes, a new EAN-8 comes
    services.update_product(
        product=product,
        actor=owner,
        data=product_data(
            company,
            name="陶瓷马克杯",
            units=(services.AltUnit(unit=unit(company, "箱"), factor=Decimal("24")),),
            barcodes=(services.BarcodeInput(code="96385074"),),
        ),
    )
    # then
    product = selectors.get_product(company, product.pk)
    assert product.name == "陶瓷马克杯"
    assert [u.factor for u in product.units.all()] == [Decimal("24.0000")]
    assert [(b.code, b.kind) for b in product.barcodes.all()] == [("96385074", "ean8")]
    entry = AuditEntry.objects.filter(
        object_kind="catalog.product", action="changed"
    ).get()
    assert entry.changes["name"] == ["陶瓷杯", "陶瓷马克杯"]
    assert entry.changes["units"] == [["箱=12"], ["箱=24"]]
    # and the base unit stays
    with pytest.raises(ValidationError) as refused:
        services.update_product(
            product=product,
            actor=owner,
            data=product_data(
                company, base_unit=unit(company, "个"), units=(), barcodes=()
            ),
        )
    assert list(refused.value.fields) == ["base_unit"]
    assert ProductUnit.objects.filter(product=product).count() == 1


def test_deactivating_keeps_the_product(company: Company, owner: User) -> None:
    product = make_product(company, "CUP")
    services.deactivate_product(product=product, actor=owner)
    assert list(selectors.list_products(company, active=True)) == []
    assert [p.code for p in selectors.list_products(company, active=False)] == ["CUP"]


def test_the_product_list_searches_and_filters_by_category_tree(
    company: Company,
) -> None:
    # given 服装 > T恤
    clothes = make_category(company, "A")
    tees = make_category(company, "A01", parent=clothes)
    make_product(
        company, "TEE1", name="纯棉T恤", category=tees, barcodes=["6901234567892"]
    )
    make_product(company, "JKT1", name="夹克", category=clothes)
    make_product(company, "CUP1", name="杯子")
    # then
    codes = lambda **kw: [p.code for p in selectors.list_products(company, **kw)]  # noqa: E731
    assert codes(category=clothes) == ["JKT1", "TEE1"]
    assert codes(category=tees) == ["TEE1"]
    assert codes(search="T恤") == ["TEE1"]
    assert codes(search="6901234567892") == ["TEE1"]
    assert codes(search="cup") == ["CUP1"]


def test_repeated_units_and_barcodes_and_odd_values_are_refused(
    company: Company, owner: User
) -> None:
    data = product_data(
        company,
        track_expiry=True,
        shelf_life_days=0,
        image_url="not a url",
        units=(
            services.AltUnit(unit=unit(company, "箱"), factor=Decimal("12")),
            services.AltUnit(unit=unit(company, "箱"), factor=Decimal("0.00001")),
        ),
        barcodes=(
            services.BarcodeInput(code="96385074"),
            services.BarcodeInput(code=" 96385074 "),
        ),
    )
    with pytest.raises(ValidationError) as refused:
        services.create_product(company=company, actor=owner, data=data)
    assert refused.value.fields == {
        "shelf_life_days": ["The shelf life is at least one day."],
        "image_url": ["Enter a valid URL."],
        "units.1.unit": ["The unit 箱 is given twice."],
        "units.1.factor": [
            "A conversion factor is above 0 with at most 4 decimal places."
        ],
        "barcodes.1": ["The barcode 96385074 is given twice."],
    }


def test_a_unit_a_price_list_uses_cannot_be_removed_from_the_product(
    company: Company, owner: User
) -> None:
    # given: a box price of the cup
    product = services.create_product(
        company=company, actor=owner, data=product_data(company)
    )
    plist = services.create_price_list(
        company=company,
        actor=owner,
        data=services.PriceListData(code="R", name="零售", kind="retail"),
    )
    services.set_price(
        price_list=plist,
        actor=owner,
        data=services.PriceData(
            product=product, unit=unit(company, "箱"), price=Decimal("100")
        ),
    )
    # when the box goes
    with pytest.raises(ConflictError) as refused:
        services.update_product(
            product=product,
            actor=owner,
            data=product_data(company, units=(), barcodes=()),
        )
    # then
    assert refused.value.fields == {
        "units": ["A price list prices the product in 箱; remove that price first."]
    }
    assert ProductUnit.objects.filter(product=product).count() == 1


def test_reactivating_a_product(company: Company, owner: User) -> None:
    product = make_product(company, "CUP")
    services.deactivate_product(product=product, actor=owner)
    services.set_product_active(product=product, actor=owner, active=True)
    product.refresh_from_db()
    assert product.is_active
    changes = list(
        AuditEntry.objects.filter(object_kind="catalog.product", action="changed")
        .order_by("pk")
        .values_list("changes", flat=True)
    )
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]
