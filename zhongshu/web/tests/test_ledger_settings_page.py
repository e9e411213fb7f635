"""The ledger settings page changes voucher words and generated-voucher posting."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhongshu.core.models import Role
from zhongshu.core.testing import PASSWORD, member
from zhongshu.ledger import services
from zhongshu.ledger.testing import accountant, company_with_books

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_accountant_changes_the_ledger_settings():
    # given
    books = company_with_books("SETP")
    client = signed_in(accountant(books))
    # when
    page = client.get(reverse("ledger_settings"))
    saved = client.post(reverse("ledger_settings"), {"voucher_words": "记"})
    # then: an unticked box means generated vouchers wait for review
    assert page.status_code == 200
    assert saved.status_code == 302
    settings = services.books_of(books)
    assert (settings.voucher_words, settings.auto_post) == ("记", False)


def test_a_bad_word_list_is_shown_and_nothing_changes():
    books = company_with_books("SETQ")
    client = signed_in(accountant(books))
    response = client.post(
        reverse("ledger_settings"), {"voucher_words": "123", "auto_post": "on"}
    )
    assert response.status_code == 200
    assert b"voucher words" in response.content.lower()
    assert services.books_of(books).voucher_words == "记收付转"


def test_a_cashier_sees_the_settings_but_may_not_change_them():
    books = company_with_books("SETR")
    client = signed_in(member(books, [Role.CASHIER]))
    assert client.get(reverse("ledger_settings")).status_code == 200
    assert (
        client.post(reverse("ledger_settings"), {"voucher_words": "记"}).status_code
        == 403
    )
    assert services.books_of(books).voucher_words == "记收付转"
