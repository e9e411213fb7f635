"""The sales step of the demo, run the way `zhongshu demo` runs it (twice:
the second run resets), checked against figures worked out by hand.

Dealer prices are 55 % of retail: T-shirt 79 → 43.45, jeans 199 → 109.45,
coat 899 → 494.45.

- GZJX: 18 T-shirts × 43.45 = 782.10 + 6 jeans × 109.45 = 656.70 →
  1,438.80, paid 1,438.00, 0.80 written off: nothing open.
- BJJH (retail −10 %): 6 coats × 809.10 = 4,854.60 + 4 dresses × 269.10 =
  1,076.40 → 5,931.00, paid 3,000.00: 2,931.00 open.
- SZCL (retail −15 %): 6 T-shirts 402.90 + 4 dresses 1,016.60 + 10 bags
  331.50 = 1,751.00; 2 dresses back (508.30) → 1,242.70; half paid
  (621.35): 621.35 open.
- SYSJ: 8 coats × 494.45 = 3,955.60 + 10 jeans 1,094.50 = 5,050.10 over a
  5,000 limit, confirmed by the boss; unpaid.
- HRBT: 20 T-shirts × 79 = 1,580.00 against a 2,000.00 advance: 420.00
  stays on 预收.
- HZXZ: 6 jeans (cost 68) and 5 T-shirts (cost 22) delivered, not
  invoiced: 408 + 110 = 518.00 on 发出商品.

应收 1122 = 2,931.00 + 621.35 + 5,050.10 = 8,602.45; 预收 2203 = −420.00.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from zhongshu.core import consistency
from zhongshu.core.demo import RETAILER
from zhongshu.core.models import Company, Membership, Role
from zhongshu.sales import (
    checks,  # noqa: F401 - registers the sales checks
)
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    Quotation,
    Receipt,
    ReceivableItem,
    RetailSale,
    SalesInvoice,
    SalesOrder,
    SalesReturn,
)

pytestmark = pytest.mark.django_db

D = Decimal


def _open(company: Company, code: str) -> Decimal:
    items = ReceivableItem.objects.filter(company=company, customer__code=code)
    return sum((i.open_amount for i in items), D(0))


def test_the_demo_retailer_has_sales_in_every_state_and_consistent_books() -> None:
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())  # resets, sales rows included
    company = Company.objects.get(code=RETAILER.code)

    states = Counter(
        SalesOrder.objects.filter(company=company).values_list("state", flat=True)
    )
    assert states == {"done": 5, "confirmed": 1, "draft": 1, "cancelled": 1}
    assert Counter(
        Quotation.objects.filter(company=company).values_list("state", flat=True)
    ) == {"accepted": 1, "draft": 1, "cancelled": 1}
    assert Delivery.objects.filter(company=company).count() == 7
    assert Delivery.objects.filter(company=company, invoice=None).count() == 1
    assert SalesInvoice.objects.filter(company=company).count() == 5
    assert SalesReturn.objects.filter(company=company).count() == 1
    assert Receipt.objects.filter(company=company).count() == 4
    assert RetailSale.objects.filter(company=company).count() == 6

    assert {code: _open(company, code) for code in ("GZJX", "BJJH", "SZCL")} == {
        "GZJX": D("0.00"),
        "BJJH": D("2931.00"),
        "SZCL": D("621.35"),
    }
    shenyang = SalesOrder.objects.get(company=company, customer__code="SYSJ")
    assert shenyang.total == D("5050.10")
    boss = Membership.objects.get(company=company, role=Role.OWNER).user
    assert shenyang.credit_override_by == boss
    assert _open(company, "SYSJ") == D("5050.10")
    advance = Receipt.objects.get(company=company, customer__code="HRBT")
    assert advance.unallocated == D("420.00")

    assert sales_testing.balance(company, "1122") == D("8602.45")
    assert sales_testing.balance(company, "2203") == D("-420.00")
    assert sales_testing.balance(company, "1406") == D("518.00")

    failed = {r.name: r.problems for r in consistency.run_all() if not r.passed}
    assert failed == {}
