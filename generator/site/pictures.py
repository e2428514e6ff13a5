"""Pictures for the web: the site never publishes a camera's file as it was taken.

A photo straight from a phone carries where it was taken (GPS), the camera, and the
minute it was taken, in its EXIF and XMP metadata. Every picture under content/ is
published as a fresh encoding of its pixels only: turned upright by its orientation
tag, scaled down to at most WEB_PIXELS on its long side, no EXIF, no XMP, no comment;
the colour profile is kept (it is no one's secret). The same file gives the same bytes.

Every picture is opened as `check` opens it (generator/picture_limits.py: over MAX_PIXELS
or MAX_FRAMES it is refused before anything is decoded); an animation is decoded a frame
at a time and kept small.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from generator.picture_limits import MAX_PIXELS, WEB_PIXELS, PhotoError, open_picture, pixel_limit, unreadable

__all__ = ["PhotoError", "web_copy"]

JPEG_QUALITY = 85
ANIMATION_PIXELS = 16_000_000  # all kept frames of an animation together: about 64 MB while it is written


def web_copy(path: Path) -> bytes:
    """The picture's pixels, upright, scaled to the web, without metadata, encoded as its own format."""
    from PIL import Image, ImageOps

    try:
        with open_picture(path) as original, pixel_limit(MAX_PIXELS):
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
        raise PhotoError(unreadable(exc)) from None
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
