"""Voucher templates (凭证模板): a voucher's lines kept under a name, to start
new drafts from — the monthly depreciation, the rent, the wages accrual.

Documents: VoucherTemplate (no states). A template holds accounts by code and
amounts as decimal strings, so it is plain data: using it goes through
``create_voucher`` and meets every rule a typed-in draft meets (an account
since split or disabled is the usual line error). Events published: none.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.services import require_writable
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import Voucher, VoucherTemplate
from zhongshu.ledger.services.vouchers import DIMENSION_FIELDS, create_voucher

NAME_MAX_LENGTH = 100


def _template_lines(voucher: Voucher) -> list[dict[str, Any]]:
    rows = voucher.lines.select_related("account").order_by("line_no")
    return [
        {
            "summary": row.summary,
            "account": row.account.code,
            "debit": str(row.debit),
            "credit": str(row.credit),
            "dimensions": {
                kind: getattr(row, field)
                for kind, field in DIMENSION_FIELDS.items()
                if getattr(row, field) is not None
            },
        }
        for row in rows
    ]


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        message = _("Give the template a name.")
        raise ValidationError(message, fields={"name": [message]})
    if len(name) > NAME_MAX_LENGTH:
        message = _("A template name has at most %(count)d characters.") % {
            "count": NAME_MAX_LENGTH
        }
        raise ValidationError(message, fields={"name": [message]})
    return name


@transaction.atomic
def save_voucher_as_template(
    *, voucher: Voucher, actor: User, name: str
) -> VoucherTemplate:
    """Keep ``voucher``'s word and lines under ``name``; any voucher will do,
    draft or posted, red or not."""
    company = voucher.company
    require_writable(company)
    name = _clean_name(name)
    if VoucherTemplate.objects.filter(company=company, name=name).exists():
        message = _("There is already a template named %(name)s.") % {"name": name}
        raise ConflictError(message, fields={"name": [message]})
    template = VoucherTemplate.objects.create(
        company=company,
        name=name,
        word=voucher.word,
        lines=_template_lines(voucher),
        created_by=actor,
    )
    audit.record(company=company, actor=actor, action="created", obj=template)
    return template


def line_inputs(template: VoucherTemplate) -> list[LineInput]:
    """The template's lines as inputs, accounts by code as saved."""
    return [
        LineInput(
            summary=str(row.get("summary", "")),
            account=str(row["account"]),
            debit=Decimal(str(row.get("debit", "0"))),
            credit=Decimal(str(row.get("credit", "0"))),
            dimensions={
                str(kind): int(value)
                for kind, value in dict(row.get("dimensions") or {}).items()
            },
        )
        for row in template.lines
    ]


def create_voucher_from_template(
    *, template: VoucherTemplate, actor: User, date: datetime.date
) -> Voucher:
    """A draft dated ``date`` with the template's word and lines."""
    return create_voucher(
        company=template.company,
        actor=actor,
        date=date,
        lines=line_inputs(template),
        word=template.word,
    )


@transaction.atomic
def delete_template(*, template: VoucherTemplate, actor: User) -> None:
    """Templates are no records of anything posted, so they simply go."""
    require_writable(template.company)
    audit.record(company=template.company, actor=actor, action="deleted", obj=template)
    template.delete()
