"""Products to and from Excel: the template, the export, and the import that
checks every row and imports all or nothing."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook, load_workbook

from zhongshu.catalog import excel, selectors, services
from zhongshu.catalog.models import Barcode, Product, ProductUnit
from zhongshu.catalog.testing import make_category, make_product
from zhongshu.core import sheets
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import AuditEntry, Company

pytestmark = pytest.mark.django_db

HEADER = [
    "code", "name", "specification", "category", "base_unit", "barcode",
    "alt_unit", "alt_factor", "alt_barcode", "tax_code", "vat_rate", "brand",
    "track_lots",
]  # fmt: skip


def workbook(header: list[Any], *rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_bytes(company: Company, owner: User, data: bytes) -> list[Product]:
    return services.import_products(
        company=company, actor=owner, rows=excel.read_product_rows(data)
    )


def test_the_template_has_every_column_and_instructions() -> None:
    # when
    book = load_workbook(io.BytesIO(excel.template_xlsx()))
    # then
    products, instructions = book.worksheets
    header = [c.value for c in next(products.iter_rows(max_row=1))]
    assert header == [str(c.label) for c in excel.COLUMNS]
    assert header[:6] == ["Code", "Name", "Specification", "Category code",
                          "Base unit", "Barcodes"]  # fmt: skip
    assert products.max_row == 1
    assert instructions.cell(row=2, column=1).value == "Code"
    assert instructions.cell(row=2, column=2).value == "Yes"


def test_good_rows_become_products_with_units_and_barcodes(
    company: Company, owner: User
) -> None:
    # given: numbers typed as numbers, as people do
    make_category(company, "CUPS")
    data = workbook(
        [str(c.label) for c in excel.COLUMNS][:13] and [
            "Code", "Name", "Specification", "Category code", "Base unit", "Barcodes",
            "Alternative unit", "Base units per alternative unit",
            "Alternative unit barcodes", "Tax classification code", "VAT rate",
            "Brand", "Lot tracking",
        ],
        ["CUP", "陶瓷杯", "350ml", "CUPS", "件", 6901234567892, "箱", 12,
         "16901234567899", "1080101010000000000", 0.13, "景德", "是"],
        ["RICE", "大米", "", "", "千克", "96385074; 036000291452", "", "", "",
         "", "9%", "", "no"],
        ["TEA", "绿茶", "", "", "个", "", "", "", "", "", "", "", ""],
    )  # fmt: skip
    # when
    created = import_bytes(company, owner, data)
    # then
    assert [p.code for p in created] == ["CUP", "RICE", "TEA"]
    cup = selectors.get_product(company, created[0].pk)
    assert (cup.category.code, cup.vat_rate, cup.track_lots, cup.brand) == (
        "CUPS", Decimal("0.1300"), True, "景德",
    )  # fmt: skip
    assert [(u.unit.code, u.factor) for u in cup.units.all()] == [
        ("箱", Decimal("12.0000"))
    ]
    assert sorted((b.code, b.kind) for b in cup.barcodes.all()) == [
        ("16901234567899", "internal"),
        ("6901234567892", "ean13"),
    ]
    rice = selectors.find_product(company, "RICE")
    assert rice is not None
    assert rice.vat_rate == Decimal("0.0900")  # "9%"
    assert sorted(b.kind for b in rice.barcodes.all()) == ["ean8", "upc"]
    tea = selectors.find_product(company, "TEA")
    assert tea is not None
    assert tea.vat_rate == Decimal("0.1300")  # empty: 13 %
    assert AuditEntry.objects.filter(
        company=company, changes__products_imported=3
    ).exists()


def test_every_problem_is_reported_with_row_and_column_and_nothing_is_imported(
    company: Company, owner: User
) -> None:
    # given: row 2 is right, rows 3-7 are not; RICE's barcode belongs to CUP
    make_product(company, "OLD", barcodes=["4006381333931"])
    data = workbook(
        HEADER,
        [
            "CUP",
            "陶瓷杯",
            "",
            "",
            "件",
            "6901234567892",
            "箱",
            "12",
            "",
            "",
            "",
            "",
            "",
        ],
        ["MUG", "马克杯", "", "", "件", "6901234567891", "", "", "", "", "", "", ""],
        ["BOWL", "", "", "NOPE", "桶", "", "", "", "", "", "", "", "maybe"],
        ["CUP", "又一个杯", "", "", "件", "6901234567892", "", "", "", "", "", "", ""],
        [
            "RICE",
            "大米",
            "",
            "",
            "千克",
            "4006381333931",
            "袋",
            "abc",
            "",
            "123",
            "13",
            "",
            "",
        ],
        ["OLD", "旧", "", "", "件", "", "", "12", "", "", "", "", ""],
    )
    # when
    with pytest.raises(services.ImportRejectedError) as rejected:
        import_bytes(company, owner, data)
    # then
    problems = [(p.row, p.column_label, p.message) for p in rejected.value.problems]
    assert problems == [
        (3, "Barcodes", "The check digit of EAN-13 barcode 6901234567891 is wrong "
         "(it should end in 2)."),
        (4, "Name", "This field is required."),
        (4, "Category code", "There is no category NOPE."),
        (4, "Base unit", "There is no unit 桶."),
        (4, "Lot tracking", "Enter yes or no."),
        (5, "Code", "The code CUP is also on row 2."),
        (5, "Barcodes", "The barcode 6901234567892 is also on row 2."),
        (6, "Barcodes", "The barcode 4006381333931 is already used by OLD."),
        (6, "Alternative unit", "There is no unit 袋."),
        (6, "Base units per alternative unit", "Enter a number."),
        (6, "Tax classification code", "A tax classification code has 19 digits."),
        (6, "VAT rate",
         "Enter a VAT rate from 0 to below 1 with at most 4 places, e.g. 0.13."),
        (7, "Code", "The product code OLD exists."),
        (7, "Alternative unit", "Name the unit of this factor."),
    ]  # fmt: skip
    assert rejected.value.message == "5 rows have problems; nothing was imported."
    assert rejected.value.fields["4:base_unit"] == ["There is no unit 桶."]
    assert list(
        Product.objects.filter(company=company).values_list("code", flat=True)
    ) == ["OLD"]
    assert ProductUnit.objects.filter(company=company).count() == 0
    assert Barcode.objects.filter(company=company).count() == 1


def test_a_long_code_typed_as_a_number_is_caught(company: Company, owner: User) -> None:
    # given: Excel turned the 19-digit tax code into 1.0801e18
    data = workbook(
        HEADER, ["CUP", "杯", "", "", "件", "", "", "", "", 1080101010000000000.0]
    )
    # when
    with pytest.raises(services.ImportRejectedError) as rejected:
        import_bytes(company, owner, data)
    # then
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (2, "tax_code")
    assert "15 digits" in problem.message


def test_the_export_lists_every_product_and_imports_into_another_company(
    company: Company, other_company: Company, owner: User
) -> None:
    # given
    make_category(company, "CUPS")
    make_category(other_company, "CUPS")
    make_product(
        company, "CUP", name="陶瓷杯", alt_units={"箱": "12"},
        barcodes=["6901234567892"], category=selectors.find_category(company, "CUPS"),
    )  # fmt: skip
    make_product(company, "TEA", name="绿茶", unit_code="个")
    # when
    data = excel.products_xlsx(selectors.list_products(company))
    rows = excel.read_product_rows(data)
    # then
    assert [(r.number, r.values["code"], r.values["base_unit"]) for r in rows] == [
        (2, "CUP", "件"),
        (3, "TEA", "个"),
    ]
    keys = ("category", "barcode", "alt_unit", "alt_factor", "vat_rate", "is_active")
    assert {k: rows[0].values[k] for k in keys} == {
        "category": "CUPS", "barcode": "6901234567892", "alt_unit": "箱",
        "alt_factor": "12", "vat_rate": "0.13", "is_active": "Yes",
    }  # fmt: skip
    imported = services.import_products(company=other_company, actor=owner, rows=rows)
    assert [p.code for p in imported] == ["CUP", "TEA"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "not a readable Excel workbook"),
        (b"PK\x03\x04broken", "not a readable Excel workbook"),
        (b"x" * (excel.MAX_FILE_BYTES + 1), "larger than 2 MB"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        excel.read_product_rows(data)
    assert message in refused.value.message
    assert list(refused.value.fields) == ["file"]


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    with pytest.raises(ValidationError, match="not a readable Excel workbook"):
        excel.read_product_rows(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    # given: 65 MB of zeros deflate to about 64 KB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 * 1024 * 1024))
    assert len(buffer.getvalue()) < excel.MAX_FILE_BYTES
    # when / then
    with pytest.raises(ValidationError, match="too much data"):
        excel.read_product_rows(buffer.getvalue())


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    data = workbook(HEADER, *[[f"P{i}", "品", "", "", "件"] for i in range(4)])
    with pytest.raises(ValidationError, match="At most 3 products"):
        excel.read_product_rows(data)


def test_a_sheet_without_the_required_columns_or_rows_is_refused() -> None:
    with pytest.raises(ValidationError, match="missing: Base unit"):
        excel.read_product_rows(workbook(["code", "name"], ["CUP", "杯"]))
    with pytest.raises(ValidationError, match="no products below"):
        excel.read_product_rows(workbook(HEADER, [None, "  "]))
    with pytest.raises(ValidationError, match="appears twice"):
        excel.read_product_rows(workbook(["code", "Code", "name", "base_unit"]))


def test_the_active_column_imports_inactive_products(
    company: Company, owner: User
) -> None:
    data = workbook(
        ["code", "name", "base_unit", "Active", "Shelf life (days)", "Expiry tracking"],
        ["OLD", "旧款", "件", "否", "", ""],
        ["MILK", "牛奶", "件", "", 21, "yes"],
    )
    created = {p.code: p for p in import_bytes(company, owner, data)}
    assert (created["OLD"].is_active, created["MILK"].is_active) == (False, True)
    assert (created["MILK"].track_expiry, created["MILK"].shelf_life_days) == (True, 21)
