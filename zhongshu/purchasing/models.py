"""Tables of purchasing and payables (采购 / 应付): settings, what each
supplier supplies, requisitions (请购单), purchase orders, goods receipts
(采购入库, posted at the order price to 暂估应付 until the invoice comes),
supplier invoices with their 3-way match, purchase returns, payable open
items, payments (付款单) with their settlements (核销), and replenishment
suggestions.

Amounts of a line follow the one VAT rule (``catalog.pricing``): ``amount``
is what the supplier is paid for it (tax included), ``net_amount`` +
``tax_amount`` = ``amount``. Stock comes in at the net amount for a general
VAT taxpayer and at the whole amount for a small-scale one, whose input VAT
is not deductible."""

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
from zhongshu.inventory.models import StockMove, Warehouse
from zhongshu.ledger.models import Account, Voucher
from zhongshu.partners.models import Supplier

ZERO = Decimal("0")
USER = settings.AUTH_USER_MODEL


def _user(**kwargs: object) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,  # type: ignore[arg-type]
    )


class PurchaseSettings(models.Model):
    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    prices_include_tax = models.BooleanField(_("prices include VAT"), default=True)
    default_warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default warehouse"),
    )
    # None: nothing needs approval. Requisitions and orders above it wait
    # for an approver other than the one who asked.
    approval_threshold = AmountField(
        _("approval above (amount)"), null=True, blank=True
    )
    # Percent of an order line that may be received beyond its quantity.
    over_receipt_tolerance = PriceField(_("over-receipt tolerance %"), default=ZERO)
    # 3-way match: how far an invoice line may stray from the order price
    # (percent), and beyond the received quantity (percent), and still post.
    price_tolerance = PriceField(_("price tolerance %"), default=Decimal("1"))
    quantity_tolerance = PriceField(_("quantity tolerance %"), default=ZERO)
    aging_buckets = models.CharField(
        _("aging buckets (days)"), max_length=60, default="30,60,90,180"
    )
    # Safety days of demand kept on top of the lead time, and the days
    # between two replenishment runs (the review period).
    review_period_days = models.PositiveSmallIntegerField(
        _("review period (days)"), default=7
    )

    class Meta:
        verbose_name = _("purchase settings")
        verbose_name_plural = _("purchase settings")

    def __str__(self) -> str:
        return f"purchase settings of {self.company_id}"


class SupplierProduct(models.Model):
    """What a supplier supplies: a product at a price per base unit (with or
    without VAT as the company's purchase prices are), with a minimum order
    quantity, an order multiple and a lead time. One preferred supplier per
    product."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="+", verbose_name=_("supplier")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    supplier_code = models.CharField(
        _("supplier's item code"), max_length=60, blank=True, default=""
    )
    unit_price = PriceField(_("unit price"))
    # In the product's base unit.
    minimum_quantity = QuantityField(_("minimum order quantity"), default=ZERO)
    order_multiple = QuantityField(_("order multiple"), default=ZERO)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    is_preferred = models.BooleanField(_("preferred supplier"), default=False)

    class Meta:
        verbose_name = _("supplier product")
        verbose_name_plural = _("supplier products")
        ordering: ClassVar = ["product", "-is_preferred", "supplier"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "supplier", "product"], name="supplier_product_key"
            ),
            models.UniqueConstraint(
                fields=["company", "product"],
                condition=models.Q(is_preferred=True),
                name="supplier_product_preferred",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["company", "product"])]

    def __str__(self) -> str:
        return f"{self.supplier_id}:{self.product_id}"


class RequisitionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ORDERED = "ordered", _("Ordered")
    CANCELLED = "cancelled", _("Cancelled")


class Requisition(models.Model):
    """请购单: someone asks for goods; above the company's threshold another
    person approves before it becomes purchase orders."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40, blank=True, default="")
    date = models.DateField(_("date"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RequisitionState.choices,
        default=RequisitionState.DRAFT,
    )
    requester = _user(verbose_name=_("requester"))
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    total = AmountField(_("estimated total"), default=ZERO)
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    decision_note = models.CharField(max_length=200, blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = _user()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = _user()
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = _user()
    ordered_at = models.DateTimeField(null=True, blank=True)
    ordered_by = _user()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("purchase requisition")
        verbose_name_plural = _("purchase requisitions")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [models.Index(fields=["company", "state", "date"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~models.Q(number=""),
                name="requisition_number",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"requisition {self.pk}"


class RequisitionLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    # Base unit.
    quantity = QuantityField(_("quantity"))
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Estimated, tax as the company's purchase prices; from the supplier's
    # price when not given.
    unit_price = PriceField(_("estimated unit price"), default=ZERO)
    amount = AmountField(_("estimated amount"), default=ZERO)
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["requisition", "line_no"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseOrder(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40, blank=True, default="")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    date = models.DateField(_("date"))
    state = models.CharField(
        _("state"), max_length=12, choices=OrderState.choices, default=OrderState.DRAFT
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    requisition = models.ForeignKey(
        Requisition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    prices_include_tax = models.BooleanField(_("prices include VAT"), default=True)
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    net_total = AmountField(_("total excl. VAT"), default=ZERO)
    tax_total = AmountField(_("VAT total"), default=ZERO)
    total = AmountField(_("total"), default=ZERO)
    buyer = _user(verbose_name=_("buyer"))
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    # The supplier confirmed the order (dates per line), as the buyer or the
    # supplier's system recorded it.
    supplier_confirmed_at = models.DateTimeField(null=True, blank=True)
    supplier_reference = models.CharField(
        _("supplier's reference"), max_length=60, blank=True, default=""
    )
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = _user()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = _user()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = _user()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = _user()

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "date"]),
            models.Index(fields=["company", "state", "date"]),
            models.Index(fields=["company", "supplier", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~models.Q(number=""),
                name="purchase_order_number",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"purchase order {self.pk}"


class PurchaseOrderLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))
    base_quantity = QuantityField(_("quantity in base unit"))
    unit_price = PriceField(_("unit price"))
    tax_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    amount = AmountField(_("amount incl. VAT"))
    net_amount = AmountField(_("amount excl. VAT"))
    tax_amount = AmountField(_("VAT"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    requisition_line = models.ForeignKey(
        RequisitionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    # The date the supplier confirmed for this line.
    confirmed_date = models.DateField(_("confirmed date"), null=True, blank=True)
    # Base units: received less returned, and invoiced (matched).
    received_quantity = QuantityField(_("received"), default=ZERO)
    returned_quantity = QuantityField(_("returned"), default=ZERO)
    invoiced_quantity = QuantityField(_("invoiced"), default=ZERO)
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["order", "line_no"]
        indexes: ClassVar = [models.Index(fields=["company", "product"])]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class GoodsReceipt(models.Model):
    """采购入库: goods in from one purchase order, valued at the order price
    and owed as 暂估应付 until the supplier's invoice is matched."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="receipts"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    # The stock value at the order price (net for a general taxpayer).
    value_total = AmountField(_("value"), default=ZERO)
    # The account the estimate was posted to (its control account).
    estimate_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+"
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "date"]),
            models.Index(fields=["company", "supplier", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"], name="goods_receipt_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class GoodsReceiptLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    receipt = models.ForeignKey(
        GoodsReceipt, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    move = models.ForeignKey(StockMove, on_delete=models.PROTECT, related_name="+")
    base_quantity = QuantityField(_("quantity"))
    # The estimate (暂估) at the order price, as received.
    estimate = AmountField(_("estimated value"))
    # What invoices and returns have taken of the quantity and the estimate.
    invoiced_quantity = QuantityField(_("invoiced"), default=ZERO)
    invoiced_estimate = AmountField(default=ZERO)
    returned_quantity = QuantityField(_("returned"), default=ZERO)
    returned_estimate = AmountField(default=ZERO)

    class Meta:
        ordering: ClassVar = ["receipt", "id"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"

    @property
    def open_quantity(self) -> Decimal:
        """Received, not yet invoiced nor returned."""
        return self.base_quantity - self.invoiced_quantity - self.returned_quantity

    @property
    def open_estimate(self) -> Decimal:
        return self.estimate - self.invoiced_estimate - self.returned_estimate


class InvoiceState(models.TextChoices):
    EXCEPTION = "exception", _("Match exception")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


class SupplierInvoice(models.Model):
    """A supplier's VAT invoice (采购发票) as entered against purchase order
    lines. Matched lines post at once; a mismatch waits among the exceptions
    until a buyer resolves it."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    invoice_number = models.CharField(_("invoice number"), max_length=40)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=12, choices=InvoiceState.choices)
    net_total = AmountField(_("total excl. VAT"), default=ZERO)
    tax_total = AmountField(_("VAT total"), default=ZERO)
    total = AmountField(_("total"), default=ZERO)
    # Why the match failed, one reason per line ("" when matched).
    problems = models.JSONField(default=list, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=200, blank=True, default=""
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = _user()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = _user()

    class Meta:
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "state", "date"]),
            models.Index(fields=["company", "supplier", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"], name="supplier_invoice_number"
            ),
            models.UniqueConstraint(
                fields=["company", "supplier", "invoice_number"],
                condition=~models.Q(state="cancelled"),
                name="supplier_invoice_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SupplierInvoiceLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(
        SupplierInvoice, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    base_quantity = QuantityField(_("quantity"))
    unit_price = PriceField(_("unit price"))
    tax_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    amount = AmountField(_("amount incl. VAT"))
    net_amount = AmountField(_("amount excl. VAT"))
    tax_amount = AmountField(_("VAT"))
    problem = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["invoice", "id"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class InvoiceMatch(models.Model):
    """The part of a receipt line an invoice line paid for: the estimate it
    reversed and the value it set instead."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    invoice_line = models.ForeignKey(
        SupplierInvoiceLine, on_delete=models.CASCADE, related_name="matches"
    )
    receipt_line = models.ForeignKey(
        GoodsReceiptLine, on_delete=models.PROTECT, related_name="matches"
    )
    base_quantity = QuantityField()
    estimate = AmountField()
    value = AmountField()

    class Meta:
        ordering: ClassVar = ["invoice_line", "id"]

    def __str__(self) -> str:
        return f"{self.receipt_line_id}: {self.base_quantity}"


class PurchaseReturn(models.Model):
    """采购退货 against one goods receipt, at the cost the goods came in at."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    receipt = models.ForeignKey(
        GoodsReceipt, on_delete=models.PROTECT, related_name="returns"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    value_total = AmountField(_("cost"), default=ZERO)
    # The part already invoiced comes back as a credit on the payables,
    # with its input VAT.
    credit_total = AmountField(_("credit incl. VAT"), default=ZERO)
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("purchase return")
        verbose_name_plural = _("purchase returns")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [models.Index(fields=["company", "date"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"], name="purchase_return_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseReturnLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    purchase_return = models.ForeignKey(
        PurchaseReturn, on_delete=models.CASCADE, related_name="lines"
    )
    receipt_line = models.ForeignKey(
        GoodsReceiptLine, on_delete=models.PROTECT, related_name="return_lines"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    base_quantity = QuantityField(_("quantity"))
    # Of which not yet invoiced (taken off the estimate) and invoiced.
    estimated_quantity = QuantityField(default=ZERO)
    value = AmountField(_("cost"))
    credit_net = AmountField(default=ZERO)
    credit_tax = AmountField(default=ZERO)

    class Meta:
        ordering: ClassVar = ["purchase_return", "id"]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.base_quantity}"


class PayableKind(models.TextChoices):
    OPENING = "opening", _("Opening balance")
    INVOICE = "invoice", _("Supplier invoice")
    RETURN = "return", _("Purchase return")


class PayableItem(models.Model):
    """One open item of the payables subledger: what an invoice says the
    company owes (positive) or a return credits it (negative)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=PayableKind.choices)
    source_id = models.PositiveBigIntegerField()
    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"))
    due_date = models.DateField(_("due date"))
    amount = AmountField(_("amount"))
    open_amount = AmountField(_("open amount"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("payable item")
        verbose_name_plural = _("payable items")
        ordering: ClassVar = ["due_date", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "kind", "source_id"], name="payable_item_source"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "supplier", "due_date"]),
            models.Index(fields=["company", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.open_amount}"


class Payment(models.Model):
    """付款单: money out to a supplier. With ``is_prepayment`` what is not
    allocated stays a prepayment (预付) until applied; without, everything
    must settle open items."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    # What leaves the bank, and the discount the supplier granted (现金折扣),
    # which settles items without money.
    amount = AmountField(_("amount"))
    discount = AmountField(_("discount"), default=ZERO)
    is_prepayment = models.BooleanField(_("prepayment"), default=False)
    unallocated = AmountField(_("unallocated"), default=ZERO)
    prepayment_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+"
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["company", "date"]),
            models.Index(fields=["company", "supplier", "date"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "number"], name="payment_number")
        ]

    def __str__(self) -> str:
        return self.number


class PaymentSettlementKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    PREPAYMENT = "prepayment", _("Prepayment applied")
    CREDIT = "credit", _("Return credit")
    DISCOUNT = "discount", _("Discount")


class PaymentSettlement(models.Model):
    """核销 of a payable item by a payment, a prepayment, a return's credit
    or a discount."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(max_length=10, choices=PaymentSettlementKind.choices)
    item = models.ForeignKey(
        PayableItem, on_delete=models.PROTECT, related_name="settlements"
    )
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements",
    )
    credit_item = models.ForeignKey(
        PayableItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_settlements",
    )
    amount = AmountField(_("amount"))
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment settlement")
        verbose_name_plural = _("payment settlements")
        ordering: ClassVar = ["date", "id"]
        indexes: ClassVar = [models.Index(fields=["company", "supplier", "date"])]

    def __str__(self) -> str:
        return f"settlement {self.pk}: {self.amount}"


class Suggestion(models.Model):
    """A replenishment suggestion (补货建议) for one product in one
    warehouse, with the figures it was reasoned from."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    computed_on = models.DateField()
    method = models.CharField(max_length=40)
    horizon_days = models.PositiveSmallIntegerField()
    forecast = QuantityField()
    available = QuantityField()
    in_transit = QuantityField()
    reserved = QuantityField()
    safety_stock = QuantityField()
    # The shortfall before rounding, and the quantity to order after the
    # supplier's minimum and multiple.
    shortfall = QuantityField()
    quantity = QuantityField()
    # The order that took the suggestion, once accepted.
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("replenishment suggestion")
        verbose_name_plural = _("replenishment suggestions")
        ordering: ClassVar = ["warehouse", "product"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "product", "warehouse"], name="suggestion_key"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["company", "supplier"])]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.quantity}"


REQUISITION_FLOW = documents.register_flow(
    Requisition,
    documents.StateFlow(
        {
            RequisitionState.DRAFT: {
                RequisitionState.SUBMITTED,
                RequisitionState.APPROVED,
                RequisitionState.CANCELLED,
            },
            RequisitionState.SUBMITTED: {
                RequisitionState.APPROVED,
                RequisitionState.REJECTED,
                RequisitionState.CANCELLED,
            },
            RequisitionState.REJECTED: {RequisitionState.DRAFT},
            RequisitionState.APPROVED: {
                RequisitionState.ORDERED,
                RequisitionState.CANCELLED,
            },
        }
    ),
)
ORDER_FLOW = documents.register_flow(
    PurchaseOrder,
    documents.StateFlow(
        {
            OrderState.DRAFT: {
                OrderState.SUBMITTED,
                OrderState.CONFIRMED,
                OrderState.CANCELLED,
            },
            OrderState.SUBMITTED: {
                OrderState.CONFIRMED,
                OrderState.DRAFT,
                OrderState.CANCELLED,
            },
            OrderState.CONFIRMED: {OrderState.DONE, OrderState.CANCELLED},
        }
    ),
)
INVOICE_FLOW = documents.register_flow(
    SupplierInvoice,
    documents.StateFlow(
        {
            InvoiceState.EXCEPTION: {InvoiceState.POSTED, InvoiceState.CANCELLED},
        }
    ),
)
