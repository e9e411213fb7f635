"""Reads of voucher templates, scoped to a company; ``get_template`` answers
``NotFoundError`` for another company's id, as every ledger ``get_*`` does."""

from __future__ import annotations

from django.db.models import QuerySet

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.ledger.models import VoucherTemplate


def list_templates(company: Company) -> QuerySet[VoucherTemplate]:
    return (
        VoucherTemplate.objects.filter(company=company)
        .select_related("created_by")
        .order_by("name", "id")
    )


def get_template(company: Company, template_id: int) -> VoucherTemplate:
    template = list_templates(company).filter(pk=template_id).first()
    if template is None:
        raise NotFoundError()
    return template
