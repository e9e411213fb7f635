"""Vouchers (记账凭证): entry, review, posting, unposting, reversal, and the
posting API every other module calls.

Documents: Voucher (draft → reviewed → posted). Posting keeps PeriodTotal and
DimensionTotal in step and appends to the hash-chained PostingRecord journal,
all in the posting transaction. Events published: none.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connections, models, router, transaction
from django.db.models import Field
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongshu.core import audit, clock, documents, numbering
from zhongshu.core.errors import ConflictError, PermissionDeniedError, ValidationError
from zhongshu.core.models import AuditEntry, Company, SequenceReset
from zhongshu.core.refs import SourceRef
from zhongshu.core.request_context import current_ip
from zhongshu.core.services import require_writable
from zhongshu.ledger import kernel
from zhongshu.ledger.kernel import ZERO, LineInput
from zhongshu.ledger.models import (
    Account,
    DimensionTotal,
    LedgerSettings,
    Period,
    PeriodTotal,
    PostingAction,
    PostingRecord,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.services.setup import books_of, locked_books_of, period_for

VOUCHER_NUMBERS = numbering.declare(
    "ledger.voucher",
    gettext_lazy("Voucher"),
    default_pattern="{series}-{year}{month}-{seq:04d}",
    default_reset=SequenceReset.MONTHLY,
)
VOUCHER_FLOW = documents.register_flow(
    Voucher,
    documents.StateFlow(
        {
            VoucherState.DRAFT: {VoucherState.REVIEWED, VoucherState.POSTED},
            VoucherState.REVIEWED: {VoucherState.DRAFT, VoucherState.POSTED},
            VoucherState.POSTED: {VoucherState.REVIEWED},
        }
    ),
)
# Rows per statement when totals are added (5 to 7 parameters a row).
TOTALS_PER_STATEMENT = 500
DIMENSION_FIELDS = {
    "customer": "customer_id",
    "supplier": "supplier_id",
    "employee": "employee_id",
    "department": "department_id",
    "project": "project_id",
    "product": "product_id",
}


# --- validation -------------------------------------------------------------


def _accounts_for(company: Company, lines: Sequence[LineInput]) -> list[Account]:
    codes = {str(line.account) for line in lines if isinstance(line.account, str)}
    ids = {line.account for line in lines if isinstance(line.account, int)}
    found = Account.objects.filter(company=company).filter(code__in=codes) | (
        Account.objects.filter(company=company, pk__in=ids)
    )
    by_code = {a.code: a for a in found}
    by_id = {a.pk: a for a in found}
    accounts = []
    for index, line in enumerate(lines):
        account = (
            by_code.get(line.account)
            if isinstance(line.account, str)
            else by_id.get(line.account)
        )
        if account is None:
            raise kernel.line_error(
                index,
                _("Line %(n)d: there is no account %(account)s.")
                % {"n": index + 1, "account": line.account},
            )
        _check_account(index, account)
        accounts.append(account)
    return accounts


def _check_account(index: int, account: Account) -> None:
    if not account.is_leaf:
        raise kernel.line_error(
            index,
            _("Line %(n)d: %(account)s has sub-accounts; post to one of them.")
            % {"n": index + 1, "account": account},
        )
    if not account.is_active:
        raise kernel.line_error(
            index,
            _("Line %(n)d: %(account)s is disabled.")
            % {"n": index + 1, "account": account},
        )


def _open_period(
    company: Company, day: datetime.date, settings: LedgerSettings
) -> Period:
    period = period_for(company, day, settings)
    if period.is_closed:
        raise ConflictError(
            _("Period %(period)s is closed; it accepts no postings.")
            % {"period": period},
            fields={"date": [_("The period is closed.")]},
        )
    return period


def _validated(
    company: Company,
    day: datetime.date,
    word: str,
    lines: Sequence[LineInput],
    settings: LedgerSettings | None = None,
) -> tuple[Period, Decimal, list[tuple[LineInput, Account, dict[str, int]]]]:
    """The checks of every voucher entry; ``settings`` are the company's
    ledger settings when the caller has read them already."""
    require_writable(company)
    settings = settings if settings is not None else books_of(company)
    if word not in settings.voucher_words:
        raise ValidationError(
            _("Unknown voucher word %(word)s.") % {"word": word},
            fields={"word": [_("Unknown voucher word.")]},
        )
    total = kernel.check_amounts(lines)
    accounts = _accounts_for(company, lines)
    checked = [
        (line, account, kernel.check_dimensions(i, account.dimensions, line.dimensions))
        for i, (line, account) in enumerate(zip(lines, accounts, strict=True))
    ]
    return _open_period(company, day, settings), total, checked


def _write_lines(
    voucher: Voucher, checked: list[tuple[LineInput, Account, dict[str, int]]]
) -> list[VoucherLine]:
    return VoucherLine.objects.bulk_create(
        VoucherLine(
            company=voucher.company,
            voucher=voucher,
            line_no=number,
            summary=line.summary.strip()[:200],
            account=account,
            debit=line.debit,
            credit=line.credit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            currency=line.currency,
            fx_amount=line.fx_amount,
            fx_rate=line.fx_rate,
            **{DIMENSION_FIELDS[kind]: value for kind, value in dims.items()},
        )
        for number, (line, account, dims) in enumerate(checked, start=1)
    )


# --- entry --------------------------------------------------------------------


@transaction.atomic
def create_voucher(
    *,
    company: Company,
    actor: User | None,
    date: datetime.date,
    lines: Sequence[LineInput],
    word: str = "记",
    attachments: int = 0,
    source: SourceRef | None = None,
    is_generated: bool = False,
) -> Voucher:
    """A draft voucher; nothing reaches the books until it is posted."""
    voucher, _lines = _create(
        company=company,
        actor=actor,
        date=date,
        lines=lines,
        word=word,
        attachments=attachments,
        source=source,
        is_generated=is_generated,
    )
    return voucher


def _create(
    *,
    company: Company,
    actor: User | None,
    date: datetime.date,
    lines: Sequence[LineInput],
    word: str,
    attachments: int,
    source: SourceRef | None,
    is_generated: bool,
) -> tuple[Voucher, list[VoucherLine]]:
    """Create the draft and hand back its lines, so posting it right away in
    the same transaction needs not read them again."""
    period, total, checked = _validated(company, date, word, lines)
    voucher = _new_voucher(
        company=company,
        actor=actor,
        period=period,
        date=date,
        word=word,
        attachments=attachments,
        total=total,
        source=source,
        is_generated=is_generated,
    )
    voucher.save(force_insert=True)
    written = _write_lines(voucher, checked)
    audit.record(company=company, actor=actor, action="created", obj=voucher)
    return voucher, written


def _new_voucher(
    *,
    company: Company,
    actor: User | None,
    period: Period,
    date: datetime.date,
    word: str,
    attachments: int,
    total: Decimal,
    source: SourceRef | None,
    is_generated: bool,
) -> Voucher:
    """A draft voucher, not saved yet."""
    return Voucher(
        company=company,
        period=period,
        date=date,
        word=word,
        attachments=attachments,
        total=total,
        is_generated=is_generated,
        source_kind=source.kind if source else "",
        source_id=source.id if source else None,
        maker=actor,
    )


def _lock(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update()
        .select_related("company", "period")
        .get(pk=voucher.pk)
    )


@transaction.atomic
def update_voucher(
    *,
    voucher: Voucher,
    actor: User,
    date: datetime.date,
    lines: Sequence[LineInput],
    word: str | None = None,
    attachments: int | None = None,
) -> Voucher:
    """Replace a draft's date, word and lines. Reviewed or posted vouchers
    are never edited: unreview first, or reverse."""
    voucher = _lock(voucher)
    if voucher.state != VoucherState.DRAFT:
        raise ConflictError(_("Only draft vouchers can be edited."))
    word = word or voucher.word
    period, total, checked = _validated(voucher.company, date, word, lines)
    voucher.lines.all().delete()
    voucher.period, voucher.date, voucher.word, voucher.total = (
        period,
        date,
        word,
        total,
    )
    if attachments is not None:
        voucher.attachments = attachments
    voucher.save(update_fields=["period", "date", "word", "total", "attachments"])
    _write_lines(voucher, checked)
    audit.record(company=voucher.company, actor=actor, action="changed", obj=voucher)
    return voucher


@transaction.atomic
def delete_voucher(*, voucher: Voucher, actor: User) -> None:
    """Drafts carry no number, so deleting one leaves no gap."""
    voucher = _lock(voucher)
    if voucher.state != VoucherState.DRAFT or voucher.number is not None:
        raise ConflictError(_("Only unnumbered draft vouchers can be deleted."))
    require_writable(voucher.company)
    audit.record(company=voucher.company, actor=actor, action="deleted", obj=voucher)
    voucher.delete()


def line_inputs(voucher: Voucher, *, sign: int = 1) -> list[LineInput]:
    """A voucher's lines as inputs again (for copies and reversals)."""
    rows = voucher.lines.select_related("account").order_by("line_no")
    return [
        LineInput(
            summary=row.summary,
            account=row.account.pk,
            debit=row.debit * sign,
            credit=row.credit * sign,
            quantity=row.quantity,
            unit_price=row.unit_price,
            currency=row.currency,
            fx_amount=row.fx_amount * sign if row.fx_amount is not None else None,
            fx_rate=row.fx_rate,
            dimensions={
                kind: getattr(row, field)
                for kind, field in DIMENSION_FIELDS.items()
                if getattr(row, field) is not None
            },
        )
        for row in rows
    ]


def copy_voucher(*, voucher: Voucher, actor: User, date: datetime.date) -> Voucher:
    return create_voucher(
        company=voucher.company,
        actor=actor,
        date=date,
        lines=line_inputs(voucher),
        word=voucher.word,
        attachments=voucher.attachments,
    )


# --- review and posting ----------------------------------------------------------


@transaction.atomic
def review_voucher(*, voucher: Voucher, actor: User) -> Voucher:
    voucher = _lock(voucher)
    require_writable(voucher.company)
    if voucher.maker_id == actor.pk:
        raise PermissionDeniedError(
            _("The maker of a voucher cannot review it; another user must.")
        )
    _ensure_open(voucher.period)
    voucher.reviewed_by = actor
    documents.change_state(
        voucher, VoucherState.REVIEWED, actor=actor, extra_fields=("reviewed_by",)
    )
    return voucher


@transaction.atomic
def unreview_voucher(*, voucher: Voucher, actor: User) -> Voucher:
    voucher = _lock(voucher)
    require_writable(voucher.company)
    _ensure_open(voucher.period)
    voucher.reviewed_by, voucher.reviewed_at = None, None
    documents.change_state(
        voucher,
        VoucherState.DRAFT,
        actor=actor,
        extra_fields=("reviewed_by", "reviewed_at"),
    )
    return voucher


def _ensure_open(period: Period) -> None:
    if period.is_closed:
        raise ConflictError(
            _("Period %(period)s is closed; it accepts no postings.")
            % {"period": period}
        )


@transaction.atomic
def post_reviewed_voucher(*, voucher: Voucher, actor: User | None) -> Voucher:
    """记账: a reviewed voucher reaches the books, with its number."""
    voucher = _lock(voucher)
    VOUCHER_FLOW.require(voucher.state, VoucherState.POSTED)
    if voucher.state == VoucherState.DRAFT and not voucher.is_generated:
        raise ConflictError(_("A voucher must be reviewed before it is posted."))
    return _post(voucher, actor)


def _post(
    voucher: Voucher, actor: User | None, lines: list[VoucherLine] | None = None
) -> Voucher:
    """Number and post ``voucher``; ``lines`` are its lines when the caller has
    them at hand (with their accounts), else they are read."""
    require_writable(voucher.company)
    # Postings and period closes both take the chain head first, so a close
    # cannot slip in between this check and the posting; it also serializes a
    # company's postings, which keeps the totals' read-modify-write safe.
    head = _lock_head(voucher.company)
    voucher.period.refresh_from_db(fields=["is_closed"])
    _ensure_open(voucher.period)
    if voucher.number is None:
        voucher.number = numbering.allocate(
            company=voucher.company,
            key=VOUCHER_NUMBERS.key,
            on_date=voucher.period.start_on,
            series=voucher.word,
        ).value
    voucher.posted_by = actor
    documents.change_state(
        voucher, VoucherState.POSTED, actor=actor, extra_fields=("number", "posted_by")
    )
    lines = lines if lines is not None else _lines_of(voucher)
    _apply_totals(voucher, lines, sign=1)
    _append_posting_record(head, voucher, lines, PostingAction.POST)
    return voucher


def _lock_head(company: Company) -> LedgerSettings:
    return LedgerSettings.objects.select_for_update().get(company=company)


def _lines_of(voucher: Voucher) -> list[VoucherLine]:
    return list(voucher.lines.select_related("account").order_by("line_no"))


@transaction.atomic
def unpost_voucher(*, voucher: Voucher, actor: User) -> Voucher:
    """反记账: only while the period is open; the number stays with the voucher."""
    voucher = _lock(voucher)
    require_writable(voucher.company)
    head = _lock_head(voucher.company)
    _ensure_open(voucher.period)
    voucher.posted_by, voucher.posted_at = None, None
    documents.change_state(
        voucher,
        VoucherState.REVIEWED,
        actor=actor,
        extra_fields=("posted_by", "posted_at"),
    )
    lines = _lines_of(voucher)
    _apply_totals(voucher, lines, sign=-1)
    _append_posting_record(head, voucher, lines, PostingAction.UNPOST)
    return voucher


@transaction.atomic
def reverse_voucher(
    *, voucher: Voucher, actor: User | None, date: datetime.date | None = None
) -> Voucher:
    """红字冲销: a red voucher with the same lines negated, dated in the open
    period in which the correction is made (never back-dated)."""
    voucher = _lock(voucher)
    if voucher.state != VoucherState.POSTED:
        raise ConflictError(_("Only posted vouchers are reversed."))
    if voucher.reversals.exists():
        raise ConflictError(_("This voucher has already been reversed."))
    reversal = create_voucher(
        company=voucher.company,
        actor=actor,
        date=date or clock.today(),
        lines=[
            dataclasses.replace(line, summary=_reversal_summary(voucher, line))
            for line in line_inputs(voucher, sign=-1)
        ],
        word=voucher.word,
        is_generated=voucher.is_generated,
        source=SourceRef(voucher.source_kind, voucher.source_id)
        if voucher.source_kind and voucher.source_id
        else None,
    )
    reversal.reversal_of = voucher
    reversal.save(update_fields=["reversal_of"])
    if voucher.is_generated and books_of(voucher.company).auto_post:
        return _post(_lock(reversal), actor)
    return reversal


def _reversal_summary(voucher: Voucher, line: LineInput) -> str:
    prefix = _("Reversal of %(number)s: ") % {"number": voucher.display_number}
    return (prefix + line.summary)[:200]


# --- the posting API for other modules ------------------------------------------


@transaction.atomic
def post_voucher(
    *,
    company: Company,
    date: datetime.date,
    lines: Sequence[LineInput],
    source: SourceRef,
    actor: User | None = None,
    word: str = "记",
    attachments: int = 0,
) -> Voucher:
    """The one call other modules use: validate, number and post a voucher
    for ``source``. Companies that review generated vouchers get a draft
    instead, which their accountant reviews and posts.

    The books' settings are read once, locked: they are the head of the hash
    chain, which a period close takes first too, so the period checked open
    here stays open until commit. A posted voucher is inserted numbered and
    posted; the books end as creating the draft and posting it would leave
    them, audit entries included."""
    require_writable(company)
    head = locked_books_of(company)
    period, total, checked = _validated(company, date, word, lines, head)
    voucher = _new_voucher(
        company=company,
        actor=actor,
        period=period,
        date=date,
        word=word,
        attachments=attachments,
        total=total,
        source=source,
        is_generated=True,
    )
    if not head.auto_post:
        voucher.save(force_insert=True)
        _write_lines(voucher, checked)
        audit.record(company=company, actor=actor, action="created", obj=voucher)
        return voucher
    created_repr = str(voucher)
    voucher.number = numbering.allocate(
        company=company,
        key=VOUCHER_NUMBERS.key,
        on_date=period.start_on,
        series=word,
    ).value
    voucher.state = VoucherState.POSTED
    voucher.posted_by, voucher.posted_at = actor, clock.now()
    voucher.save(force_insert=True)
    written = _write_lines(voucher, checked)
    _audit_created_and_posted(voucher, actor, created_repr)
    _apply_totals(voucher, written, sign=1)
    _append_posting_record(head, voucher, written, PostingAction.POST)
    return voucher


def _audit_created_and_posted(
    voucher: Voucher, actor: User | None, created_repr: str
) -> None:
    """The two entries ``audit.record`` writes when the draft is created and
    ``documents.change_state`` when it is posted, in one statement."""
    common = {
        "company": voucher.company,
        "actor": actor if isinstance(actor, User) else None,
        "object_kind": Voucher._meta.label_lower,
        "object_id": str(voucher.pk),
        "ip_address": current_ip.get(),
    }
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                **common, action="created", object_repr=created_repr[:200], changes={}
            ),
            AuditEntry(
                **common,
                action=VoucherState.POSTED,
                object_repr=str(voucher)[:200],
                changes={"state": [VoucherState.DRAFT, VoucherState.POSTED]},
            ),
        ]
    )


# --- totals and the hash chain -------------------------------------------------


def _apply_totals(voucher: Voucher, lines: list[VoucherLine], *, sign: int) -> None:
    by_account: dict[tuple[int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    by_dimension: dict[tuple[int, str, int], list[Decimal]] = defaultdict(
        lambda: [ZERO, ZERO]
    )
    for line in lines:
        amounts = by_account[(line.account_id,)]
        amounts[0] += line.debit * sign
        amounts[1] += line.credit * sign
        for kind, field in DIMENSION_FIELDS.items():
            value = getattr(line, field)
            if value is not None:
                dim_amounts = by_dimension[(line.account_id, kind, value)]
                dim_amounts[0] += line.debit * sign
                dim_amounts[1] += line.credit * sign
    scope = (voucher.company_id, voucher.period_id)
    _add_to_totals(
        PeriodTotal,
        ("account",),
        [(*scope, *key, *amounts) for key, amounts in by_account.items()],
    )
    if by_dimension:
        _add_to_totals(
            DimensionTotal,
            ("account", "dimension", "value_id"),
            [(*scope, *key, *amounts) for key, amounts in by_dimension.items()],
        )


def _add_to_totals(
    model: type[PeriodTotal] | type[DimensionTotal],
    key_fields: tuple[str, ...],
    rows: list[tuple[Any, ...]],
) -> None:
    """Add each row's debit and credit to the total of ``model`` with its key
    (company, period, *key_fields), inserting the totals missing: one
    ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL, SQLite ≥ 3.24) on the
    model's unique key, where reading, updating and inserting took three.
    Values are prepared by each field, so amounts are stored as ``save()``
    stores them; adding in the database keeps the totals right without
    reading them first."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [
        _column(model, name)
        for name in ("company", "period", *key_fields, "debit", "credit")
    ]
    table = quote(model._meta.db_table)
    columns = [quote(str(field.column)) for field in fields]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    added = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns[-2:])
    for start in range(0, len(rows), TOTALS_PER_STATEMENT):
        chunk = rows[start : start + TOTALS_PER_STATEMENT]
        # Table and column names are the model's own, never user input.
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES {', '.join([placeholders] * len(chunk))} "
            f"ON CONFLICT ({', '.join(columns[:-2])}) DO UPDATE SET {added}"
        )
        params = [
            field.get_db_prep_save(value, connection)
            for row in chunk
            for field, value in zip(fields, row, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _column(model: type[models.Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):  # pragma: no cover - a relation's reverse
        raise TypeError(f"{name} is not a column of {model._meta.label}")
    return field


def canonical(voucher: Voucher, lines: list[VoucherLine] | None = None) -> bytes:
    original = voucher.reversal_of
    lines = lines if lines is not None else _lines_of(voucher)
    return kernel.canonical_voucher(
        {
            "company": voucher.company.code,
            "period": [voucher.period.year, voucher.period.number],
            "word": voucher.word,
            "number": voucher.number,
            "date": voucher.date.isoformat(),
            "attachments": voucher.attachments,
            "source": [voucher.source_kind, voucher.source_id],
            "reversal_of": (
                [
                    original.period.year,
                    original.period.number,
                    original.word,
                    original.number,
                ]
                if original is not None
                else None
            ),
        },
        [
            {
                "line": line.line_no,
                "summary": line.summary,
                "account": line.account.code,
                "debit": line.debit,
                "credit": line.credit,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "currency": line.currency,
                "fx_amount": line.fx_amount,
                "fx_rate": line.fx_rate,
                "dimensions": {
                    kind: getattr(line, field)
                    for kind, field in DIMENSION_FIELDS.items()
                    if getattr(line, field) is not None
                },
            }
            for line in lines
        ],
    )


def _append_posting_record(
    head: LedgerSettings, voucher: Voucher, lines: list[VoucherLine], action: str
) -> PostingRecord:
    sequence = head.chain_length + 1
    content = kernel.content_hash(canonical(voucher, lines))
    link = kernel.chain_hash(head.chain_head, sequence, action, content)
    record = PostingRecord.objects.create(
        company=voucher.company,
        sequence=sequence,
        voucher=voucher,
        action=action,
        content_hash=content,
        previous_hash=head.chain_head,
        hash=link,
    )
    head.chain_length, head.chain_head = sequence, link
    head.save(update_fields=["chain_length", "chain_head"])
    return record
