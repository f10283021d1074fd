"""The editor's script: ES modules served as they are, sending only to addresses on the page."""

import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import resolve

from filmstrip.stories.models import Story, StoryItem
from tests.studio.conftest import FALCON

pytestmark = pytest.mark.django_db

IMPORT = re.compile(r"^import\b[^\"']*[\"']([^\"']+)[\"'];", re.MULTILINE)
# A string or template literal that starts with "/": an address written into the script.
ADDRESS = re.compile(r"[\"'`]/\w")


@pytest.fixture
def story(author, ready_photo):
    story = Story.objects.create(title="Hills", author=author)
    StoryItem.objects.create(story=story, photo=ready_photo(FALCON))
    StoryItem.objects.create(story=story, position=1, kind="text", body="Between")
    return story


def editor(client, story) -> BeautifulSoup:
    return BeautifulSoup(client.get(f"/studio/{story.pk}/").content, "html.parser")


def modules(page: BeautifulSoup) -> dict[str, str]:
    """Every module the page's scripts import, by static path, with its text."""
    scripts = page.select('script[type="module"]')
    found, todo = {}, [script["src"].removeprefix(settings.STATIC_URL) for script in scripts]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        file = finders.find(path)
        assert file, f"{path} is imported but is no static file"
        found[path] = Path(file).read_text()
        for target in IMPORT.findall(found[path]):
            assert target.startswith("."), f"{path} imports {target}: no bundler resolves that"
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            # As the browser resolves it, from the address the importing module was served at.
            served = urljoin(staticfiles_storage.url(path), target)
            assert served == staticfiles_storage.url(resolved), (
                "the static storage renames files: relative imports need rewriting "
                "(ManifestStaticFilesStorage.support_js_module_import_aggregation)"
            )
            todo.append(resolved)
    return found


def test_the_editor_script_writes_no_address_of_its_own(client, story):
    scripts = modules(editor(client, story))
    assert "vendor/sortablejs/sortable.esm.js" in scripts
    for path, text in scripts.items():
        if path.startswith("filmstrip/"):
            assert not ADDRESS.search(text), f"{path} writes an address: {ADDRESS.search(text)}"


def test_every_address_the_script_reads_is_on_the_page(client, story):
    page = editor(client, story)
    root = page.select_one(".editor")
    scripts = "\n".join(modules(page).values())
    for name in set(re.findall(r"root\.dataset\.(\w+)", scripts)) - {"story"}:
        assert resolve(root[f"data-{name}"]).namespace == "studio", name
    photo, text = page.select("#items li.item")
    assert resolve(photo["data-save"]).url_name == "save_item"
    assert resolve(photo["data-save"]).kwargs == {"pk": int(photo["data-id"])}
    assert resolve(photo["data-retry"]).url_name == "retry"
    assert resolve(text["data-save"]).url_name == "save_item"


def test_the_server_names_the_addresses_of_what_it_creates(client, story):
    added = client.post(f"/studio/{story.pk}/text", {}, content_type="application/json").json()
    assert resolve(added["item"]["save_url"]).kwargs == {"pk": added["item"]["id"]}
    started = client.post(
        f"/studio/{story.pk}/uploads",
        {"name": "a.jpg", "size": 10},
        content_type="application/json",
    ).json()
    assert resolve(started["url"]).url_name == "upload_chunk"
    assert client.get(started["url"]).json() == {"offset": 0, "size": 10}
    status = client.get(f"/studio/{story.pk}/status").json()["items"][0]
    assert resolve(status["retry_url"]).url_name == "retry"
