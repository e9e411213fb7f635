"""One row of each scaled field, owned by a company like every project table."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from zhongshu.core import documents
from zhongshu.core.fields import AmountField, PriceField, QuantityField
from zhongshu.core.models import Company


class MoneyRow(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE)
    label = models.CharField(max_length=40, blank=True, default="")
    amount = AmountField(default=Decimal("0.00"))
    price = PriceField(default=Decimal("0"))
    quantity = QuantityField(default=Decimal("0"))
    # Nullable, to prove None round-trips and that SUM over NULLs stays exact.
    discount = AmountField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.label or self.pk}: {self.amount}"


class SampleDocument(models.Model):
    """A document with a state, for the StateFlow tests."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE)
    state = models.CharField(max_length=16, default="draft")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"sample {self.pk}"


SAMPLE_FLOW = documents.register_flow(
    SampleDocument,
    documents.StateFlow(
        {"draft": {"confirmed", "cancelled"}, "confirmed": {"done", "cancelled"}}
    ),
)
