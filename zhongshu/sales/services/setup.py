"""A company's books made ready for sales: the receivable and advance
receipt accounts track customers (客户辅助核算), so the receivables
subledger can be matched with the ledger customer by customer."""

from __future__ import annotations

from zhongshu.core.models import Company
from zhongshu.ledger.chart import Role
from zhongshu.ledger.services.accounts import track_dimension

CUSTOMER_ROLES = (Role.RECEIVABLE, Role.ADVANCE_RECEIPTS)


def track_customers(company: Company) -> list[str]:
    """Add the customer dimension to the receivable and advance accounts that
    have no postings yet. Returns the codes changed. Idempotent."""
    return track_dimension(company, CUSTOMER_ROLES, "customer")
