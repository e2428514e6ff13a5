"""Pictures for the web: the site never publishes a camera's file as it was taken.

A photo straight from a phone carries where it was taken (GPS), the camera, and the
minute it was taken, in its EXIF and XMP metadata. Every picture under content/ is
published as a fresh encoding of its pixels only: turned upright by its orientation
tag, scaled down to at most WEB_PIXELS on its long side, no EXIF, no XMP, no comment;
the colour profile is kept (it is no one's secret). The same file gives the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

from generator.model.spec import is_image

__all__ = ["PhotoError", "is_image", "web_copy"]

WEB_PIXELS = 1600  # the long side of a published picture: sharp on a screen, small on a phone
JPEG_QUALITY = 85


class PhotoError(Exception):
    """The file is not a picture that can be read; the message is Chinese and says what to do."""


def web_copy(path: Path) -> bytes:
    """The picture's pixels, upright, scaled to the web, without metadata, encoded as its own format."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as original:
            kind = original.format
            animated = getattr(original, "n_frames", 1) > 1
            if kind == "GIF" and animated:
                return _gif_frames(original)
            picture = ImageOps.exif_transpose(original)
            picture.thumbnail((WEB_PIXELS, WEB_PIXELS), Image.Resampling.LANCZOS)
            icc = original.info.get("icc_profile")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise PhotoError(f"无法读取这张图片（{type(exc).__name__}）：请用看图软件打开确认，另存为 JPG 或 PNG 后再放进 content/") from None
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


def _gif_frames(original) -> bytes:
    """An animated GIF, frame by frame, without its comment and extensions other than timing."""
    from PIL import ImageSequence

    frames = [frame.copy() for frame in ImageSequence.Iterator(original)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=original.info.get("loop", 0),
                   duration=original.info.get("duration", 100))
    return out.getvalue()
