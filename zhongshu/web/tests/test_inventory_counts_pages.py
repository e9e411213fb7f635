"""The stock count pages (盘点) and the stock alerts page: a count from its
creation through scanning, counted quantities, review and posting; the
scanner's htmx answer; who may do what; both languages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import include, path

from zhongshu.catalog.models import Barcode, BarcodeKind
from zhongshu.core.models import Company, Role
from zhongshu.core.testing import member, object_factory, owner_of
from zhongshu.inventory import counts, services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import (
    CountState,
    Location,
    StockBalance,
    StockCount,
    StockCountLine,
    Warehouse,
)
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Account

# The site's URLs, with the count pages included in case the site root does
# not include them (yet): the first match wins, so this changes nothing once
# it does.
urlpatterns = [
    path("", include("zhongshu.urls")),
    path("", include("zhongshu.web.urls_inventory_counts")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

DAY = datetime.date(2026, 11, 20)


@object_factory("count_id")
def count_in(company: Company) -> int:
    """A started count of a new warehouse (for the tenancy probes)."""
    warehouse = t.warehouse(company, f"PROBE-C{StockCount.objects.count()}")
    return counts.create_count(
        company=company, actor=None, warehouse=warehouse, date=DAY
    ).pk


@pytest.fixture
def shop() -> Company:
    company = t.stocked_company("SHOP")
    ledger.set_account_role(
        company=company,
        actor=owner_of(company),
        role=counts.GAIN_LOSS_ROLE,
        account=Account.objects.get(company=company, code="1901"),
    )
    return company


@pytest.fixture
def boss(shop: Company) -> User:
    return owner_of(shop)


@pytest.fixture
def wh(shop: Company) -> Warehouse:
    return t.warehouse(shop)


@pytest.fixture
def shelf(wh: Warehouse) -> Location:
    return services.add_location(
        warehouse=wh, actor=None, data=services.LocationData(code="A-01", zone="A")
    )


@pytest.fixture
def count(shop: Company, boss: User, wh: Warehouse, shelf: Location) -> StockCount:
    """10 cups (barcode 6901234567892) and 4 mugs on shelf A-01, frozen."""
    cup, mug = t.product(shop, "CUP"), t.product(shop, "MUG")
    Barcode.objects.create(
        company=shop, product=cup, code="6901234567892", kind=BarcodeKind.EAN13
    )
    Barcode.objects.create(
        company=shop, product=mug, code="MUG-1", kind=BarcodeKind.INTERNAL
    )
    t.receive(shop, DAY, cup, wh, "10", "4.00", location=shelf)
    t.receive(shop, DAY, mug, wh, "4", "5.00", location=shelf, source_id=2)
    return counts.create_count(company=shop, actor=boss, warehouse=wh, date=DAY)


def line_of(count: StockCount, code: str) -> StockCountLine:
    return StockCountLine.objects.get(count=count, product__code=code)


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_count_pages_render_in_english(
    client: Client, boss: User, count: StockCount
) -> None:
    signed_in(client, boss)
    listing = client.get("/inventory/counts/")
    detail = client.get(f"/inventory/counts/{count.pk}/")
    new = client.get("/inventory/counts/new/")
    assert (listing.status_code, detail.status_code, new.status_code) == (
        200,
        200,
        200,
    )
    assert "PD-2026-00001" in listing.content.decode()
    page = detail.content.decode()
    assert '<html lang="en">' in page
    for text in ("Stock count", "Scan", "Moved since freeze", "Save counts"):
        assert text in page
    assert 'name="counted-' in page
    assert "New stock count" in new.content.decode()


def test_the_count_pages_render_in_chinese(
    chinese_client: Client, boss: User, count: StockCount
) -> None:
    signed_in(chinese_client, boss)
    detail = chinese_client.get(f"/inventory/counts/{count.pk}/")
    alerts = chinese_client.get("/inventory/alerts/")
    assert (detail.status_code, alerts.status_code) == (200, 200)
    assert '<html lang="zh-hans">' in detail.content.decode()
    assert "PD-2026-00001" in detail.content.decode()


def test_a_new_count_from_the_form(
    client: Client, shop: Company, boss: User, wh: Warehouse, shelf: Location
) -> None:
    # given: 3 cups on the shelf
    t.receive(shop, DAY, t.product(shop, "CUP"), wh, "3", "4.00", location=shelf)
    signed_in(client, boss)
    # when
    response = client.post(
        "/inventory/counts/new/",
        {"warehouse": wh.pk, "date": "2026-11-20", "zone": "A", "start": "on"},
    )
    # then: started and shown
    created = StockCount.objects.get(company=shop)
    assert response.status_code == 302
    assert response["Location"] == f"/inventory/counts/{created.pk}/"
    assert (created.state, created.zone) == (CountState.COUNTING, "A")
    assert line_of(created, "CUP").book_quantity == Decimal("3")
    # and: a zone nobody has is shown on the form
    refused = client.post(
        "/inventory/counts/new/",
        {"warehouse": wh.pk, "date": "2026-11-20", "zone": "Z", "start": "on"},
    )
    assert refused.status_code == 200
    assert "zone Z" in refused.content.decode()
    assert StockCount.objects.filter(company=shop).count() == 1


def test_scanning_answers_htmx_with_the_counted_line(
    client: Client, boss: User, count: StockCount, shelf: Location
) -> None:
    signed_in(client, boss)
    url = f"/inventory/counts/{count.pk}/scan/"
    cup = line_of(count, "CUP")
    # when: a cup is scanned twice
    client.post(
        url,
        {"barcode": "6901234567892", "location": shelf.pk},
        HTTP_HX_REQUEST="true",
    )
    response = client.post(
        url,
        {"barcode": "6901234567892", "location": shelf.pk},
        HTTP_HX_REQUEST="true",
    )
    # then: the message, the line swapped out of band with 2 counted
    page = response.content.decode()
    assert response.status_code == 200
    assert "CUP" in page
    assert "counted 2." in page
    assert f'id="count-line-{cup.pk}" hx-swap-oob="true"' in page
    assert f'name="counted-{cup.pk}" value="2"' in page
    assert 'id="count-summary" class="card" hx-swap-oob="true"' in page
    cup.refresh_from_db()
    assert cup.counted_quantity == Decimal("2")


def test_an_unknown_barcode_is_a_clear_error(
    client: Client, boss: User, count: StockCount, shelf: Location
) -> None:
    signed_in(client, boss)
    url = f"/inventory/counts/{count.pk}/scan/"
    # with htmx: the error in the answer, nothing counted
    response = client.post(
        url, {"barcode": "12345", "location": shelf.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "No product has the barcode 12345" in response.content.decode()
    assert "data-scan-error" in response.content.decode()
    # without: back to the sheet with the message
    plain = client.post(url, {"barcode": "12345", "location": shelf.pk}, follow=True)
    assert "No product has the barcode 12345" in plain.content.decode()
    assert not StockCountLine.objects.filter(
        count=count, counted_quantity__isnull=False
    ).exists()


def test_a_scan_of_a_product_not_on_the_book_adds_its_line(
    client: Client, shop: Company, boss: User, count: StockCount, shelf: Location
) -> None:
    # given: a teapot with a barcode, none on the book
    pot = t.product(shop, "POT")
    Barcode.objects.create(
        company=shop, product=pot, code="POT-1", kind=BarcodeKind.INTERNAL
    )
    signed_in(client, boss)
    # when
    response = client.post(
        f"/inventory/counts/{count.pk}/scan/",
        {"barcode": "POT-1", "location": shelf.pk},
        HTTP_HX_REQUEST="true",
    )
    # then: the new line is appended to the sheet
    line = line_of(count, "POT")
    page = response.content.decode()
    assert 'hx-swap-oob="beforeend:#count-lines-body"' in page
    assert f'id="count-line-{line.pk}"' in page
    assert (line.book_quantity, line.counted_quantity, line.is_added) == (
        Decimal("0"),
        Decimal("1"),
        True,
    )


def test_a_count_from_the_sheet_to_the_books(
    client: Client, shop: Company, boss: User, count: StockCount, shelf: Location
) -> None:
    """Cups: 10 on the book, 8 counted → −2 × 4.00. Mugs: 4 on the book, 5
    found → +1 × 5.00."""
    signed_in(client, boss)
    cup, mug = line_of(count, "CUP"), line_of(count, "MUG")
    base = f"/inventory/counts/{count.pk}"
    # when: typed into the sheet, saved, reviewed and posted
    saved = client.post(
        f"{base}/counted/", {f"counted-{cup.pk}": "8", f"counted-{mug.pk}": "5"}
    )
    assert saved.status_code == 302
    reviewed = client.get(f"{base}/")
    assert 'data-action="review"' in reviewed.content.decode()
    client.post(f"{base}/review/")
    sheet = client.get(f"{base}/").content.decode()
    assert 'data-action="post"' in sheet
    assert 'data-figure="gains">5.00' in sheet
    assert 'data-figure="losses">8.00' in sheet
    posted = client.post(f"{base}/post/", follow=True)
    # then
    count.refresh_from_db()
    assert count.state == CountState.POSTED
    assert "is posted" in posted.content.decode()
    assert count.gain_voucher is not None
    assert count.loss_voucher is not None
    assert f"/ledger/vouchers/{count.loss_voucher_id}/" in posted.content.decode()
    on_hand = dict(
        StockBalance.objects.filter(company=shop).values_list(
            "product__code", "on_hand"
        )
    )
    assert on_hand == {"CUP": Decimal("8"), "MUG": Decimal("5")}
    # and: posting again is refused with a message, nothing changed
    again = client.post(f"{base}/post/", follow=True)
    assert "cannot become posted" in again.content.decode()
    assert StockBalance.objects.get(product__code="CUP").on_hand == Decimal("8")


def test_adding_zeroing_and_cancelling(
    client: Client, shop: Company, boss: User, count: StockCount, shelf: Location
) -> None:
    signed_in(client, boss)
    base = f"/inventory/counts/{count.pk}"
    t.product(shop, "VASE")
    # a vase found on the shelf
    client.post(
        f"{base}/add-line/",
        {"product": "VASE", "location": shelf.pk, "quantity": "2"},
    )
    assert line_of(count, "VASE").counted_quantity == Decimal("2")
    # an unknown code is refused with a message
    refused = client.post(
        f"{base}/add-line/",
        {"product": "NOPE", "location": shelf.pk, "quantity": "2"},
        follow=True,
    )
    assert "No product has the code NOPE" in refused.content.decode()
    # the rest set to zero
    client.post(f"{base}/zero/")
    assert line_of(count, "CUP").counted_quantity == Decimal("0")
    # and the count cancelled
    client.post(f"{base}/cancel/")
    count.refresh_from_db()
    assert count.state == CountState.CANCELLED


def test_a_planned_count_starts_from_its_page(
    client: Client, shop: Company, boss: User, wh: Warehouse
) -> None:
    planned = counts.create_count(
        company=shop, actor=boss, warehouse=wh, date=DAY, start=False
    )
    signed_in(client, boss)
    page = client.get(f"/inventory/counts/{planned.pk}/").content.decode()
    assert 'data-action="start"' in page
    client.post(f"/inventory/counts/{planned.pk}/start/")
    planned.refresh_from_db()
    assert planned.state == CountState.COUNTING


def test_who_may_count_and_post(
    client: Client, shop: Company, count: StockCount
) -> None:
    base = f"/inventory/counts/{count.pk}"
    # a salesman sees the counts but may not start one
    signed_in(client, member(shop, [Role.SALES]))
    listing = client.get("/inventory/counts/")
    assert listing.status_code == 200
    assert "/inventory/counts/new/" not in listing.content.decode()
    assert client.post("/inventory/counts/new/").status_code == 403
    # nor may someone without an inventory role look
    signed_in(client, member(shop, [Role.HR]))
    assert client.get("/inventory/counts/").status_code == 403
    # a warehouse keeper counts but neither reviews nor posts
    signed_in(client, member(shop, [Role.WAREHOUSE]))
    page = client.get(f"{base}/").content.decode()
    assert 'id="scanner"' in page
    assert 'data-action="review"' not in page
    assert client.post(f"{base}/review/").status_code == 403
    # an accountant reviews and posts but does not scan
    signed_in(client, member(shop, [Role.ACCOUNTANT]))
    page = client.get(f"{base}/").content.decode()
    assert 'id="scanner"' not in page
    assert 'data-action="review"' in page
    assert client.post(f"{base}/scan/", {"barcode": "MUG-1"}).status_code == 403


def test_another_companys_count_is_not_found(client: Client, count: StockCount) -> None:
    other = t.stocked_company("OTHER")
    signed_in(client, owner_of(other))
    assert client.get(f"/inventory/counts/{count.pk}/").status_code == 404
    assert client.post(f"/inventory/counts/{count.pk}/post/").status_code == 404


# --- alerts ----------


def test_the_alerts_page(
    client: Client, chinese_client: Client, shop: Company, boss: User, wh: Warehouse
) -> None:
    # given: cups below their safety stock of 5, and old stock of vases
    cup, vase = t.product(shop, "CUP"), t.product(shop, "VASE")
    services.set_stock_policy(
        company=shop,
        actor=None,
        product=cup,
        warehouse=wh,
        safety_stock=Decimal("5"),
        maximum_stock=None,
    )
    t.receive(shop, datetime.date(2026, 11, 1), cup, wh, "2", "4.00")
    t.receive(shop, datetime.date(2026, 1, 5), vase, wh, "1", "9.00", source_id=2)
    signed_in(client, boss)
    # when
    every = client.get("/inventory/alerts/")
    low = client.get(f"/inventory/alerts/?kind=below_safety&warehouse={wh.pk}")
    # then
    page = every.content.decode()
    assert every.status_code == 200
    assert "2 available, safety stock 5" in page
    assert 'data-alert="not_moving"' in page
    assert 'data-kind="all"' in page
    low_page = low.content.decode()
    assert 'data-alert="below_safety"' in low_page
    assert 'data-alert="not_moving"' not in low_page
    # and: in Chinese too
    signed_in(chinese_client, boss)
    assert chinese_client.get("/inventory/alerts/").status_code == 200


def test_the_alerts_page_without_alerts(client: Client, shop: Company) -> None:
    signed_in(client, owner_of(shop))
    page = client.get("/inventory/alerts/").content.decode()
    assert "No alerts" in page
