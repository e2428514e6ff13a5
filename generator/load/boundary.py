"""What a build may read: ordinary files inside the project, and nothing else.

Before any file is opened, every entry under `data/`, `content/` and `theme/` is
looked at with `lstat`. A symbolic link must resolve inside its own top folder: a link
in content/ to a file on the CI runner, to `.git/config` (which may hold a token) or to
`data/members.yml` (the raw roster) would otherwise be published, page and search
index alike. A link to a folder is allowed in content/ and theme/ (mkdocs follows it;
each real folder is walked once) but not in data/, whose files the cache must see. A
named pipe or a device file would block or stream the build forever; a file over the
size limit is refused by its size, not read first.

Hard links cannot be told from ordinary files and are not looked for: git never
makes them, and a contributor's merge request can only carry symbolic links.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from generator.load.yamlio import MAX_FILE_BYTES, decode, invisible_characters
from generator.model.problems import Problem, reminder
from generator.model.spec import IMAGE_SUFFIXES

FOLDERS = ("data", "content", "theme")
MB = 1024 * 1024
MAX_DATA_BYTES = MAX_FILE_BYTES  # a YAML or Markdown record; a month's file is a few kB
MAX_ASSET_BYTES = 20 * MB  # a page, a picture or a stylesheet in content/ or theme/

_SPECIAL = (
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "设备文件"),
    (stat.S_ISBLK, "设备文件"),
)


def scan(root: Path) -> tuple[Problem, ...]:
    """Every entry under the project's input folders that a build must not read, each with the reason."""
    problems: list[Problem] = []
    for name in FOLDERS:
        top = root / name
        if os.path.lexists(top):
            walk = _Walk(root.resolve() / name, name)
            walk.entry(top, name, MAX_DATA_BYTES if name == "data" else MAX_ASSET_BYTES)
            problems += walk.problems
    return tuple(problems)


# What content/ may hold, and how each kind is made safe (README, “content/”): Markdown pages
# and HTML pages pass through the cleaner of pages/text.py, pictures are drawn anew
# (site/pictures.py), sound and video are played, never run. Anything else would be published
# byte for byte, so it is refused: an SVG or a PDF can carry a script, a .js or .css file is
# code, and an office file or a text file is easily someone's private data.
PAGE_SUFFIXES = (".md", ".html", ".htm")
MEDIA_SUFFIXES = (".mp4", ".webm", ".mp3", ".m4a", ".ogg", ".wav")
CONTENT_SUFFIXES = PAGE_SUFFIXES + IMAGE_SUFFIXES + MEDIA_SUFFIXES
_REFUSED = {
    ".svg": "SVG 图片里可以藏脚本，网站不发布 SVG：请另存为 PNG 图片再放进来",
    ".pdf": "PDF 文件里可以藏脚本和附件，网站无法清理，所以不发布 PDF：请把内容写成 Markdown 页面（.md），或另存为图片",
}
_NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def content(root: Path) -> tuple[Problem, ...]:
    """What content/ holds that the site must not publish as it is, and empty pages (a reminder).

    Only after `scan` found nothing: every link in content/ stays inside it, every file is readable.
    """
    top = root / "content"
    if not top.is_dir():
        return ()
    walk = _Walk(top.resolve(), "content")
    walk.folder(top, "content", MAX_ASSET_BYTES)
    problems: list[Problem] = []
    for path, rel in walk.files:
        name = path.name
        if name.startswith("."):  # the site engine leaves hidden files out
            continue
        if (bad := _NAME_CONTROLS.search(name)) is not None:
            problems.append(Problem(rel, 0, f"文件名里有一个看不见的字符 U+{ord(bad.group()):04X}（控制字符或文字方向控制符）：请给文件重新起个名字"))
            continue
        suffix = path.suffix.lower()
        if suffix in PAGE_SUFFIXES:
            problems += _page_problems(path, rel)
        elif suffix not in CONTENT_SUFFIXES:
            problems.append(Problem(rel, 0, _REFUSED.get(suffix) or (
                "content/ 里只放页面（.md，或 .html，发布前会清理）、图片（.jpg、.jpeg、.png、.gif、.webp）和音视频"
                "（.mp4、.webm、.mp3、.m4a、.ogg、.wav）：其他文件不经清理就会原样发布，请删除它或移到网站以外")))
    return tuple(problems)


def _page_problems(path: Path, rel: str) -> list[Problem]:
    """A page as data files are read: UTF-8 text without control characters; an empty page is a reminder."""
    text, problems = decode(path.read_bytes(), rel)
    if text is None:
        return problems
    if not text.strip():
        return [reminder(rel, 0, "这个页面是空的，网站上会是一个空白页：请写上内容，或删除这个文件")]
    return invisible_characters(text, rel)[1]


def inside(root: Path, relative: str) -> bool:
    """Whether a path written in a record (relative to `root`) stays inside `root`, links resolved."""
    if not relative or PurePosixPath(relative).is_absolute() or any(ch in relative for ch in "\\:\0"):
        return False
    base = root.resolve()
    try:
        return (base / relative).resolve().is_relative_to(base)
    except (OSError, ValueError, RuntimeError):
        return False


class _Walk:
    def __init__(self, top: Path, name: str):
        self.top = top  # the real folder every link must stay in
        self.name = name
        self.problems: list[Problem] = []
        self.seen: set[Path] = set()
        self.files: list[tuple[Path, str]] = []  # every ordinary file, as the site engine will see it

    def add(self, rel: str, message: str) -> None:
        self.problems.append(Problem(rel, 0, message))

    def entry(self, path: Path, rel: str, limit: int) -> None:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                self.add(rel, f"这是一个符号链接，指向的 {os.readlink(path)} 不存在：请删除这个链接，或换成文件本身")
                return
            except (OSError, RuntimeError):
                self.add(rel, "这是一个绕圈的符号链接（最终指回自己）：请删除这个链接")
                return
            if not target.is_relative_to(self.top):
                self.add(rel, f"这是一个指向 {self.name}/ 以外（{os.readlink(path)}）的符号链接：项目以外和其他文件夹里的文件"
                              f"（如 .git、data/members.yml）不能经它发布，请删除这个链接，需要的内容请复制进 {self.name}/")
                return
            if self.name == "data" and target.is_dir():
                self.add(rel, "这是一个指向文件夹的符号链接：data/ 里请直接放文件夹本身（否则修改里面的文件后，生成时可能用旧的结果）")
                return
        try:
            info = path.stat()
        except OSError as exc:
            self.add(rel, f"无法读取：{exc.strerror}")
            return
        if stat.S_ISDIR(info.st_mode):
            self.folder(path, rel, limit)
        elif stat.S_ISREG(info.st_mode):
            self.files.append((path, rel))
            if info.st_size > limit:
                self.add(rel, f"文件过大（{info.st_size / MB:.1f} MB，上限 {limit // MB} MB）："
                              + ("请按月份拆分成多个文件" if limit == MAX_DATA_BYTES else "图片请先压缩，视频等大文件请放在网站以外"))
        else:
            kind = next((name for test, name in _SPECIAL if test(info.st_mode)), "特殊文件")
            self.add(rel, f"这是{kind}，不是普通文件：生成网站时无法读取，请删除它")

    def folder(self, path: Path, rel: str, limit: int) -> None:
        real = path.resolve()
        if real in self.seen:  # a link back to a folder already walked
            return
        self.seen.add(real)
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            self.add(rel, f"无法打开文件夹：{exc.strerror}")
            return
        for name in names:
            self.entry(path / name, f"{rel}/{name}", limit)
