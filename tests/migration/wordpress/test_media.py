"""The media library: any address of an upload back to its original, found in a folder, an
archive or, over HTTP, on a real server on loopback that is slow, huge, missing or flaky."""

import io
import tarfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from filmstrip.migration.unpacking import Limits
from filmstrip.migration.wordpress.media import MediaError, MediaLibrary, upload_path, wanted
from filmstrip.migration.wordpress.records import Attachment
from tests.conftest import CORPUS

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://example.com/wp-content/uploads/2014/04/a.jpg", "2014/04/a.jpg"),
        ("https://example.com/wp-content/uploads/2014/04/a-1024x683.jpg", "2014/04/a.jpg"),
        ("https://example.com/wp-content/uploads/2014/04/a-150x150@2x.jpg", "2014/04/a.jpg"),
        ("https://example.com/blog/wp-content/uploads/2014/04/a-300x200.png", "2014/04/a.png"),
        ("/wp-content/uploads/2014/04/a-1024x683.jpg", "2014/04/a.jpg"),
        ("http://example.com/wp-content/uploads/2014/04/a.jpg?w=1024&h=683", "2014/04/a.jpg"),
        ("https://ex.files.wordpress.com/2014/04/a.jpg?w=1024&h=683", "2014/04/a.jpg"),
        ("https://ex.files.wordpress.com/2014/04/a-1024x683.jpg", "2014/04/a.jpg"),
        (
            "https://i0.wp.com/example.com/wp-content/uploads/2014/04/a.jpg?resize=1024%2C683",
            "2014/04/a.jpg",
        ),
        ("https://i2.wp.com/ex.files.wordpress.com/2014/04/a.jpg?ssl=1", "2014/04/a.jpg"),
        ("https://example.com/wp-content/uploads/2020/01/big-scaled.jpg", "2020/01/big.jpg"),
        ("https://example.com/wp-content/uploads/2020/01/turned-rotated.jpg", "2020/01/turned.jpg"),
        (
            "https://example.com/wp-content/uploads/2020/01/big-scaled-1024x683.jpg",
            "2020/01/big.jpg",
        ),
        # An edit (a crop, a turn) is what readers saw: it stays, its resized copies go.
        (
            "https://example.com/wp-content/uploads/2014/04/a-e1400000000000.jpg",
            "2014/04/a-e1400000000000.jpg",
        ),
        (
            "https://example.com/wp-content/uploads/2014/04/a-e1400000000000-300x200.jpg",
            "2014/04/a-e1400000000000.jpg",
        ),
        ("https://example.com/wp-content/uploads/sites/3/2014/04/a.jpg", "2014/04/a.jpg"),
        ("https://example.com/wp-content/blogs.dir/3/files/2014/04/a.jpg", "2014/04/a.jpg"),
        ("https://example.com/files/2010/01/b-640x480.png", "2010/01/b.png"),
        ("https://example.com/wp-content/uploads/my%20photo-1-150x150.jpg", "my photo-1.jpg"),
        ("https://example.com/wp-content/uploads/2014/04/1024x683.jpg", "2014/04/1024x683.jpg"),
        ("https://example.com/2014/04/my-post/", None),
        ("https://example.com/2014/04/a.jpg", None),
        ("https://example.com/wp-content/uploads/2014/04/", None),
        ("https://example.com/wp-content/uploads/../../wp-config.php", None),
        ("https://example.com/wp-content/uploads/2014/%2e%2e/x.jpg", None),
        ("https://flickr.example/photos/1.jpg", None),
        ("", None),
    ],
)
def test_any_address_of_an_upload_leads_to_the_original(url, path):
    assert upload_path(url) == path


@pytest.mark.parametrize(
    ("url", "urls"),
    [
        (
            "https://ex.files.wordpress.com/2014/04/a.jpg?w=1024&h=683",
            [
                "https://ex.files.wordpress.com/2014/04/a.jpg",
                "https://ex.files.wordpress.com/2014/04/a.jpg?w=1024&h=683",
            ],
        ),
        (
            # The origin first; then the CDN's copy, which outlives the origin; then as written.
            "https://i0.wp.com/example.com/wp-content/uploads/2014/04/a-1024x683.jpg?resize=1024%2C683",
            [
                "https://example.com/wp-content/uploads/2014/04/a.jpg",
                "https://i0.wp.com/example.com/wp-content/uploads/2014/04/a.jpg",
                "https://example.com/wp-content/uploads/2014/04/a-1024x683.jpg",
                "https://i0.wp.com/example.com/wp-content/uploads/2014/04/a-1024x683.jpg",
                "https://i0.wp.com/example.com/wp-content/uploads/2014/04/a-1024x683.jpg?resize=1024%2C683",
            ],
        ),
        (
            "https://example.com/wp-content/uploads/2014/04/caf%C3%A9%20noir-300x200.jpg",
            [
                "https://example.com/wp-content/uploads/2014/04/caf%C3%A9%20noir.jpg",
                "https://example.com/wp-content/uploads/2014/04/caf%C3%A9%20noir-300x200.jpg",
            ],
        ),
        ("https://example.com/a-page/", []),
        ("http://[::1/wp-content/uploads/2014/04/a.jpg", []),  # no URL at all
    ],
)
def test_a_post_photo_is_fetched_from_its_original_address_first(url, urls):
    assert wanted(None, url)[1] == urls


def test_the_attachment_own_address_comes_before_any_in_the_post():
    item = Attachment(id=3, url="https://example.com/wp-content/uploads/2013/03/b-150x150.jpg")
    paths, urls = wanted(
        item, "https://example.com/wp-content/uploads/2013/03/b-150x150-100x100.jpg"
    )
    assert paths[0] == "2013/03/b-150x150.jpg"
    assert urls[0] == item.url


def put(root, relative, data=JPEG):
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def attachment(file="2014/04/a.jpg", **kwargs):
    url = f"https://example.com/wp-content/uploads/{file}"
    return Attachment(id=kwargs.pop("id", 12), url=kwargs.pop("url", url), file=file, **kwargs)


def test_a_resized_address_in_a_post_finds_the_original_in_an_uploads_folder(tmp_path):
    uploads = tmp_path / "site" / "wp-content" / "uploads"
    original = put(uploads, "2014/04/a.jpg")
    put(uploads, "2014/04/a-1024x683.jpg", b"small")
    with MediaLibrary(tmp_path / "site") as library:
        resized = "https://i0.wp.com/example.com/wp-content/uploads/2014/04/a-1024x683.jpg?w=1024"
        assert library.find(None, resized) == original
        assert library.find(attachment(), resized) == original
        assert library.lookup(attachment(), "").source == "2014/04/a.jpg"


def test_the_copy_is_taken_when_the_original_is_not_there(tmp_path):
    copy = put(tmp_path, "2014/04/a-1024x683.jpg")
    with MediaLibrary(tmp_path) as library:
        assert (
            library.find(None, "https://example.com/wp-content/uploads/2014/04/a-1024x683.jpg")
            == copy
        )


def test_an_attachment_named_like_a_resized_copy_is_its_own_original(tmp_path):
    """The theme unit test data's photos are called image-alignment-150x150.jpg and so on."""
    own = put(tmp_path, "2013/03/image-alignment-150x150.jpg")
    put(tmp_path, "2013/03/image-alignment.jpg", b"another photo")
    with MediaLibrary(tmp_path) as library:
        assert library.find(attachment("2013/03/image-alignment-150x150.jpg"), "") == own


def test_a_big_photo_is_found_by_its_original_before_wordpress_own_smaller_copy(tmp_path):
    original = put(tmp_path, "2020/01/big.jpg")
    put(tmp_path, "2020/01/big-scaled.jpg", b"scaled")
    with MediaLibrary(tmp_path) as library:
        assert library.find(attachment("2020/01/big-scaled.jpg"), "") == original


def test_a_missing_photo_says_why(tmp_path):
    put(tmp_path, "2014/04/a.jpg")
    with MediaLibrary(tmp_path) as library:
        found = library.lookup(attachment("2014/05/gone.jpg"), "")
    assert found.path is None
    assert found.reason == f"2014/05/gone.jpg is not in {tmp_path.name}"
    assert "no media folder given" in MediaLibrary().lookup(attachment(), "").reason


def test_a_name_is_found_whichever_way_its_accents_were_written(tmp_path):
    decomposed = put(tmp_path, "2014/04/cafe\u0301.jpg")  # as macOS writes it
    with MediaLibrary(tmp_path) as library:
        assert (
            library.find(
                None, "https://example.com/wp-content/uploads/2014/04/caf%C3%A9-300x200.jpg"
            )
            == decomposed
        )


def test_the_same_name_in_another_month_is_not_taken(tmp_path):
    put(tmp_path, "uploads/2015/06/IMG_0001.jpg")
    with MediaLibrary(tmp_path) as library:
        assert library.find(attachment("2014/04/IMG_0001.jpg"), "") is None


def test_a_flat_folder_of_originals_is_matched_by_name_unless_two_share_it(tmp_path):
    a = put(tmp_path, "a.jpg")
    put(tmp_path, "one/b.jpg")
    put(tmp_path, "two/b.jpg")
    with MediaLibrary(tmp_path) as library:
        assert library.find(attachment("2014/04/a.jpg"), "") == a
        assert library.find(attachment("2014/04/b.jpg"), "") is None


def test_an_unusable_source_is_a_clear_error(tmp_path):
    with pytest.raises(MediaError, match="does not exist"):
        MediaLibrary(tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(MediaError, match="neither a folder nor a tar or zip archive"):
        MediaLibrary(tmp_path / "notes.txt")


def tar_of(path, members, mode="w:gz"):
    with tarfile.open(path, mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("top", ["", "media-export/", "wp-content/uploads/"])
def test_a_wordpress_com_media_export_tar_is_read_and_cleaned_up(tmp_path, top):
    archive = tar_of(
        tmp_path / "media.tar.gz",
        {f"{top}2014/04/a.jpg": JPEG, f"{top}2014/04/a-300x200.jpg": b"s"},
    )
    with MediaLibrary(archive) as library:
        found = library.find(None, "https://ex.files.wordpress.com/2014/04/a-300x200.jpg?w=300")
        assert found is not None and found.read_bytes() == JPEG
        assert not found.is_relative_to(tmp_path)  # unpacked elsewhere, into a scratch folder
    assert not found.exists()


def test_a_zip_is_read_too(tmp_path):
    archive = tmp_path / "uploads.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("__MACOSX/uploads/2014/04/._a.jpg", b"resource fork")  # from macOS's Finder
        zf.writestr("uploads/2014/04/a.jpg", JPEG)
    with MediaLibrary(archive) as library:
        assert library.find(attachment(), "").read_bytes() == JPEG


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("../../escaped.jpg", "climbs out"),
        ("/etc/cron.d/evil", "absolute"),
    ],
)
def test_a_hostile_media_archive_stops_the_import_before_it_starts(tmp_path, member, message):
    archive = tar_of(tmp_path / "media.tar.gz", {"2014/04/a.jpg": JPEG, member: b"evil"})
    library = MediaLibrary(archive)
    with pytest.raises(MediaError, match=message), library:
        pass
    assert library._scratch is None  # nothing unpacked is left behind


def test_a_media_archive_with_a_link_is_refused(tmp_path):
    archive = tmp_path / "media.tar"
    with tarfile.open(archive, "w") as tar:
        link = tarfile.TarInfo("2014/04/a.jpg")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    with pytest.raises(MediaError, match="symbolic link"), MediaLibrary(archive):
        pass


def test_a_media_bomb_is_refused(tmp_path):
    archive = tar_of(tmp_path / "bomb.tar.gz", {"2014/04/a.jpg": bytes(200_000)})
    small = Limits(max_member_bytes=1_000_000, ratio_floor_bytes=50_000, max_ratio=20)
    with pytest.raises(MediaError, match="decompression bomb"), MediaLibrary(archive, limits=small):
        pass


def test_the_theme_unit_test_data_photos_are_found_in_its_referenced_media():
    folder = CORPUS / "wxr" / "referenced-media"
    host = "https://wpthemetestdata.files.wordpress.com/2013/03"
    with MediaLibrary(folder) as library:
        for name in sorted(p.name for p in folder.iterdir()):
            item = Attachment(id=1, url=f"{host}/{name}", file="")
            assert library.find(item, "") == folder / name
            assert library.find(None, f"{host}/{name}?w=300") == folder / name


# Fetching, from a server on loopback.


class Server:
    """``server.serve(path, *answers)``: each request to path takes the next answer (the last
    one repeats). An answer is (status, body), "slow" (headers, then a byte a second) or
    ("huge", n bytes). ``hits`` counts requests per path, ``most_at_once`` the peak."""

    def __init__(self, delay=0.0):
        self.answers, self.hits, self.delay = {}, {}, delay
        self.at_once = self.most_at_once = 0
        self.lock, self.stop = threading.Lock(), threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with server.lock:
                    server.at_once += 1
                    server.most_at_once = max(server.most_at_once, server.at_once)
                    n = server.hits[self.path] = server.hits.get(self.path, 0) + 1
                try:
                    time.sleep(server.delay)
                    answers = server.answers.get(self.path, [(404, b"no")])
                    self.answer(answers[min(n, len(answers)) - 1])
                except OSError:
                    pass
                finally:
                    with server.lock:
                        server.at_once -= 1

            def answer(self, answer):
                if answer == "slow":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    while not server.stop.wait(1):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                    return
                if answer[0] == "huge":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(answer[1]))
                    self.end_headers()
                    for _ in range(answer[1] // 65536):
                        self.wfile.write(bytes(65536))
                    return
                status, body, *rest = answer
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", rest[0])
                self.send_header(
                    "Content-Type", rest[0] if rest and status == 200 else "image/jpeg"
                )
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def serve(self, path, *answers):
        self.answers[path] = list(answers)
        return self.base + path

    def close(self):
        self.stop.set()
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def server(settings):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ("127.0.0.1/32",)
    settings.SITE_URL = "https://photos.example.org"
    s = Server()
    yield s
    s.close()


def fetching(**kwargs):
    return MediaLibrary(fetch=True, **{"retry_delay": 0, "fetch_timeout": 2, **kwargs})


UPLOADS = "/wp-content/uploads/2014/04"


def test_a_photo_is_fetched_from_the_old_site_and_removed_at_the_end(server, settings):
    settings.FILMSTRIP_FETCH_MAX_BYTES = 1000  # the link-back bound; photos have their own
    photo = JPEG * 20
    url = server.serve(f"{UPLOADS}/a.jpg", (200, photo))
    with fetching() as library:
        found = library.find(attachment(url=url), "")
        assert found is not None and found.name == "a.jpg" and found.read_bytes() == photo
        assert library.find(attachment(url=url), "") == found  # fetched once
    assert server.hits == {f"{UPLOADS}/a.jpg": 1}
    assert not found.exists()


def test_a_resized_address_is_fetched_as_the_original_and_the_copy_when_it_is_missing(server):
    original = server.serve(f"{UPLOADS}/a.jpg", (200, JPEG))
    server.serve(f"{UPLOADS}/b-1024x683.jpg", (200, b"\xff\xd8 small"))
    with fetching() as library:
        assert (
            library.find(None, original.replace("a.jpg", "a-1024x683.jpg?w=1024")).read_bytes()
            == JPEG
        )
        found = library.find(None, f"{server.base}{UPLOADS}/b-1024x683.jpg")
        assert found.read_bytes() == b"\xff\xd8 small"
    assert server.hits == {
        f"{UPLOADS}/a.jpg": 1,
        f"{UPLOADS}/b.jpg": 1,
        f"{UPLOADS}/b-1024x683.jpg": 1,
    }


def test_a_resized_copy_is_not_fetched_when_the_address_without_the_query_answers(server):
    url = server.serve(f"{UPLOADS}/c.jpg", (200, JPEG))
    with fetching() as library:
        assert library.find(None, url + "?w=1024&h=683").read_bytes() == JPEG
    assert server.hits == {f"{UPLOADS}/c.jpg": 1}


def test_an_address_that_is_no_url_is_reported_not_raised(server, tmp_path):
    item = attachment(url="http://[::1/wp-content/uploads/2014/04/a.jpg")
    with MediaLibrary(tmp_path, fetch=True) as library:
        found = library.lookup(item, "")
    assert found.path is None
    assert found.reason.startswith(f"2014/04/a.jpg is not in {tmp_path.name}; http://[::1/")


def test_a_missing_photo_is_asked_for_once_and_reported(server):
    url = server.serve(f"{UPLOADS}/gone.jpg", (404, b"not found"))
    with fetching() as library:
        found = library.lookup(attachment(url=url), "")
    assert found.path is None and found.reason == f"{url}: the server answered 404"
    assert server.hits == {f"{UPLOADS}/gone.jpg": 1}  # 404 is an answer, not a hiccup


def test_a_failing_server_is_tried_again(server):
    url = server.serve(f"{UPLOADS}/a.jpg", (503, b"busy"), (200, JPEG))
    with fetching() as library:
        assert library.find(attachment(url=url), "").read_bytes() == JPEG
    assert server.hits == {f"{UPLOADS}/a.jpg": 2}


def test_a_slow_server_is_given_up_on_in_time_and_tried_again(server):
    url = server.serve(f"{UPLOADS}/a.jpg", "slow")
    started = time.monotonic()
    with fetching(fetch_timeout=0.5) as library:
        found = library.lookup(attachment(url=url), "")
    assert found.path is None and "did not answer within 0.5 s" in found.reason
    assert time.monotonic() - started < 3
    assert server.hits == {f"{UPLOADS}/a.jpg": 2}


def test_a_huge_answer_is_cut_off_not_kept_and_not_asked_again(server):
    url = server.serve(f"{UPLOADS}/a.jpg", ("huge", 50 * 1024 * 1024))
    with fetching(max_bytes=100_000) as library:
        found = library.lookup(attachment(url=url), "")
        assert found.path is None and found.reason.endswith("larger than 100000 bytes")
        assert not any(p.is_file() for p in library._scratch.rglob("*"))
    assert server.hits == {f"{UPLOADS}/a.jpg": 1}


def test_a_web_page_is_not_taken_for_a_photo(server):
    url = server.serve(f"{UPLOADS}/a.jpg", (200, b"<html>log in</html>", "text/html"))
    with fetching() as library:
        assert "not a photo but text/html" in library.lookup(attachment(url=url), "").reason


def test_a_redirect_is_followed_and_only_the_final_answer_kept(server):
    final = server.serve("/elsewhere/a.jpg", (200, JPEG))
    url = server.serve(f"{UPLOADS}/a.jpg", (301, b"moved to elsewhere" * 10, final))
    with fetching() as library:
        assert library.find(attachment(url=url), "").read_bytes() == JPEG


def test_fetching_stays_behind_the_guard(server, settings):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ()
    url = server.serve(f"{UPLOADS}/a.jpg", (200, JPEG))
    with fetching() as library:
        assert "loopback" in library.lookup(attachment(url=url), "").reason
    assert server.hits == {}


def test_only_addresses_of_uploads_are_fetched_for_a_post_photo(server):
    url = server.serve("/some/page.jpg", (200, JPEG))
    with fetching() as library:
        assert "not the address of a WordPress upload" in library.lookup(None, url).reason
    assert server.hits == {}


def test_a_photo_in_the_media_folder_is_not_fetched(server, tmp_path):
    url = server.serve(f"{UPLOADS}/a.jpg", (200, b"from the site"))
    local = put(tmp_path, "2014/04/a.jpg")
    with MediaLibrary(tmp_path, fetch=True) as library:
        library.prefetch([(attachment(url=url), "")])
        assert library.find(attachment(url=url), "") == local
    assert server.hits == {}


def test_prefetching_fetches_a_few_at_a_time_and_each_once(settings):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ("127.0.0.1/32",)
    slow = Server(delay=0.3)
    try:
        photos = [
            (attachment(url=slow.serve(f"{UPLOADS}/{i}.jpg", (200, JPEG)), id=i), "")
            for i in range(8)
        ]
        progress = []
        started = time.monotonic()
        with fetching(workers=3) as library:
            library.prefetch(
                photos + photos, on_progress=lambda done, total: progress.append((done, total))
            )
            took = time.monotonic() - started
            assert all(library.find(a, url) is not None for a, url in photos)
        assert slow.most_at_once == 3
        assert set(slow.hits.values()) == {1}
        assert progress[-1] == (8, 8)
        assert took < 8 * 0.3  # together, not one after another
    finally:
        slow.close()
