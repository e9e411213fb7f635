"""django-ninja schemas of the ledger's API: separate input and output classes.

Amounts travel as JSON strings (``"1130.00"``) or numbers and become exact
``Decimal``s: a number is read from its shortest decimal spelling, so
``1.005`` arrives as ``Decimal("1.005")`` and the posting rules refuse it
rather than anything rounding it. Output amounts are always strings.
Accounts are named by code in inputs (codes are what accountants type) and
by id, code and name in outputs.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from zhongshu.core import refs
from zhongshu.core.money import (
    AMOUNT_PLACES,
    PRICE_PLACES,
    QUANTITY_PLACES,
    amount_in_words,
)
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    Dimension,
    Period,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.services.vouchers import DIMENSION_FIELDS

# --- exact decimals ----------------------------------------------------------------

# A double holds any decimal of up to 15 significant digits exactly; a JSON
# number with more may already have been changed by the JSON parser.
_EXACT_FLOAT_DIGITS = 15
# Scaled-integer columns hold about 9.2e16 units of their smallest step;
# these bounds keep every stored value (and voucher totals) well inside.
_MAX_AMOUNT = Decimal("1e14")
_MAX_QUANTITY = Decimal("1e12")
_MAX_PRICE = Decimal("1e10")
_MAX_RATE = Decimal("1e10")
RATE_PLACES = 8


def _from_json_number(value: object) -> object:
    """A JSON number as the Decimal it was written as; strings pass through."""
    if isinstance(value, bool):
        raise PydanticCustomError("decimal_type", _("Enter a number."))
    if not isinstance(value, float):
        return value
    if not math.isfinite(value):
        raise PydanticCustomError("decimal_type", _("Enter a number."))
    exact = Decimal(repr(value))
    if len(exact.as_tuple().digits) > _EXACT_FLOAT_DIGITS:
        raise PydanticCustomError(
            "decimal_too_precise",
            _('Send numbers with more than 15 digits as strings, e.g. "%(example)s".')
            % {"example": "1234567890123.45"},
        )
    return exact


def _within(limit: Decimal, places: int | None) -> AfterValidator:
    def check(value: Decimal) -> Decimal:
        if abs(value) >= limit:
            raise PydanticCustomError(
                "decimal_too_large",
                _("Enter a number smaller than %(limit)s.") % {"limit": f"{limit:,f}"},
            )
        exponent = value.normalize().as_tuple().exponent
        if places is not None and isinstance(exponent, int) and -exponent > places:
            raise PydanticCustomError(
                "decimal_max_places",
                _("Enter at most %(count)d decimal places.") % {"count": places},
            )
        return value

    return AfterValidator(check)


ExactDecimal = Annotated[Decimal, BeforeValidator(_from_json_number)]
# Places of debit and credit are left to the posting rules (ledger.kernel),
# which refuse more than two with the line's number in the message.
AmountIn = Annotated[ExactDecimal, _within(_MAX_AMOUNT, None)]
FxAmountIn = Annotated[ExactDecimal, _within(_MAX_AMOUNT, AMOUNT_PLACES)]
QuantityIn = Annotated[ExactDecimal, _within(_MAX_QUANTITY, QUANTITY_PLACES)]
PriceIn = Annotated[ExactDecimal, _within(_MAX_PRICE, PRICE_PLACES)]
RateIn = Annotated[ExactDecimal, _within(_MAX_RATE, RATE_PLACES)]
DimensionValue = Annotated[int, Field(ge=1, le=2**63 - 1)]

_INPUT = ConfigDict(extra="forbid")


# --- accounts -----------------------------------------------------------------------


class AccountRef(Schema):
    id: int
    code: str
    name: str


class AccountOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    parent_code: str | None
    level: int
    category: str
    normal_balance: str
    is_leaf: bool = Field(description="Only leaf accounts take postings.")
    is_active: bool
    dimensions: list[str] = Field(
        description="Auxiliary dimensions every posting to the account must carry."
    )

    @staticmethod
    def resolve_parent_code(obj: Account) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class AccountFilter(Schema):
    active_only: bool = False


class AccountIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "parent_code": "1122",
                    "code": "112201",
                    "name": "国内客户",
                    "dimensions": ["customer"],
                }
            ]
        },
    )

    parent_code: str = Field(max_length=40)
    code: str = Field(max_length=40)
    name: str = Field(max_length=100)
    dimensions: list[Dimension] = Field(default_factory=list)


class AccountPatch(Schema):
    """Only the fields sent change; ``null`` means "leave as is"."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "库存现金（人民币）"}]},
    )

    name: str | None = Field(None, max_length=100)
    dimensions: list[Dimension] | None = None
    is_active: bool | None = None


class RefinementOut(Schema):
    kind: str
    id: int


class RefinementIn(Schema):
    """An opaque reference to a higher module's row (``catalog.category`` 7):
    the owning module validates it, the ledger only stores it."""

    model_config: ClassVar[ConfigDict] = _INPUT

    kind: str = Field(min_length=1, max_length=40)
    id: int = Field(ge=1, le=2**63 - 1)


class AccountRoleOut(Schema):
    role: str
    account: AccountRef
    refined_by: RefinementOut | None

    @staticmethod
    def resolve_refined_by(obj: AccountRole) -> dict[str, Any] | None:
        if not obj.key_kind:
            return None
        return {"kind": obj.key_kind, "id": obj.key_id}


class AccountRoleIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"account": "1405"},
                {
                    "account": "1405",
                    "refined_by": {"kind": "catalog.category", "id": 7},
                },
            ]
        },
    )

    account: str = Field(max_length=40, description="The account code.")
    refined_by: RefinementIn | None = Field(
        None, description="Only for this key; without it, the company's default."
    )


# --- periods ------------------------------------------------------------------------


class PeriodOut(Schema):
    id: int
    key: str = Field(description='Fiscal year and period number, e.g. "2026-03".')
    year: int
    number: int
    start_on: datetime.date
    end_on: datetime.date
    is_closed: bool
    closed_at: datetime.datetime | None
    closed_by: str | None

    @staticmethod
    def resolve_key(obj: Period) -> str:
        return str(obj)

    @staticmethod
    def resolve_closed_by(obj: Period) -> str | None:
        return obj.closed_by.get_username() if obj.closed_by is not None else None


class ClosingProblemOut(Schema):
    code: str = Field(description="unposted_vouchers, trial_balance, ...")
    message: str


class PeriodFilter(Schema):
    year: int | None = Field(None, ge=1900, le=9999)


# --- vouchers -----------------------------------------------------------------------


class VoucherLineIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    summary: str = Field(max_length=200, description="摘要")
    account: str = Field(max_length=40, description="The account code.")
    debit: AmountIn = Decimal("0.00")
    credit: AmountIn = Decimal("0.00")
    dimensions: dict[Dimension, DimensionValue] = Field(
        default_factory=dict,
        description='Dimension values by kind, e.g. {"customer": 12}.',
    )
    quantity: QuantityIn | None = None
    unit_price: PriceIn | None = None
    currency: str = Field("", max_length=3)
    fx_amount: FxAmountIn | None = None
    fx_rate: RateIn | None = None

    def as_input(self) -> LineInput:
        return LineInput(
            summary=self.summary,
            account=self.account.strip(),
            debit=self.debit,
            credit=self.credit,
            dimensions={kind.value: value for kind, value in self.dimensions.items()},
            quantity=self.quantity,
            unit_price=self.unit_price,
            currency=self.currency,
            fx_amount=self.fx_amount,
            fx_rate=self.fx_rate,
        )


class VoucherIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-03-10",
                    "word": "记",
                    "attachments": 1,
                    "lines": [
                        {"summary": "提取备用金", "account": "1001", "debit": "500.00"},
                        {
                            "summary": "提取备用金",
                            "account": "1002",
                            "credit": "500.00",
                        },
                    ],
                }
            ]
        },
    )

    date: datetime.date
    word: str = Field("记", min_length=1, max_length=4, description="记/收/付/转")
    attachments: int = Field(0, ge=0, le=32767)
    lines: list[VoucherLineIn] = Field(max_length=1000)

    def line_inputs(self) -> list[LineInput]:
        return [line.as_input() for line in self.lines]


class VoucherDateIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"date": "2026-03-31"}]}
    )

    date: datetime.date | None = Field(
        None, description="Defaults to today; must fall in an open period."
    )


class VoucherFilter(Schema):
    year: int | None = Field(None, ge=1900, le=9999, description="Fiscal year.")
    period: int | None = Field(
        None, ge=1, le=12, description="Period number within the year."
    )
    state: VoucherState | None = None
    word: str | None = Field(None, max_length=4)
    source_kind: str | None = Field(None, max_length=40)
    source_id: int | None = Field(None, ge=1)


class VoucherRef(Schema):
    id: int
    period: str
    display_number: str
    state: str

    @staticmethod
    def resolve_period(obj: Voucher) -> str:
        return str(obj.period)


class SourceOut(Schema):
    kind: str
    id: int
    label: str | None = Field(description="The document type, when registered.")
    url: str | None = Field(description="Where the document is shown.")


def _source(obj: Voucher) -> dict[str, Any] | None:
    if not obj.source_kind or obj.source_id is None:
        return None
    described = refs.describe(obj.source_kind)
    return {
        "kind": obj.source_kind,
        "id": obj.source_id,
        "label": str(described.label) if described else None,
        "url": described.url(obj.source_id) if described else None,
    }


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


class VoucherLineOut(Schema):
    line_no: int
    summary: str
    account: AccountRef
    debit: Decimal
    credit: Decimal
    dimensions: dict[str, int]
    quantity: Decimal | None
    unit_price: Decimal | None
    currency: str
    fx_amount: Decimal | None
    fx_rate: Decimal | None

    @staticmethod
    def resolve_dimensions(obj: VoucherLine) -> dict[str, int]:
        return {
            kind: getattr(obj, field)
            for kind, field in DIMENSION_FIELDS.items()
            if getattr(obj, field) is not None
        }


class VoucherSummaryOut(Schema):
    """A voucher as a row of the voucher list."""

    id: int
    period_id: int
    period: str
    date: datetime.date
    word: str
    number: int | None
    display_number: str
    state: str
    attachments: int
    summary: str = Field(description="摘要 of the first line.")
    total: Decimal
    is_generated: bool
    source: SourceOut | None
    reversal_of_id: int | None
    maker: str | None
    reviewed_by: str | None
    posted_by: str | None

    @staticmethod
    def resolve_period(obj: Voucher) -> str:
        return str(obj.period)

    @staticmethod
    def resolve_summary(obj: Voucher) -> str:
        # ``lines`` is prefetched by the selector: no query per row.
        first = next(iter(obj.lines.all()), None)
        return first.summary if first is not None else ""

    @staticmethod
    def resolve_source(obj: Voucher) -> dict[str, Any] | None:
        return _source(obj)

    @staticmethod
    def resolve_maker(obj: Voucher) -> str | None:
        return _username(obj.maker)

    @staticmethod
    def resolve_reviewed_by(obj: Voucher) -> str | None:
        return _username(obj.reviewed_by)

    @staticmethod
    def resolve_posted_by(obj: Voucher) -> str | None:
        return _username(obj.posted_by)


class VoucherOut(VoucherSummaryOut):
    total_in_words: str = Field(description="The total in Chinese capitals (大写).")
    reversal_of: VoucherRef | None
    reversals: list[VoucherRef]
    created_at: datetime.datetime
    reviewed_at: datetime.datetime | None
    posted_at: datetime.datetime | None
    lines: list[VoucherLineOut]

    @staticmethod
    def resolve_total_in_words(obj: Voucher) -> str:
        return amount_in_words(obj.total)

    @staticmethod
    def resolve_reversals(obj: Voucher) -> list[Voucher]:
        return list(obj.reversals.all())

    @staticmethod
    def resolve_lines(obj: Voucher) -> list[VoucherLine]:
        return list(obj.lines.all())


# --- opening balances -----------------------------------------------------------


class OpeningAmountsIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    debit: AmountIn = Decimal("0.00")
    credit: AmountIn = Decimal("0.00")
    ytd_debit: AmountIn = Field(
        Decimal("0.00"), description="Debits of the year before the first period."
    )
    ytd_credit: AmountIn = Field(
        Decimal("0.00"), description="Credits of the year before the first period."
    )


class OpeningFiguresIn(OpeningAmountsIn):
    by_dimension: dict[Dimension, dict[DimensionValue, OpeningAmountsIn]] | None = (
        Field(
            None,
            description="辅助核算期初: the figures split by dimension value id, e.g. "
            '{"customer": {"12": {"debit": "800.00"}}}; each dimension\'s values '
            "must add up to the account's figures. Omitted: the stored split is "
            "kept; a dimension given is replaced whole ({} clears it).",
        )
    )


class OpeningBalancesIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "balances": {
                        "1002": {"debit": "100000.00"},
                        "112201": {
                            "debit": "20000.00",
                            "by_dimension": {
                                "customer": {
                                    "12": {"debit": "15000.00"},
                                    "13": {"debit": "5000.00"},
                                }
                            },
                        },
                        "3001": {"credit": "120000.00"},
                    }
                }
            ]
        },
    )

    balances: dict[Annotated[str, Field(max_length=40)], OpeningFiguresIn] = Field(
        max_length=10000,
        description="Figures by leaf account code; all zeros clear an account. "
        "Accounts not named keep their figures.",
    )


class OpeningBalanceOut(Schema):
    account: AccountRef
    debit: Decimal
    credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal


class OpeningCheckOut(Schema):
    debit: Decimal
    credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    difference: Decimal
    ytd_difference: Decimal
    balanced: bool


class OpeningDimensionBalanceOut(Schema):
    account: AccountRef
    dimension: str
    value_id: int
    debit: Decimal
    credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal


class OpeningBalancesOut(Schema):
    first_year: int | None
    first_period: int | None
    rows: list[OpeningBalanceOut]
    dimension_rows: list[OpeningDimensionBalanceOut] = Field(
        description="辅助核算期初: the opening figures by dimension value."
    )
    check: OpeningCheckOut


# --- reports ----------------------------------------------------------------------

PeriodKey = Annotated[
    str,
    Field(
        pattern=r"^\d{4}-\d{1,2}$",
        description='Fiscal year and period number, e.g. "2026-03".',
        examples=["2026-03"],
    ),
]
AccountCode = Annotated[
    str, Field(min_length=1, max_length=40, description="The account code.")
]


def _period_key(obj: Any, name: str) -> str:
    return str(getattr(obj, name))


class PeriodRange(Schema):
    from_period: PeriodKey
    to_period: PeriodKey


class TrialBalanceQuery(PeriodRange):
    level: int | None = Field(None, ge=1, le=10, description="Down to this level.")
    include_zero: bool = Field(False, description="Also accounts with no figures.")


class GeneralLedgerQuery(Schema):
    account: AccountCode
    year: int = Field(ge=1900, le=9999, description="Fiscal year.")


class AccountDetailQuery(PeriodRange):
    account: AccountCode
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class DimensionDetailQuery(AccountDetailQuery):
    dimension: Dimension
    value_id: int = Field(ge=1, description="The customer's, supplier's... id.")


class DimensionBalancesQuery(PeriodRange):
    account: AccountCode
    dimension: Dimension


class StatementQuery(Schema):
    period: PeriodKey


class TrialBalanceRowOut(Schema):
    account_id: int
    code: str
    name: str
    level: int
    is_leaf: bool
    category: str
    normal_balance: str
    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


class TrialBalanceTotalsOut(Schema):
    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


class TrialBalanceOut(Schema):
    """科目余额表; parents include their sub-accounts, totals add level 1."""

    from_period: str
    to_period: str
    balanced: bool
    rows: list[TrialBalanceRowOut]
    totals: TrialBalanceTotalsOut

    @staticmethod
    def resolve_from_period(obj: Any) -> str:
        return _period_key(obj, "from_period")

    @staticmethod
    def resolve_to_period(obj: Any) -> str:
        return _period_key(obj, "to_period")


class GeneralLedgerRowOut(Schema):
    kind: str = Field(description="opening, period (本月合计) or year_to_date.")
    period_number: int | None
    date: datetime.date
    summary: str
    debit: Decimal
    credit: Decimal
    direction: str = Field(description="借/贷/平 as debit, credit or flat.")
    balance: Decimal


class GeneralLedgerOut(Schema):
    """总分类账 of one account for a fiscal year."""

    account: AccountRef
    year: int
    rows: list[GeneralLedgerRowOut]


class DetailLineOut(Schema):
    line_id: int
    date: datetime.date
    voucher_id: int
    voucher_number: str
    line_no: int
    account_code: str
    account_name: str
    summary: str
    debit: Decimal
    credit: Decimal
    direction: str
    balance: Decimal = Field(description="The running balance after the line.")


class AccountDetailOut(Schema):
    """A page of a 明细分类账 (or 辅助明细账) with running balances."""

    account_id: int
    code: str
    name: str
    dimension: str | None
    value_id: int | None
    from_period: str
    to_period: str
    opening_direction: str
    opening_balance: Decimal
    lines: list[DetailLineOut]
    total_lines: int
    offset: int
    limit: int
    has_more: bool
    period_debit: Decimal
    period_credit: Decimal
    closing_direction: str
    closing_balance: Decimal

    @staticmethod
    def resolve_from_period(obj: Any) -> str:
        return _period_key(obj, "from_period")

    @staticmethod
    def resolve_to_period(obj: Any) -> str:
        return _period_key(obj, "to_period")


class DimensionBalanceRowOut(Schema):
    value_id: int
    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


class DimensionBalancesOut(Schema):
    """辅助核算余额表 of one account by one dimension."""

    account: AccountRef
    dimension: str
    from_period: str
    to_period: str
    rows: list[DimensionBalanceRowOut]


class VoucherSummaryRowOut(Schema):
    account_id: int
    code: str
    name: str
    debit: Decimal
    credit: Decimal


class VoucherSummaryReportOut(Schema):
    """凭证汇总表: posted vouchers of the range by level-1 account."""

    from_period: str
    to_period: str
    voucher_count: int
    total_debit: Decimal
    total_credit: Decimal
    rows: list[VoucherSummaryRowOut]


class StatementTermOut(Schema):
    sign: int
    function: str
    code: str


class StatementColumnOut(Schema):
    key: str
    label: str
    label_en: str


class StatementLineOut(Schema):
    row: int | None = Field(description="行次; none for a heading.")
    label: str
    label_en: str
    indent: int
    values: list[Decimal] = Field(description="One figure per column.")
    terms: list[StatementTermOut]
    sum_of: list[int] = Field(description="Signed rows a total adds.")
    is_heading: bool
    is_total: bool


class StatementOut(Schema):
    """资产负债表 or 利润表 in the format of the company's standard."""

    kind: str
    standard: str
    form: str
    title: str
    title_en: str
    period: str
    columns: list[StatementColumnOut]
    lines: list[StatementLineOut]
    check_rows: list[int] | None
    balanced: bool

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return _period_key(obj, "period")


# --- voucher templates ----------------------------------------------------------


class TemplateNameIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "计提折旧"}]}
    )

    name: str = Field(min_length=1, max_length=100)


class VoucherTemplateLineOut(Schema):
    summary: str
    account: str = Field(description="The account code, as saved.")
    debit: Decimal
    credit: Decimal
    dimensions: dict[str, int]


class VoucherTemplateOut(Schema):
    """凭证模板: a voucher's word and lines kept under a name."""

    id: int
    name: str
    word: str
    lines: list[VoucherTemplateLineOut]
    created_by: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        return _username(obj.created_by)


# --- settings -----------------------------------------------------------------------


class LedgerSettingsOut(Schema):
    voucher_words: str
    auto_post: bool = Field(
        description="Vouchers other modules generate post directly; "
        "otherwise they wait for review."
    )
    code_scheme: str
    first_year: int
    first_period: int


class LedgerSettingsIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    voucher_words: str = Field(min_length=1, max_length=20)
    auto_post: bool
