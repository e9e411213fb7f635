"""The account roles' labels (what each role means to the people who set it)."""

from __future__ import annotations

from django.utils import translation

from zhongshu.ledger import chart


def test_every_role_has_a_label():
    roles = {
        value
        for name, value in vars(chart.Role).items()
        if name.isupper() and isinstance(value, str)
    }
    assert roles == set(chart.ROLE_LABELS)


def test_a_role_reads_in_the_active_language():
    with translation.override("en"):
        assert chart.role_label(chart.Role.OUTPUT_VAT) == "Output VAT"
        # a role another module adds without a label reads as its key
        assert chart.role_label("freight_in") == "freight in"
