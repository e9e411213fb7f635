"""Tables of sales and receivables (销售 / 应收): settings, quotations, sales
orders, deliveries (销售出库), returns (销售退货), sales invoices (the
accounting side of 开票: revenue recognised on invoicing), retail sales
(零售单), receivable open items, receipts (收款单) and settlements (核销).

Amounts of a line: ``amount`` is what the customer pays for it (tax
included), ``net_amount`` + ``tax_amount`` = ``amount``; the split is
``pricing.split_line`` — the one VAT rule. A document's totals are the sums of
its lines, always."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongshu.catalog.models import Product, Unit
from zhongshu.core import documents
from zhongshu.core.fields import AmountField, PriceField, QuantityField
from zhongshu.core.models import Company
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import Account, Voucher
from zhongshu.partners.models import Customer

ZERO = Decimal("0")


class RevenueRecognition(models.TextChoices):
    ON_DELIVERY = "delivery", _("On delivery")
    ON_INVOICE = "invoice", _("On invoicing")


class SalesSettings(models.Model):
    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    revenue_recognition = models.CharField(
        _("recognise revenue"),
        max_length=10,
        choices=RevenueRecognition.choices,
        default=RevenueRecognition.ON_DELIVERY,
        help_text=_(
            "On invoicing: a delivery moves its cost to goods shipped (发出商品); "
            "the sales invoice posts receivable, revenue, VAT and cost."
        ),
    )
    default_warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default warehouse"),
    )
    prices_include_tax = models.BooleanField(_("prices include VAT"), default=True)
    # Upper bounds of the aging buckets in days: "30,60,90,180" gives
    # 0–30, 31–60, 61–90, 91–180 and >180.
    aging_buckets = models.CharField(
        _("aging buckets (days)"), max_length=60, default="30,60,90,180"
    )
    # The largest difference a cashier may write off on a receipt (抹零).
    write_off_tolerance = AmountField(
        _("small difference tolerance"), default=Decimal("10")
    )
    bank_charge_account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank charges account"),
        help_text=_("Empty: the finance expenses role (财务费用)."),
    )
    difference_account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("small differences account"),
        help_text=_("Empty: the finance expenses role (财务费用)."),
    )

    class Meta:
        verbose_name = _("sales settings")
        verbose_name_plural = _("sales settings")

    def __str__(self) -> str:
        return f"sales settings of {self.company_id}"


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PricedLine(models.Model):
    """The priced part shared by quotation, order and retail lines."""

    line_no = models.PositiveSmallIntegerField(_("line"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))
    base_quantity = QuantityField(_("quantity in base unit"))
    unit_price = PriceField(_("unit price"))
    # Percent, e.g. 5 for 5 %.
    discount_rate = PriceField(_("discount %"), default=ZERO)
    # The line's share of the document discount (tax included).
    order_discount = AmountField(_("order discount share"), default=ZERO)
    tax_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    amount = AmountField(_("amount incl. VAT"))
    net_amount = AmountField(_("amount excl. VAT"))
    tax_amount = AmountField(_("VAT"))
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")

    class Meta:
        abstract = True


class PricedDocument(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40, blank=True, default="")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    date = models.DateField(_("date"))
    prices_include_tax = models.BooleanField(_("prices include VAT"), default=True)
    # A discount on the whole document (tax included), spread over the lines.
    discount = AmountField(_("order discount"), default=ZERO)
    net_total = AmountField(_("total excl. VAT"), default=ZERO)
    tax_total = AmountField(_("VAT total"), default=ZERO)
    total = AmountField(_("total"), default=ZERO)
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("salesperson"),
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class QuotationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


class Quotation(PricedDocument):
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=QuotationState.choices,
        default=QuotationState.DRAFT,
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "date"]),
            models.Index(fields=["company", "customer", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~models.Q(number=""),
                name="quotation_number",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"quotation {self.pk}"


class QuotationLine(PricedLine):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    quotation = models.ForeignKey(
        Quotation, on_delete=models.CASCADE, related_name="lines"
    )

    class Meta:
        ordering: ClassVar = ["quotation", "line_no"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class SalesOrder(PricedDocument):
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=DocumentState.choices,
        default=DocumentState.DRAFT,
    )
    quotation = models.ForeignKey(
        Quotation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    delivery_address = models.CharField(
        _("delivery address"), max_length=300, blank=True, default=""
    )
    # Set when a manager confirmed the order past the customer's credit.
    credit_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    credit_override_reason = models.CharField(max_length=200, blank=True, default="")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "date"]),
            models.Index(fields=["company", "state", "date"]),
            models.Index(fields=["company", "customer", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~models.Q(number=""),
                name="sales_order_number",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"order {self.pk}"


class SalesOrderLine(PricedLine):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="lines"
    )
    # Where the line's stock is reserved and, by default, delivered from.
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    # Base units delivered less base units returned (a return reopens the
    # line for delivery only through a new order, so it is kept apart).
    delivered_quantity = QuantityField(_("delivered"), default=ZERO)
    returned_quantity = QuantityField(_("returned"), default=ZERO)

    class Meta:
        ordering: ClassVar = ["order", "line_no"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class Delivery(models.Model):
    """销售出库: goods leave one or more warehouses for one order."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    order = models.ForeignKey(
        SalesOrder, on_delete=models.PROTECT, related_name="deliveries"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    net_total = AmountField(_("total excl. VAT"), default=ZERO)
    tax_total = AmountField(_("VAT total"), default=ZERO)
    total = AmountField(_("total"), default=ZERO)
    cost_total = AmountField(_("cost"), default=ZERO)
    # The company's setting when the delivery was made: True when this
    # delivery recognised its revenue, False when an invoice will.
    recognises_revenue = models.BooleanField(default=True)
    # On-invoice recognition: the invoice that recognised this delivery.
    invoice = models.ForeignKey(
        "SalesInvoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "date"]),
            models.Index(fields=["company", "customer", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"], name="delivery_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class DeliveryLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        SalesOrderLine, on_delete=models.PROTECT, related_name="delivery_lines"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    base_quantity = QuantityField(_("quantity"))
    net_amount = AmountField(_("amount excl. VAT"))
    tax_amount = AmountField(_("VAT"))
    amount = AmountField(_("amount incl. VAT"))
    cost = AmountField(_("cost"))
    returned_quantity = QuantityField(_("returned"), default=ZERO)

    class Meta:
        ordering: ClassVar = ["delivery", "id"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class SalesReturn(models.Model):
    """销售退货 against one delivery: goods back at their original cost."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="returns"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    net_total = AmountField(_("total excl. VAT"), default=ZERO)
    tax_total = AmountField(_("VAT total"), default=ZERO)
    total = AmountField(_("total"), default=ZERO)
    cost_total = AmountField(_("cost"), default=ZERO)
    # Whether revenue was reversed (it had been recognised) or only the
    # shipped goods came back (on-invoice recognition, not yet invoiced).
    reverses_revenue = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sales return")
        verbose_name_plural = _("sales returns")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [models.Index(fields=["company", "date"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"], name="sales_return_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class SalesReturnLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    sales_return = models.ForeignKey(
        SalesReturn, on_delete=models.CASCADE, related_name="lines"
    )
    delivery_line = models.ForeignKey(
        DeliveryLine, on_delete=models.PROTECT, related_name="return_lines"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    base_quantity = QuantityField(_("quantity"))
    net_amount = AmountField(_("amount excl. VAT"))
    tax_amount = AmountField(_("VAT"))
    amount = AmountField(_("amount incl. VAT"))
    cost = AmountField(_("cost"))

    class Meta:
        ordering: ClassVar = ["sales_return", "id"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class SalesInvoice(models.Model):
    """The accounting side of invoicing (开票确认收入) for companies that
    recognise revenue on invoicing: bills whole deliveries of one customer,
    less what came back before billing."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    net_total = AmountField(_("total excl. VAT"), default=ZERO)
    tax_total = AmountField(_("VAT total"), default=ZERO)
    total = AmountField(_("total"), default=ZERO)
    cost_total = AmountField(_("cost"), default=ZERO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sales invoice")
        verbose_name_plural = _("sales invoices")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [models.Index(fields=["company", "date"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"], name="sales_invoice_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class ItemKind(models.TextChoices):
    # 期初应收: a customer's share of the receivable account's opening balance.
    OPENING = "opening", _("Opening balance")
    DELIVERY = "delivery", _("Delivery")
    INVOICE = "invoice", _("Sales invoice")
    RETURN = "return", _("Sales return")


class ReceivableItem(models.Model):
    """One open item of the receivables subledger: what a delivery or invoice
    asks the customer to pay (positive), or what a return credits them
    (negative). ``open_amount`` is what settlements have not yet covered."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    source_id = models.PositiveBigIntegerField()
    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"))
    due_date = models.DateField(_("due date"))
    amount = AmountField(_("amount"))
    open_amount = AmountField(_("open amount"))
    # The receivable account the item was posted to (its control account).
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("receivable item")
        verbose_name_plural = _("receivable items")
        ordering: ClassVar = ["due_date", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "kind", "source_id"], name="receivable_item_source"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "customer", "due_date"]),
            models.Index(fields=["company", "due_date"]),
            models.Index(fields=["company", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.open_amount}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Bank card")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")


class Receipt(models.Model):
    """收款单: money in from a customer. What is not allocated to open items
    is an advance (预收) until it is applied."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    method = models.CharField(
        _("payment method"),
        max_length=10,
        choices=PaymentMethod.choices,
        default=PaymentMethod.BANK_TRANSFER,
    )
    # What the customer paid: cash in + bank charge.
    amount = AmountField(_("amount"))
    bank_charge = AmountField(_("bank charge"), default=ZERO)
    # Not yet allocated to any item (the advance still to apply).
    unallocated = AmountField(_("unallocated"), default=ZERO)
    advance_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+"
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "date"]),
            models.Index(fields=["company", "customer", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "number"], name="receipt_number")
        ]

    def __str__(self) -> str:
        return self.number


class SettlementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    CREDIT = "credit", _("Credit note")
    DIFFERENCE = "difference", _("Small difference")


class Settlement(models.Model):
    """核销: ``amount`` of ``item`` settled by a receipt, by a credit item (a
    return), or written off as a small difference. Undoing keeps the row
    (``undone_at``) and posts the reverse."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(max_length=10, choices=SettlementKind.choices)
    item = models.ForeignKey(
        ReceivableItem, on_delete=models.PROTECT, related_name="settlements"
    )
    receipt = models.ForeignKey(
        Receipt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements",
    )
    credit_item = models.ForeignKey(
        ReceivableItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_settlements",
    )
    amount = AmountField(_("amount"))
    # The voucher this settlement posted on its own (applying an advance,
    # writing off a difference); None when it rode on the receipt's voucher
    # or needed none (a credit note within the same account).
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undo_voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering: ClassVar = ["date", "id"]
        indexes: ClassVar = [models.Index(fields=["company", "customer", "date"])]

    def __str__(self) -> str:
        return f"settlement {self.pk}: {self.amount}"


class RetailSale(models.Model):
    """零售单: a counter sale in a store, paid on the spot."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    store = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    date = models.DateField(_("date"))
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discount = AmountField(_("discount"), default=ZERO)
    net_total = AmountField(_("total excl. VAT"), default=ZERO)
    tax_total = AmountField(_("VAT total"), default=ZERO)
    total = AmountField(_("total"), default=ZERO)
    cost_total = AmountField(_("cost"), default=ZERO)
    tendered = AmountField(_("tendered"), default=ZERO)
    change = AmountField(_("change"), default=ZERO)
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("retail sale")
        verbose_name_plural = _("retail sales")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [models.Index(fields=["company", "store", "date"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"], name="retail_sale_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class RetailSaleLine(PricedLine):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    sale = models.ForeignKey(RetailSale, on_delete=models.CASCADE, related_name="lines")
    cost = AmountField(_("cost"), default=ZERO)

    class Meta:
        ordering: ClassVar = ["sale", "line_no"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class RetailPayment(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    sale = models.ForeignKey(
        RetailSale, on_delete=models.CASCADE, related_name="payments"
    )
    method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices
    )
    amount = AmountField(_("amount"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["sale", "id"]

    def __str__(self) -> str:
        return f"{self.method} {self.amount}"


QUOTATION_FLOW = documents.register_flow(
    Quotation,
    documents.StateFlow(
        {
            QuotationState.DRAFT: {QuotationState.ACCEPTED, QuotationState.CANCELLED},
        }
    ),
)
ORDER_FLOW = documents.register_flow(
    SalesOrder,
    documents.StateFlow(
        {
            DocumentState.DRAFT: {DocumentState.CONFIRMED, DocumentState.CANCELLED},
            # Cancelling a confirmed order releases what it reserved; one
            # with deliveries can only be closed (done).
            DocumentState.CONFIRMED: {
                DocumentState.DONE,
                DocumentState.CANCELLED,
                DocumentState.DRAFT,
            },
        }
    ),
)
