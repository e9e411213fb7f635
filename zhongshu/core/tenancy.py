"""Tenant scoping helpers: every tenant-owned row belongs to exactly one company."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company


def same_company(company: Company, *rows: Any) -> None:
    """Refuse to link rows of another company; it looks like they do not exist."""
    for row in rows:
        if row is not None and row.company_id != company.id:
            raise NotFoundError(_("The referenced object does not exist."))
