"""The language toggle in the top bar."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(chinese_client: Client, owner: User) -> Client:
    chinese_client.force_login(owner)
    return chinese_client


def test_the_default_language_is_simplified_chinese(owner_client: Client) -> None:
    # when
    html = owner_client.get(reverse("home")).content.decode()
    # then
    assert '<html lang="zh-hans">' in html
    # The toggle offers English, named in English.
    assert 'name="language" value="en"' in html


def test_the_toggle_switches_to_english_and_back(owner_client: Client) -> None:
    # when
    response = owner_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}
    )
    english = owner_client.get(reverse("home")).content.decode()
    owner_client.post(reverse("set_language"), {"language": "zh-hans"})
    chinese = owner_client.get(reverse("home")).content.decode()
    # then
    assert response["Location"] == reverse("home")
    assert '<html lang="en">' in english
    assert 'name="language" value="zh-hans"' in english
    assert '<html lang="zh-hans">' in chinese


def test_the_login_page_has_the_toggle_too(chinese_client: Client) -> None:
    # when
    html = chinese_client.get(reverse("login")).content.decode()
    # then
    assert f'action="{reverse("set_language")}"' in html
