"""Inventory's pages: who may open them, in Chinese and English; warehouses
and bins; a manual receipt posted through the grid becoming moves and a
voucher; the reports with their figures, drill-downs and downloads; and
query counts that do not grow with the rows."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zhongshu.catalog.models import Barcode
from zhongshu.core import testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import Location, StockMove, Warehouse
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Voucher

pytestmark = pytest.mark.django_db

D = Decimal
NOV = datetime.date(2026, 11, 1)
REPORTS = [
    "inventory_on_hand",
    "inventory_stock_ledger",
    "inventory_movement_summary",
    "inventory_valuation",
    "inventory_warehouses",
]
PAGES = [*REPORTS, "inventory_manual_new", "inventory_warehouse_new"]


def day(n: int) -> datetime.date:
    return NOV.replace(day=n)


@pytest.fixture
def stock(company: Company) -> dict[str, Any]:
    """WH1 with shirts: 10 @ 10.00 on 11-02, 4 issued on 11-20 (40.00)."""
    ledger.set_up_books(company=company, first_year=2026)
    shirt = t.product(company, "SHIRT")
    Barcode.objects.create(
        company=company, product=shirt, code="6901234567892", kind="ean13"
    )
    wh1 = t.warehouse(company, "WH1")
    t.receive(company, day(2), shirt, wh1, "10", "10.00")
    t.issue(company, day(20), shirt, wh1, "4")
    return {"company": company, "shirt": shirt, "wh1": wh1}


def as_member(company: Company, role: str, *, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(testing.member(company, [role], username=f"u-{role}"))
    return client


@pytest.fixture
def keeper(stock: dict[str, Any]) -> Client:
    return as_member(stock["company"], Role.WAREHOUSE)


# --- access ----------------------------------------------------------------------


@pytest.mark.parametrize("url_name", PAGES)
def test_the_warehouse_keeper_opens_every_page(keeper: Client, url_name: str) -> None:
    response = keeper.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", PAGES)
def test_every_page_opens_in_chinese(
    chinese_client: Client, owner: User, stock: dict[str, Any], url_name: str
) -> None:
    chinese_client.force_login(owner)
    response = chinese_client.get(reverse(url_name))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.parametrize("url_name", REPORTS)
def test_a_sales_user_sees_the_reports(
    sales_client: Client, stock: dict[str, Any], url_name: str
) -> None:
    assert sales_client.get(reverse(url_name)).status_code == 200


def test_a_sales_user_may_not_move_stock_or_add_warehouses(
    sales_client: Client, stock: dict[str, Any]
) -> None:
    assert sales_client.get(reverse("inventory_manual_new")).status_code == 403
    assert sales_client.get(reverse("inventory_warehouse_new")).status_code == 403
    response = sales_client.post(
        reverse("inventory_warehouse", args=[stock["wh1"].pk]),
        {"code": "WH1", "name": "改名", "kind": "warehouse"},
    )
    assert response.status_code == 403
    assert Warehouse.objects.get(pk=stock["wh1"].pk).name == "仓库 WH1"


@pytest.mark.parametrize("url_name", PAGES)
def test_hr_sees_no_inventory(stock: dict[str, Any], url_name: str) -> None:
    hr = as_member(stock["company"], Role.HR)
    assert hr.get(reverse(url_name)).status_code == 403


def test_the_menu_shows_inventory_to_the_keeper(keeper: Client) -> None:
    html = keeper.get(reverse("home")).content.decode()
    assert 'class="nav-heading">Stock<' in html
    assert f'href="{reverse("inventory_on_hand")}"' in html
    assert f'href="{reverse("inventory_manual_new")}"' in html


# --- warehouses and bins ------------------------------------------------------------


def test_a_warehouse_with_a_bin_through_the_pages(keeper: Client, stock: Any) -> None:
    # when: a new store, then a bin in it
    created = keeper.post(
        reverse("inventory_warehouse_new"),
        {"code": "SH01", "name": "上海门店", "kind": "store", "city": "310100"},
    )
    warehouse = Warehouse.objects.get(company=stock["company"], code="SH01")
    added = keeper.post(
        reverse("inventory_location_add", args=[warehouse.pk]),
        {"code": "A-01-02", "zone": "A", "aisle": "01", "rack": "02", "x": "150"},
    )
    page = keeper.get(reverse("inventory_warehouse", args=[warehouse.pk]))
    # then
    assert created["Location"] == reverse("inventory_warehouse", args=[warehouse.pk])
    assert added.status_code == 302
    bin_a = Location.objects.get(warehouse=warehouse, code="A-01-02")
    assert (bin_a.zone, bin_a.rack, bin_a.x, bin_a.y) == ("A", "02", 150, 0)
    html = page.content.decode()
    assert 'data-location="A-01-02"' in html
    assert 'data-location="DEFAULT"' in html


def test_a_taken_code_is_shown_on_its_field(keeper: Client, stock: Any) -> None:
    response = keeper.post(
        reverse("inventory_warehouse_new"),
        {"code": "WH1", "name": "又一个", "kind": "warehouse"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["This code is taken."]


def test_a_warehouse_with_stock_is_not_deactivated(keeper: Client, stock: Any) -> None:
    response = keeper.post(
        reverse("inventory_warehouse_active", args=[stock["wh1"].pk]),
        {"active": "0"},
        follow=True,
    )
    assert "still holds or promises stock" in response.content.decode()
    assert Warehouse.objects.get(pk=stock["wh1"].pk).is_active


def test_a_bin_is_edited(keeper: Client, stock: Any) -> None:
    location = stock["wh1"].locations.get()
    response = keeper.post(
        reverse("inventory_location", args=[location.pk]),
        {"code": "DEFAULT", "name": "收货区", "zone": "R"},
    )
    assert response.status_code == 302
    location.refresh_from_db()
    assert (location.name, location.zone) == ("收货区", "R")


# --- moving stock by hand ------------------------------------------------------------


def grid(*lines: dict[str, str], spare: int = 2, **header: str) -> dict[str, str]:
    """The manual grid as the browser posts it, blank rows included."""
    data = {
        "date": "2026-11-10",
        "counter_account": "2241 其他应付款",
        "memo": "",
        "lines-TOTAL_FORMS": str(len(lines) + spare),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        **header,
    }
    blank = {"product": "", "warehouse": "", "quantity": ""}
    for index, line in enumerate([*lines, *[blank] * spare]):
        for name in (
            "product",
            "warehouse",
            "location",
            "lot",
            "expiry_date",
            "quantity",
            "unit_cost",
            "to_warehouse",
            "to_location",
        ):
            data[f"lines-{index}-{name}"] = line.get(name, "")
    return data


def test_a_receipt_posted_through_the_page_makes_moves_and_a_voucher(
    keeper: Client, stock: Any
) -> None:
    # given: 5 shirts @ 12.00 scanned by barcode, and 2 more typed by code
    company, wh1 = stock["company"], str(stock["wh1"].pk)
    form = grid(
        {"product": "6901234567892", "warehouse": wh1, "quantity": "5",
         "unit_cost": "12.00"},
        {"product": "SHIRT 商品 SHIRT", "warehouse": wh1, "quantity": "2",
         "unit_cost": "11.50"},
        memo="样品",
    )  # fmt: skip
    # when
    response = keeper.post(f"{reverse('inventory_manual_new')}?kind=receipt", form)
    # then: two moves worth 60.00 and 23.00 under one number, one voucher
    moves = list(
        StockMove.objects.filter(
            company=company, source_kind="inventory.manual"
        ).order_by("id")
    )
    assert [(m.quantity, m.value) for m in moves] == [
        (D("5"), D("60.00")),
        (D("2"), D("23.00")),
    ]
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "inventory_manual_document", args=[moves[0].source_id]
    )
    assert moves[0].memo == "QT-2026-00001 样品"
    voucher = Voucher.objects.get(source_kind="inventory.manual")
    assert sorted(
        (line.account.code, line.debit, line.credit) for line in voucher.lines.all()
    ) == [("1405", D("83.00"), D("0.00")), ("2241", D("0.00"), D("83.00"))]
    # and the document page shows the number and links its voucher and moves
    page = keeper.get(response["Location"]).content.decode()
    assert "QT-2026-00001" in page
    assert reverse("ledger_voucher", args=[voucher.pk]) in page
    assert reverse("inventory_move", args=[moves[1].pk]) in page


def test_an_issue_beyond_what_is_available_is_refused_on_the_page(
    keeper: Client, stock: Any
) -> None:
    # when: 9 wanted, 6 on hand
    form = grid(
        {"product": "SHIRT", "warehouse": str(stock["wh1"].pk), "quantity": "9"},
        counter_account="5602",
    )
    response = keeper.post(f"{reverse('inventory_manual_new')}?kind=issue", form)
    # then
    assert response.status_code == 200
    assert "6 available, 9 wanted" in response.content.decode()
    assert StockMove.objects.filter(company=stock["company"]).count() == 2


def test_line_errors_sit_on_their_line(keeper: Client, stock: Any) -> None:
    form = grid(
        {"product": "SHIRT", "warehouse": str(stock["wh1"].pk), "quantity": "1",
         "unit_cost": "1"},
        {"product": "NOPE", "warehouse": str(stock["wh1"].pk), "quantity": "1"},
    )  # fmt: skip
    response = keeper.post(f"{reverse('inventory_manual_new')}?kind=receipt", form)
    lines = response.context["lines"].forms
    assert lines[0].errors == {}
    assert lines[1].errors["product"] == ["There is no product NOPE."]
    assert not StockMove.objects.filter(source_kind="inventory.manual").exists()


def test_a_transfer_through_the_page(keeper: Client, stock: Any) -> None:
    wh2 = t.warehouse(stock["company"], "WH2")
    form = grid(
        {"product": "SHIRT", "warehouse": str(stock["wh1"].pk), "quantity": "2",
         "to_warehouse": str(wh2.pk)},
    )  # fmt: skip
    response = keeper.post(f"{reverse('inventory_manual_new')}?kind=transfer", form)
    assert response.status_code == 302
    moved = StockMove.objects.filter(source_kind="inventory.manual").order_by("id")
    assert [(m.warehouse.code, m.quantity, m.value) for m in moved] == [
        ("WH1", D("-2"), D("-20.00")),
        ("WH2", D("2"), D("20.00")),
    ]


# --- reports ------------------------------------------------------------------------


def test_on_hand_page_shows_the_figures_and_drills_to_the_ledger(
    keeper: Client, stock: Any
) -> None:
    response = keeper.get(reverse("inventory_on_hand"))
    html = response.content.decode()
    assert 'data-product="SHIRT"' in html
    assert "60.00" in html  # 6 left × 10.00
    assert reverse("inventory_stock_ledger") + "?product=SHIRT" in html


def test_on_hand_per_location(keeper: Client, stock: Any) -> None:
    response = keeper.get(reverse("inventory_on_hand"), {"by": "location"})
    row = response.context["report"].rows[0]
    assert (row.location_code, row.on_hand, row.value) == (
        "DEFAULT",
        D("6"),
        D("60.00"),
    )


def test_stock_ledger_page_finds_a_product_by_barcode(
    keeper: Client, stock: Any
) -> None:
    response = keeper.get(
        reverse("inventory_stock_ledger"),
        {
            "product": "6901234567892",
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
        },
    )
    report = response.context["report"]
    assert [
        (ln.kind, ln.balance_quantity, ln.balance_value) for ln in report.lines
    ] == [
        ("receipt", D("10"), D("100.00")),
        ("issue", D("6"), D("60.00")),
    ]
    html = response.content.decode()
    assert reverse("ledger_voucher", args=[report.lines[0].voucher_id]) in html
    assert reverse("inventory_move", args=[report.lines[1].move_id]) in html


def test_stock_ledger_page_names_an_unknown_product(keeper: Client, stock: Any) -> None:
    response = keeper.get(
        reverse("inventory_stock_ledger"),
        {"product": "NOPE", "date_from": "2026-11-01", "date_to": "2026-11-30"},
    )
    assert response.context["form"].errors["product"] == ["There is no product NOPE."]


def test_movement_summary_page_of_a_month(keeper: Client, stock: Any) -> None:
    response = keeper.get(reverse("inventory_movement_summary"), {"month": "2026-11"})
    report = response.context["report"]
    assert (report.date_from, report.date_to) == (day(1), day(30))
    [row] = report.rows
    assert (row.in_value, row.out_value, row.closing_value) == (
        D("100.00"),
        D("40.00"),
        D("60.00"),
    )
    assert "date_from=2026-11-01" in response.content.decode()


def test_valuation_page_reconciles_with_the_ledger(keeper: Client, stock: Any) -> None:
    response = keeper.get(reverse("inventory_valuation"), {"as_of": "2026-11-30"})
    reconciliation = response.context["reconciliation"]
    assert reconciliation.agrees
    assert [(r.account_code, r.stock_value) for r in reconciliation.rows] == [
        ("1405", D("60.00"))
    ]
    assert 'data-account="1405"' in response.content.decode()


def test_move_page_links_its_voucher_and_source(keeper: Client, stock: Any) -> None:
    move = StockMove.objects.get(company=stock["company"], kind="receipt")
    html = keeper.get(reverse("inventory_move", args=[move.pk])).content.decode()
    assert move.voucher is not None
    assert reverse("ledger_voucher", args=[move.voucher.pk]) in html
    assert "test.receipt #1" in html  # an unregistered kind reads as itself


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("inventory_on_hand", {}),
        ("inventory_stock_ledger",
         {"product": "SHIRT", "date_from": "2026-11-01", "date_to": "2026-11-30"}),
        ("inventory_movement_summary", {"month": "2026-11"}),
        ("inventory_valuation", {}),
    ],
)  # fmt: skip
def test_excel_downloads(
    keeper: Client, stock: Any, url_name: str, query: dict[str, str]
) -> None:
    response = keeper.get(reverse(url_name), {**query, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(1, 1).value  # the title


# --- query counts --------------------------------------------------------------------


def queries_of(client: Client, url: str, query: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("inventory_on_hand", {}),
        ("inventory_on_hand", {"by": "location"}),
        ("inventory_stock_ledger",
         {"product": "SHIRT", "date_from": "2026-11-01", "date_to": "2026-11-30"}),
        ("inventory_movement_summary", {"month": "2026-11", "by_warehouse": "on"}),
        ("inventory_valuation", {}),
        ("inventory_warehouses", {}),
    ],
)  # fmt: skip
def test_query_counts_do_not_grow_with_rows(
    keeper: Client, stock: Any, url_name: str, query: dict[str, str]
) -> None:
    # given: the page once, then with ten more products, moves and warehouses
    url = reverse(url_name)
    keeper.get(url, query)  # the session's first request does more
    before = queries_of(keeper, url, query)
    company = stock["company"]
    for n in range(10):
        item = t.product(company, f"X{n:02d}")
        where = t.warehouse(company, f"W{n:02d}")
        t.receive(company, day(5), item, where, "3", "2.00", source_id=n)
        t.receive(company, day(6), stock["shirt"], stock["wh1"], "1", "10.00")
    # when
    after = queries_of(keeper, url, query)
    # then
    assert after == before, (url_name, before, after)
