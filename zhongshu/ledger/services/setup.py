"""Setting up a company's books: settings, chart of accounts, roles, periods."""

from __future__ import annotations

import calendar
import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit, clock
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable
from zhongshu.ledger import chart
from zhongshu.ledger.models import Account, AccountRole, LedgerSettings, Period


def books_of(company: Company) -> LedgerSettings:
    """The company's ledger settings, setting the books up on first use."""
    settings = LedgerSettings.objects.filter(company=company).first()
    return settings if settings is not None else set_up_books(company=company)


def locked_books_of(company: Company) -> LedgerSettings:
    """``books_of``, locked until the end of the transaction: the settings row
    is the head of the posting hash chain, which postings and period closes
    take first (one query once the books exist)."""
    settings = LedgerSettings.objects.select_for_update().filter(company=company)
    head = settings.first()
    if head is None:
        set_up_books(company=company)
        head = settings.get()
    return head


@transaction.atomic
def set_up_books(
    *, company: Company, first_year: int | None = None, first_period: int = 1
) -> LedgerSettings:
    """Install the chart of the company's accounting standard, its account
    roles and the periods of the first year. Idempotent."""
    existing = LedgerSettings.objects.filter(company=company).first()
    if existing is not None:
        return existing
    year = first_year or clock.today().year
    try:
        with transaction.atomic():
            settings = LedgerSettings.objects.create(
                company=company, first_year=year, first_period=first_period
            )
    except IntegrityError:
        return LedgerSettings.objects.get(company=company)
    install_chart(company)
    ensure_periods(company, year)
    return settings


def install_chart(company: Company) -> None:
    rows = chart.template(company.accounting_standard)
    accounts = {
        row.code: Account(
            company=company,
            code=row.code,
            name=row.name,
            name_en=row.name_en,
            level=1,
            category=row.category,
            normal_balance=row.normal_balance,
        )
        for row in rows
    }
    Account.objects.bulk_create(accounts.values())
    created = {a.code: a for a in Account.objects.filter(company=company)}
    parents = set()
    for row in rows:
        if row.parent_code:
            account = created[row.code]
            account.parent = created[row.parent_code]
            account.level = _level(row.code)
            parents.add(row.parent_code)
    for code in parents:
        created[code].is_leaf = False
    Account.objects.bulk_update(created.values(), ["parent", "level", "is_leaf"])
    roles = chart.DEFAULT_ROLES[company.accounting_standard]
    AccountRole.objects.bulk_create(
        AccountRole(company=company, role=role, account=created[code])
        for role, code in roles.items()
    )


def _level(code: str) -> int:
    """Level in the default 4-2-2-2 scheme of the templates."""
    return 1 + max(0, (len(code) - 4) // 2)


def ensure_periods(company: Company, year: int) -> list[Period]:
    """The twelve periods of a fiscal year, created when first needed."""
    existing = list(Period.objects.filter(company=company, year=year))
    if len(existing) == 12:
        return existing
    start_month = company.fiscal_year_start_month
    have = {p.number for p in existing}
    new = []
    for number in range(1, 13):
        if number in have:
            continue
        month_index = start_month - 1 + number - 1
        y, m = year + month_index // 12, month_index % 12 + 1
        new.append(
            Period(
                company=company,
                year=year,
                number=number,
                start_on=datetime.date(y, m, 1),
                end_on=datetime.date(y, m, calendar.monthrange(y, m)[1]),
            )
        )
    Period.objects.bulk_create(new, ignore_conflicts=True)
    return list(Period.objects.filter(company=company, year=year))


def fiscal_year_of(company: Company, day: datetime.date) -> int:
    """Fiscal years are named by the calendar year they start in."""
    return day.year if day.month >= company.fiscal_year_start_month else day.year - 1


def period_for(
    company: Company, day: datetime.date, settings: LedgerSettings | None = None
) -> Period:
    settings = settings or books_of(company)
    # Periods do not overlap; ordering by a column of the table spares the
    # join the model's default ordering (by company) would add.
    period = (
        Period.objects.filter(company=company, start_on__lte=day, end_on__gte=day)
        .order_by("start_on")
        .first()
    )
    if period is None:
        year = fiscal_year_of(company, day)
        if year < settings.first_year:
            raise _before_the_books(day)
        ensure_periods(company, year)
        period = Period.objects.get(company=company, start_on__lte=day, end_on__gte=day)
    if period.ordinal < settings.first_year * 100 + settings.first_period:
        raise _before_the_books(day)
    return period


def _before_the_books(day: datetime.date) -> ValidationError:
    return ValidationError(
        _("%(date)s is before the first period of the books.") % {"date": day},
        fields={"date": [_("Before the first period of the books.")]},
    )


@transaction.atomic
def update_ledger_settings(
    *, company: Company, actor: User, voucher_words: str, auto_post: bool
) -> LedgerSettings:
    """The voucher words in use (e.g. 记, or 收付转) and whether vouchers other
    modules generate post directly or wait for review. Existing vouchers keep
    their words; only new vouchers are held to the list."""
    require_writable(company)
    settings = LedgerSettings.objects.select_for_update().get(pk=books_of(company).pk)
    words = "".join(dict.fromkeys(voucher_words.replace(" ", "").replace(",", "")))
    if not words or len(words) > 8 or any(not ch.isalpha() for ch in words):
        message = _("Give one to eight voucher words, e.g. 记 or 收付转.")
        raise ValidationError(message, fields={"voucher_words": [message]})
    before = {"voucher_words": settings.voucher_words, "auto_post": settings.auto_post}
    settings.voucher_words, settings.auto_post = words, auto_post
    settings.save(update_fields=["voucher_words", "auto_post"])
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=settings,
        changes=audit.field_changes(
            before, {"voucher_words": words, "auto_post": auto_post}
        ),
    )
    return settings
