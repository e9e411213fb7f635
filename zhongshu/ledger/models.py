"""Tables of the general ledger: accounts, account roles, periods, vouchers and
their lines, the per-period totals reports read, opening balances and the
append-only posting journal that hash-chains every posting."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongshu.core.fields import AmountField, PriceField, QuantityField
from zhongshu.core.models import Company


class AccountCategory(models.TextChoices):
    ASSET = "asset", _("Assets")
    LIABILITY = "liability", _("Liabilities")
    COMMON = "common", _("Common")
    EQUITY = "equity", _("Owners' equity")
    COST = "cost", _("Costs")
    PROFIT_LOSS = "profit_loss", _("Profit and loss")


class NormalBalance(models.TextChoices):
    DEBIT = "debit", _("Debit")
    CREDIT = "credit", _("Credit")


class Dimension(models.TextChoices):
    """Auxiliary dimensions (辅助核算); their rows live in higher modules."""

    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")
    EMPLOYEE = "employee", _("Employee")
    DEPARTMENT = "department", _("Department")
    PROJECT = "project", _("Project")
    PRODUCT = "product", _("Inventory item")


class LedgerSettings(models.Model):
    """Per-company ledger settings, and the head of the posting hash chain."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="ledger_settings"
    )
    code_scheme = models.CharField(
        _("account code scheme"), max_length=20, default="4-2-2-2"
    )
    voucher_words = models.CharField(
        _("voucher words"), max_length=20, default="记收付转"
    )
    auto_post = models.BooleanField(
        _("post generated vouchers directly"),
        default=True,
        help_text=_("Otherwise vouchers from other modules wait for review."),
    )
    first_year = models.PositiveSmallIntegerField(_("first fiscal year"))
    first_period = models.PositiveSmallIntegerField(_("first period"), default=1)
    chain_length = models.PositiveBigIntegerField(default=0)
    chain_head = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("ledger settings")
        verbose_name_plural = _("ledger settings")

    def __str__(self) -> str:
        return f"ledger settings of {self.company_id}"


class Account(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(
        _("English name"), max_length=150, blank=True, default=""
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    category = models.CharField(
        _("category"), max_length=16, choices=AccountCategory.choices
    )
    normal_balance = models.CharField(
        _("normal balance"), max_length=8, choices=NormalBalance.choices
    )
    is_leaf = models.BooleanField(_("leaf"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    dimensions = models.JSONField(_("required dimensions"), default=list, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="account_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def sign(self) -> int:
        """+1 when the balance is read debit minus credit, -1 for credit accounts."""
        return 1 if self.normal_balance == NormalBalance.DEBIT else -1


class AccountRole(models.Model):
    """Which account a role (receivable, output VAT, ...) hits, optionally
    refined by an opaque key of a higher module (product category, warehouse)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=40)
    key_kind = models.CharField(_("refined by"), max_length=40, blank=True, default="")
    key_id = models.PositiveBigIntegerField(default=0)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("account role")
        verbose_name_plural = _("account roles")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "role", "key_kind", "key_id"],
                name="account_role_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} → {self.account_id}"


class Period(models.Model):
    """One month of a fiscal year; fiscal years have twelve."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("period"))
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering: ClassVar = ["company", "year", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "year", "number"], name="period_key"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["company", "start_on"])]

    def __str__(self) -> str:
        return f"{self.year}-{self.number:02d}"

    @property
    def ordinal(self) -> int:
        return self.year * 100 + self.number


class VoucherState(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")
    POSTED = "posted", _("posted")


class Voucher(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="vouchers"
    )
    date = models.DateField(_("date"))
    word = models.CharField(_("voucher word"), max_length=4, default="记")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=VoucherState.choices,
        default=VoucherState.DRAFT,
    )
    attachments = models.PositiveSmallIntegerField(_("attachments"), default=0)
    total = AmountField(_("total"), default=Decimal("0.00"))
    is_generated = models.BooleanField(_("generated by a document"), default=False)
    source_kind = models.CharField(
        _("source document type"), max_length=40, blank=True, default=""
    )
    source_id = models.PositiveBigIntegerField(
        _("source document id"), null=True, blank=True
    )
    reversal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering: ClassVar = ["company", "period", "word", "number", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "period", "word", "number"], name="voucher_number"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "source_kind", "source_id"]),
            models.Index(fields=["company", "state", "period"]),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return f"{self.word}-? ({self.date})"
        return f"{self.word}-{self.number:04d} ({self.period})"

    @property
    def display_number(self) -> str:
        return f"{self.word}-{self.number:04d}" if self.number is not None else "—"


class VoucherLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField()
    summary = models.CharField(_("summary"), max_length=200)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    debit = AmountField(_("debit"), default=Decimal("0.00"))
    credit = AmountField(_("credit"), default=Decimal("0.00"))
    quantity = QuantityField(_("quantity"), null=True, blank=True)
    unit_price = PriceField(_("unit price"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    fx_amount = AmountField(_("foreign currency amount"), null=True, blank=True)
    fx_rate = models.DecimalField(
        _("exchange rate"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    customer_id = models.PositiveBigIntegerField(null=True, blank=True)
    supplier_id = models.PositiveBigIntegerField(null=True, blank=True)
    employee_id = models.PositiveBigIntegerField(null=True, blank=True)
    department_id = models.PositiveBigIntegerField(null=True, blank=True)
    project_id = models.PositiveBigIntegerField(null=True, blank=True)
    product_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        ordering: ClassVar = ["voucher", "line_no"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "voucher", "line_no"], name="voucher_line_no"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["company", "account"])]

    def __str__(self) -> str:
        return f"{self.voucher_id}/{self.line_no}"


class PeriodTotal(models.Model):
    """Posted debits and credits of one leaf account in one period.

    Maintained by posting and unposting in the same transaction, so reports
    sum at most twelve rows per account instead of every voucher line."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    debit = AmountField(default=Decimal("0.00"))
    credit = AmountField(default=Decimal("0.00"))

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "account", "period"], name="period_total_key"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["company", "period"])]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.period_id}"


class DimensionTotal(models.Model):
    """Posted debits and credits of one account, period and dimension value."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value_id = models.PositiveBigIntegerField()
    debit = AmountField(default=Decimal("0.00"))
    credit = AmountField(default=Decimal("0.00"))

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "account", "period", "dimension", "value_id"],
                name="dimension_total_key",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["company", "dimension", "period"])]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.dimension}:{self.value_id}@{self.period_id}"


class OpeningBalance(models.Model):
    """Balance of a leaf account when the company starts on Zhongshu.

    ``debit``/``credit`` hold the balance at the start of the first period;
    for a mid-year start ``ytd_debit``/``ytd_credit`` hold the year's
    movements before it, so year-to-date figures and the income statement
    stay complete."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    debit = AmountField(default=Decimal("0.00"))
    credit = AmountField(default=Decimal("0.00"))
    ytd_debit = AmountField(default=Decimal("0.00"))
    ytd_credit = AmountField(default=Decimal("0.00"))

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "account"], name="opening_balance_key"
            )
        ]

    def __str__(self) -> str:
        return f"opening {self.account_id}"


class OpeningDimensionBalance(models.Model):
    """辅助核算期初: the share of one dimension value (a customer of 应收账款,
    ...) in a leaf account's opening figures, with the same four columns as
    ``OpeningBalance``. For each dimension an account is split by, the values
    add up to the account's figures (the opening service refuses otherwise)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value_id = models.PositiveBigIntegerField()
    debit = AmountField(default=Decimal("0.00"))
    credit = AmountField(default=Decimal("0.00"))
    ytd_debit = AmountField(default=Decimal("0.00"))
    ytd_credit = AmountField(default=Decimal("0.00"))

    class Meta:
        verbose_name = _("opening balance by dimension")
        verbose_name_plural = _("opening balances by dimension")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "account", "dimension", "value_id"],
                name="opening_dimension_balance_key",
            )
        ]

    def __str__(self) -> str:
        return f"opening {self.account_id}/{self.dimension}:{self.value_id}"


class PostingAction(models.TextChoices):
    POST = "post", _("posted")
    UNPOST = "unpost", _("unposted")


class PostingRecord(models.Model):
    """The append-only journal of postings, hash-chained per company.

    ``content_hash`` is the SHA-256 of the voucher's canonical serialisation
    at that moment; ``hash`` chains it to the previous record. ``zhongshu
    check`` recomputes both, so editing a posted voucher's rows, or this
    journal, in the database is detected."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveBigIntegerField()
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=PostingAction.choices)
    content_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "sequence"], name="posting_sequence"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["company", "voucher"])]

    def __str__(self) -> str:
        return f"{self.company_id}#{self.sequence} {self.action} {self.voucher_id}"


class VoucherTemplate(models.Model):
    """A named set of voucher lines (凭证模板) to start new drafts from.

    Lines are kept as data — ``{summary, account (code), debit, credit
    (decimal strings), dimensions {kind: id}}`` — not as rows pointing at
    accounts, so a template outlives changes to the chart: when an account
    is split or disabled, using the template fails validation like any entry."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    word = models.CharField(_("voucher word"), max_length=4, default="记")
    lines = models.JSONField(_("lines"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher template")
        verbose_name_plural = _("voucher templates")
        ordering: ClassVar = ["company", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "name"], name="voucher_template_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
