"""The p2p benchmark scenario at a tiny size: every phase runs through the
services and the books agree afterwards.

6 orders × 3 lines: 6 orders + 6 receipts + 6 invoices = 18 documents; 6
payable items, all paid; vouchers: a receipt, an invoice and a payment per
order = 18 (the invoices match the order prices: no revaluation); the
estimate and the payable of every supplier end at zero."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bench import p2p
from zhongshu.core import consistency
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import PayableItem, PurchaseOrder

pytestmark = pytest.mark.django_db


def test_p2p_runs_every_phase_and_leaves_the_books_consistent() -> None:
    figures = p2p.run(
        {"pos": 6, "lines": 3, "products": 10, "suppliers": 3, "seed": 42}
    )
    counts = dict(figures["counts"])
    assert counts.pop("voucher_lines") >= 2 * 18
    assert counts == {"documents": 18, "payable_items": 6, "vouchers": 18}
    assert set(figures["rate"]) == {"order", "receive", "invoice", "pay", "overall"}
    assert figures["check_problems"] == 0
    company = PurchaseOrder.objects.get(number__endswith="00001").company
    assert not PayableItem.objects.filter(company=company).exclude(open_amount=0)
    assert purchasing_testing.balance(company, "2202") == Decimal("0")
    assert [r.name for r in consistency.run_all() if not r.passed] == []
