"""Reactions of purchasing to lower modules' facts."""

from __future__ import annotations

from zhongshu.core import events
from zhongshu.core.facts import CompanyCreated
from zhongshu.core.models import Company
from zhongshu.ledger.services import set_up_books
from zhongshu.purchasing.services.setup import track_suppliers


@events.handler(CompanyCreated)
def track_suppliers_of_new_company(event: CompanyCreated) -> None:
    """A new company's payable accounts track suppliers from the start.
    Sets up the books first (idempotent), whichever handler runs first."""
    company = Company.objects.filter(pk=event.company_id).first()
    if company is not None:
        set_up_books(company=company)
        track_suppliers(company)
