"""The replenishment page: the suggestion with its reasoning, the rebuild
button, and ticked lines turned into a draft purchase order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from zhongshu.core import clock, testing
from zhongshu.core.models import Role
from zhongshu.inventory import services as inventory
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import OrderState, PurchaseOrder, Suggestion
from zhongshu.purchasing.services.replenishment import rebuild_suggestions
from zhongshu.purchasing.services.supplier_products import (
    SupplierProductData,
    set_supplier_product,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def suggested() -> Suggestion:
    """No sales, a safety stock of 15 and nothing on hand: 15 short,
    rounded up to the supplier's minimum of 20 in multiples of 10 → 20."""
    company = purchasing_testing.purchasing_company("REPLPAGE")
    warehouse = Warehouse.objects.get(company=company, code="WH1")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    set_supplier_product(
        company=company,
        actor=testing.owner_of(company),
        data=SupplierProductData(
            supplier=vendor,
            product=cup,
            unit_price=D("4.00"),
            minimum_quantity=D(20),
            order_multiple=D(10),
            lead_time_days=3,
            is_preferred=True,
        ),
    )
    inventory.set_stock_policy(
        company=company,
        actor=None,
        product=cup,
        warehouse=warehouse,
        safety_stock=D(15),
        maximum_stock=None,
    )
    rebuild_suggestions(company=company, on_date=clock.today())
    return Suggestion.objects.get(company=company, product=cup)


def client_for(suggestion: Suggestion, role: str) -> Client:
    client = Client()
    client.force_login(testing.member(suggestion.company, [role], f"u-{role}"))
    return client


def test_the_page_shows_each_figure_of_the_reasoning(suggested: Suggestion) -> None:
    assert (suggested.shortfall, suggested.quantity) == (D(15), D(20))
    page = client_for(suggested, Role.PURCHASER).get(
        reverse("purchasing_replenishment")
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-row="{suggested.pk}"' in html
    assert "<strong>20</strong>" in html
    assert f'name="ids" value="{suggested.pk}"' in html


def test_ticked_lines_become_a_draft_order_of_their_supplier(
    suggested: Suggestion,
) -> None:
    client = client_for(suggested, Role.PURCHASER)
    response = client.post(
        reverse("purchasing_replenishment_accept"), {"ids": [suggested.pk]}
    )
    assert response.status_code == 302
    order = PurchaseOrder.objects.get(company=suggested.company)
    assert order.state == OrderState.DRAFT
    line = order.lines.get()
    assert (line.base_quantity, line.unit_price) == (D(20), D("4.00"))
    suggested.refresh_from_db()
    assert suggested.order_line == line


def test_a_keeper_sees_but_cannot_order_or_rebuild(suggested: Suggestion) -> None:
    client = client_for(suggested, Role.WAREHOUSE)
    page = client.get(reverse("purchasing_replenishment"))
    assert page.status_code == 200
    assert 'name="ids"' not in page.content.decode()
    assert (
        client.post(
            reverse("purchasing_replenishment_accept"), {"ids": [suggested.pk]}
        ).status_code
        == 403
    )
    assert client.post(reverse("purchasing_replenishment_rebuild")).status_code == 403
    assert not PurchaseOrder.objects.filter(company=suggested.company).exists()


def test_rebuilding_from_the_page_keeps_the_same_suggestion(
    suggested: Suggestion,
) -> None:
    client = client_for(suggested, Role.PURCHASER)
    assert client.post(reverse("purchasing_replenishment_rebuild")).status_code == 302
    again = Suggestion.objects.get(company=suggested.company)
    assert again.quantity == D(20)
