"""`dangjian publish`: put a built site behind a web server without a broken moment.

Layout under TARGET_DIR (point the web server's root at TARGET_DIR/current):

    releases/0001-20260901T080000/   one folder per publish, never changed afterwards
    releases/0002-20260902T080000/
    current -> releases/0002-20260902T080000   a symlink, switched in one rename

A release is copied into a hidden folder first and renamed into `releases/` when
complete; `current` is switched by renaming a fresh temporary symlink over it, which
is atomic on POSIX, so a reader sees either the old site or the new one. Only the
last N releases are kept (never the one `current` points at). `--rollback` points
`current` at the release before the current one.

Where symbolic links are refused (Windows without administrator rights or developer
mode, a network share or a FAT disk), `current` is made another way, chosen on the spot:
- on Windows, a directory junction (which needs no rights): the old junction is removed
  and the new one renamed into place, so for a moment there is no `current`;
- elsewhere, the release folder itself: `current` is renamed back to `releases/NAME` and
  the new release renamed to `current` (two renames, the same short moment); the file
  `current/.dangjian-release`, written before the renames, names the release it is.

One publish (or rollback) at a time per TARGET_DIR: the others wait on an advisory
lock on that folder. Holding it, a publish removes the hidden
`.incoming-*` folders a killed publish left, and switches `current` only to a
release that has its `index.html`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import atomic_write, exclusive

CURRENT = "current"
RELEASES = "releases"
POINTER = ".dangjian-release"  # in a release that is `current` itself (no links): its name
_INCOMING = ".incoming-"
_RELEASE = re.compile(r"^(\d{4,})-\d{8}T\d{6}$")


class PublishError(Exception):
    """A mistake the user can fix; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Outcome:
    release: str  # name of the release `current` now points at
    removed: tuple[str, ...]  # releases deleted by --keep


def releases(target: Path) -> list[str]:
    """Release folder names, oldest first (with the one `current` holds when it is a folder itself)."""
    folder = target / RELEASES
    names = [p.name for p in folder.iterdir() if p.is_dir() and not _is_link(p) and _RELEASE.match(p.name)] \
        if folder.is_dir() else []
    held = _held(target)
    if held and held not in names:
        names.append(held)
    return sorted(names, key=_number)


def _number(name: str) -> int:
    """A release's counter; `releases` lists only names that `_RELEASE` matches."""
    match = _RELEASE.match(name)
    assert match is not None, name
    return int(match.group(1))


def _is_link(path: Path) -> bool:
    """A symbolic link, or a Windows directory junction."""
    return path.is_symlink() or bool(getattr(os.path, "isjunction", lambda _: False)(path)) or _junction(path)


def _junction(path: Path) -> bool:
    if os.name != "nt":
        return False
    try:
        os.readlink(path)  # a junction reads back as its target on Windows (Python 3.8+)
    except (OSError, ValueError):
        return False
    return True


def _held(target: Path) -> str | None:
    """The release `current` holds when it is a release folder itself (see POINTER)."""
    pointer = target / CURRENT / POINTER
    if _is_link(target / CURRENT) or not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return name if _RELEASE.match(name) else None


def current_release(target: Path) -> str | None:
    link = target / CURRENT
    if _is_link(link):
        return Path(os.readlink(link)).name
    return _held(target)


def _check_target(target: Path) -> None:
    link = target / CURRENT
    if link.exists() and not _is_link(link) and _held(target) is None:
        raise PublishError(
            f"{link} 是普通文件或文件夹，不是符号链接：请先把它改名或移走（网站根目录请指向 {link}）")


def _switch(target: Path, name: str) -> None:
    """Point TARGET/current at releases/NAME: one atomic rename of a symlink where the system allows
    symlinks, else a junction (Windows) or the release folder itself (see the module's docstring)."""
    held = _held(target)
    if held is not None:  # current is a release folder itself: back into releases/ first
        os.rename(target / CURRENT, target / RELEASES / held)
    tmp = target / f".{CURRENT}.tmp-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    try:
        os.symlink(f"{RELEASES}/{name}", tmp, target_is_directory=True)
    except (OSError, NotImplementedError):
        if os.name != "nt" or not _make_junction(target / RELEASES / name, tmp):
            _switch_folders(target, name)
            return
        _remove_link(target / CURRENT)  # a junction cannot be renamed over another: a moment without current
    os.replace(tmp, target / CURRENT)


def _make_junction(release: Path, at: Path) -> bool:
    try:
        import _winapi  # Windows only: junctions need no special rights

        _winapi.CreateJunction(str(release.resolve()), str(at))  # type: ignore[attr-defined]
        return True
    except (ImportError, OSError, AttributeError):
        return False


def _remove_link(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if _is_link(path):
            os.unlink(path) if path.is_symlink() else os.rmdir(path)  # rmdir removes a junction, not its target


def _switch_folders(target: Path, name: str) -> None:
    """`current` as a release folder itself: NAME is renamed to `current`."""
    atomic_write(target / RELEASES / name / POINTER, name + "\n")  # whatever folder is `current` knows its name
    _remove_link(target / CURRENT)
    os.rename(target / RELEASES / name, target / CURRENT)


def publish(site: Path, target: Path, keep: int = 5, now: dt.datetime | None = None) -> Outcome:
    if keep < 1:
        raise PublishError("--keep 至少为 1")
    if not site.is_dir():
        raise PublishError(f"找不到网站文件夹“{site}”：请先运行 dangjian build 生成网站，再发布")
    if not (site / "index.html").is_file():
        raise PublishError(f"“{site}”里没有 index.html，不像是生成好的网站：请检查文件夹是否写对")
    target.mkdir(parents=True, exist_ok=True)
    with _one_at_a_time(target):
        _check_target(target)
        folder = target / RELEASES
        folder.mkdir(exist_ok=True)
        for left in folder.glob(f"{_INCOMING}*"):  # a publish that was killed: we hold the lock, it is not running
            shutil.rmtree(left, ignore_errors=True)
        existing = releases(target)
        counter = _number(existing[-1]) + 1 if existing else 1
        stamp = (now or dt.datetime.now()).strftime("%Y%m%dT%H%M%S")
        name = f"{counter:04d}-{stamp}"
        staging = folder / f"{_INCOMING}{name}"
        try:
            with _site_still(site, target):
                shutil.copytree(site, staging, symlinks=True)
            if not (staging / "index.html").is_file():
                raise PublishError(f"“{site}”在复制途中变了（index.html 不见了）：请等 dangjian build 完成后再发布")
            os.rename(staging, folder / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _switch(target, name)
        return Outcome(name, _prune(target, keep))


def _site_still(site: Path, target: Path):
    """Hold the lock `dangjian build` takes on the site's folder while the site is copied, so a
    build swapping in a new site meanwhile cannot mix two sites in one release. (Not when the
    site's folder is the target itself, whose lock this publish already holds.)"""
    parent = site.resolve().parent
    if parent == target.resolve():
        return contextlib.nullcontext()
    return exclusive(parent, f"“{site}”正在由 dangjian build 生成：等它完成后再发布……")


def _one_at_a_time(target: Path):
    return exclusive(target, f"另一个 dangjian publish 正在发布到“{target}”：等它完成后再继续……")


def _prune(target: Path, keep: int) -> tuple[str, ...]:
    names = releases(target)
    current = current_release(target)
    removed = []
    for name in names[:-keep] if len(names) > keep else []:
        if name == current:
            continue
        shutil.rmtree(target / RELEASES / name, ignore_errors=True)
        removed.append(name)
    return tuple(removed)


def rollback(target: Path) -> Outcome:
    if not target.is_dir():
        raise PublishError(f"“{target}”下还没有发布过网站（没有 {CURRENT} 链接），无法回退")
    with _one_at_a_time(target):
        return _rollback(target)


def _rollback(target: Path) -> Outcome:
    _check_target(target)
    current = current_release(target)
    if current is None:
        raise PublishError(f"“{target}”下还没有发布过网站（没有 {CURRENT} 链接），无法回退")
    names = releases(target)
    if current not in names:
        raise PublishError(f"{CURRENT} 指向的版本“{current}”不在 {RELEASES}/ 中：请检查 {target}")
    index = names.index(current)
    if index == 0:
        raise PublishError(f"“{current}”已是保留的最早版本，没有可以回退的上一版")
    previous = names[index - 1]
    _switch(target, previous)
    return Outcome(previous, ())
