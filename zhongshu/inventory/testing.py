"""Setup steps for tests of inventory and of the modules that move stock."""

from __future__ import annotations

import datetime
from decimal import Decimal

from zhongshu.catalog.models import CatalogSettings, Category, Product, Unit
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import object_factory
from zhongshu.inventory import services
from zhongshu.inventory.models import Location, Warehouse
from zhongshu.ledger import testing as ledger_testing

PURCHASES = services.Counterpart("estimated_payable")
SALES = services.Counterpart("cost_of_sales")


def stocked_company(code: str = "STOCK", *, method: str = "moving_average") -> Company:
    company = ledger_testing.company_with_books(code)
    CatalogSettings.objects.update_or_create(
        company=company, defaults={"costing_method": method}
    )
    return company


def unit(company: Company, code: str = "PCS", name: str = "件", places: int = 0) -> Unit:
    found, _created = Unit.objects.get_or_create(
        company=company, code=code, defaults={"name": name, "places": places}
    )
    return found


def product(
    company: Company,
    code: str = "P1",
    *,
    category: Category | None = None,
    **fields: object,
) -> Product:
    return Product.objects.create(
        company=company,
        code=code,
        name=f"商品 {code}",
        base_unit=unit(company),
        category=category,
        **fields,
    )


def warehouse(company: Company, code: str = "WH1", **fields: object) -> Warehouse:
    return services.create_warehouse(
        company=company,
        actor=None,
        data=services.WarehouseData(code=code, name=f"仓库 {code}", **fields),  # type: ignore[arg-type]
    )


def receive(
    company: Company,
    day: datetime.date,
    item: Product,
    where: Warehouse,
    quantity: str,
    unit_cost: str,
    *,
    source_id: int = 1,
    **fields: object,
) -> services.Posting:
    return services.receive(
        company=company,
        date=day,
        lines=[
            services.MoveLine(
                product=item,
                warehouse=where,
                quantity=Decimal(quantity),
                unit_cost=Decimal(unit_cost),
                **fields,  # type: ignore[arg-type]
            )
        ],
        counter=PURCHASES,
        source=SourceRef("test.receipt", source_id),
    )


def issue(
    company: Company,
    day: datetime.date,
    item: Product,
    where: Warehouse,
    quantity: str,
    *,
    source_id: int = 1,
    **fields: object,
) -> services.Posting:
    return services.issue(
        company=company,
        date=day,
        lines=[
            services.MoveLine(
                product=item,
                warehouse=where,
                quantity=Decimal(quantity),
                **fields,  # type: ignore[arg-type]
            )
        ],
        counter=SALES,
        source=SourceRef("test.delivery", source_id),
    )


@object_factory("warehouse_id")
def _warehouse(company: Company) -> int:
    return warehouse(company, "PROBE").pk


@object_factory("location_id")
def _location(company: Company) -> int:
    found = Location.objects.filter(company=company).first()
    if found is None:
        found = Location.objects.get(warehouse=warehouse(company, "PROBE-L"))
    return found.pk
