"""Suppliers to and from Excel: the all-or-nothing import with every problem
listed by row and column, updates by code, the export round trip, the
template, and the same over the API."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook, load_workbook

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.partners import excel, selectors, services
from zhongshu.partners.models import Supplier, SupplierContact
from zhongshu.partners.testing import make_supplier
from zhongshu.partners.tests.api_client import ApiClient, error_of

pytestmark = pytest.mark.django_db

USCC = "91440101MA59CDEF1Q"
HEADER = [
    "Code", "Name", "Unified social credit code", "Bank", "Bank account",
    "Payment terms (days)", "Province", "City", "Contact name", "Contact phone",
    "Memo", "Active",
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
    return services.import_suppliers(
        company=company, actor=owner, rows=excel.read_supplier_rows(content)
    )


def cells(company: Company) -> dict[str, dict[str, Any]]:
    return {s.code: excel.supplier_cells(s) for s in selectors.list_suppliers(company)}


def test_an_import_adds_suppliers_with_their_primary_contact(
    company: Company, owner: User
) -> None:
    # when
    result = run(
        company,
        owner,
        sheet(
            ["S001", "东莞甲五金", USCC, "工商银行", "6222000011112222", 60, "广东",
             "东莞市", "张经理", "13800000000", "月结", "是"],
            ["S002", "上海乙化工", "", "", "", "", "310000", "上海市"],
        ),
    )  # fmt: skip
    # then
    assert (result.created, result.updated) == (["S001", "S002"], [])
    first = Supplier.objects.get(company=company, code="S001")
    assert (first.uscc, first.bank_account, first.payment_terms_days) == (
        USCC,
        "6222000011112222",
        60,
    )
    assert (first.province, first.city, first.memo) == ("440000", "东莞市", "月结")
    contact = SupplierContact.objects.get(supplier=first)
    assert (contact.name, contact.phone, contact.is_primary) == (
        "张经理",
        "13800000000",
        True,
    )
    second = Supplier.objects.get(company=company, code="S002")
    assert (second.province, second.payment_terms_days) == ("310000", 0)
    assert not SupplierContact.objects.filter(supplier=second).exists()
    entry = AuditEntry.objects.filter(object_kind="core.company").latest("id")
    assert entry.changes == {"suppliers_imported": {"created": 2, "updated": 0}}


def test_an_import_updates_existing_suppliers_by_code(
    company: Company, owner: User
) -> None:
    # given
    existing = make_supplier(company, "S001", name="旧名称", payment_terms_days=30)
    services.add_supplier_contact(
        supplier=existing, actor=owner, data=services.ContactData(name="旧联系人")
    )
    # when
    result = run(
        company,
        owner,
        sheet(["S001", "新名称", "", "", "", 15, "", "", "新联系人", "", "", "否"]),
    )
    # then: every column of the sheet replaced its value
    assert (result.created, result.updated) == ([], ["S001"])
    existing.refresh_from_db()
    assert (existing.name, existing.payment_terms_days, existing.province) == (
        "新名称",
        15,
        "",
    )
    assert not existing.is_active
    assert [c.name for c in SupplierContact.objects.filter(supplier=existing)] == [
        "新联系人"
    ]


def test_a_sheet_with_problems_imports_nothing_and_lists_them_all(
    company: Company, owner: User
) -> None:
    # given an existing supplier the sheet would change
    make_supplier(company, "S000", name="原名称")
    before = AuditEntry.objects.count()
    content = sheet(
        ["S000", "改名称"],
        ["S001", "", "91440101MA59CDEF1R", "", "", 4000, "火星"],
        ["S000", "重复"],
        ["S 3", "好公司", "", "", "", "1.5", "", "", "", "139", "", "也许"],
        ["S004", "新公司"],
    )
    # when
    with pytest.raises(services.ImportRejectedError) as caught:
        run(company, owner, content)
    # then: every problem, by row and then column; nothing written
    error = caught.value
    assert error.message == "3 rows have problems; nothing was imported."
    assert [(p.row, p.column) for p in error.problems] == [
        (3, "name"),
        (3, "uscc"),
        (3, "payment_terms_days"),
        (3, "province"),
        (4, "code"),
        (5, "code"),
        (5, "payment_terms_days"),
        (5, "contact_name"),
        (5, "is_active"),
    ]
    assert error.fields["4:code"] == ["The code S000 is also on row 2."]
    assert error.fields["3:province"] == ["There is no province 火星."]
    assert error.fields["3:payment_terms_days"] == [
        "Payment terms are from 0 to 3650 days."
    ]
    assert error.fields["5:code"] == ["A code cannot contain spaces."]
    assert error.problems[0].column_label == "Name"
    assert list(
        Supplier.objects.filter(company=company).values_list("code", "name")
    ) == [("S000", "原名称")]
    assert not SupplierContact.objects.exists()
    assert AuditEntry.objects.count() == before


def test_export_then_import_round_trips(company: Company, owner: User) -> None:
    # given two suppliers, every column filled in on one
    run(
        company,
        owner,
        sheet(
            ["S001", "东莞甲五金", USCC, "工商银行", "6222000011112222", 60, "广东省",
             "东莞市", "张经理", "13800000000", "月结 60 天", "否"],
            ["S002", "上海乙化工"],
        ),
    )  # fmt: skip
    before = cells(company)
    # when the export is imported again
    result = run(
        company, owner, excel.suppliers_xlsx(selectors.list_suppliers(company))
    )
    # then nothing changes and both are updates
    assert (result.created, result.updated) == ([], ["S001", "S002"])
    assert cells(company) == before
    assert before["S001"]["province"] == "广东省"
    assert before["S001"]["memo"] == "月结 60 天"
    assert before["S001"]["is_active"] == "No"
    assert SupplierContact.objects.filter(company=company).count() == 1


def test_the_template_has_the_headers_and_instructions() -> None:
    workbook = load_workbook(io.BytesIO(excel.supplier_template_xlsx()))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header == [str(column.label) for column in excel.SUPPLIER_COLUMNS]
    assert "Payment terms (days)" in header
    assert "Credit limit" not in header
    assert workbook.sheetnames == ["Suppliers", "Instructions"]


def test_a_sheet_without_the_code_column_is_one_clear_error() -> None:
    with pytest.raises(ValidationError) as caught:
        excel.read_supplier_rows(sheet(["东莞甲五金"], header=["Name"]))
    assert caught.value.fields == {
        "file": ["The first row must name the columns; missing: Code."]
    }


# --- API ------------------------------------------------------------------------------


def test_api_import_export_and_template(company: Company, owner: User) -> None:
    # given
    api = ApiClient(owner, company)
    content = sheet(["S001", "东莞甲五金", USCC], ["S002", "上海乙化工"])
    # when
    imported = api.upload("/excel/suppliers", content)
    # then
    assert imported.status_code == 200, imported.content
    assert imported.json() == {"created": ["S001", "S002"], "updated": []}
    exported = api.get("/excel/suppliers")
    assert exported.status_code == 200
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert [row[0] for row in rows[1:]] == ["S001", "S002"]
    template = api.get("/excel/supplier-template")
    assert template.status_code == 200
    assert "suppliers-template.xlsx" in template["Content-Disposition"]


def test_api_a_rejected_sheet_is_422_with_every_problem(
    company: Company, owner: User
) -> None:
    api = ApiClient(owner, company)
    rejected = api.upload("/excel/suppliers", sheet(["S001", ""], ["S 2", "乙"]))
    assert rejected.status_code == 422
    body = error_of(rejected)
    assert body["code"] == "import_rejected"
    assert set(body["fields"]) == {"2:name", "3:code"}
    assert not Supplier.objects.exists()


def test_api_a_salesperson_cannot_import_suppliers(company: Company) -> None:
    api = ApiClient(core_testing.member(company, [Role.SALES]), company)
    refused = api.upload("/excel/suppliers", sheet(["S001", "东莞甲五金"]))
    assert refused.status_code == 403
    assert not Supplier.objects.exists()
    assert api.get("/excel/suppliers").status_code == 200
