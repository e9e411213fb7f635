"""The chart of accounts and account roles: adding sub-accounts under the
company's code scheme, renaming, dimensions, disabling, and role settings."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    Dimension,
    OpeningBalance,
    OpeningDimensionBalance,
    PeriodTotal,
    VoucherLine,
)
from zhongshu.ledger.services.setup import books_of


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def segment_lengths(scheme: str) -> list[int]:
    return [int(part) for part in scheme.split("-")]


def _has_activity(account: Account) -> bool:
    return (
        VoucherLine.objects.filter(company=account.company, account=account).exists()
        or OpeningBalance.objects.filter(company=account.company, account=account)
        .exclude(debit=0, credit=0, ytd_debit=0, ytd_credit=0)
        .exists()
        or OpeningDimensionBalance.objects.filter(
            company=account.company, account=account
        ).exists()
    )


def _clean_dimensions(dimensions: list[str]) -> list[str]:
    unknown = set(dimensions) - set(Dimension.values)
    if unknown:
        raise _field_error(
            "dimensions",
            _("Unknown dimension: %(names)s.") % {"names": ", ".join(sorted(unknown))},
        )
    return sorted(set(dimensions))


@transaction.atomic
def add_account(
    *,
    company: Company,
    actor: User,
    parent_code: str,
    code: str,
    name: str,
    dimensions: list[str] | None = None,
) -> Account:
    """A sub-account whose code extends its parent's by the next segment of
    the code scheme (4-2-2-2 by default)."""
    require_writable(company)
    parent = (
        Account.objects.select_for_update()
        .filter(company=company, code=parent_code)
        .first()
    )
    if parent is None:
        raise NotFoundError(_("There is no account %(code)s.") % {"code": parent_code})
    code, name = code.strip(), name.strip()
    _check_code(company, parent, code)
    if not name:
        raise _field_error("name", _("The account name is required."))
    if parent.is_leaf and _has_activity(parent):
        raise ConflictError(
            _(
                "%(account)s already has postings or an opening balance; sub-accounts "
                "can only be added to an account without them."
            )
            % {"account": parent}
        )
    account = Account.objects.create(
        company=company,
        code=code,
        name=name,
        parent=parent,
        level=parent.level + 1,
        category=parent.category,
        normal_balance=parent.normal_balance,
        dimensions=_clean_dimensions(dimensions or []),
    )
    if parent.is_leaf:
        parent.is_leaf = False
        parent.save(update_fields=["is_leaf"])
        # Roles pointed at the parent follow it to its first sub-account, so
        # other modules keep posting to a leaf.
        AccountRole.objects.filter(company=company, account=parent).update(
            account=account
        )
    audit.record(company=company, actor=actor, action="created", obj=account)
    return account


def _check_code(company: Company, parent: Account, code: str) -> None:
    lengths = segment_lengths(books_of(company).code_scheme)
    expected = sum(lengths[: parent.level + 1]) if parent.level < len(lengths) else None
    if expected is None:
        raise _field_error(
            "code",
            _("The code scheme allows no deeper level under %(code)s.")
            % {"code": parent.code},
        )
    if not (code.isdigit() and code.startswith(parent.code) and len(code) == expected):
        raise _field_error(
            "code",
            _(
                "A sub-account of %(parent)s has a %(length)d-digit code "
                "starting with %(parent)s."
            )
            % {"parent": parent.code, "length": expected},
        )
    if Account.objects.filter(company=company, code=code).exists():
        raise ConflictError(
            _("The account code %(code)s exists.") % {"code": code},
            fields={"code": [_("This code exists.")]},
        )


@transaction.atomic
def update_account(
    *, account: Account, actor: User, name: str, dimensions: list[str]
) -> Account:
    """Rename, and change required dimensions while the account has no postings
    (existing lines would lack the new dimension)."""
    require_writable(account.company)
    account = Account.objects.select_for_update().get(pk=account.pk)
    name = name.strip()
    if not name:
        raise _field_error("name", _("The account name is required."))
    new_dimensions = _clean_dimensions(dimensions)
    if new_dimensions != sorted(account.dimensions) and _has_activity(account):
        raise ConflictError(
            _("Dimensions can only change while the account has no postings."),
            fields={"dimensions": [_("The account has postings.")]},
        )
    before = {"name": account.name, "dimensions": account.dimensions}
    account.name, account.dimensions = name, new_dimensions
    account.save(update_fields=["name", "dimensions"])
    audit.record(
        company=account.company,
        actor=actor,
        action="changed",
        obj=account,
        changes=audit.field_changes(
            before, {"name": name, "dimensions": new_dimensions}
        ),
    )
    return account


@transaction.atomic
def set_account_active(*, account: Account, actor: User, active: bool) -> Account:
    """Disable only an account with no balance and no postings (nor sub-accounts
    in use, nor a role pointing at it)."""
    require_writable(account.company)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if not active:
        if (
            _has_activity(account)
            or PeriodTotal.objects.filter(account=account).exists()
        ):
            raise ConflictError(
                _("An account with postings or a balance cannot be disabled.")
            )
        if account.children.filter(is_active=True).exists():
            raise ConflictError(_("Disable its sub-accounts first."))
        if AccountRole.objects.filter(
            company=account.company, account=account
        ).exists():
            raise ConflictError(
                _("An account role points at this account; change it first.")
            )
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record(
        company=account.company,
        actor=actor,
        action="enabled" if active else "disabled",
        obj=account,
    )
    return account


@transaction.atomic
def set_account_role(
    *,
    company: Company,
    actor: User,
    role: str,
    account: Account,
    key_kind: str = "",
    key_id: int = 0,
) -> AccountRole:
    """Point a role at a leaf account, for the company or refined by a key
    (e.g. ``("catalog.category", 7)``)."""
    require_writable(company)
    if account.company_id != company.pk:
        raise NotFoundError()
    if not account.is_leaf or not account.is_active:
        raise _field_error("account", _("A role must point at an active leaf account."))
    row, _created = AccountRole.objects.update_or_create(
        company=company,
        role=role,
        key_kind=key_kind,
        key_id=key_id,
        defaults={"account": account},
    )
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=row,
        changes={"role": role, "account": account.code, "key": [key_kind, key_id]},
    )
    return row


def resolve_account(
    company: Company, role: str, refinements: tuple[tuple[str, int], ...] = ()
) -> Account:
    """The account for a role: the first matching refinement, else the default."""
    rows = {
        (r.key_kind, r.key_id): r.account
        for r in AccountRole.objects.filter(company=company, role=role).select_related(
            "account"
        )
    }
    for key in (*refinements, ("", 0)):
        if key in rows:
            return rows[key]
    raise NotFoundError(_("No account is set for the role %(role)s.") % {"role": role})


def track_dimension(
    company: Company, roles: Sequence[str], dimension: str
) -> list[str]:
    """Add ``dimension`` to the accounts ``roles`` name that have no postings
    yet (an account with postings keeps its dimensions: its old lines carry
    none). Returns the codes changed. Idempotent. Sales makes receivables
    track customers with it, purchasing payables suppliers."""
    changed = []
    for role in roles:
        account = resolve_account(company, role)
        if dimension in account.dimensions or account.code in changed:
            continue
        try:
            update_account(
                account=account,
                actor=None,  # type: ignore[arg-type]
                name=account.name,
                dimensions=[*account.dimensions, dimension],
            )
        except ConflictError:
            continue
        changed.append(account.code)
    return changed
