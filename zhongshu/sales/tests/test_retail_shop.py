"""The garment shop the retail tests share (no tests here).

Two stores, S1 and S2 (kind *store*), and the warehouse WH1 that holds no
counter stock. A retail price list with VAT included at 13 %:

| product | price  | net    | VAT   | cost  | S1 | S2 |
|---------|--------|--------|-------|-------|----|----|
| TEE     | 113.00 | 100.00 | 13.00 | 40.00 | 20 | 10 |
| JEANS   | 226.00 | 200.00 | 26.00 | 90.00 | 10 |  5 |
| SOCKS   |  33.90 |  30.00 |  3.90 |  8.00 | 50 | 20 |

Each product carries one EAN-13 barcode (``BARCODES``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User

from zhongshu.catalog import services as catalog_services
from zhongshu.catalog.barcodes import check_digit
from zhongshu.catalog.models import Barcode, BarcodeKind, PriceListKind, Product
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse, WarehouseKind
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import RetailSale

DAY1 = datetime.date(2026, 3, 2)
DAY2 = datetime.date(2026, 3, 3)
STOCKED_ON = datetime.date(2026, 1, 5)


def ean13(body: str) -> str:
    return body + str(check_digit(body))


BARCODES = {
    "TEE": ean13("690123450001"),
    "JEANS": ean13("690123450002"),
    "SOCKS": ean13("690123450003"),
}
PRICES = {"TEE": "113.00", "JEANS": "226.00", "SOCKS": "33.90"}
COSTS = {"TEE": "40.00", "JEANS": "90.00", "SOCKS": "8.00"}
STOCK = {"TEE": ("20", "10"), "JEANS": ("10", "5"), "SOCKS": ("50", "20")}


@dataclass(frozen=True, slots=True)
class Shop:
    company: Company
    s1: Warehouse
    s2: Warehouse
    products: dict[str, Product]

    def product(self, code: str) -> Product:
        return self.products[code]


def retail_shop(code: str = "SHOP") -> Shop:
    company = sales_testing.sales_company(code)
    s1 = inventory_testing.warehouse(company, "S1", kind=WarehouseKind.STORE)
    s2 = inventory_testing.warehouse(company, "S2", kind=WarehouseKind.STORE)
    owner = core_testing.owner_of(company)
    price_list = catalog_services.create_price_list(
        company=company,
        actor=owner,
        data=catalog_services.PriceListData(
            code="RETAIL", name="零售价", kind=PriceListKind.RETAIL
        ),
    )
    products = {}
    for product_code, (in_s1, in_s2) in STOCK.items():
        product = sales_testing.stocked_product(
            company,
            product_code,
            quantity=in_s1,
            unit_cost=COSTS[product_code],
            warehouse=s1,
            day=STOCKED_ON,
        )
        inventory_testing.receive(
            company, STOCKED_ON, product, s2, in_s2, COSTS[product_code]
        )
        Barcode.objects.create(
            company=company,
            product=product,
            code=BARCODES[product_code],
            kind=BarcodeKind.EAN13,
        )
        catalog_services.set_price(
            price_list=price_list,
            actor=owner,
            data=catalog_services.PriceData(
                product=product, price=Decimal(PRICES[product_code])
            ),
        )
        products[product_code] = product
    return Shop(company, s1, s2, products)


def cashier(shop: Shop, username: str = "shouyin") -> User:
    return core_testing.member(shop.company, [Role.CASHIER], username)


def sell(
    shop: Shop,
    store: Warehouse,
    day: datetime.date,
    lines: list[tuple[str, str, str]],
    payments: list[tuple[str, str]],
) -> RetailSale:
    """A sale of (product code, quantity, discount %) lines, priced from
    the list, paid by (method, amount)."""
    return services.sell_retail(
        company=shop.company,
        actor=None,
        store=store,
        date=day,
        lines=[
            services.RetailLineData(
                barcode=BARCODES[code],
                quantity=Decimal(quantity),
                discount_rate=Decimal(rate),
            )
            for code, quantity, rate in lines
        ],
        payments=[services.PaymentData(m, Decimal(a)) for m, a in payments],
    )


def four_sales(shop: Shop) -> list[RetailSale]:
    """The daily summary's sales, worked out by hand:

    - A, S1, day 1: TEE 2 × 113.00 = 226.00 (VAT 26.00) + SOCKS 33.90 (3.90)
      = 259.90, VAT 29.90, net 230.00, cost 2 × 40 + 8 = 88.00. Paid WeChat
      100.00 + cash 200.00 = 300.00: change 40.10, cash kept 159.90.
    - B, S1, day 1: JEANS 226.00 (VAT 26.00) by card; cost 90.00.
    - C, S2, day 1: TEE 113.00 (VAT 13.00) by Alipay; cost 40.00.
    - D, S1, day 2: SOCKS 3 at 10 % off: 101.70 × 0.9 = 91.53, VAT 91.53 ×
      0.13 / 1.13 = 10.53, net 81.00; cost 24.00. Cash 100.00: change 8.47.
    """
    return [
        sell(
            shop,
            shop.s1,
            DAY1,
            [("TEE", "2", "0"), ("SOCKS", "1", "0")],
            [("wechat", "100"), ("cash", "200")],
        ),
        sell(shop, shop.s1, DAY1, [("JEANS", "1", "0")], [("card", "226")]),
        sell(shop, shop.s2, DAY1, [("TEE", "1", "0")], [("alipay", "113")]),
        sell(shop, shop.s1, DAY2, [("SOCKS", "3", "10")], [("cash", "100")]),
    ]
