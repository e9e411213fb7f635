"""Reactions of purchasing to lower modules' facts."""

from __future__ import annotations

from zhongshu.core import clock, events
from zhongshu.core.facts import CompanyCreated
from zhongshu.core.models import Company
from zhongshu.inventory.events import StockBelowSafety
from zhongshu.ledger.services import set_up_books
from zhongshu.purchasing.services.replenishment import rebuild_suggestions
from zhongshu.purchasing.services.setup import track_suppliers


@events.handler(CompanyCreated)
def track_suppliers_of_new_company(event: CompanyCreated) -> None:
    """A new company's payable accounts track suppliers from the start.
    Sets up the books first (idempotent), whichever handler runs first."""
    company = Company.objects.filter(pk=event.company_id).first()
    if company is not None:
        set_up_books(company=company)
        track_suppliers(company)


@events.handler(StockBelowSafety)
def rebuild_replenishment_suggestion(event: StockBelowSafety) -> None:
    """A product fell below its safety stock in a warehouse: its suggestion
    there is worked out again from today's figures (so a redelivered event
    changes nothing more). A read-only company's suggestions stay as they
    were."""
    company = Company.objects.filter(pk=event.company_id).first()
    today = clock.today()
    if company is None or company.is_read_only_on(today):
        return
    rebuild_suggestions(
        company=company,
        on_date=today,
        product_ids=[event.product_id],
        warehouse_ids=[event.warehouse_id],
    )
