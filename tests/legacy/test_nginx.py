"""Old links through a real nginx with `filmstrip nginx-config` in front of `filmstrip serve`.

nginx has no file for an old address, and a query other than a tracker's is Django's: so
``/?p=ID`` must reach Django (and `filmstrip serve`'s published files) rather than be answered
with the home page's file, and the rest must come back as Django's 301.
"""

import time

import pytest
import requests

from tests.browser.conftest import FILMSTRIP, free_port, running
from tests.cli import nginx_server
from tests.cli.test_nginx import django_shell, environment, filmstrip
from tests.conftest import migrated

pytestmark = pytest.mark.skipif(
    not nginx_server.available(),
    reason="needs Debian's nginx and libnginx-mod-http-brotli-static (scripts/install-system-deps)",
)

REMEMBER = """\
from datetime import date
from filmstrip.legacy.links import remember_attachment, remember_post
from filmstrip.stories.models import Story
essay = Story.objects.get(slug="field-notes")
photo = essay.items.photos().first().photo
remember_post(essay, post_id=12, slug="a-walk", date=date(2014, 4, 28))
remember_attachment(photo, essay, attachment_id=34,
                    file_urls=["https://ann.files.wordpress.com/2014/04/walk.jpg"])
print(photo.pk)
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    data = tmp_path_factory.mktemp("legacy-front")
    folder = tmp_path_factory.mktemp("legacy-nginx")
    env = environment(data)
    migrated(data, demo=True)
    photo_id = int(django_shell(env, REMEMBER))
    django_port, nginx_port = free_port(), free_port()
    upstream = f"127.0.0.1:{django_port}"
    block = filmstrip(
        env, "nginx-config", "--listen", f"127.0.0.1:{nginx_port}", "--upstream", upstream
    )
    (folder / "filmstrip.conf").write_text(block)
    serve = [FILMSTRIP, "serve", "--no-migrate", "--port", str(django_port)]
    with running(serve, env, ready_url=f"http://{upstream}/"):
        base = f"http://127.0.0.1:{nginx_port}"
        http = f"    include {folder}/filmstrip.conf;"
        with nginx_server.nginx(folder, http, ready_url=f"{base}/", env=env):
            published = data / "published"
            home, essay = published / "index.html", published / "field-notes" / "index.html"
            deadline = time.monotonic() + 180
            while not (
                home.exists()
                and essay.exists()
                and b'class="photo-pending"' not in essay.read_bytes()
            ):
                if time.monotonic() > deadline:
                    pytest.fail("the demo's published pages were not written within 180 s")
                time.sleep(0.3)
            yield base, photo_id


def test_old_links_lead_on_through_nginx(front):
    base, photo_id = front
    home = requests.get(f"{base}/", timeout=30)
    assert home.status_code == 200
    photo_page = f"/field-notes/photos/{photo_id}/"
    for old, where in (
        ("/?p=12", "/field-notes/"),
        ("/?page_id=12", "/field-notes/"),
        ("/?attachment_id=34", photo_page),
        ("/archives/12", "/field-notes/"),
        ("/2014/04/28/a-walk/", "/field-notes/"),
        ("/2014/04/a-walk/", "/field-notes/"),
        ("/a-walk/", "/field-notes/"),
        ("/feed/", "/feed/rss/"),
    ):
        response = requests.get(f"{base}{old}", allow_redirects=False, timeout=30)
        assert (response.status_code, response.headers.get("Location")) == (301, where), old
        assert requests.get(f"{base}{where}", timeout=30).status_code == 200


def test_an_old_upload_address_leads_to_the_photo_itself(front):
    base, _ = front
    for old in ("/wp-content/uploads/2014/04/walk-1024x683.jpg", "/2014/04/walk.jpg"):
        response = requests.get(f"{base}{old}", allow_redirects=False, timeout=30)
        assert response.status_code == 301, old
        assert response.headers["Location"].startswith("/media/r/")
        image = requests.get(f"{base}{response.headers['Location']}", timeout=30)
        assert (image.status_code, image.headers["Content-Type"]) == (200, "image/jpeg")


def test_an_unknown_id_still_gets_the_home_page(front):
    base, _ = front
    home = requests.get(f"{base}/", timeout=30)
    response = requests.get(f"{base}/?p=999", allow_redirects=False, timeout=30)
    assert response.status_code == 200
    assert response.text == home.text
