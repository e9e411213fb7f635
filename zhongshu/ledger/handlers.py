"""Reactions of the ledger to lower modules' facts."""

from __future__ import annotations

from zhongshu.core import events
from zhongshu.core.facts import CompanyCreated
from zhongshu.core.models import Company
from zhongshu.ledger.services.setup import set_up_books


@events.handler(CompanyCreated)
def set_up_books_of_new_company(event: CompanyCreated) -> None:
    """A new company gets the chart of its accounting standard. Idempotent."""
    company = Company.objects.filter(pk=event.company_id).first()
    if company is not None:
        set_up_books(company=company)
