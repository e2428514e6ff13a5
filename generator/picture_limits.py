"""What a picture under content/ may be, and opening one safely: shared by `check` and the build.

Pixels cost memory, bytes do not: a 45 KB GIF can hold 40 frames of 4000×4000, a small PNG
20000×20000 pixels. Every picture's size and frame count are read from its header first,
by `check` (load/pictures.py) as by the build (site/pictures.py), and a picture over
MAX_PIXELS or MAX_FRAMES is refused before anything is decoded.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from pathlib import Path

WEB_PIXELS = 1600  # the long side of a published picture: sharp on a screen, small on a phone
MAX_PIXELS = 64_000_000  # a 64-megapixel phone photo still passes; decoding it takes about 250 MB
MAX_FRAMES = 100  # frames of an animation, each decoded in turn


class PhotoError(Exception):
    """The file is not a picture that can be read; the message is Chinese and says what to do."""


def open_picture(path: Path):
    """The picture opened, its header read and nothing decoded; PhotoError when it is too big to decode."""
    from PIL import Image

    # Pillow's own guard raises past 179 million pixels, without the size; ours below is lower,
    # runs before any pixel is decoded, and says what to do.
    with pixel_limit(None):
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
def pixel_limit(limit: int | None):
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


def unreadable(exc: Exception) -> str:
    return f"无法读取这张图片（{type(exc).__name__}）：请用看图软件打开确认，另存为 JPG 或 PNG 后再放进 content/"
