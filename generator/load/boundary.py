"""What a build may read: ordinary files inside the project, and nothing else.

Before any file is opened, every entry under `data/`, `content/` and `theme/` is
looked at with `lstat`. A symbolic link must resolve inside the project (a link to a
file on the CI runner would otherwise be published, page and search index alike); a
named pipe or a device file would block or stream the build forever; a file over
the size limit is refused by its size, not read first. Links to folders inside the
project are followed (mkdocs follows them too), each real folder once.

Hard links cannot be told from ordinary files and are not looked for: git never
makes them, and a contributor's merge request can only carry symbolic links.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from generator.load.yamlio import MAX_FILE_BYTES
from generator.model.problems import Problem

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
    walk = _Walk(root.resolve())
    for name in FOLDERS:
        top = root / name
        if os.path.lexists(top):
            walk.entry(top, name, MAX_DATA_BYTES if name == "data" else MAX_ASSET_BYTES)
    return tuple(walk.problems)


def inside(root: Path, relative: str) -> bool:
    """Whether a path written in a record (relative to `root`) stays inside `root`, links resolved."""
    if not relative or PurePosixPath(relative).is_absolute() or "\\" in relative or ":" in relative:
        return False
    base = root.resolve()
    return (base / relative).resolve().is_relative_to(base)


class _Walk:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.seen: set[Path] = set()

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
            if not target.is_relative_to(self.root):
                self.add(rel, f"这是一个指向项目以外（{os.readlink(path)}）的符号链接：网站只发布项目里的文件，"
                              "请删除这个链接，需要的内容请复制进项目")
                return
        try:
            info = path.stat()
        except OSError as exc:
            self.add(rel, f"无法读取：{exc.strerror}")
            return
        if stat.S_ISDIR(info.st_mode):
            self.folder(path, rel, limit)
        elif stat.S_ISREG(info.st_mode):
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
