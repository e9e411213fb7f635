"""Writes of the platform: companies (账套), sign-up with trial, activation,
memberships, API tokens and numbering rules.

Every function here runs in one transaction, validates before writing and
leaves an audit entry. Events published: none yet.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit, clock, events, numbering
from zhongshu.core.errors import (
    CompanyReadOnlyError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from zhongshu.core.facts import CompanyCreated
from zhongshu.core.models import (
    AccountingStandard,
    ApiToken,
    Company,
    Membership,
    NumberingRule,
    Role,
    SequenceReset,
    TaxpayerType,
)
from zhongshu.core.uscc import normalize_uscc, validate_uscc

COMPANY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
TOKEN_PREFIX_LENGTH = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyData:
    code: str
    name: str
    uscc: str = ""
    taxpayer_type: str = TaxpayerType.GENERAL
    accounting_standard: str = AccountingStandard.SMALL_ENTERPRISE
    fiscal_year_start_month: int = 1


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _validated_company_data(data: CompanyData) -> CompanyData:
    code = data.code.strip()
    name = data.name.strip()
    if not COMPANY_CODE.match(code):
        raise _field_error(
            "code",
            _("The company code must be 2–32 letters, digits, '-' or '_'."),
        )
    if not name:
        raise _field_error("name", _("The company name is required."))
    uscc = normalize_uscc(data.uscc) if data.uscc else ""
    if uscc:
        validate_uscc(uscc)
    if data.taxpayer_type not in TaxpayerType.values:
        raise _field_error("taxpayer_type", _("Unknown taxpayer type."))
    if data.accounting_standard not in AccountingStandard.values:
        raise _field_error("accounting_standard", _("Unknown accounting standard."))
    if not 1 <= data.fiscal_year_start_month <= 12:
        raise _field_error(
            "fiscal_year_start_month", _("The fiscal year starts in a month 1–12.")
        )
    return CompanyData(
        code=code,
        name=name,
        uscc=uscc,
        taxpayer_type=data.taxpayer_type,
        accounting_standard=data.accounting_standard,
        fiscal_year_start_month=data.fiscal_year_start_month,
    )


def _duplicate_code(code: str) -> ConflictError:
    error = ConflictError(
        _("A company with the code %(code)s already exists.") % {"code": code}
    )
    error.fields = {"code": [str(error.message)]}
    return error


@transaction.atomic
def create_company(
    *, data: CompanyData, owner: User, trial_days: int | None = None
) -> Company:
    """Create a company with ``owner`` as its owner. A trial company gets
    ``trial_days`` days counting today; it turns read-only after the last."""
    data = _validated_company_data(data)
    if Company.objects.filter(code__iexact=data.code).exists():
        raise _duplicate_code(data.code)
    trial_ends_on = (
        clock.today() + datetime.timedelta(days=trial_days - 1) if trial_days else None
    )
    try:
        with transaction.atomic():
            company = Company.objects.create(
                code=data.code,
                name=data.name,
                uscc=data.uscc,
                taxpayer_type=data.taxpayer_type,
                accounting_standard=data.accounting_standard,
                fiscal_year_start_month=data.fiscal_year_start_month,
                trial_ends_on=trial_ends_on,
            )
    except IntegrityError:
        raise _duplicate_code(data.code) from None
    Membership.objects.create(company=company, user=owner, role=Role.OWNER)
    events.publish(
        CompanyCreated(
            company_id=company.pk, accounting_standard=company.accounting_standard
        )
    )
    audit.record(
        company=company,
        actor=owner,
        action="created",
        obj=company,
        changes={
            "code": company.code,
            "name": company.name,
            "trial_ends_on": trial_ends_on,
        },
    )
    return company


@dataclass(frozen=True, slots=True, kw_only=True)
class SignUp:
    username: str
    email: str
    password: str
    company: CompanyData


@transaction.atomic
def sign_up(*, data: SignUp) -> tuple[User, Company]:
    """Self-service registration: a new user owning a new trial company."""
    user_model = User
    username = data.username.strip()
    if not username:
        raise _field_error("username", _("The user name is required."))
    if user_model.objects.filter(username__iexact=username).exists():
        raise ConflictError(
            _("The user name %(name)s is taken.") % {"name": username},
            fields={"username": [_("This user name is taken.")]},
        )
    _validated_company_data(data.company)
    user = user_model(username=username, email=data.email.strip())
    try:
        password_validation.validate_password(data.password, user)
    except DjangoValidationError as error:
        raise ValidationError(
            " ".join(error.messages), fields={"password": list(error.messages)}
        ) from None
    user.set_password(data.password)
    user.save()
    company = create_company(
        data=data.company, owner=user, trial_days=settings.TRIAL_DAYS
    )
    return user, company


@transaction.atomic
def activate_company(*, company: Company, actor: User | None) -> Company:
    """End the trial: the company becomes fully writable for good."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.activated_at is not None:
        return company
    company.activated_at = clock.now()
    company.save(update_fields=["activated_at"])
    audit.record(
        company=company,
        actor=actor,
        action="activated",
        obj=company,
        changes={"activated_at": company.activated_at},
    )
    return company


def require_writable(company: Company) -> None:
    """Services that write business data call this first."""
    if company.is_read_only_on(clock.today()):
        raise CompanyReadOnlyError()


@transaction.atomic
def update_company(*, company: Company, actor: User, data: CompanyData) -> Company:
    require_writable(company)
    data = _validated_company_data(data)
    company = Company.objects.select_for_update().get(pk=company.pk)
    if data.code.lower() != company.code.lower() and (
        Company.objects.filter(code__iexact=data.code).exclude(pk=company.pk).exists()
    ):
        raise _duplicate_code(data.code)
    fields = [
        "code",
        "name",
        "uscc",
        "taxpayer_type",
        "accounting_standard",
        "fiscal_year_start_month",
    ]
    before = {name: getattr(company, name) for name in fields}
    after = {name: getattr(data, name) for name in fields}
    for name, value in after.items():
        setattr(company, name, value)
    company.save(update_fields=fields)
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=company,
        changes=audit.field_changes(before, after),
    )
    return company


@transaction.atomic
def set_roles(
    *, company: Company, actor: User, user: User, roles: set[str]
) -> list[Membership]:
    """Give ``user`` exactly ``roles`` in ``company`` (empty: remove from it)."""
    require_writable(company)
    unknown = roles - set(Role.values)
    if unknown:
        raise _field_error(
            "roles",
            _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))},
        )
    current = set(
        Membership.objects.filter(company=company, user=user).values_list(
            "role", flat=True
        )
    )
    owners_left = Membership.objects.filter(company=company, role=Role.OWNER).exclude(
        user=user
    )
    if Role.OWNER in current and Role.OWNER not in roles and not owners_left.exists():
        raise ConflictError(_("A company needs at least one owner."))
    Membership.objects.filter(
        company=company, user=user, role__in=current - roles
    ).delete()
    Membership.objects.bulk_create(
        [Membership(company=company, user=user, role=role) for role in roles - current]
    )
    if current != roles:
        audit.record(
            company=company,
            actor=actor,
            action="roles_changed",
            obj=user,
            changes={"roles": [sorted(current), sorted(roles)]},
        )
    return list(Membership.objects.filter(company=company, user=user))


@transaction.atomic
def add_member(
    *,
    company: Company,
    actor: User,
    username: str,
    roles: set[str],
    password: str = "",
    email: str = "",
) -> User:
    """Add an existing user, or create one with ``password``, with ``roles``."""
    user_model = User
    user = user_model.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        if not password:
            raise _field_error("password", _("A new user needs an initial password."))
        user = user_model(username=username.strip(), email=email.strip())
        try:
            password_validation.validate_password(password, user)
        except DjangoValidationError as error:
            raise ValidationError(
                " ".join(error.messages), fields={"password": list(error.messages)}
            ) from None
        user.set_password(password)
        user.save()
    if not roles:
        raise _field_error("roles", _("Choose at least one role."))
    set_roles(company=company, actor=actor, user=user, roles=roles)
    return user


# --- API tokens -----------------------------------------------------------


def hash_token_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_api_token(
    *,
    company: Company,
    user: User,
    name: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain key, shown to the user once."""
    name = name.strip()
    if not name:
        raise _field_error("name", _("Give the token a name."))
    if not Membership.objects.filter(company=company, user=user).exists():
        raise NotFoundError()
    if expires_at is not None and expires_at <= clock.now():
        raise _field_error("expires_at", _("The expiry must be in the future."))
    if ApiToken.objects.filter(company=company, user=user, name=name).exists():
        raise ConflictError(
            _("You already have a token named %(name)s.") % {"name": name},
            fields={"name": [_("This name is taken.")]},
        )
    prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        company=company,
        user=user,
        name=name,
        prefix=prefix,
        key_hash=hash_token_secret(secret),
        expires_at=expires_at,
    )
    audit.record(company=company, actor=user, action="created", obj=token)
    return token, f"zs_{prefix}_{secret}"


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDeniedError()
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(company=token.company, actor=actor, action="revoked", obj=token)
    return token


# --- numbering rules ------------------------------------------------------


@transaction.atomic
def set_numbering_rule(
    *, company: Company, actor: User, key: str, pattern: str, reset: str
) -> NumberingRule:
    require_writable(company)
    numbering.get_document_type(key)
    if reset not in SequenceReset.values:
        raise _field_error("reset", _("Unknown restart cycle."))
    numbering.validate_pattern(pattern, reset)
    rule = (
        NumberingRule.objects.select_for_update()
        .filter(company=company, key=key)
        .first()
    )
    before = {"pattern": rule.pattern, "reset": rule.reset} if rule else {}
    if rule is None:
        rule = NumberingRule(company=company, key=key)
    rule.pattern, rule.reset = pattern, reset
    rule.save()
    audit.record(
        company=company,
        actor=actor,
        action="changed" if before else "created",
        obj=rule,
        changes=audit.field_changes(before, {"pattern": pattern, "reset": reset}),
    )
    return rule


def authenticate_api_token(raw_key: str) -> ApiToken | None:
    """The live token for a key of the form ``zs_<prefix>_<secret>``, or None.

    Expired, revoked and unknown keys all answer None; the caller says why
    through ``token_problem``. ``last_used_at`` is refreshed at most once a
    minute to keep reads cheap.
    """
    parts = raw_key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "zs":
        return None
    token = (
        ApiToken.objects.select_related("company", "user")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not secrets.compare_digest(
        token.key_hash, hash_token_secret(parts[2])
    ):
        return None
    return token


def token_problem(token: ApiToken) -> str | None:
    """Why a correctly signed token may not be used now, or None."""
    now = clock.now()
    if token.revoked_at is not None:
        return "token_revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "token_expired"
    if not token.user.is_active:
        return "user_inactive"
    if not Membership.objects.filter(company=token.company, user=token.user).exists():
        return "not_a_member"
    return None


def touch_api_token(token: ApiToken) -> None:
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
