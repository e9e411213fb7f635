"""Catalog and stock of the demo garment retailer, built through the services.

A head-office warehouse in Dongguan and stores north and south; styles with
colour × size variants, a plain product sold by the box, retail and
wholesale price lists; purchases into head office, transfers to the stores,
counter sales, safety stocks (so the alerts page has something to say) and one
receipt entered late, backdated before sales, so the cost adjustment shows.
Dates run over the last weeks up to today, so the demo never looks stale.
The cockpit issue grows this into a full year.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import User

from zhongshu.catalog import services as catalog
from zhongshu.catalog.models import Product, Unit
from zhongshu.core import clock
from zhongshu.core.models import Company
from zhongshu.inventory import manual, services
from zhongshu.inventory.models import StockBalance, Warehouse, WarehouseKind
from zhongshu.ledger import services as ledger

# The stock the demo starts with was bought before the books' purchasing
# documents: owed to the head office as other payables (其他应付款), so
# 2202 holds only what purchasing's own documents owe suppliers.
PURCHASES = services.Counterpart("other_payable")
SALES = services.Counterpart("cost_of_sales")

# code, name, kind, province, city (GB/T 2260)
SITES = (
    ("HQ", "东莞总仓", WarehouseKind.WAREHOUSE, "440000", "441900"),
    ("GZ01", "广州天河店", WarehouseKind.STORE, "440000", "440100"),
    ("SZ01", "深圳南山店", WarehouseKind.STORE, "440000", "440300"),
    ("BJ01", "北京朝阳店", WarehouseKind.STORE, "110000", "110100"),
    ("SY01", "沈阳和平店", WarehouseKind.STORE, "210000", "210100"),
)
COLOURS = (("RED", "红色"), ("BLACK", "黑色"), ("WHITE", "白色"), ("BLUE", "蓝色"))
SIZES = (("S", "S"), ("M", "M"), ("L", "L"), ("XL", "XL"))
# style code, name, category, cost, retail price, colours
STYLES = (
    ("D2601", "碎花连衣裙", "DRESS", "85.00", "299.00", ("RED", "BLACK", "WHITE")),
    ("T2601", "纯棉圆领T恤", "TOP", "22.00", "79.00", ("BLACK", "WHITE", "BLUE")),
    ("J2601", "直筒牛仔裤", "PANTS", "68.00", "199.00", ("BLUE", "BLACK")),
    ("C2601", "羊毛大衣", "COAT", "260.00", "899.00", ("BLACK", "RED")),
)
# The south sells dresses and tops; the north coats.
DEMAND = {
    "GZ01": {"DRESS": 6, "TOP": 5, "PANTS": 3, "COAT": 1},
    "SZ01": {"DRESS": 5, "TOP": 6, "PANTS": 3, "COAT": 0},
    "BJ01": {"DRESS": 1, "TOP": 3, "PANTS": 3, "COAT": 4},
    "SY01": {"DRESS": 0, "TOP": 2, "PANTS": 3, "COAT": 5},
}


def build(company: Company, boss: User) -> None:
    today = clock.today()
    start = max(today - datetime.timedelta(days=40), today.replace(month=1, day=1))
    ledger.set_up_books(company=company)
    catalog.ensure_catalog(company=company)
    piece = Unit.objects.get(company=company, code="件")
    box = Unit.objects.get(company=company, code="箱")
    sites = {
        code: services.create_warehouse(
            company=company,
            actor=boss,
            data=services.WarehouseData(
                code=code, name=name, kind=kind, province=province, city=city
            ),
        )
        for code, name, kind, province, city in SITES
    }
    hq = sites["HQ"]
    for zone, aisles in (("A", 3), ("B", 2)):
        for aisle in range(1, aisles + 1):
            for level in (1, 2):
                services.add_location(
                    warehouse=hq,
                    actor=boss,
                    data=services.LocationData(
                        code=f"{zone}-{aisle:02d}-{level}",
                        zone=zone,
                        aisle=f"{aisle:02d}",
                        rack="01",
                        level=str(level),
                        x=aisle * 300,
                        y=(0 if zone == "A" else 1200) + level * 10,
                    ),
                )
    products = _catalog(company, boss, piece, box)
    _moves(company, boss, sites, products, start, today)


def _catalog(
    company: Company, boss: User, piece: Unit, box: Unit
) -> dict[str, list[tuple[Product, Decimal]]]:
    """Products by category code, each with its unit cost."""
    womens = catalog.create_category(
        company=company, actor=boss, code="WOMEN", name="女装"
    )
    categories = {
        "DRESS": catalog.create_category(
            company=company, actor=boss, code="DRESS", name="连衣裙", parent=womens
        ),
        "TOP": catalog.create_category(
            company=company, actor=boss, code="TOP", name="上衣"
        ),
        "PANTS": catalog.create_category(
            company=company, actor=boss, code="PANTS", name="裤装"
        ),
        "COAT": catalog.create_category(
            company=company, actor=boss, code="COAT", name="外套"
        ),
        "ACC": catalog.create_category(
            company=company, actor=boss, code="ACC", name="配饰"
        ),
    }
    catalog.create_attribute(
        company=company, actor=boss, code="COLOUR", name="颜色", values=COLOURS
    )
    catalog.create_attribute(
        company=company, actor=boss, code="SIZE", name="尺码", values=SIZES
    )
    retail = catalog.create_price_list(
        company=company,
        actor=boss,
        data=catalog.PriceListData(code="RETAIL", name="零售价", kind="retail"),
    )
    wholesale = catalog.create_price_list(
        company=company,
        actor=boss,
        data=catalog.PriceListData(
            code="WHOLESALE", name="批发价", kind="wholesale", priority=20
        ),
    )
    products: dict[str, list[tuple[Product, Decimal]]] = {}
    for code, name, category, cost, price, colours in STYLES:
        style = catalog.create_style(
            company=company,
            actor=boss,
            data=catalog.StyleData(
                code=code,
                name=name,
                axes=("COLOUR", "SIZE"),
                base_unit=piece,
                category=categories[category],
                brand="中枢",
            ),
        )
        variants = catalog.generate_variants(
            style=style,
            actor=boss,
            values={"COLOUR": list(colours), "SIZE": [s for s, _n in SIZES]},
        )
        for variant in variants:
            catalog.set_price(
                price_list=retail,
                actor=boss,
                data=catalog.PriceData(product=variant, price=Decimal(price)),
            )
            for minimum, share in ((Decimal(0), "0.60"), (Decimal(50), "0.55")):
                catalog.set_price(
                    price_list=wholesale,
                    actor=boss,
                    data=catalog.PriceData(
                        product=variant,
                        price=(Decimal(price) * Decimal(share)).quantize(
                            Decimal("0.01")
                        ),
                        min_quantity=minimum,
                    ),
                )
        products[category] = [(v, Decimal(cost)) for v in variants]
    bag = catalog.create_product(
        company=company,
        actor=boss,
        data=catalog.ProductData(
            code="BAG01",
            name="帆布托特包",
            base_unit=piece,
            category=categories["ACC"],
            specification="40×35cm",
            units=(catalog.AltUnit(unit=box, factor=Decimal(20)),),
            barcodes=(catalog.BarcodeInput(code="6901234567892"),),
        ),
    )
    catalog.set_price(
        price_list=retail,
        actor=boss,
        data=catalog.PriceData(product=bag, price=Decimal("39.00")),
    )
    products["ACC"] = [(bag, Decimal("12.00"))]
    return products


def _moves(
    company: Company,
    boss: User,
    sites: dict[str, Warehouse],
    products: dict[str, list[tuple[Product, Decimal]]],
    start: datetime.date,
    today: datetime.date,
) -> None:
    hq = sites["HQ"]
    everything = [item for items in products.values() for item in items]
    manual.receive_by_hand(
        company=company,
        date=start,
        lines=[
            services.MoveLine(
                product=product, warehouse=hq, quantity=Decimal(40), unit_cost=cost
            )
            for product, cost in everything
        ],
        counter=PURCHASES,
        actor=boss,
        memo="首批采购入库（暂估）",
    )
    manual.transfer_by_hand(
        company=company,
        date=start + datetime.timedelta(days=2),
        lines=_store_transfers(sites, products),
        actor=boss,
        memo="门店铺货",
    )
    _counter_sales(company, boss, sites, products, start, today)
    # The supplier's delivery note for a second batch of dresses turned up
    # late: entered now, dated a week after the start, before many sales.
    manual.receive_by_hand(
        company=company,
        date=start + datetime.timedelta(days=7),
        lines=[
            services.MoveLine(
                product=product, warehouse=hq, quantity=Decimal(10), unit_cost=cost + 5
            )
            for product, cost in products["DRESS"]
        ],
        counter=PURCHASES,
        actor=boss,
        memo="补录采购入库",
    )
    for code, warehouse in sites.items():
        safety = Decimal(20 if code == "HQ" else 2)
        for items in products.values():
            for product, _cost in items[:3]:
                services.set_stock_policy(
                    company=company,
                    actor=boss,
                    product=product,
                    warehouse=warehouse,
                    safety_stock=safety,
                    maximum_stock=safety * 10,
                )


def _store_transfers(
    sites: dict[str, Warehouse], products: dict[str, list[tuple[Product, Decimal]]]
) -> list[services.TransferLine]:
    """Stores get what their region sells."""
    return [
        services.TransferLine(
            product=product,
            quantity=Decimal(weight * 2),
            from_warehouse=sites["HQ"],
            to_warehouse=sites[code],
        )
        for code, demand in DEMAND.items()
        for category, weight in demand.items()
        if weight
        for product, _cost in products[category]
    ]


def _counter_sales(
    company: Company,
    boss: User,
    sites: dict[str, Warehouse],
    products: dict[str, list[tuple[Product, Decimal]]],
    start: datetime.date,
    today: datetime.date,
) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    day = start + datetime.timedelta(days=3)
    while day <= today:
        for code, demand in DEMAND.items():
            lines = [
                services.MoveLine(
                    product=product, warehouse=sites[code], quantity=Decimal(1)
                )
                for category, weight in demand.items()
                if weight
                for product, _cost in rng.sample(products[category], 2)
                if rng.random() < weight / 8 and _in_stock(product, sites[code])
            ]
            if lines:
                manual.issue_by_hand(
                    company=company,
                    date=day,
                    lines=lines,
                    counter=SALES,
                    actor=boss,
                    memo="门店零售",
                )
        day += datetime.timedelta(days=3)


def _in_stock(product: Product, warehouse: Warehouse) -> bool:
    held = (
        StockBalance.objects.filter(product=product, warehouse=warehouse)
        .values_list("on_hand", flat=True)
        .first()
    )
    return held is not None and held > 0
