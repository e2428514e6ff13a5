"""The print font: the installed Chinese font as a static TrueType subset, made once and cached.

Chromium's PDF backend (Skia) writes a CFF-flavoured OpenType font, such as Noto Sans
CJK SC from Debian's fonts-noto-cjk, as Type 3 glyph procedures, and maps each glyph
back to text through the font's cmap read backwards. Noto Sans CJK gives the glyph of
月 also to the Kangxi radical ⽉ (U+2F49), so text copied out of the PDF came out as
radicals. This module makes a font that Chromium embeds as a real TrueType font
(CIDFontType2 with a FontFile2) and whose every glyph has exactly one code point:

* the source is the installed Noto Sans CJK SC (or Source Han Sans SC), Regular and
  Bold, found with fontconfig's `fc-list`, or where there is no fontconfig by looking
  in the usual font folders;
* it is subset to a fixed set of characters, `CHARS`: ASCII and Latin-1, general
  punctuation and common symbols, CJK symbols and punctuation, full-width forms, and the
  whole of GB 2312 (its 6,763 汉字, kana, Greek, Cyrillic and symbols), about 7,800
  characters, 2 MB per weight. No code point of U+2E80–U+2FDF (radicals) or
  U+F900–U+FAFF (compatibility ideographs) is kept, and where several kept code points
  share a glyph only one keeps it (ASCII first, then GB 2312's as GBK encodes them):
  `·` keeps the glyph it shares with `•` and `・`. A character outside the
  set falls back, in the print stylesheet, to the installed font;
* its CFF outlines are converted to quadratic TrueType outlines (fontTools' cu2qu,
  at most 1 unit of the 1,000-unit em off the cubic curve), without hinting;
* it is renamed `FAMILY` ("Dangjian Print Sans"). SIL OFL 1.1 clause 3 forbids a
  Modified Version to use a Reserved Font Name. The installed Noto Sans CJK declares
  none (its copyright string is "© 2014-2021 Adobe (http://www.adobe.com/)." and
  Debian's copyright file lists no reserved name), but Adobe's Source Han Sans, of which
  Noto Sans CJK is a rebranding, and Google Fonts' Noto Sans SC reserve "Source"; and a
  modified font should not pass for the original in any case. So the family name has
  neither "Noto" nor "Source"; the copyright, licence and authors' names are kept, and
  `OFL.txt` goes with the font files (clause 2).

The result is cached in the user's cache folder (`$XDG_CACHE_HOME/dangjian/fonts/`, else
`~/.cache/dangjian/fonts/`), keyed by the source file's identity (resolved path, size,
modification time, face index) and the recipe's version; it is written by a rename, one
process converting at a time, so the second build converts nothing; a new entry replaces
the one of the same weight made from another source or by another recipe. The bytes do
not depend on the day (the source's timestamp is kept).

This module knows nothing of the site engine or the browser: `write_print_fonts` puts
the files into a folder of a built site (`SITE_FOLDER`), and `theme/assets/print.css`
loads them with @font-face.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import settings
from generator.atomic import atomic_write, exclusive

FAMILY = "Dangjian Print Sans"
SITE_FOLDER = "assets/fonts"  # in the built site, beside assets/print.css
LICENCE_FILE = "OFL.txt"
RECIPE_VERSION = "2"  # bump when the character set or the conversion changes the output
WEIGHTS = {"regular": (80, "Regular", 400), "bold": (200, "Bold", 700)}  # fontconfig weight, style, CSS weight
SOURCE_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN")  # most wanted first
KNOWN_FILES = {  # for machines without fontconfig: file name stems, each weight
    "regular": ("NotoSansCJK-Regular", "NotoSansCJKsc-Regular", "SourceHanSans-Regular", "SourceHanSansSC-Regular"),
    "bold": ("NotoSansCJK-Bold", "NotoSansCJKsc-Bold", "SourceHanSans-Bold", "SourceHanSansSC-Bold"),
}
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                "/Library/Fonts", "~/Library/Fonts", "/System/Library/Fonts")
LAYOUT_FEATURES = ("ccmp", "calt", "liga", "kern", "mark", "halt", "palt")  # horizontal text; no locl: SC is the default
MAX_ERROR = 1.0  # font units (of 1,000 per em) between a cubic curve and its quadratic approximation
NO_FONT = ("没有找到中文字体 Noto Sans CJK SC，PDF 里的中文用系统的其他字体，复制出来的文字可能不对。"
           "请安装：Debian/Ubuntu/统信 UOS/麒麟 运行 sudo apt-get install fonts-noto-cjk；"
           "Windows 自带的微软雅黑、黑体、宋体可以直接使用")
CONVERTING = "第一次使用：正在把 {source} 转换为打印用字体（每种字重约 10 秒，以后不再需要）……"
WAITING = "另一个命令正在转换打印用字体，等它完成……"

RADICALS = range(0x2E80, 0x2FE0)  # CJK radicals supplement and Kangxi radicals
COMPATIBILITY = range(0xF900, 0xFB00)  # CJK compatibility ideographs
_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: ¥ · × ÷ °
    (0x2000, 0x206F),  # general punctuation: – — ‘ ’ “ ” … ‰ ※
    (0x2100, 0x218F),  # letterlike symbols and number forms: ℃ № Ⅰ–Ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators: − ± ≤ ≥
    (0x2460, 0x24FF),  # enclosed alphanumerics: ① ⑳ ⒈
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: ■ □ ▲ ○ ●
    (0x2600, 0x26FF),  # miscellaneous symbols: ★ ☆
    (0x2700, 0x27BF),  # dingbats: ✓
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〇《》「」【】
    (0xFF00, 0xFFEF),  # full-width forms: ，：；！？（）～
)


def _gb2312() -> frozenset[int]:
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return frozenset(found)


CHARS: frozenset[int] = frozenset(
    c for c in _gb2312() | {c for first, last in _RANGES for c in range(first, last + 1)}
    if c not in RADICALS and c not in COMPATIBILITY
)


class FontError(Exception):
    """Why a source font could not be converted (for the reason shown to the user)."""


@dataclass(frozen=True)
class Source:
    """An installed font face: a file, the face's index in it (a .ttc holds several), its weight."""

    path: Path
    index: int
    weight: str  # a key of WEIGHTS
    family: str


@dataclass(frozen=True)
class PrintFont:
    source: Source
    file: str  # its name in the site, e.g. DangjianPrintSans-Regular.ttf
    data: bytes
    converted: bool  # made by this call, not taken from the cache


@dataclass(frozen=True)
class PrintFonts:
    """What `write_print_fonts` wrote: the fonts, or none and the reason (Chinese, for the user)."""

    fonts: tuple[PrintFont, ...]
    missing: str = ""


def file_name(weight: str) -> str:
    return f"{FAMILY.replace(' ', '')}-{WEIGHTS[weight][1]}.ttf"


# -- finding the installed font -----------------------------------------------------

def font_folders() -> tuple[str, ...]:
    """Where fonts are installed: the Linux and macOS folders, and Windows' (for all users and for one)."""
    folders = settings.current().system_folders
    windows = ([str(Path(folders["WINDIR"]) / "Fonts")] if "WINDIR" in folders else []) + \
        ([str(Path(folders["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")] if "LOCALAPPDATA" in folders else [])
    return (*FONT_FOLDERS, *windows)


def find_sources() -> tuple[Source, ...]:
    """The installed Chinese sans-serif font's Regular and Bold faces (those there are), best family first."""
    listed = _fontconfig_faces()
    if listed is None:  # no fontconfig (Windows, macOS without it): the usual folders
        listed = _scanned_faces(font_folders())
    return choose_sources(listed)


# Chinese fonts that Windows and macOS ship. Their outlines are TrueType already, so Chromium embeds
# them as real TrueType and text copies out right: they need no conversion. Their licences do not
# allow copying them into a website, so they are used where they are installed (print.css names
# them after our own font), never written into the site.
SYSTEM_FONT_FILES = ("msyh.ttc", "msyhbd.ttc", "simhei.ttf", "simsun.ttc", "simfang.ttf", "PingFang.ttc",
                     "Hiragino Sans GB.ttc")


def system_font() -> Path | None:
    """A Chinese font that Windows or macOS ships, where one is installed."""
    for folder in font_folders():
        base = Path(os.path.expanduser(folder))
        for name in SYSTEM_FONT_FILES:
            if (base / name).is_file():
                return base / name
    return None


def choose_sources(faces: Iterable[tuple[Path, int, str, int, bool]]) -> tuple[Source, ...]:
    """From (file, index, family, fontconfig weight, variable) faces, one static face per weight of the best family."""
    faces = [f for f in faces if not f[4]]
    for family in SOURCE_FAMILIES:
        chosen = []
        for weight, (fc_weight, _, _) in WEIGHTS.items():
            match = sorted((str(p), i) for p, i, fam, w, _ in faces if fam == family and w == fc_weight)
            if match:
                chosen.append(Source(Path(match[0][0]), match[0][1], weight, family))
        if chosen:
            return tuple(chosen)
    return ()


def _fontconfig_faces() -> list[tuple[Path, int, str, int, bool]] | None:
    """Chinese faces as fontconfig lists them, or None when there is no fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        done = subprocess.run([fc_list, "--format", "%{file}\t%{index}\t%{family[0]}\t%{weight}\t%{variable}\n", ":lang=zh-cn"],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    faces = []
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 5:
            continue
        try:
            faces.append((Path(parts[0]), int(parts[1]), parts[2], int(float(parts[3])), parts[4] == "True"))
        except ValueError:
            continue
    return faces


def _scanned_faces(folders: Iterable[str]) -> list[tuple[Path, int, str, int, bool]]:
    """Faces of the known font files in `folders`, their family read from the file."""
    stems = {stem.lower(): weight for weight, names in KNOWN_FILES.items() for stem in names}
    faces = []
    for folder in folders:
        base = Path(os.path.expanduser(folder))
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            weight = stems.get(path.stem.lower())
            if weight is None or path.suffix.lower() not in (".ttc", ".otc", ".otf", ".ttf"):
                continue
            for index, family, variable in _families(path):
                faces.append((path, index, family, WEIGHTS[weight][0], variable))
    return faces


def _families(path: Path) -> list[tuple[int, str, bool]]:
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        with path.open("rb") as f:
            collection = f.read(4) == b"ttcf"
        fonts = TTCollection(path, lazy=True).fonts if collection else [TTFont(path, lazy=True)]
        return [(i, str(font["name"].getDebugName(1) or ""), "fvar" in font) for i, font in enumerate(fonts)]
    except (OSError, TTLibError, KeyError, ValueError):
        return []


# -- the conversion (pure: bytes from a source file) ------------------------------

def one_code_point_per_glyph(cmap: Mapping[int, str], wanted: Iterable[int]) -> dict[int, str]:
    """The wanted code points the font has, each glyph kept for one of them only.

    Of the code points that share a glyph, the first by (ASCII, in GBK's GB 2312 area, in
    the rest of GBK, code point) keeps it: the PDF's text map gives a glyph one
    character, and this is the one Chinese text means (· for the dot that • and ・
    share, ／ rather than ∕, ～ rather than 〜, 　 rather than the em space).
    """

    def rank(c: int) -> tuple[int, int]:
        if c < 0x80:
            return (0, c)
        try:
            encoded = chr(c).encode("gbk")
        except UnicodeEncodeError:
            return (3, c)
        return (1 if encoded[0] >= 0xA1 and encoded[1] >= 0xA1 else 2, c)

    kept: dict[str, int] = {}
    for c in sorted((c for c in wanted if c in cmap and c not in RADICALS and c not in COMPATIBILITY), key=rank):
        kept.setdefault(cmap[c], c)
    return {c: glyph for glyph, c in sorted(kept.items(), key=lambda item: item[1])}


def convert(source: Source, chars: Iterable[int] = CHARS) -> bytes:
    """The print font made from `source`: subset to `chars`, TrueType outlines, our name. Slow (seconds)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(source.path, fontNumber=source.index, lazy=False, recalcTimestamp=False)
        if "fvar" in font or "CFF2" in font or not ("CFF " in font or "glyf" in font):
            raise FontError(f"{source.path}：不是静态的 OpenType/TrueType 字体")
        keep = one_code_point_per_glyph(font.getBestCmap() or {}, chars)
        if not keep:
            raise FontError(f"{source.path}：没有需要的汉字")
        options = subset.Options()
        options.layout_features = list(LAYOUT_FEATURES)
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.hinting = False
        options.glyph_names = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        font["cmap"].tables = [t for t in font["cmap"].tables if t.format != 14]  # no variation sequences
        if "CFF " in font:
            _to_truetype(font)
        _rename(font, source)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()
    except (OSError, TTLibError, KeyError, ValueError, AssertionError, IndexError) as exc:
        raise FontError(f"{source.path}：无法读取或转换（{type(exc).__name__}: {exc}）") from None


def _to_truetype(font) -> None:
    """Replace the CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))  # CFF runs the other way round
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # CFF only: vertical origins come from vmtx and the glyph boxes in TrueType
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font, source: Source) -> None:
    """Our family name in place of the original's (OFL clause 3); copyright, licence and authors stay."""
    name = font["name"]
    style = WEIGHTS[source.weight][1]
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    original = str(name.getDebugName(1) or source.family)
    version = str(name.getDebugName(5) or "").split(";")[0]
    for name_id in (1, 2, 3, 4, 5, 6, 10, 16, 17, 18, 20, 21, 22, 25):
        name.removeNames(nameID=name_id)
    for name_id, text in ((1, FAMILY), (2, style), (3, f"{postscript};dangjian {RECIPE_VERSION}"),
                          (4, f"{FAMILY} {style}"), (5, f"{version}; dangjian print subset {RECIPE_VERSION}".strip("; ")),
                          (6, postscript),
                          (10, f"A Modified Version of {original} {style} under the SIL Open Font License 1.1: "
                               "subset and converted to TrueType outlines for printing by dangjian.")):
        name.setName(text, name_id, 3, 1, 0x409)


# -- the cache ------------------------------------------------------------------------

def cache_folder() -> Path:
    return settings.current().user_cache / "fonts"


def cache_key(source: Source, chars: Iterable[int] = CHARS) -> str:
    """The source file's identity, the face and the recipe: a different file or recipe, a different key."""
    stat = source.path.stat()
    wanted = hashlib.sha256(",".join(map(str, sorted(chars))).encode("ascii")).hexdigest()
    identity = "\0".join((RECIPE_VERSION, str(source.path.resolve()), str(stat.st_size), str(stat.st_mtime_ns),
                          str(source.index), source.weight, wanted))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]


def _usable(data: bytes) -> bool:
    return len(data) > 1024 and data[:4] == b"\x00\x01\x00\x00"


def print_font(source: Source, chars: Iterable[int] = CHARS, folder: Path | None = None) -> PrintFont:
    """The print font of `source`, from the cache when it is there, else converted and cached."""
    chars = frozenset(chars)
    folder = cache_folder() if folder is None else folder
    target = folder / f"{file_name(source.weight)[:-4]}-{cache_key(source, chars)}.ttf"
    cached = _read(target)
    if cached is not None:
        return PrintFont(source, file_name(source.weight), cached, converted=False)
    with contextlib.ExitStack() as stack:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stack.enter_context(exclusive(folder, WAITING))  # one process converts, the others wait for it
        except OSError:  # no usable cache folder: converted every time, as right, only slower
            return PrintFont(source, file_name(source.weight), _converted(source, chars), converted=True)
        cached = _read(target)  # made by the command we waited for
        if cached is not None:
            return PrintFont(source, file_name(source.weight), cached, converted=False)
        data = _converted(source, chars)
        with contextlib.suppress(OSError):
            atomic_write(target, data)
            for old in folder.glob(f"{file_name(source.weight)[:-4]}-*.ttf"):  # of another source or recipe: 2 MB each
                if old != target:
                    old.unlink(missing_ok=True)
    return PrintFont(source, file_name(source.weight), data, converted=True)


def _read(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if _usable(data) else None


def _converted(source: Source, chars: frozenset[int]) -> bytes:
    print(CONVERTING.format(source=f"{source.family} {WEIGHTS[source.weight][1]}"), file=sys.stderr, flush=True)
    return convert(source, chars)


# -- the files in the site ----------------------------------------------------------

def licence_text(fonts: Iterable[PrintFont]) -> str:
    """OFL.txt: which files, what they were made from, the original's copyright notice and the licence."""
    from fontTools.ttLib import TTFont

    fonts = tuple(fonts)
    copyrights, originals = [], []
    for f in fonts:
        name = TTFont(io.BytesIO(f.data), lazy=True)["name"]
        notice = str(name.getDebugName(0) or "")
        if notice and notice not in copyrights:
            copyrights.append(notice)
        if f.source.family not in originals:
            originals.append(f.source.family)
    files = ", ".join(f.file for f in fonts)
    return (f"{FAMILY}: {files}\n\n"
            f"本文件夹中的字体由 dangjian 从 {' / '.join(originals)} 制作（只保留打印需要的字符，轮廓转换为 TrueType），"
            f"是该字体的修改版本，按 SIL 开放字体许可证 1.1（SIL Open Font License 1.1，全文见下）发布，"
            f"不得单独出售。为了不冒充原字体，字体名称改为“{FAMILY}”。\n\n"
            f"These fonts are a Modified Version of {' / '.join(originals)}, made by dangjian (a subset of the characters, "
            "outlines converted to TrueType), and are licensed under the SIL Open Font License, Version 1.1, below.\n\n"
            + "".join(f"{c}\n" for c in copyrights) + "\n" + OFL_1_1)


def fontconfig(fonts_folder: Path, cache: Path, include: str | None = None) -> str:
    """A fontconfig file: the system's configuration (or `include`), plus `fonts_folder`, where the
    family "Noto Sans CJK SC" is asked for, the print font first.

    For a browser run with FONTCONFIG_FILE set to it: what a page draws outside its own
    @font-face rules, such as the text of SVG images (which cannot load fonts), then also
    comes out as TrueType. Characters the print font lacks still fall back to the original.
    """
    from xml.sax.saxutils import escape

    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <cachedir>{escape(str(cache))}</cachedir>\n"  # first: the one written, so no cache of a folder gone is left behind
        f"  <dir>{escape(str(fonts_folder))}</dir>\n"
        f'  <include ignore_missing="yes">{escape(include or "fonts.conf")}</include>\n'
        '  <match target="pattern">\n'
        + "".join(f"    <test name=\"family\" qual=\"any\"><string>{escape(f)}</string></test>\n" for f in SOURCE_FAMILIES[:1])
        + f'    <edit name="family" mode="prepend" binding="strong"><string>{escape(FAMILY)}</string></edit>\n'
        "  </match>\n</fontconfig>\n"
    )


def write_print_fonts(folder: Path, sources: tuple[Source, ...] | None = None) -> PrintFonts:
    """The print fonts and OFL.txt into `folder` (the site's SITE_FOLDER); nothing, and why, without a Chinese font."""
    sources = find_sources() if sources is None else sources
    if not sources:
        return PrintFonts((), "" if system_font() is not None else NO_FONT)
    made = []
    problems = []
    for source in sources:
        try:
            made.append(print_font(source))
        except FontError as exc:
            problems.append(str(exc))
    if not made:
        return PrintFonts((), f"{NO_FONT}（{'；'.join(problems)}）")
    for font in made:
        atomic_write(folder / font.file, font.data)
    atomic_write(folder / LICENCE_FILE, licence_text(made))
    return PrintFonts(tuple(made))


OFL_1_1 = """\
This Font Software is licensed under the SIL Open Font License, Version 1.1.
This license is copied below, and is also available with a FAQ at:
https://openfontlicense.org


-----------------------------------------------------------
SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007
-----------------------------------------------------------

PREAMBLE
The goals of the Open Font License (OFL) are to stimulate worldwide
development of collaborative font projects, to support the font creation
efforts of academic and linguistic communities, and to provide a free and
open framework in which fonts may be shared and improved in partnership
with others.

The OFL allows the licensed fonts to be used, studied, modified and
redistributed freely as long as they are not sold by themselves. The
fonts, including any derivative works, can be bundled, embedded,
redistributed and/or sold with any software provided that any reserved
names are not used by derivative works. The fonts and derivatives,
however, cannot be released under any other type of license. The
requirement for fonts to remain under this license does not apply
to any document created using the fonts or their derivatives.

DEFINITIONS
"Font Software" refers to the set of files released by the Copyright
Holder(s) under this license and clearly marked as such. This may
include source files, build scripts and documentation.

"Reserved Font Name" refers to any names specified as such after the
copyright statement(s).

"Original Version" refers to the collection of Font Software components as
distributed by the Copyright Holder(s).

"Modified Version" refers to any derivative made by adding to, deleting,
or substituting -- in part or in whole -- any of the components of the
Original Version, by changing formats or by porting the Font Software to a
new environment.

"Author" refers to any designer, engineer, programmer, technical
writer or other person who contributed to the Font Software.

PERMISSION & CONDITIONS
Permission is hereby granted, free of charge, to any person obtaining
a copy of the Font Software, to use, study, copy, merge, embed, modify,
redistribute, and sell modified and unmodified copies of the Font
Software, subject to the following conditions:

1) Neither the Font Software nor any of its individual components,
in Original or Modified Versions, may be sold by itself.

2) Original or Modified Versions of the Font Software may be bundled,
redistributed and/or sold with any software, provided that each copy
contains the above copyright notice and this license. These can be
included either as stand-alone text files, human-readable headers or
in the appropriate machine-readable metadata fields within text or
binary files as long as those fields can be easily viewed by the user.

3) No Modified Version of the Font Software may use the Reserved Font
Name(s) unless explicit written permission is granted by the corresponding
Copyright Holder. This restriction only applies to the primary font name as
presented to the users.

4) The name(s) of the Copyright Holder(s) or the Author(s) of the Font
Software shall not be used to promote, endorse or advertise any
Modified Version, except to acknowledge the contribution(s) of the
Copyright Holder(s) and the Author(s) or with their explicit written
permission.

5) The Font Software, modified or unmodified, in part or in whole,
must be distributed entirely under this license, and must not be
distributed under any other license. The requirement for fonts to
remain under this license does not apply to any document created
using the Font Software.

TERMINATION
This license becomes null and void if any of the above conditions are
not met.

DISCLAIMER
THE FONT SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO ANY WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT
OF COPYRIGHT, PATENT, TRADEMARK, OR OTHER RIGHT. IN NO EVENT SHALL THE
COPYRIGHT HOLDER BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
INCLUDING ANY GENERAL, SPECIAL, INDIRECT, INCIDENTAL, OR CONSEQUENTIAL
DAMAGES, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
FROM, OUT OF THE USE OR INABILITY TO USE THE FONT SOFTWARE OR FROM
OTHER DEALINGS IN THE FONT SOFTWARE.
"""
