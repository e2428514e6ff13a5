"""Pictures for the web: the site never publishes a camera's file as it was taken.

A photo straight from a phone carries where it was taken (GPS), the camera, and the
minute it was taken, in its EXIF and XMP metadata. Every picture under content/ is
published as a fresh encoding of its pixels only: turned upright by its orientation
tag, scaled down to at most WEB_PIXELS on its long side, no EXIF, no XMP, no comment;
the colour profile is kept (it is no one's secret). The same file gives the same bytes.

Pixels cost memory, bytes do not: a 45 KB GIF can hold 40 frames of 4000×4000, a small PNG
20000×20000 pixels. Every picture's size and frame count are read from its header first,
by `check` as by the build, and a picture over MAX_PIXELS or MAX_FRAMES is refused before
anything is decoded; an animation is decoded a frame at a time and kept small.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from contextlib import contextmanager
from pathlib import Path

from generator.model.problems import Problem
from generator.model.spec import is_image

__all__ = ["PhotoError", "is_image", "picture_problems", "web_copy"]

WEB_PIXELS = 1600  # the long side of a published picture: sharp on a screen, small on a phone
JPEG_QUALITY = 85
MAX_PIXELS = 64_000_000  # a 64-megapixel phone photo still passes; decoding it takes about 250 MB
MAX_FRAMES = 100  # frames of an animation, each decoded in turn
ANIMATION_PIXELS = 16_000_000  # all kept frames of an animation together: about 64 MB while it is written


class PhotoError(Exception):
    """The file is not a picture that can be read; the message is Chinese and says what to do."""


def web_copy(path: Path) -> bytes:
    """The picture's pixels, upright, scaled to the web, without metadata, encoded as its own format."""
    from PIL import Image, ImageOps

    try:
        with _open(path) as original, _pixel_limit(MAX_PIXELS):
            kind = original.format
            animated = getattr(original, "n_frames", 1) > 1
            if kind == "GIF" and animated:
                return _gif_frames(original)
            picture = ImageOps.exif_transpose(original)
            picture.thumbnail((WEB_PIXELS, WEB_PIXELS), Image.Resampling.LANCZOS)
            icc = original.info.get("icc_profile")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # a GIF's later frame may be larger than the size its header gives
        raise PhotoError(f"图片太大（其中一帧超过 {MAX_PIXELS // 10_000} 万像素）：请用看图软件缩小后再放入") from None
    except (OSError, ValueError, EOFError) as exc:  # UnidentifiedImageError is an OSError
        raise PhotoError(_unreadable(exc)) from None
    out = io.BytesIO()
    options: dict = {"icc_profile": icc} if icc else {}
    if kind == "JPEG" or kind is None:
        picture.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    elif kind == "WEBP":
        picture.save(out, "WEBP", quality=JPEG_QUALITY, **options)
    elif kind == "GIF":
        picture.save(out, "GIF")
    else:
        picture.save(out, "PNG", optimize=True, **options)
    return out.getvalue()


def picture_problems(root: Path) -> tuple[Problem, ...]:
    """Each picture of content/ that the build would refuse, found from its header alone (for `check`)."""
    problems = []
    for path in _pictures(root / "content"):
        shown = "content/" + path.relative_to(root / "content").as_posix()
        try:
            with _open(path):
                pass
        except PhotoError as exc:
            problems.append(Problem(shown, 0, str(exc)))
        except (OSError, ValueError, EOFError) as exc:  # what Pillow raises on a damaged header
            problems.append(Problem(shown, 0, _unreadable(exc)))
    return tuple(problems)


def _pictures(folder: Path) -> list[Path]:
    """The pictures mkdocs publishes from `folder`: links to folders followed once, dot-names skipped as mkdocs does."""
    found: list[Path] = []
    seen: set[str] = set()
    stack = [folder]
    while stack:
        here = stack.pop()
        real = os.path.realpath(here)
        if real in seen or not here.is_dir():
            continue
        seen.add(real)
        for entry in sorted(here.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif is_image(entry.name) and entry.is_file():
                found.append(entry)
    return sorted(found)


def _open(path: Path):
    """The picture opened, its header read and nothing decoded; PhotoError when it is too big to decode."""
    from PIL import Image

    # Pillow's own guard raises past 179 million pixels, without the size; ours below is lower,
    # runs before any pixel is decoded, and says what to do.
    with _pixel_limit(None):
        picture = Image.open(path)
    try:
        width, height = picture.size
        if width * height > MAX_PIXELS:
            raise PhotoError(f"图片太大（{width}×{height} 像素，上限 {MAX_PIXELS // 10_000} 万像素）："
                             f"网站上的图片长边只要 {WEB_PIXELS} 像素，请用看图软件缩小后再放入")
        # only a GIF is published animated; other formats give their first frame
        frames = getattr(picture, "n_frames", 1) if picture.format == "GIF" else 1
        if frames > MAX_FRAMES:
            raise PhotoError(f"动图帧数太多（{frames} 帧，上限 {MAX_FRAMES} 帧）：请用看图软件删去一些帧，"
                             "或另存为 JPG、PNG 静态图片后再放入")
    except BaseException:
        picture.close()
        raise
    return picture


@contextmanager
def _pixel_limit(limit: int | None):
    """Pillow's guard against decompression bombs at `limit` pixels (None: off) while decoding:
    it checks each frame of a GIF as the frame is read, before its pixels are allocated."""
    from PIL import Image

    kept = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limit
    try:
        with warnings.catch_warnings():
            # over the limit Pillow only warns (it raises at twice the limit): refuse there already
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = kept


def _unreadable(exc: Exception) -> str:
    return f"无法读取这张图片（{type(exc).__name__}）：请用看图软件打开确认，另存为 JPG 或 PNG 后再放进 content/"


def _gif_frames(original) -> bytes:
    """An animated GIF, frame by frame, without its comment and extensions other than timing.

    Each frame is scaled as it is decoded, so only one frame is ever held at full size, and
    small enough that all of them together stay within ANIMATION_PIXELS.
    """
    from PIL import ImageSequence

    width, height = original.size
    scale = min(1.0, WEB_PIXELS / max(width, height), math.sqrt(ANIMATION_PIXELS / (original.n_frames * width * height)))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    frames = [_smaller(frame, size) for frame in ImageSequence.Iterator(original)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=original.info.get("loop", 0),
                   duration=original.info.get("duration", 100))
    return out.getvalue()


def _smaller(frame, size: tuple[int, int]):
    """A frame at `size`; Pillow gives the first frame as a palette, which only resizes by dropping pixels."""
    from PIL import Image

    if size == frame.size:
        return frame.copy()
    if frame.mode == "P":
        frame = frame.convert("RGBA" if "transparency" in frame.info else "RGB")
    return frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
