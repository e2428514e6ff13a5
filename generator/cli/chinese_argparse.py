"""argparse in Chinese: help, usage and errors as the secretary reads them.

argparse prints its own words ("usage:", "options", "error: unrecognized arguments")
in English. `ChineseParser` names the sections in Chinese, writes its own -h, and
turns argparse's error messages into Chinese ones that say what to do; subcommand
parsers inherit it. An error argparse adds in a later Python version is printed as
argparse wrote it, after "错误：".
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

_ERRORS = (
    (re.compile(r"^unrecognized arguments: (.+)$"), "不认识的参数：{0}（用 {prog} -h 查看可用的命令和参数）"),
    (re.compile(r"^the following arguments are required: (.+)$"), "缺少必填的参数：{0}"),
    (re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"), "参数 {0} 的值 {1} 不可选：请从 {2} 中选一个"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 后面要写一个值"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), "参数 {0} 后面至少要写一个值"),
    (re.compile(r"^argument (\S+): invalid \S+ value: (.+)$"), "参数 {0} 的值 {1} 格式不对"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), "参数 {0} 和 {1} 不能同时用"),
    (re.compile(r"^argument (\S+): ignored explicit argument (.+)$"), "参数 {0} 后面不用写值（写了 {1}）"),
    (re.compile(r"^ambiguous option: (\S+) could match (.+)$"), "参数 {0} 不完整，可能是 {1}：请写全"),
)


def chinese_error(message: str, prog: str) -> str:
    for pattern, text in _ERRORS:
        match = pattern.match(message)
        if match:
            return text.format(*match.groups(), prog=prog.split()[0])
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{chinese_error(message, self.prog)}\n")
