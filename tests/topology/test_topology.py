"""Filmstrip past one box, on one machine: PostgreSQL, a Ceph object gateway, two web machines
(`filmstrip serve --no-worker`, each with a data directory of its own) and two workers, all real
processes sharing only the database and the buckets, as docs/deployment.md sets them up.

Readers and the author reach the web machines over HTTP as a load balancer would send them,
any request to either. Runs in the PostgreSQL pass of `make test` (several machines need a
database server); by hand: FILMSTRIP_TEST_DATABASE=postgres pytest tests/topology
"""

import json
import os
import threading

import pytest
import pyvips
from django.db import connection

from tests.s3server import missing_binaries
from tests.topology.machines import SITE, Client, Topology, new_database, wait

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

ORIGINALS, PUBLIC = "topology-originals", "topology-public"
AUTHOR, PASSWORD = "ana", "topology-pw"
CHUNK = 64 * 1024
SETUP = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
get_user_model().objects.create_user("{AUTHOR}", password="{PASSWORD}", is_staff=True)
story = Story.objects.create(title="Harbour", slug="harbour")
StoryItem.objects.create(story=story, position=0, kind="text", body="Low tide.")
publishing.publish(story)
print(story.pk)
"""


def _gateway(found: dict) -> None:
    from tests.s3server import shared_server
    from tests.storage.conftest import admin_client

    try:
        server = shared_server()
        for bucket in (ORIGINALS, PUBLIC):
            admin_client(server).create_bucket(Bucket=bucket)
        found["server"] = server
    except Exception as exc:  # noqa: BLE001 (told in the test's failure)
        found["error"] = exc


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: FILMSTRIP_TEST_DATABASE=postgres")
    if missing := missing_binaries():
        pytest.skip(f"needs Debian's Ceph ({', '.join(missing)}; scripts/install-system-deps)")
    # The gateway starts (~15 s, unless another module has) while the database is migrated.
    gateway: dict = {}
    starting = threading.Thread(target=_gateway, args=(gateway,))
    starting.start()
    settings = connection.settings_dict
    cluster = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": new_database(cluster),
        "FILMSTRIP_SECRET_KEY": "shared-by-every-machine",
        "FILMSTRIP_SITE_URL": f"http://{SITE}",
        "FILMSTRIP_COMMENTS_MIN_SECONDS": "0",
    }
    topology = Topology(env, env["DATABASE_URL"], tmp_path_factory.mktemp("topology"))
    story = int(topology.filmstrip("shell", "-c", SETUP).split()[-1])
    starting.join()
    if "error" in gateway:
        raise gateway["error"]
    server = gateway["server"]
    env.update(
        FILMSTRIP_S3_ENDPOINT=server.endpoint,
        FILMSTRIP_S3_ACCESS_KEY=server.access_key,
        FILMSTRIP_S3_SECRET_KEY=server.secret_key,
        FILMSTRIP_S3_BUCKET_ORIGINALS=ORIGINALS,
        FILMSTRIP_S3_BUCKET_PUBLIC=PUBLIC,
    )
    topology.story, topology.s3 = story, server
    try:
        topology.start(webs=2, workers=2)
        yield topology
    finally:
        topology.stop()


@pytest.fixture(scope="module")
def author(topology):
    author = Client(topology.webs[0].port)
    author.sign_in(AUTHOR, PASSWORD)
    return author


def photo(seed: int) -> bytes:
    """A JPEG of noise (so that it does not compress to one chunk), different for each seed."""
    bands = [pyvips.Image.gaussnoise(900, 600, mean=60 + seed * 40, sigma=40) for _ in range(3)]
    return bands[0].bandjoin(bands[1:]).cast("uchar").jpegsave_buffer(Q=80)


def test_web_machines_and_workers_share_only_the_database_and_the_buckets(topology, author):
    """One test whose checks run in order, each on what the ones before left (the files compared
    last hold the photos and the comment): pytest-xdist may send a module's tests to different
    workers, each of which would start a topology of its own."""
    chunks_alternating_between_web_machines_make_a_photo(topology, author)
    photos_sent_to_either_web_machine_are_processed_once(topology, author)
    a_comment_approved_through_one_web_machine_shows_on_the_other(topology, author)
    no_file_the_site_needs_is_on_one_machine_only(topology)


def upload(author: Client, ports: list[int], story: int, name: str, data: bytes) -> dict:
    """Send a photo to the essay in chunks, the n-th chunk to ``ports[n % len(ports)]``."""
    status, started = author.at(ports[0]).json(
        "POST", f"/studio/{story}/uploads", {"name": name, "size": len(data)}
    )
    assert status == 201, started
    for n, offset in enumerate(range(0, len(data), CHUNK)):
        part = data[offset : offset + CHUNK]
        headers = {
            "Content-Range": f"bytes {offset}-{offset + len(part) - 1}/{len(data)}",
            "Content-Type": "application/octet-stream",
        }
        status, answer = author.at(ports[n % len(ports)]).json("PUT", started["url"], part, headers)
        assert status in (200, 201), (n, status, answer)
    assert status == 201, answer
    return answer["item"]


def chunks_alternating_between_web_machines_make_a_photo(topology, author):
    ports = [web.port for web in topology.webs]
    sent = photo(1)
    assert len(sent) > 3 * CHUNK  # web1, web2, web1, web2...
    item = upload(author, ports, topology.story, "harbour-1.jpg", sent)
    [(key,)] = topology.sql("SELECT p.original FROM photos_photo p WHERE p.id = %s", item["photo"])
    stored = _client(topology).get_object(Bucket=ORIGINALS, Key=key)["Body"].read()
    assert stored == sent  # every byte, in order, whichever machine received it


def processed(topology: Topology, count: int) -> list[tuple]:
    rows = topology.sql("SELECT id, status, attempts FROM photos_photo ORDER BY id")
    done = len(rows) == count and all(status in ("ready", "failed") for _, status, _ in rows)
    return rows if done else []


def photos_sent_to_either_web_machine_are_processed_once(topology, author):
    web1, web2 = (web.port for web in topology.webs)
    upload(author, [web1], topology.story, "harbour-2.jpg", photo(2))
    upload(author, [web2], topology.story, "harbour-3.jpg", photo(3))
    rows = wait("every photo processed", lambda: processed(topology, 3), 60, topology.output)
    assert [(status, attempts) for _, status, attempts in rows] == [("ready", 1)] * 3
    # Each worker fetched the original from the private bucket and wrote the renditions to the
    # public one, where readers' browsers fetch them.
    s3 = _client(topology)
    public = {item["Key"] for item in s3.list_objects_v2(Bucket=PUBLIC).get("Contents", [])}
    renditions = topology.sql("SELECT name FROM photos_rendition")
    assert len(renditions) >= 6 and {f"media/{name}" for (name,) in renditions} <= public
    originals = topology.sql("SELECT original FROM photos_photo")
    for (key,) in originals:
        assert s3.head_object(Bucket=ORIGINALS, Key=key)["ContentLength"] > 0


def _client(topology: Topology):
    from tests.storage.conftest import admin_client

    return admin_client(topology.s3)


def a_comment_approved_through_one_web_machine_shows_on_the_other(topology, author):
    web1, web2 = topology.webs
    reader = Client(web2.port)
    status, body = reader.request("GET", "/comments/harbour/form")
    assert status == 200, body
    tokens = json.loads(body)
    fields = {"name": "Bo", "email": "bo@example.org", "body": "Calm water at dawn."}
    fields.update(token=tokens["token"], csrfmiddlewaretoken=tokens["csrf"])
    status, _ = reader.form("/comments/harbour/post", fields)
    assert status in (200, 302)
    [(comment, state)] = topology.sql("SELECT id, status FROM comments_comment")
    assert state == "pending"  # a first comment waits for the author
    status, _ = author.at(web1.port).form(
        "/studio/comments/decide", {"act": f"approve:comment:{comment}"}
    )
    assert status == 302
    page = web2.data / "published" / "harbour" / "index.html"
    wait(
        "the approved comment in the other web machine's published page",
        lambda: page.is_file() and b"Calm water at dawn." in page.read_bytes(),
        30,
        topology.output,
    )
    assert b"Calm water at dawn." in reader.request("GET", "/harbour/")[1]


# Each machine's own bookkeeping in its published directory, never served: how far its follower
# has read the shared log, the lock its rebuilds take, and the stamp of the code and settings
# that built it (FILMSTRIP_PUBLISHED_DIR among them, a different folder on each machine here).
MACHINE_OWN = {"published/.follow", "published/.lock", "published/.stamp"}


def published(web) -> dict[str, bytes]:
    return {name: data for name, data in web.files().items() if name not in MACHINE_OWN}


def no_file_the_site_needs_is_on_one_machine_only(topology):
    """After the uploads and the comment: both web machines end with the same published files,
    byte for byte, and no machine keeps a photo's bytes on its own disk."""
    web1, web2 = topology.webs
    # Each photo's page too, which a follower writes once the photo is processed.
    pages = {f"published/harbour/photos/{n}/index.html" for n in (1, 2, 3)}

    def alike() -> bool:
        files = published(web1)
        return pages < set(files) and files == published(web2)

    wait(
        "the same published files, photo pages included, on both web machines",
        alike,
        30,
        lambda: _difference(published(web1), published(web2)),
    )
    files = published(web1)
    assert b"Calm water at dawn." in files["published/harbour/index.html"]
    for machine in [*topology.webs, *topology.workers]:
        local = [name for name in machine.files() if not name.startswith("published/")]
        assert local == [], f"{machine.name} keeps {local} on its own disk"
        assert not any("/media/" in name for name in machine.files()), machine.name


def _difference(one: dict[str, bytes], other: dict[str, bytes]) -> str:
    names = sorted(set(one) ^ set(other))
    names += sorted(name for name in set(one) & set(other) if one[name] != other[name])
    return f"differ: {names}"
