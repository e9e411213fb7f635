"""The o2c benchmark scenario at a tiny size: every phase runs through the
services, and the books, the stock and the receivables agree afterwards.

Sizes: 6 orders × 3 lines of 10 products, 3 customers, 7 aging items (seven
orders of one unit, delivered and never paid).

- Every main order is delivered, invoiced and paid in full, so what is left
  on 应收账款 (1122) is exactly the 7 aging items, and nothing stays on
  预收账款 (2203) or 发出商品 (1406).
- Opening stock per product: in WH1 6 orders × 10 + 10 = 70, what is on
  hand afterwards is 70 less what the orders took; in WH2, for the aging
  orders, one unit of each (⌈7 / 10⌉), taken by the first 7 products.
- Rows of the chain: 6 orders + 6 deliveries + 6 invoices + 6 receipts = 24
  documents; 6 × 3 = 18 order and delivery lines; 6 settlements; vouchers:
  the opening receipt + 3 per order (cost, invoice, receipt) = 19 — or with
  revenue on delivery, cost + revenue at delivery and the receipt: 19 too.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from bench import o2c
from zhongshu.core import consistency
from zhongshu.core.models import Company
from zhongshu.inventory.models import StockBalance
from zhongshu.sales import checks  # noqa: F401 - registers the sales checks
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import ReceivableItem, SalesOrderLine

pytestmark = pytest.mark.django_db

PARAMS = {
    "orders": 6,
    "lines": 3,
    "products": 10,
    "customers": 3,
    "batch": 1,
    "on_delivery": 0,
    "aging_items": 7,
    "seed": 42,
}


@pytest.mark.parametrize(
    ("batch", "on_delivery"), [(1, 0), (4, 0), (1, 1)], ids=["b1", "b4", "delivery"]
)
def test_o2c_runs_every_phase_and_leaves_the_books_consistent(
    batch: int, on_delivery: int
) -> None:
    figures = o2c.run({**PARAMS, "batch": batch, "on_delivery": on_delivery})

    counts = dict(figures["counts"])
    assert counts.pop("voucher_lines") >= 2 * 19
    assert counts == {
        "documents": 24 - 6 * on_delivery,  # no invoices on delivery
        "order_lines": 18,
        "delivery_lines": 18,
        "settlements": 6,
        "stock_moves": 10 + 10 + 18,
        "vouchers": 19,
    }
    rate = figures["rate"]
    assert rate["order"] > 0
    assert rate["ship"] > 0
    assert rate["pay"] > 0
    assert (rate["post"] is None) == bool(on_delivery)
    assert figures["ledger_rows"] > 100  # every account of the chart
    assert figures["stock_rows"] == 10
    assert figures["aging_open_items"] == 7
    assert figures["aging_ms"] is not None

    company = Company.objects.get(code="O2CBENCH")
    items = ReceivableItem.objects.filter(company=company, open_amount__gt=0)
    assert items.count() == 7
    open_total = sum((i.open_amount for i in items), Decimal(0))
    assert open_total > 0
    assert sales_testing.balance(company, "1122") == open_total
    assert sales_testing.balance(company, "2203") == 0
    assert sales_testing.balance(company, "1406") == 0

    taken: Counter[tuple[str, str]] = Counter()
    for line in SalesOrderLine.objects.filter(company=company).select_related(
        "product", "warehouse"
    ):
        assert line.delivered_quantity == line.base_quantity
        taken[line.warehouse.code, line.product.code] += int(line.base_quantity)
    balances = StockBalance.objects.filter(company=company).select_related(
        "product", "warehouse"
    )
    on_hand = {
        b.product.code: int(b.on_hand) for b in balances if b.warehouse.code == "WH1"
    }
    aging = sorted(int(b.on_hand) for b in balances if b.warehouse.code == "WH2")
    assert on_hand == {code: 70 - taken["WH1", code] for code in on_hand}
    assert aging == [0] * 7 + [1] * 3
    assert sum(n for (where, _code), n in taken.items() if where == "WH2") == 7
    assert sum(taken.values()) > 18 + 7  # 18 lines of 1–10 units, 7 aging units

    failed = {r.name: r.problems for r in consistency.run_all() if not r.passed}
    assert failed == {}
