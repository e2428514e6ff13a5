"""Reading a sheet: an .xlsx worksheet or a CSV file as a `Table` of cells, each named as the user
finds it (`FILE.xlsx:Sheet!C12`); a sheet reaching past 100,000 rows or 256 columns is refused,
not read into memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.tools.importing.cells import _blank

# Far beyond any branch's roster, ledger or dues export (65,536 rows was all old .xls held);
# a sheet reaching past them is refused rather than read into memory.
MAX_ROWS = 100_000
MAX_COLUMNS = 256


@dataclass
class Table:
    """The cells of one sheet, with enough to name a cell as the user sees it."""

    display: str  # the file name as the user typed it
    sheet: str | None  # None for CSV
    rows: list[list[Any]]  # rows[0] is row 1
    encoding: str | None = None
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, for a hint
    # a sheet of another layout read as a plain table (layouts.py): each cell's place in the sheet itself
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def cell(self, row: int, col: int) -> str:
        """`C12` (row 1-based, col 0-based), the cell as the user finds it in the sheet."""
        row, col = self.origin.get((row, col), (row, col))
        return f"{column_letter(col)}{row}"

    def ref(self, row: int, col: int) -> str:
        """`FILE.xlsx:Sheet!C12` (row 1-based, col 0-based); `FILE.csv:C12` for CSV."""
        cell = self.cell(row, col)
        return f"{self.display}:{self.sheet}!{cell}" if self.sheet is not None else f"{self.display}:{cell}"


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class SheetError(Exception):
    """The sheet cannot be read at all (not a cell's problem)."""


def decode_csv(raw: bytes, display: str) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (BOM or not) strictly first, then GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8（带 BOM）"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030（GBK）"
    except UnicodeDecodeError:
        raise SheetError(f"{display}: 无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）："
                           "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入")


def _without_trailing_blanks(row: list[Any]) -> list[Any]:
    width = len(row)
    while width and _blank(row[width - 1]):
        width -= 1
    return row[:width]


def _ooxml_text(value: Any) -> Any:
    """Excel writes a character XML cannot hold (U+000B from Word's Shift+Enter) as `_x000B_`;
    openpyxl leaves the escape in the text, where no check would see the character."""
    if isinstance(value, str) and "_x" in value:
        from openpyxl.utils.escape import unescape

        return unescape(value)
    return value


def bounded_rows(rows: Iterable[Sequence[Any]], display: str, sheet: str | None,
                 clean: Callable[[Any], Any] | None = None) -> list[list[Any]]:
    """The rows of a sheet, read one at a time, without trailing blank cells and rows.

    A cell far outside any roster or ledger (a stray keystroke at XFD1048576, or a sheet
    made to exhaust memory) stops the reading with a message, before anything is kept.
    """
    out: list[list[Any]] = []
    for number, row in enumerate(rows, start=1):
        if not row:
            continue
        if number > MAX_ROWS or len(row) > MAX_COLUMNS:
            cell = f"{column_letter(len(row) - 1)}{number}"
            where = f"{display}:{sheet}!{cell}" if sheet is not None else f"{display}:{cell}"
            what = f"工作表“{sheet}”" if sheet is not None else "这个文件"
            raise SheetError(f"{where}: {what}在第 {number} 行、{column_letter(len(row) - 1)} 列还有内容或格式，远远超出一份名册或台账的范围"
                             f"（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），无法导入：请只选中有数据的行和列，"
                             "复制到一个新的工作表（或新文件）再导入")
        kept = _without_trailing_blanks(list(row))
        if kept:
            if clean is not None:
                kept = [clean(v) for v in kept]
            out.extend([] for _ in range(number - 1 - len(out)))
            out.append(kept)
    return out


def read_table(path: Path, display: str, sheet_name: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SheetError(f"{display}: 找不到这个文件：请检查文件名和所在文件夹")
    if suffix == ".csv":
        if sheet_name is not None:
            raise SheetError(f"{display}: CSV 文件只有一张表，不用写 --sheet")
        text, encoding = decode_csv(path.read_bytes(), display)
        # an empty CSV field is nothing at all (no formatting): trailing ones do not widen the row
        fields = (_without_trailing_blanks(r) for r in csv.reader(io.StringIO(text, newline="")))
        return Table(display, None, bounded_rows(fields, display, None), encoding)
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, data_only=True, read_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SheetError(f"{display}: 无法打开这个 Excel 文件（{type(exc).__name__}）：请用 Excel 打开确认后另存为 .xlsx 再导入")
        try:
            names = tuple(book.sheetnames)
            if sheet_name is not None and sheet_name not in names:
                raise SheetError(f"{display}: 没有名为“{sheet_name}”的工作表：这个文件的工作表有 {'、'.join(names)}")
            sheet = book[sheet_name] if sheet_name is not None else book.worksheets[0]
            # The declared size (`<dimension ref="A1:XFD1048576"/>`) is whatever the writing program
            # claims; trusting it pads every row to it. Without it a row is as wide as its last cell.
            sheet.reset_dimensions()
            rows = bounded_rows(sheet.iter_rows(values_only=True), display, sheet.title, _ooxml_text)
            return Table(display, sheet.title, rows, sheets=names)
        finally:
            book.close()
    if suffix == ".xls":
        raise SheetError(f"{display}: 不支持旧版 .xls 格式：请在 Excel 中“另存为 → Excel 工作簿（.xlsx）”后再导入")
    raise SheetError(f"{display}: 只能导入 .xlsx 或 .csv 文件")
