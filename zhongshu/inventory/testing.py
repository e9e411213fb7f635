"""Setup steps for tests of inventory and of the modules that move stock."""

from __future__ import annotations

import datetime
from decimal import Decimal

from zhongshu.catalog.models import CatalogSettings, Category, Product, Unit
from zhongshu.core import clock
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import object_factory
from zhongshu.inventory import counts, manual, services
from zhongshu.inventory.models import (
    CostAdjustment,
    Location,
    StockCount,
    Warehouse,
)
from zhongshu.ledger import services as ledger_services
from zhongshu.ledger import testing as ledger_testing

# Stock bought outside purchasing's documents: owed as other payables, so a
# company whose 2202 tracks suppliers (purchasing sets that up for every new
# company) takes it without a supplier.
PURCHASES = services.Counterpart("other_payable")
SALES = services.Counterpart("cost_of_sales")


def stocked_company(code: str = "STOCK", *, method: str = "moving_average") -> Company:
    company = ledger_testing.company_with_books(code)
    CatalogSettings.objects.update_or_create(
        company=company, defaults={"costing_method": method}
    )
    return company


def unit(
    company: Company, code: str = "PCS", name: str = "件", places: int = 0
) -> Unit:
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
    unit_cost: str | None = None,
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
                unit_cost=Decimal(unit_cost) if unit_cost is not None else None,
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


# --- the moves, manual documents and cost adjustments the probes open -------


def _probe_stock(company: Company) -> tuple[Product, Warehouse]:
    """A product and a warehouse of ``company`` to move stock with, its books
    set up (the probes' companies start without them)."""
    ledger_services.set_up_books(company=company)
    where = Warehouse.objects.filter(company=company, code="PROBE-M").first()
    if where is None:
        where = warehouse(company, "PROBE-M")
    count = Product.objects.filter(company=company).count()
    return product(company, f"PROBE-{count + 1}"), where


@object_factory("move_id")
def _move(company: Company) -> int:
    item, where = _probe_stock(company)
    posting = receive(company, clock.today(), item, where, "2", "3.00", source_id=9)
    return posting.moves[0].pk


@object_factory("manual_document_id")
def _manual_document(company: Company) -> int:
    item, where = _probe_stock(company)
    document = manual.receive_by_hand(
        company=company,
        date=clock.today(),
        lines=[
            services.MoveLine(
                product=item,
                warehouse=where,
                quantity=Decimal("2"),
                unit_cost=Decimal("3.00"),
            )
        ],
        counter=PURCHASES,
        actor=None,
    )
    return document.source.id


@object_factory("cost_adjustment_id")
def _cost_adjustment(company: Company) -> int:
    """2 @ 1.00 on 01-02, 1 issued on 01-03, then 2 @ 3.00 dated 01-02:
    the issue is revalued from 1.00 to 2.00."""
    item, where = _probe_stock(company)
    year = clock.today().year
    jan = [datetime.date(year, 1, n) for n in (2, 3)]
    receive(company, jan[0], item, where, "2", "1.00", source_id=1)
    issue(company, jan[1], item, where, "1", source_id=1)
    receive(company, jan[0], item, where, "2", "3.00", source_id=2)
    return CostAdjustment.objects.filter(company=company).latest("pk").pk


@object_factory("count_id")
def _count(company: Company) -> int:
    taken = StockCount.objects.filter(company=company).count()
    where = warehouse(company, f"PROBE-C{taken}")
    return counts.create_count(
        company=company, actor=None, warehouse=where, date=clock.today()
    ).pk
