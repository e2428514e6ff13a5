"""`dangjian import`: records from a branch's Excel or CSV sheets into `data/`.

Five kinds of sheet (`kinds.KINDS`): the roster (花名册 → data/members.yml), a points
ledger (积分表 → data/points/YYYY-MM.yml by date), the dues platform's export
(党费缴纳明细 → data/dues/YYYY-MM.yml by the month the dues are for, by default
the month of payment), activities (活动记录 → data/activities/YYYY-MM.yml, see
tools/import_activities.py) and a meeting's signed 签到表 (tools/attendance.py).

The rules, in the order a user meets them:
- headings are recognised by their usual Chinese names; a mapping file names others;
- every bad cell is reported as `FILE.xlsx:Sheet!C12: message`, all at once, and
  nothing is written;
- a cell's text passes the same field checks as a hand-written data file, and what
  `check` finds in an imported record is told at the cell it came from;
- text a spreadsheet would run as a formula (=, +, -, @) is pointed out;
- a sheet reaching past 100,000 rows or 256 columns is refused, not read into memory;
- people in points and dues sheets are found in the roster by name (or 党员编号);
- an existing record is never changed or dropped silently: an identical one is skipped,
  a different one is a conflict, applied only with `--update`;
- columns the site never needs (身份证号, 手机号码 …) stay out of the repository unless
  `--keep-private`, and then only in the private fields of the record's shape;
- records are appended to the YAML text, so the user's comments and layout survive;
- the result is validated with `load_project` in a copy of data/ before any file is
  replaced, and `--dry-run` prints the diff and writes nothing.

The modules, each importing only those listed before it:
- kinds: what each kind of sheet holds (fields, usual headings, labels);
- cells: one cell to the value a data file holds;
- sheets: an .xlsx or CSV sheet read into a `Table`;
- headings: the heading row and a mapping file;
- records: rows into records, people found in the roster;
- existing: the records a data file already holds, and how a sheet's record differs;
- yaml_text: records appended, and changes made, in a data file's text;
- command: `run_import`, the plan, its validation and the writing.
"""
