"""Unpacking archives we did not make: what comes out, and what refuses the whole archive.

Every archive here is made by the test itself, hostile members included; nothing may land
outside the destination, and a refused archive leaves the destination empty.
"""

import gzip
import io
import os
import shutil
import stat
import subprocess
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from filmstrip.migration.unpacking import ArchiveError, Limits, extract, is_archive, safe_relative

SMALL = Limits(
    max_members=50,
    max_member_bytes=10_000,
    max_total_bytes=40_000,
    max_ratio=10,
    ratio_floor_bytes=5_000,
)


def add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def add_special(tar: tarfile.TarFile, name: str, kind: bytes, linkname: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    tar.addfile(info)


def make_tar(path: Path, members, mode: str = "w") -> Path:
    with tarfile.open(path, mode) as tar:
        for member in members:
            member(tar)
    return path


def file(name: str, data: bytes = b"photo"):
    return lambda tar: add_file(tar, name, data)


def special(name: str, kind: bytes, linkname: str = ""):
    return lambda tar: add_special(tar, name, kind, linkname)


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_a_tar_comes_out_as_its_files(tmp_path, mode):
    archive = make_tar(
        tmp_path / "media.tar",
        [special("uploads", tarfile.DIRTYPE), file("uploads/2014/04/a.jpg", b"a" * 3000)],
        mode,
    )
    assert is_archive(archive)
    out = tmp_path / "out"
    assert extract(archive, out) == [PurePosixPath("uploads/2014/04/a.jpg")]
    assert (out / "uploads/2014/04/a.jpg").read_bytes() == b"a" * 3000


def test_a_zip_comes_out_as_its_files(tmp_path):
    archive = tmp_path / "media.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2014/", b"")
        zf.writestr("2014/04/b.png", b"png bytes")
    out = tmp_path / "out"
    assert extract(archive, out) == [PurePosixPath("2014/04/b.png")]
    assert (out / "2014/04/b.png").read_bytes() == b"png bytes"


def test_neither_a_photo_nor_a_folder_is_an_archive(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 600)
    assert not is_archive(tmp_path / "a.jpg")
    assert not is_archive(tmp_path)
    with pytest.raises(ArchiveError, match="not a tar or zip"):
        extract(tmp_path / "a.jpg", tmp_path / "out")


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (file("../escaped.jpg"), "climbs out"),
        (file("2014/../../escaped.jpg"), "climbs out"),
        (file("/tmp/escaped.jpg"), "absolute"),
        (special("2014/link.jpg", tarfile.SYMTYPE, "/etc/passwd"), "symbolic link"),
        (special("2014/link.jpg", tarfile.SYMTYPE, "a.jpg"), "symbolic link"),
        (special("2014/hard.jpg", tarfile.LNKTYPE, "2014/a.jpg"), "hard link"),
        (special("2014/dev", tarfile.CHRTYPE), "a device"),
        (special("2014/disk", tarfile.BLKTYPE), "a device"),
        (special("2014/pipe", tarfile.FIFOTYPE), "a pipe"),
        (special("../2014/", tarfile.DIRTYPE), "climbs out"),
    ],
)
def test_a_hostile_tar_member_refuses_the_whole_archive(tmp_path, member, message):
    # A good file first: the refusal must take it out again.
    archive = make_tar(tmp_path / "media.tar", [file("2014/a.jpg"), member, file("2014/b.jpg")])
    out = tmp_path / "box" / "out"
    with pytest.raises(ArchiveError, match=message):
        extract(archive, out)
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "box").iterdir()) == ["out"]
    assert not (tmp_path / "escaped.jpg").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../escaped.jpg", "climbs out"),
        ("/abs.jpg", "absolute"),
        ("C:\\photos\\a.jpg", "absolute"),
        ("2014\\..\\..\\escaped.jpg", "climbs out"),
    ],
)
def test_a_hostile_zip_name_is_refused(tmp_path, name, message):
    archive = tmp_path / "media.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2014/a.jpg", b"fine")
        zf.writestr(zipfile.ZipInfo(name), b"evil")
    with pytest.raises(ArchiveError, match=message):
        extract(archive, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize(
    ("mode", "message"),
    [(stat.S_IFLNK | 0o777, "symbolic link"), (stat.S_IFCHR | 0o600, "not a plain file")],
)
def test_a_zip_link_or_device_is_refused(tmp_path, mode, message):
    archive = tmp_path / "media.zip"
    info = zipfile.ZipInfo("2014/link.jpg")
    info.create_system = 3  # Unix: the high bits of external_attr are the file's mode
    info.external_attr = mode << 16
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(info, b"/etc/passwd")
    with pytest.raises(ArchiveError, match=message):
        extract(archive, tmp_path / "out")


def zeros(size: int) -> io.RawIOBase:
    """A file of ``size`` zero bytes, never all in memory."""

    class Zeros(io.RawIOBase):
        left = size

        def readable(self):
            return True

        def readinto(self, buffer):
            n = min(len(buffer), self.left)
            buffer[:n] = bytes(n)
            self.left -= n
            return n

    return io.BufferedReader(Zeros())


def test_a_gzip_bomb_is_stopped_while_it_expands(tmp_path):
    archive = tmp_path / "bomb.tar.gz"
    big = 64 * 1024 * 1024
    with gzip.open(archive, "wb", compresslevel=9) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        info = tarfile.TarInfo("2014/04/zeros.jpg")
        info.size = big
        tar.addfile(info, zeros(big))
    assert archive.stat().st_size < big / 500  # a thousandfold
    out = tmp_path / "out"
    with pytest.raises(ArchiveError, match="decompression bomb"):
        extract(archive, out)  # the default limits: this is what an import meets
    assert list(out.iterdir()) == []


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path):
    archive = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("zeros.jpg", "w", force_zip64=True) as member,
    ):
        for _ in range(64):
            member.write(bytes(1024 * 1024))
    with pytest.raises(ArchiveError, match="decompression bomb"):
        extract(archive, tmp_path / "out")


def test_many_small_members_add_up_to_a_bomb(tmp_path):
    archive = make_tar(
        tmp_path / "many.tar.gz", [file(f"{i}.jpg", bytes(3000)) for i in range(20)], "w:gz"
    )
    with pytest.raises(ArchiveError, match="decompression bomb"):
        extract(archive, tmp_path / "out", SMALL)


def test_member_size_total_and_count_are_bounded(tmp_path):
    big = make_tar(tmp_path / "big.tar", [file("a.jpg", b"x" * 10_001)])
    with pytest.raises(ArchiveError, match="larger than 10000 bytes"):
        extract(big, tmp_path / "out1", SMALL)
    many = make_tar(tmp_path / "many.tar", [file(f"{i}.jpg") for i in range(51)])
    with pytest.raises(ArchiveError, match="More than 50 members"):
        extract(many, tmp_path / "out2", SMALL)
    total = make_tar(tmp_path / "total.tar", [file(f"{i}.jpg", b"y" * 9_000) for i in range(5)])
    with pytest.raises(ArchiveError, match="More than 40000 bytes in all"):
        extract(total, tmp_path / "out3", SMALL)


def test_a_truncated_archive_is_called_damaged(tmp_path):
    archive = make_tar(tmp_path / "media.tar.gz", [file("a.jpg", bytes(range(256)) * 100)], "w:gz")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError):
        extract(archive, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_the_destination_must_be_empty(tmp_path):
    archive = make_tar(tmp_path / "media.tar", [file("a.jpg")])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep")
    with pytest.raises(ValueError, match="not empty"):
        extract(archive, tmp_path / "out")
    assert (tmp_path / "out" / "mine.txt").read_text() == "keep"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.jpg", "a.jpg"),
        ("./2014//04/a.jpg", "2014/04/a.jpg"),
        ("2014\\04\\a.jpg", "2014/04/a.jpg"),
    ],
)
def test_safe_names_are_kept_inside(name, expected):
    assert safe_relative(name) == PurePosixPath(expected)


@pytest.mark.parametrize("name", ["", ".", "./", "a\x00.jpg", "..", "a/../../b"])
def test_names_that_are_nothing_or_worse_are_refused(name):
    with pytest.raises(ArchiveError):
        safe_relative(name)


# The same refusals for archives made by the real tools people use (GNU tar, Info-ZIP's zip).

TAR, ZIP = shutil.which("tar"), shutil.which("zip")


def run(*command, cwd):
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def made(tmp_path):
    """A folder with a photo in it, to pack with a real tool; the archive lands in tmp_path."""
    folder = tmp_path / "site"
    (folder / "2014" / "04").mkdir(parents=True)
    (folder / "2014" / "04" / "a.jpg").write_bytes(b"\xff\xd8 a photo")
    return folder


@pytest.mark.skipif(TAR is None, reason="needs GNU tar")
def test_gnu_tar_archive_of_an_uploads_folder_comes_out_whole(made, tmp_path):
    run(TAR, "-czf", str(tmp_path / "media.tar.gz"), "2014", cwd=made)
    assert extract(tmp_path / "media.tar.gz", tmp_path / "out") == [PurePosixPath("2014/04/a.jpg")]


@pytest.mark.skipif(TAR is None, reason="needs GNU tar")
@pytest.mark.parametrize(
    ("prepare", "names", "message"),
    [
        (lambda f: (f / "2014/04/b.jpg").symlink_to("/etc/passwd"), ["2014"], "symbolic link"),
        (lambda f: os.link(f / "2014/04/a.jpg", f / "2014/04/b.jpg"), ["2014"], "hard link"),
        (lambda f: os.mkfifo(f / "2014/04/pipe"), ["2014"], "a pipe"),
        (
            lambda f: (f.parent / "escaped.jpg").write_bytes(b"x"),
            ["2014", "../escaped.jpg"],
            "climbs out",
        ),
        (lambda f: None, ["2014", "/dev/null"], "absolute|a device"),
    ],
    ids=["symlink", "hardlink", "fifo", "dotdot", "absolute"],
)
def test_gnu_tar_archives_with_hostile_members_are_refused(made, tmp_path, prepare, names, message):
    prepare(made)
    # -P keeps leading / and ../ as written: what an attacker's tar would do.
    run(TAR, "-cPf", str(tmp_path / "media.tar"), *names, cwd=made)
    with pytest.raises(ArchiveError, match=message):
        extract(tmp_path / "media.tar", tmp_path / "box" / "out")
    assert list((tmp_path / "box" / "out").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "box").iterdir()) == ["out"]


@pytest.mark.skipif(TAR is None, reason="needs GNU tar")
def test_gnu_tar_device_is_refused(made, tmp_path):
    try:
        os.mknod(made / "2014/04/null", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs root")
    run(TAR, "-cf", str(tmp_path / "media.tar"), "2014", cwd=made)
    with pytest.raises(ArchiveError, match="a device"):
        extract(tmp_path / "media.tar", tmp_path / "out")


@pytest.mark.skipif(TAR is None, reason="needs GNU tar")
def test_gnu_tar_bomb_is_refused(made, tmp_path):
    with open(made / "2014/04/zeros.jpg", "wb") as zeros:
        zeros.truncate(64 * 1024 * 1024)  # sparse: costs no disk here
    run(TAR, "-czf", str(tmp_path / "bomb.tar.gz"), "2014", cwd=made)
    assert (tmp_path / "bomb.tar.gz").stat().st_size < 1024 * 1024
    with pytest.raises(ArchiveError, match="decompression bomb"):
        extract(tmp_path / "bomb.tar.gz", tmp_path / "out")


@pytest.mark.skipif(ZIP is None, reason="needs Info-ZIP's zip")
def test_info_zip_symlink_is_refused(made, tmp_path):
    (made / "2014/04/b.jpg").symlink_to("/etc/passwd")
    run(ZIP, "-r", "--symlinks", str(tmp_path / "media.zip"), "2014", cwd=made)
    with pytest.raises(ArchiveError, match="symbolic link"):
        extract(tmp_path / "media.zip", tmp_path / "out")
    run(ZIP, "-r", str(tmp_path / "plain.zip"), "2014/04/a.jpg", cwd=made)
    assert extract(tmp_path / "plain.zip", tmp_path / "out2") == [PurePosixPath("2014/04/a.jpg")]
