"""Customers to and from Excel: the round trip, the all-or-nothing import
with every problem listed by row and column, updates by code, and the
guards against broken or oversized files."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook, load_workbook

from zhongshu.core import sheets
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.partners import excel, selectors, services
from zhongshu.partners.models import Contact, Customer, DeliveryAddress
from zhongshu.partners.testing import make_customer, make_customer_category

pytestmark = pytest.mark.django_db

USCC = "91440101MA59CDEF1Q"
HEADER = [
    "Code", "Name", "Unified social credit code", "Category code",
    "Salesperson user name", "Payment terms (days)", "Credit limit", "Province",
    "City", "Address detail", "Contact name", "Contact phone",
]  # fmt: skip


def sheet(*rows: list[Any], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(company: Company, owner: User, content: bytes) -> services.ImportResult:
    return services.import_customers(
        company=company, actor=owner, rows=excel.read_customer_rows(content)
    )


@pytest.fixture
def setup(company: Company) -> User:
    make_customer_category(company, "VIP")
    return core_testing.member(company, [Role.SALES], "xiaowang")


def test_an_import_adds_customers_with_contact_and_address(
    company: Company, owner: User, setup: User
) -> None:
    # when
    result = run(
        company,
        owner,
        sheet(
            ["C001", "广州甲公司", USCC, "VIP", "XiaoWang", 30, 50000, "广东",
             "广州市", "天河路 1 号", "张经理", "13800000000"],
            ["C002", "上海乙公司", "", "", "", "", "", "310000", "上海市"],
        ),
    )  # fmt: skip
    # then
    assert (result.created, result.updated) == (["C001", "C002"], [])
    first = Customer.objects.get(company=company, code="C001")
    assert (first.uscc, first.category.code, first.salesperson) == (  # type: ignore[union-attr]
        USCC,
        "VIP",
        setup,
    )
    assert (first.payment_terms_days, first.credit_limit) == (30, Decimal("50000"))
    assert (first.province, first.city) == ("440000", "广州市")
    address = DeliveryAddress.objects.get(customer=first)
    assert (address.province, address.detail, address.is_default) == (
        "440000",
        "天河路 1 号",
        True,
    )
    assert Contact.objects.get(customer=first).is_primary
    second = Customer.objects.get(company=company, code="C002")
    assert (second.province, second.city, second.credit_limit) == (
        "310000",
        "上海市",
        None,
    )
    assert not DeliveryAddress.objects.filter(customer=second).exists()
    entry = AuditEntry.objects.filter(object_kind="core.company").latest("id")
    assert entry.changes == {"customers_imported": {"created": 2, "updated": 0}}


def test_export_then_import_round_trips(
    company: Company, owner: User, setup: User
) -> None:
    # given two customers with every column filled in on one
    run(
        company,
        owner,
        sheet(
            ["C001", "广州甲公司", USCC, "VIP", "xiaowang", 30, "1234.56", "广东省",
             "广州市", "天河路 1 号", "张经理", "13800000000"],
            ["C002", "上海乙公司"],
        ),
    )  # fmt: skip
    before = {
        c.code: excel.customer_cells(c) for c in selectors.list_customers(company)
    }
    # when the export is imported again
    exported = excel.customers_xlsx(selectors.list_customers(company))
    result = run(company, owner, exported)
    # then nothing changes and both are updates
    assert (result.created, result.updated) == ([], ["C001", "C002"])
    after = {c.code: excel.customer_cells(c) for c in selectors.list_customers(company)}
    assert after == before
    assert before["C001"]["credit_limit"] == Decimal("1234.56")
    assert before["C001"]["province"] == "广东省"
    assert Contact.objects.filter(company=company).count() == 1
    assert DeliveryAddress.objects.filter(company=company).count() == 1


def test_an_import_updates_existing_customers_by_code(
    company: Company, owner: User
) -> None:
    # given
    existing = make_customer(company, "C001", name="旧名称", credit_limit=Decimal("10"))
    # when
    result = run(company, owner, sheet(["C001", "新名称", "", "", "", 15, ""]))
    # then: every column of the sheet replaced its value
    assert result.updated == ["C001"]
    existing.refresh_from_db()
    assert (existing.name, existing.payment_terms_days, existing.credit_limit) == (
        "新名称",
        15,
        None,
    )


def test_a_sheet_with_problems_imports_nothing_and_lists_them_all(
    company: Company, owner: User, setup: User
) -> None:
    # given an existing customer the sheet would change
    make_customer(company, "C000", name="原名称")
    content = sheet(
        ["C000", "改名称"],
        ["C001", "", "91440101MA59CDEF1R", "NOPE", "nobody", 4000, -5, "火星"],
        ["C002", "好公司", "", "", "", "", "", "", "", "某路 1 号"],
        ["C000", "重复"],
        ["C003", "好公司", "", "", "", "1.5", "abc", "", "", "", "", "139"],
    )
    # when
    with pytest.raises(services.ImportRejectedError) as caught:
        run(company, owner, content)
    # then: every problem, by row and then column; nothing written
    error = caught.value
    assert error.message == "4 rows have problems; nothing was imported."
    assert [(p.row, p.column) for p in error.problems] == [
        (3, "name"),
        (3, "uscc"),
        (3, "category"),
        (3, "salesperson"),
        (3, "payment_terms_days"),
        (3, "credit_limit"),
        (3, "province"),
        (4, "province"),
        (5, "code"),
        (6, "payment_terms_days"),
        (6, "credit_limit"),
        (6, "contact_name"),
    ]
    assert error.fields["5:code"] == ["The code C000 is also on row 2."]
    assert error.fields["3:province"] == ["There is no province 火星."]
    assert error.fields["4:province"] == ["Choose the province."]
    assert error.problems[0].column_label == "Name"
    assert list(Customer.objects.filter(company=company).values_list("name")) == [
        ("原名称",)
    ]


def test_a_customer_with_a_default_address_keeps_its_region(
    company: Company, owner: User
) -> None:
    # given a customer whose default address is in Shanghai
    customer = make_customer(company, "C001")
    services.add_address(
        customer=customer,
        actor=owner,
        data=services.AddressData(province="310000", city="上海市", detail="1 号"),
    )
    # when a row leaves the region empty, it stays
    run(company, owner, sheet(["C001", "新名称"]))
    customer.refresh_from_db()
    assert (customer.province, customer.city) == ("310000", "上海市")
    # when a row names another region without an address, it is refused
    with pytest.raises(services.ImportRejectedError) as caught:
        run(company, owner, sheet(["C001", "新名称", "", "", "", "", "", "北京"]))
    assert list(caught.value.fields) == ["2:province"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"PK\x03\x04 not really",
            "The file is not a readable Excel workbook (.xlsx).",
        ),
        (b"", "The file is not a readable Excel workbook (.xlsx)."),
        (b"x" * (excel.MAX_FILE_BYTES + 1), "The file is larger than 2 MB."),
    ],
)
def test_broken_files_are_one_clear_error(content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        excel.read_customer_rows(content)
    assert caught.value.fields == {"file": [message]}


def test_a_zip_bomb_is_refused_before_reading() -> None:
    # given a small archive that unpacks to more than the limit
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * (excel.MAX_UNCOMPRESSED_BYTES + 1))
    assert len(buffer.getvalue()) < excel.MAX_FILE_BYTES
    # then
    with pytest.raises(ValidationError) as caught:
        excel.read_customer_rows(buffer.getvalue())
    assert caught.value.fields == {
        "file": ["The workbook unpacks to too much data to import."]
    }


def test_headers_and_row_counts_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as missing:
        excel.read_customer_rows(sheet(["x"], header=["Code", "Memo"]))
    assert "missing: Name" in missing.value.message
    with pytest.raises(ValidationError) as empty:
        excel.read_customer_rows(sheet())
    assert empty.value.message == "The sheet has no customers below its header row."
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    with pytest.raises(ValidationError) as many:
        excel.read_customer_rows(sheet(["A", "a"], ["B", "b"], ["C", "c"]))
    assert many.value.message == "At most 2 customers can be imported at a time."


def test_column_keys_work_as_headers() -> None:
    rows = excel.read_customer_rows(sheet(["C1", "甲"], header=["code", "name"]))
    assert rows[0].values == {"code": "C1", "name": "甲"}


def test_the_template_has_the_headers_and_instructions() -> None:
    workbook = load_workbook(io.BytesIO(excel.template_xlsx()))
    first = [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert first == [str(c.label) for c in excel.COLUMNS]
    assert workbook.sheetnames == ["Customers", "Instructions"]
