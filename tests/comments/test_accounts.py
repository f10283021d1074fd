"""Sign-in providers the site has not set up: their addresses answer 404 and say so."""

import pytest

from filmstrip.project.signin import READY_PROVIDERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("provider", sorted(READY_PROVIDERS))
@pytest.mark.parametrize("step", ["login/", "login/callback/?code=x&state=y"])
def test_an_unconfigured_provider_is_not_found(client, settings, provider, step):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    client.raise_request_exception = False
    response = client.get(f"/accounts/{provider}/{step}")
    assert response.status_code == 404
    assert f"Signing in through “{provider}” is not set up" in response.content.decode()
