"""The check ``sales.receivables_match_ledger``: it passes after the
services' flows and names each difference once a row is edited behind their
back — per customer when the accounts track customers, in total otherwise.

Flow (13 % VAT in the price): K takes 2 × 113.00 = 226.00 on 03-02 and pays
300.00 on 03-05: 226.00 settled, 74.00 in advance. L takes 56.50 on 03-03
and has not paid. So 1122 = 56.50 (L), 2203 = −74.00 (K)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhongshu.core import consistency
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company
from zhongshu.ledger import services as ledger_services
from zhongshu.ledger.models import Account
from zhongshu.partners import testing as partners_testing
from zhongshu.sales import checks, services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import ItemKind, Receipt, ReceivableItem
from zhongshu.sales.tests.test_receivables_reports import day, sell

pytestmark = pytest.mark.django_db

D = Decimal


def build(code: str, *, per_customer: bool) -> dict[str, Any]:
    company = sales_testing.sales_company(code)
    # The chart keeps 1122 and 2203 per customer; a company may drop that
    # before its first posting.
    owner = core_testing.owner_of(company)
    for account_code in ("1122", "2203"):
        account = Account.objects.get(company=company, code=account_code)
        ledger_services.update_account(
            account=account,
            actor=owner,
            name=account.name,
            dimensions=["customer"] if per_customer else [],
        )
    k = partners_testing.make_customer(company, "K")
    lc = partners_testing.make_customer(company, "L")
    sell(company, k, day(3, 2), "2", "113.00")
    item_l = sell(company, lc, day(3, 3), "1", "56.50")
    receipt = services.record_receipt(
        company=company, actor=None, customer=k, date=day(3, 5), amount=D("300")
    )
    return {"company": company, "k": k, "l": lc, "item_l": item_l, "receipt": receipt}


def test_the_check_is_registered() -> None:
    assert "sales.receivables_match_ledger" in consistency.registered_checks()


@pytest.mark.parametrize("per_customer", [False, True])
def test_passes_after_normal_flows(per_customer: bool) -> None:
    flow = build("CHK", per_customer=per_customer)
    company: Company = flow["company"]
    assert sales_testing.balance(company, "1122") == D("56.50")
    assert sales_testing.balance(company, "2203") == D("-74.00")
    # K takes 56.50 more on 03-06, paid from the advance: 74.00 − 56.50.
    sell(company, flow["k"], day(3, 6), "1", "56.50")
    services.apply_advance(receipt=flow["receipt"], actor=None, date=day(3, 6))
    assert sales_testing.balance(company, "2203") == D("-17.50")
    assert checks.receivables_match_ledger() == []


def test_fails_when_an_open_item_is_edited() -> None:
    flow = build("CHK", per_customer=False)
    # 56.50 becomes 50.00 behind the services' back: 6.50 short in total.
    ReceivableItem.objects.filter(pk=flow["item_l"].pk).update(open_amount=D("50.00"))
    problems = checks.receivables_match_ledger()
    assert len(problems) == 1
    assert "account 1122 应收账款" in problems[0]
    assert "receivable items 50.00 ≠ ledger 56.50 (difference -6.50)" in problems[0]


def test_fails_when_a_receipt_is_edited() -> None:
    flow = build("CHK", per_customer=False)
    Receipt.objects.filter(pk=flow["receipt"].pk).update(unallocated=D("70.00"))
    problems = checks.receivables_match_ledger()
    assert len(problems) == 1
    assert "account 2203 预收账款" in problems[0]
    assert (
        "advances 70.00 ≠ the advance account's balance from sales documents 74.00"
        in (problems[0])
    )


def test_per_customer_a_row_moved_to_another_customer_fails() -> None:
    """The totals still agree; only the customer split shows the move."""
    flow = build("CHK", per_customer=True)
    item = flow["item_l"]
    ReceivableItem.objects.filter(pk=item.pk).update(customer=flow["k"])
    problems = checks.receivables_match_ledger()
    assert problems == [
        f"company {flow['company'].pk} account 1122 应收账款 customer K: "
        "receivable items 56.50 ≠ ledger 0.00 (difference 56.50)",
        f"company {flow['company'].pk} account 1122 应收账款 customer L: "
        "receivable items 0.00 ≠ ledger 56.50 (difference -56.50)",
    ]


def test_in_total_the_same_move_goes_unseen() -> None:
    flow = build("CHK", per_customer=False)
    ReceivableItem.objects.filter(pk=flow["item_l"].pk).update(customer=flow["k"])
    assert checks.receivables_match_ledger() == []
    assert ReceivableItem.objects.filter(kind=ItemKind.DELIVERY).count() == 2
