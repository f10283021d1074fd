"""Password guessing at the admin login, through the real login view and django-axes."""

import logging
import time

import pytest
from django.contrib.auth import get_user_model

from filmstrip.conf import filmstrip_settings

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "the-right-one"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "ana", password=PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client, password, *, address="203.0.113.7", username="ana"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_two_hundred_guesses_then_the_right_password_stays_out(client, staff):
    for n in range(200):
        sign_in(client, f"guess-{n}")
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "Signing in is paused" in response.text and "15 minutes" in response.text


def test_a_refused_guess_costs_no_password_hash(client, staff, monkeypatch):
    for n in range(5):
        sign_in(client, f"guess-{n}")
    hashed = []
    monkeypatch.setattr(type(staff), "check_password", lambda *a: hashed.append(a) or True)
    assert sign_in(client, f"guess-{n}").status_code == 429
    assert hashed == []


def test_the_pause_ends_after_the_cool_off(client, staff, settings):
    settings.FILMSTRIP_LOGIN_COOLOFF_SECONDS = 2
    for n in range(5):
        sign_in(client, f"guess-{n}")
    assert sign_in(client, PASSWORD).status_code == 429  # and the wait starts again
    time.sleep(2.2)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_one_address_guessing_does_not_lock_the_author_out_everywhere(client, staff):
    for n in range(5):
        sign_in(client, f"guess-{n}", address="198.51.100.9")
    assert sign_in(client, PASSWORD, address="198.51.100.9").status_code == 429
    response = sign_in(client, PASSWORD, address="203.0.113.7")
    assert response.status_code == 302 and signed_in(client)


def test_guesses_spread_over_many_addresses_pause_the_login_name(client, staff):
    for n in range(filmstrip_settings.LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(client, f"guess-{n}", address=f"198.51.100.{n + 1}")
    response = sign_in(client, PASSWORD, address="203.0.113.200")
    assert response.status_code == 429 and not signed_in(client)


def test_one_address_trying_many_login_names_is_paused(client, staff):
    for n in range(filmstrip_settings.LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(client, "guess", username=f"name-{n}", address="198.51.100.9")
    response = sign_in(client, PASSWORD, address="198.51.100.9")
    assert response.status_code == 429 and not signed_in(client)


def test_lockouts_are_logged(client, staff, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for n in range(5):
            sign_in(client, f"guess-{n}")
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_behind_a_trusted_proxy_each_reader_is_counted_by_their_own_address(
    client, staff, settings
):
    settings.FILMSTRIP_TRUSTED_PROXIES = ["127.0.0.1"]

    def via_proxy(password, reader):
        return client.post(
            LOGIN,
            {"username": "ana", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.1, {reader}",  # the left entry is the reader's word
        )

    for n in range(5):
        via_proxy(f"guess-{n}", "198.51.100.9")
    assert via_proxy(PASSWORD, "198.51.100.9").status_code == 429
    response = via_proxy(PASSWORD, "203.0.113.7")
    assert response.status_code == 302 and signed_in(client)


def test_an_ipv6_network_counts_as_one_address(client, staff):
    for n in range(5):
        sign_in(client, f"guess-{n}", address=f"2001:db8:1:2::{n + 1:x}")
    assert sign_in(client, PASSWORD, address="2001:db8:1:2:ffff::1").status_code == 429
    response = sign_in(client, PASSWORD, address="2001:db8:1:3::1")
    assert response.status_code == 302 and signed_in(client)


def test_other_capitals_in_the_login_name_count_as_the_same_name(client, staff):
    """allauth's backend accepts "ANA" for "ana": a paused name stays paused however spelled."""
    spellings = ["ana", "Ana", "ANA", "aNa", " ana "]
    for n in range(20):
        sign_in(client, f"guess-{n}", address=f"192.0.2.{n}", username=spellings[n % 5])
    for spelling in spellings:
        response = sign_in(client, PASSWORD, address="198.51.100.200", username=spelling)
        assert response.status_code == 429, spelling
    assert not signed_in(client)
