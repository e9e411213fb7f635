"""The demo retailer's purchasing, worked by hand (13 % VAT, net prices):

- tees 3 × 20 at 35.00 = 2,100.00 + 273.00 VAT = 2,373.00, received,
  invoiced and paid 2,353.00 less a 20.00 discount; 2 tees returned after
  invoicing: a credit of 70.00 + 9.10 = 79.10 owed back by the supplier;
- dresses 2 × 30 at 95.00 ordered, 20 of each received: estimate
  2 × 1,900.00 = 3,800.00 on 2202;
- jeans 2 × 20 at 70.00 received (estimate 2,800.00), invoiced at 76.00:
  a price exception, so the estimate stays;
- coats 4 × 40 at 180.00 = 28,800.00 + VAT above the 20,000.00 threshold:
  waiting for approval; a requisition of bags waiting too;
- a 3,000.00 prepayment on 1123.

2202 then holds 3,800.00 + 2,800.00 − 79.10 = 6,520.90 on credit."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from zhongshu.core import consistency
from zhongshu.core.demo import RETAILER
from zhongshu.core.models import Company
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    PurchaseOrder,
    Requisition,
    SupplierInvoice,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_demo_retailer_buys_in_every_state_with_consistent_books() -> None:
    call_command("demo", stdout=StringIO())
    company = Company.objects.get(code=RETAILER.code)

    assert Counter(
        PurchaseOrder.objects.filter(company=company).values_list("state", flat=True)
    ) == {"done": 2, "confirmed": 1, "submitted": 1}
    assert Counter(
        SupplierInvoice.objects.filter(company=company).values_list("state", flat=True)
    ) == {"posted": 1, "exception": 1}
    assert Requisition.objects.get(company=company).state == "submitted"
    assert purchasing_testing.balance(company, "2202") == D("-6520.90")
    assert purchasing_testing.balance(company, "1123") == D("3000.00")
    failed = {r.name: r.problems for r in consistency.run_all() if not r.passed}
    assert failed == {}
