"""Reactions of sales to lower modules' facts."""

from __future__ import annotations

from zhongshu.core import events
from zhongshu.core.facts import CompanyCreated
from zhongshu.core.models import Company
from zhongshu.ledger.services import set_up_books
from zhongshu.sales.services.setup import track_customers


@events.handler(CompanyCreated)
def track_customers_of_new_company(event: CompanyCreated) -> None:
    """A new company's receivable accounts track customers from the start.
    Sets up the books first (idempotent), whichever handler runs first."""
    company = Company.objects.filter(pk=event.company_id).first()
    if company is not None:
        set_up_books(company=company)
        track_customers(company)
