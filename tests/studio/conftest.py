import pytest
from django.contrib.auth.models import User

FALCON = "photos/immich-test-assets/albums/nature/prairie_falcon.jpg"
RIDGE = "photos/immich-test-assets/albums/nature/tanners_ridge.jpg"


@pytest.fixture
def author(client):
    """A staff member, signed in: who uses the studio."""
    user = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    client.force_login(user)
    return user
