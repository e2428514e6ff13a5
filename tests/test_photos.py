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
import sys
from pathlib import Path

import pytest
from PIL import Image
from sample import copy_sample

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-20"
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
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", str(root), "-o", str(root / "site"),
                           "--as-of", AS_OF], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
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
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "check", str(root)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "照片 content/photos/missing.jpg 不存在" in done.stderr
    assert "“photos/notes.docx”不是图片" in done.stderr


def test_a_damaged_picture_in_content_stops_the_build_with_its_path(tmp_path):
    root = copy_sample(tmp_path / "p")
    (root / "content/broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", str(root), "-o", str(tmp_path / "site"),
                           "--as-of", AS_OF], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "content/broken.jpg: 无法读取这张图片" in done.stderr
    assert not (tmp_path / "site").exists()
