"""Sales settings (销售设置): how revenue is recognised, the default
warehouse, whether prices include VAT, the aging buckets, the small
difference tolerance and the accounts for bank charges and differences.
Events published: none."""

from __future__ import annotations

import enum
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, to_decimal
from zhongshu.core.services import require_writable
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import Account
from zhongshu.sales.models import RevenueRecognition, SalesSettings
from zhongshu.sales.selectors.receivables import parse_buckets
from zhongshu.sales.services.common import field_error, settings_of

MAX_TOLERANCE = Decimal("1000")


class Unset(enum.Enum):
    """A field left out: kept as it is (None clears a warehouse or account)."""

    UNSET = 0


UNSET = Unset.UNSET


def _check_warehouse(company: Company, warehouse: Warehouse | None) -> None:
    if warehouse is None:
        return
    if warehouse.company_id != company.pk:
        raise NotFoundError(_("Warehouse not found."))
    if not warehouse.is_active:
        raise field_error(
            "default_warehouse",
            _("Warehouse %(warehouse)s is disabled.") % {"warehouse": warehouse.code},
        )


def _check_account(company: Company, field: str, account: Account | None) -> None:
    if account is None:
        return
    if account.company_id != company.pk:
        raise NotFoundError(_("Account not found."))
    if not account.is_leaf or not account.is_active:
        raise field_error(
            field,
            _("%(account)s cannot take postings (disabled or has sub-accounts).")
            % {"account": account},
        )


def _clean_buckets(text: str) -> str:
    try:
        days = parse_buckets(text)
    except ValueError as error:
        raise field_error("aging_buckets", str(error)) from error
    return ",".join(str(day) for day in days)


def _clean_tolerance(value: Decimal) -> Decimal:
    amount = round_amount(to_decimal(value))
    if amount < 0 or amount > MAX_TOLERANCE:
        raise field_error(
            "write_off_tolerance",
            _("The tolerance must be between 0 and %(limit)s.")
            % {"limit": f"{MAX_TOLERANCE:.2f}"},
        )
    return amount


@transaction.atomic
def update_settings(
    *,
    company: Company,
    actor: User | None,
    revenue_recognition: str | Unset = UNSET,
    default_warehouse: Warehouse | Unset | None = UNSET,
    prices_include_tax: bool | Unset = UNSET,
    aging_buckets: str | Unset = UNSET,
    write_off_tolerance: Decimal | Unset = UNSET,
    bank_charge_account: Account | Unset | None = UNSET,
    difference_account: Account | Unset | None = UNSET,
) -> SalesSettings:
    """Change the settings given (the others stay); validated all before
    any is written, one audit entry naming what changed. Switching revenue
    recognition applies to deliveries made from then on: each delivery keeps
    the rule it was made under."""
    require_writable(company)
    given = {
        name: value
        for name, value in (
            ("revenue_recognition", revenue_recognition),
            ("default_warehouse", default_warehouse),
            ("prices_include_tax", prices_include_tax),
            ("aging_buckets", aging_buckets),
            ("write_off_tolerance", write_off_tolerance),
            ("bank_charge_account", bank_charge_account),
            ("difference_account", difference_account),
        )
        if not isinstance(value, Unset)
    }
    wanted = {name: _clean(company, name, value) for name, value in given.items()}
    settings = settings_of(company)
    settings = SalesSettings.objects.select_for_update().get(pk=settings.pk)
    changes = {
        name: _shown(value)
        for name, value in wanted.items()
        if getattr(settings, name) != value
    }
    if not changes:
        return settings
    for name in changes:
        setattr(settings, name, wanted[name])
    settings.save(update_fields=list(changes))
    audit.record(
        company=company,
        actor=actor,
        action="sales.settings_updated",
        obj=settings,
        changes=changes,
    )
    return settings


def _clean(company: Company, name: str, value: object) -> object:
    """The value to store for one setting, or a ValidationError on its field."""
    if name == "revenue_recognition":
        if value not in RevenueRecognition.values:
            raise field_error(name, _("Unknown way of recognising revenue."))
        return value
    if name == "default_warehouse":
        assert value is None or isinstance(value, Warehouse)  # noqa: S101
        _check_warehouse(company, value)
        return value
    if name == "aging_buckets":
        return _clean_buckets(str(value))
    if name == "write_off_tolerance":
        assert isinstance(value, Decimal | int | str)  # noqa: S101
        return _clean_tolerance(to_decimal(value))
    if name in ("bank_charge_account", "difference_account"):
        assert value is None or isinstance(value, Account)  # noqa: S101
        _check_account(company, name, value)
        return value
    return bool(value)


def _shown(value: object) -> object:
    """A change as the audit trail keeps it (JSON: codes and strings)."""
    if isinstance(value, Warehouse | Account):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value
