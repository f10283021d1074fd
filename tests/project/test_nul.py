"""A NUL character in an address is refused with 400 before any view (PostgreSQL refuses NUL in
text, so a slug or search term with one used to end as a server error)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    ["/a%00b/", "/tags/a%00b/", "/media/r/abc%00.webp", "/?q=%00", "/admin/?q=a%00", "/x?%00=1"],
)
def test_a_nul_in_the_address_is_a_bad_request(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert "default-src" in response["Content-Security-Policy"]  # the refusal is a page too


def test_addresses_without_nul_are_untouched(client):
    assert client.get("/?q=%2500").status_code == 200  # an escaped percent sign, not a NUL
