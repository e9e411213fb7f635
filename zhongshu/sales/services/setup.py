"""A company's books made ready for sales: the receivable and advance
receipt accounts track customers (客户辅助核算), so the receivables
subledger can be matched with the ledger customer by customer."""

from __future__ import annotations

from zhongshu.core.errors import ConflictError
from zhongshu.core.models import Company
from zhongshu.ledger.chart import Role
from zhongshu.ledger.services import resolve_account, update_account

CUSTOMER_ROLES = (Role.RECEIVABLE, Role.ADVANCE_RECEIPTS)


def track_customers(company: Company) -> list[str]:
    """Add the customer dimension to the receivable and advance accounts that
    have no postings yet (an account with postings keeps its dimensions: its
    old lines carry none). Returns the codes changed. Idempotent."""
    changed = []
    for role in CUSTOMER_ROLES:
        account = resolve_account(company, role)
        if "customer" in account.dimensions:
            continue
        try:
            update_account(
                account=account,
                actor=None,  # type: ignore[arg-type]
                name=account.name,
                dimensions=[*account.dimensions, "customer"],
            )
        except ConflictError:
            continue
        changed.append(account.code)
    return changed
