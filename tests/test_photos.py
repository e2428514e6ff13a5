"""Photos (issue 14.3): checked, scaled for the web, and published without GPS, camera or time.

A phone's JPEG carries where and when it was taken. The sample gets one such photo
(planted EXIF: GPS position, camera make, date taken) on an activity, built for real:
the site's copy must hold none of it, be at most 1,600 pixels on its long side, and
be shown on the activity's page; a photo that is missing or not a picture is a
problem at the activity's line.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from support import AS_OF, REPO, cli_command, copy_sample, inherited_env, run_cli

CAMERA = "CANARYCAM-9000"
pytestmark = pytest.mark.slow




def phone_photo(path: Path) -> None:
    """A 3000×2000 JPEG with the EXIF a phone writes: make, date taken and a GPS position."""
    picture = Image.new("RGB", (3000, 2000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0132] = "2026:11:05 09:30:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 9.0)})
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", exif=exif)
    again = Image.open(path).getexif()
    assert again[0x010F] == CAMERA and again.get_ifd(0x8825), "the planted EXIF is really there"


def add_photos(root: Path, photos: str) -> None:
    activities = root / "data/activities/2026-11.yml"
    text = activities.read_text(encoding="utf-8")
    text = text.replace("- id: 2026-11-zhiweihui\n", f"- id: 2026-11-zhiweihui\n  photos: {photos}\n", 1)
    activities.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("photos") / "p")
    phone_photo(root / "content/photos/2026-11-03.jpg")
    add_photos(root, "[photos/2026-11-03.jpg]")
    done = run_cli("build", root, "-o", root / "site", "--as-of", AS_OF, cwd=REPO, env=inherited_env(), timeout=600)
    assert done.returncode == 0, done.stderr
    return root / "site"


def test_no_gps_camera_or_time_survives_into_the_site(built):
    data = (built / "photos/2026-11-03.jpg").read_bytes()
    exif = Image.open(io.BytesIO(data)).getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x0132 not in exif, dict(exif)
    assert CAMERA.encode() not in data and b"2026:11:05" not in data and b"Exif" not in data


def test_the_photo_is_scaled_for_the_web_and_shown_on_the_activity(built):
    assert Image.open(built / "photos/2026-11-03.jpg").size == (1600, 1067)
    page = (built / "activities/2026-11/index.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="\.\./\.\./photos/2026-11-03\.jpg" alt="[^"]+（1）"', page), "shown in the gallery"


def test_a_missing_photo_or_one_that_is_no_picture_is_a_problem(tmp_path):
    root = copy_sample(tmp_path / "p")
    add_photos(root, "[photos/missing.jpg, photos/notes.docx]")
    done = run_cli("check", root, cwd=REPO, env=inherited_env())
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "照片 content/photos/missing.jpg 不存在" in done.stderr
    assert "“photos/notes.docx”不是图片" in done.stderr


def test_a_damaged_picture_in_content_stops_the_build_with_its_path(tmp_path):
    root = copy_sample(tmp_path / "p")
    (root / "content/broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    done = run_cli("build", root, "-o", tmp_path / "site", "--as-of", AS_OF, cwd=REPO, env=inherited_env(), timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "content/broken.jpg: 无法读取这张图片" in done.stderr
    assert not (tmp_path / "site").exists()


def huge_png(path: Path, width: int, height: int) -> None:
    """A valid black-and-white PNG of any size, a few hundred KB, written without ever holding its pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    squeeze = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then 1 bit a pixel
    body = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def heavy_gif(path: Path, frames: int, side: int) -> None:
    """An animation of `frames` frames of side × side that is only tens of KB: each frame moves a small square."""
    from PIL import ImageDraw

    pictures = []
    for k in range(frames):
        frame = Image.new("P", (side, side), 0)
        frame.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
        ImageDraw.Draw(frame).rectangle((k * 50 % side, 100, k * 50 % side + 40, 140), fill=1)
        pictures.append(frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    pictures[0].save(path, save_all=True, append_images=pictures[1:], duration=100, loop=0)


def dangjian_measured(*args: str) -> tuple[int, str, int]:
    """(exit status, stderr, peak resident bytes of the command and its workers); stopped at 4 GiB, never the machine."""
    import resource

    def no_runaway() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    with subprocess.Popen(cli_command(*args), cwd=REPO, env=inherited_env(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, preexec_fn=no_runaway) as child:
        stderr = child.stderr.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, stderr, usage.ru_maxrss * 1024


def test_a_huge_picture_nobody_uses_is_refused_by_check_and_build_with_its_size(tmp_path):
    """Issue 30: a 20000×20000 PNG stopped the build with a DecompressionBombError traceback."""
    root = copy_sample(tmp_path / "p")
    huge_png(root / "content/photos/x.png", 20000, 20000)
    assert (root / "content/photos/x.png").stat().st_size < 1 << 20
    expected = ("content/photos/x.png: 图片太大（20000×20000 像素，上限 6400 万像素）："
                "网站上的图片长边只要 1600 像素，请用看图软件缩小后再放入")
    for command in (["check", str(root)], ["build", str(root), "-o", str(tmp_path / "site"), "--as-of", AS_OF]):
        status, stderr, _ = dangjian_measured(*command)
        assert status == 1 and "Traceback" not in stderr, stderr[-2000:]
        assert expected in stderr.splitlines()
    assert not (tmp_path / "site").exists()


def test_an_animation_with_too_many_frames_is_refused_with_its_count(tmp_path):
    root = copy_sample(tmp_path / "p")
    heavy_gif(root / "content/photos/long.gif", 101, 200)
    done = run_cli("check", root, cwd=REPO, env=inherited_env())
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ("content/photos/long.gif: 动图帧数太多（101 帧，上限 100 帧）：请用看图软件删去一些帧，"
            "或另存为 JPG、PNG 静态图片后再放入") in done.stderr.splitlines()


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of a child process is read with wait4 (POSIX)")
def test_a_small_gif_of_40_huge_frames_is_published_scaled_within_bounded_memory(tmp_path):
    """Issue 30: 45 KB of GIF, 40 frames of 4000×4000, took 3.5 GB and was published unresized."""
    root = copy_sample(tmp_path / "p")
    heavy_gif(root / "content/photos/anim.gif", 40, 4000)
    assert (root / "content/photos/anim.gif").stat().st_size < 100_000
    status, stderr, peak = dangjian_measured("build", str(root), "-o", str(tmp_path / "site"), "--as-of", AS_OF)
    assert status == 0, stderr[-2000:]
    published = Image.open(tmp_path / "site/photos/anim.gif")
    assert max(published.size) <= 1600 and published.n_frames == 40, (published.size, published.n_frames)
    assert published.size[0] * published.size[1] * published.n_frames <= 16_000_000
    assert peak < 1 << 30, f"peak {peak / 2**20:.0f} MiB"


def test_a_gif_whose_later_frame_outgrows_its_header_is_refused_before_that_frame_is_decoded(tmp_path):
    """The header of a GIF gives 10×10; its third frame says 20000×20000 (Pillow would make room for it)."""
    import struct

    first = Image.new("P", (10, 10), 0)
    first.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    second = first.copy()
    second.putpixel((5, 5), 1)
    out = io.BytesIO()
    first.save(out, "GIF", save_all=True, append_images=[second], duration=100, loop=0)
    huge_frame = (b"\x2c" + struct.pack("<HHHHB", 0, 0, 20000, 20000, 0x80) + b"\0\0\0\xff\xff\xff"
                  + b"\x02\x02\x4c\x01\x00")
    root = copy_sample(tmp_path / "p")
    (root / "content/photos").mkdir(parents=True, exist_ok=True)
    (root / "content/photos/grows.gif").write_bytes(out.getvalue().rstrip(b"\x3b") + huge_frame + b"\x3b")
    status, stderr, _ = dangjian_measured("build", str(root), "-o", str(tmp_path / "site"), "--as-of", AS_OF)
    assert status == 1 and "Traceback" not in stderr, stderr[-2000:]
    assert "content/photos/grows.gif: 图片太大（其中一帧超过 6400 万像素）：请用看图软件缩小后再放入" in stderr
    assert not (tmp_path / "site").exists()


def test_a_new_project_shows_photos_on_an_activity_and_a_news_item_and_the_example_works(fresh_project):
    data = fresh_project / "data"
    files = [*(data / "activities").glob("*.yml"), *(data / "news").glob("*.md")]
    assert len(files) == 2
    for path in files:  # a secretary follows the example: picture in place, the # taken off
        text = path.read_text(encoding="utf-8")
        example = re.search(r"^(\s*)# (photos: \[(photos/[^\]]+)\])$", text, re.M)
        assert example, f"{path.name} shows how to add photos"
        phone_photo(fresh_project / "content" / example[3])
        path.write_text(text.replace(example[0], example[1] + example[2]), encoding="utf-8")
    done = run_cli("check", fresh_project, cwd=REPO)
    assert done.returncode == 0, done.stderr
    from generator.load.validate import load_project

    branch = load_project(fresh_project).project.branches[0]
    assert [len(a.photos) for a in branch.activities if a.type == "主题党日"] == [1]
    assert [len(d.photos) for d in branch.news] == [1]
