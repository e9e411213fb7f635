"""A company's books made ready for purchasing: the payable, estimated
payable and prepayment accounts track suppliers (供应商辅助核算), so the
payables subledger can be matched with the ledger supplier by supplier."""

from __future__ import annotations

from zhongshu.core.models import Company
from zhongshu.ledger.chart import Role
from zhongshu.ledger.services.accounts import track_dimension

SUPPLIER_ROLES = (Role.PAYABLE, Role.ESTIMATED_PAYABLE, Role.PREPAYMENTS)


def track_suppliers(company: Company) -> list[str]:
    """Add the supplier dimension to the payable accounts that have no
    postings yet. Returns the codes changed. Idempotent."""
    return track_dimension(company, SUPPLIER_ROLES, "supplier")
