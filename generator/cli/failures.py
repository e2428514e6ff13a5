"""What the user is told when the operating system refuses a read or a write.

A full disk, a read-only or locked folder, a path too long for Windows: none of these is
a bug, so none is a traceback. Each becomes `path: 中文说明` with what to do, and the
command exits with status 1. The commands write through temporary files and folders
(generator/atomic.py, generator/assembly/output.py), so the old site or file is still whole.
"""

from __future__ import annotations

import errno
import io
import sys
from pathlib import Path

_WINDOWS_PATH_TOO_LONG = (206, 3)  # ERROR_FILENAME_EXCED_RANGE; ERROR_PATH_NOT_FOUND for an over-long path
_WINDOWS_IN_USE = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION

_ADVICE = {
    errno.ENOSPC: "磁盘已满，没有写完：请腾出磁盘空间后再运行一次",
    errno.EDQUOT: "超出了这个用户的磁盘配额，没有写完：请清理文件或请信息部门调整配额后再运行一次",
    errno.EROFS: "这个位置是只读的，不能写入：请换一个可以写入的文件夹（如用 -o 指定输出文件夹）",
    errno.EACCES: "没有权限读写这里：请检查这个文件夹的权限，或换一个位置；Windows 上请先关闭正在打开这个文件的程序",
    errno.EPERM: "操作系统不允许这个操作：请检查这个文件夹的权限，或换一个位置",
    errno.ENAMETOOLONG: "路径太长：请把项目放到路径较短的文件夹里（如 D:\\党建），或缩短文件名",
    errno.ENOENT: "找不到这个文件或文件夹：请检查路径是否写对，文件是否被移走",
    errno.ENOTDIR: "路径中有一段不是文件夹：请检查路径是否写对",
    errno.EISDIR: "这里是一个文件夹，不是文件：请检查路径是否写对",
    errno.EBUSY: "这个文件或文件夹正被其他程序使用：请关闭它后再运行一次",
}


def describe(exc: OSError, place: object = None) -> str:
    """`path: 中文说明` for an error the operating system reported; `place` (the command's output or
    project folder) is named when the error names no file (a full disk, seen by the write itself)."""
    named = exc.filename2 if exc.filename2 is not None and exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.filename
    where = _shown(named if named is not None else place)
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_PATH_TOO_LONG and len(str(where)) >= 200:
        advice = _ADVICE[errno.ENAMETOOLONG]
    elif winerror in _WINDOWS_IN_USE:
        advice = _ADVICE[errno.EBUSY]
    else:
        advice = _ADVICE.get(exc.errno or 0, f"无法读写（{exc.strerror or type(exc).__name__}）：请检查这个位置后再运行一次")
    return f"{where}: {advice}。原有的网站和文件保持不变。"


def _shown(path: object) -> str:
    """The path to name: the folder, where the file is one of our temporary files or a lock (the user
    never made it, and it is gone by now)."""
    if path is None:
        return "dangjian"
    p = Path(str(path))
    ours = p.name.startswith(".dangjian-") or (p.name.startswith(".") and p.name.endswith(".tmp"))
    return str(p.parent) if ours else str(p)


def safe_console() -> None:
    """Let no character crash the output: a console or a redirected file whose code page (GBK on a
    Chinese Windows) cannot show a name such as 䶮 gets it as \\u4dae instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
