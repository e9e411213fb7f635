"""Reactions of the catalog to lower modules' facts."""

from __future__ import annotations

from zhongshu.catalog.services.setup import ensure_catalog
from zhongshu.core import events
from zhongshu.core.facts import CompanyCreated
from zhongshu.core.models import Company


@events.handler(CompanyCreated)
def set_up_catalog_of_new_company(event: CompanyCreated) -> None:
    """A new company gets its catalog settings and default units. Idempotent."""
    company = Company.objects.filter(pk=event.company_id).first()
    if company is not None:
        ensure_catalog(company=company)
