"""The print font (issue 14.5): the installed Noto Sans CJK SC as a TrueType subset, made once.

Without a font: the character set, the one-code-point-per-glyph rule, which installed
faces are chosen, and a site built where no Chinese font is installed. With Noto Sans
CJK SC (skipped with the reason when it is missing, a failure under CI=true): the font
is TrueType, has our name and none of the radicals, covers every character of the
sample, and the second time it comes from the cache without a conversion.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import AS_OF, REPO, copy_sample, inherited_env, run_cli
from support.browser import unavailable

from generator.tools import fonts

SMALL = frozenset(map(ord, "党支部月日龙页齐·、。（）0123456789ABC"))  # a quick conversion for the cache tests


def sources() -> tuple[fonts.Source, ...]:
    found = fonts.find_sources()
    if {s.weight for s in found} != set(fonts.WEIGHTS):
        unavailable("Noto Sans CJK SC Regular and Bold are not installed (Debian: apt-get install fonts-noto-cjk)")
    return found


def ttfont(data: bytes):
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(data))


# -- without a font -----------------------------------------------------------------

def test_the_character_set_has_gb2312_and_no_radical_or_compatibility_ideograph():
    chars = {chr(c) for c in fonts.CHARS}
    assert not [c for c in fonts.CHARS if 0x2E80 <= c <= 0x2FDF or 0xF900 <= c <= 0xFAFF]
    assert sum(1 for c in chars if "\u4e00" <= c <= "\u9fff") == 6763  # every 汉字 of GB 2312
    for needed in "党支部委员会月日龙页齐黄，。、：；！？（）《》“”…—·～①℃№ABCabc0123456789¥":
        assert needed in chars, needed


def test_a_glyph_shared_by_several_code_points_keeps_the_one_chinese_text_means():
    cmap = {0x6708: "moon", 0x2F49: "moon",  # 月 and the Kangxi radical ⽉
            0x00B7: "dot", 0x2022: "dot", 0x30FB: "dot",  # · • ・
            0xFF5E: "wave", 0x301C: "wave",  # ～ 〜
            0x2215: "slash", 0xFF0F: "slash",  # ∕ ／ (both in GBK: GB 2312's wins)
            0x0020: "space", 0x00A0: "space", 0x9F99: "dragon", 0xF9C4: "dragon"}  # 龙 and a compatibility form
    assert fonts.one_code_point_per_glyph(cmap, cmap) == {0x20: "space", 0xB7: "dot", 0x6708: "moon", 0x9F99: "dragon",
                                                           0xFF0F: "slash", 0xFF5E: "wave"}
    assert fonts.one_code_point_per_glyph(cmap, {0x2F49, 0x41}) == {}  # a radical is never kept, a missing one never made


def test_the_chosen_faces_are_noto_sans_cjk_sc_regular_and_bold():
    ttc = Path("NotoSansCJK-Regular.ttc")
    bold = Path("NotoSansCJK-Bold.ttc")
    faces = [(ttc, 0, "Noto Sans CJK JP", 80, False), (ttc, 2, "Noto Sans CJK SC", 80, False),
             (bold, 2, "Noto Sans CJK SC", 200, False), (Path("vf.otf"), 0, "Noto Sans CJK SC", 80, True),
             (ttc, 7, "Noto Sans Mono CJK SC", 80, False), (Path("med.otf"), 0, "Noto Sans CJK SC", 100, False)]
    assert fonts.choose_sources(faces) == (fonts.Source(ttc, 2, "regular", "Noto Sans CJK SC"),
                                           fonts.Source(bold, 2, "bold", "Noto Sans CJK SC"))
    assert fonts.choose_sources([f for f in faces if "SC" not in f[2]]) == ()


def test_without_a_chinese_font_nothing_is_written_and_the_reason_is_given(tmp_path):
    made = fonts.write_print_fonts(tmp_path / "assets" / "fonts", sources=())
    assert made.fonts == () and "fonts-noto-cjk" in made.missing and "中文字体" in made.missing
    assert not (tmp_path / "assets").exists()


def test_the_family_name_is_our_own():
    """OFL 1.1 clause 3: a Modified Version must not take a Reserved Font Name; ours claims neither Noto's nor Source's."""
    assert "noto" not in fonts.FAMILY.lower() and "source" not in fonts.FAMILY.lower()
    css = (REPO / "theme" / "assets" / "print.css").read_text(encoding="utf-8")
    for weight in fonts.WEIGHTS:
        assert f'url("fonts/{fonts.file_name(weight)}")' in css
    assert css.count(f'font-family: "{fonts.FAMILY}";') == 2 and "font-synthesis: none" in css
    assert f'"{fonts.FAMILY}", "Noto Sans CJK SC", "Noto Sans SC", sans-serif' in css  # the installed fonts as fallback


@pytest.mark.slow
def test_a_site_built_without_a_chinese_font_has_no_font_files(tmp_path):
    """Only Latin fonts (matplotlib's DejaVu): the build succeeds, no assets/fonts/, print.css falls back."""
    import matplotlib

    if shutil.which("fc-list") is None:
        unavailable("fontconfig's fc-list is not installed: fonts cannot be hidden from the program")
    root = copy_sample(tmp_path / "sample")
    conf = tmp_path / "fonts.conf"
    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{latin}</dir><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>\n',
                    encoding="utf-8")
    env = inherited_env(FONTCONFIG_FILE=str(conf), XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = run_cli("build", root, "-o", root / "site", "--as-of", AS_OF, cwd=REPO, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "index.html").is_file() and (root / "site" / "assets" / "print.css").is_file()
    assert not (root / "site" / "assets" / "fonts").exists()
    assert "Traceback" not in done.stderr


# -- with Noto Sans CJK SC ------------------------------------------------------------

@pytest.fixture(scope="module")
def print_fonts(tmp_path_factory) -> fonts.PrintFonts:
    """The print fonts as a build makes them (from the user's cache after the first time)."""
    sources()
    made = fonts.write_print_fonts(tmp_path_factory.mktemp("fonts"))
    assert len(made.fonts) == 2, made.missing
    return made


@pytest.mark.slow
def test_the_print_font_is_truetype_with_our_name_and_no_radicals(print_fonts):
    for made in print_fonts.fonts:
        font = ttfont(made.data)
        assert "glyf" in font and "CFF " not in font and "CFF2" not in font, sorted(font.keys())  # no Type 3 in Chromium
        assert font.sfntVersion == "\x00\x01\x00\x00"
        names = font["name"]
        style = fonts.WEIGHTS[made.source.weight][1]
        assert names.getDebugName(1) == "Dangjian Print Sans" and names.getDebugName(2) == style
        assert names.getDebugName(6) == f"DangjianPrintSans-{style}"
        for record in names.names:  # the names people and programs see: neither Noto nor Source
            if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
                assert "Noto" not in str(record) and "Source" not in str(record), (record.nameID, str(record))
        assert "Adobe" in names.getDebugName(0) and "Open Font License" in names.getDebugName(13)  # OFL clause 2
        assert font["OS/2"].usWeightClass == fonts.WEIGHTS[made.source.weight][2]
        assert font["OS/2"].fsType == 0  # installable embedding: Chromium embeds it as a font file
        cmap = font.getBestCmap()
        assert not [c for c in cmap if 0x2E80 <= c <= 0x2FDF or 0xF900 <= c <= 0xFAFF]
        glyphs = list(cmap.values())
        assert len(glyphs) == len(set(glyphs)), "a glyph with two code points: the PDF would give one of them"
        assert len(cmap) > 8000


@pytest.mark.slow
def test_every_character_of_the_sample_is_in_the_print_font(print_fonts):
    """The sample's PDFs need no other font: every character its records use that Noto Sans CJK SC has."""
    from fontTools.ttLib import TTFont

    text = "".join(p.read_text(encoding="utf-8") for folder in ("data", "content") for p in sorted((REPO / folder).rglob("*"))
                   if p.suffix in (".yml", ".md"))
    text += "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "theme" / "dangjian").glob("print_*.html")))
    for made in print_fonts.fonts:
        source = TTFont(made.source.path, fontNumber=made.source.index, lazy=True).getBestCmap()
        have = ttfont(made.data).getBestCmap()
        missing = sorted({c for c in text if ord(c) > 0x20 and ord(c) in source and ord(c) not in have})
        assert not missing, missing


@pytest.mark.slow
def test_the_second_time_the_font_comes_from_the_cache_without_a_conversion(tmp_path, monkeypatch):
    source = sources()[0]
    cache = tmp_path / "cache"
    first = fonts.print_font(source, SMALL, cache)
    assert first.converted and ttfont(first.data).getBestCmap().keys() <= SMALL
    assert [p.name for p in cache.glob("*.ttf")] == [f"DangjianPrintSans-Regular-{fonts.cache_key(source, SMALL)}.ttf"]

    def no_conversion(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(fonts, "convert", no_conversion)
    again = fonts.print_font(source, SMALL, cache)
    assert not again.converted and again.data == first.data


@pytest.mark.slow
def test_a_changed_source_or_a_damaged_cache_entry_is_converted_again(tmp_path):
    source = sources()[0]
    cache = tmp_path / "cache"
    first = fonts.print_font(source, SMALL, cache)
    entry = next(cache.glob("*.ttf"))
    entry.write_bytes(b"\x00\x01\x00\x00 cut short")  # a file that is not a whole font
    again = fonts.print_font(source, SMALL, cache)
    assert again.converted and again.data == first.data  # the same bytes from the same source: no date inside
    copy = tmp_path / source.path.name
    shutil.copy(source.path, copy)  # another file (another place, another time): another key
    moved = dataclasses.replace(source, path=copy)
    assert fonts.cache_key(moved, SMALL) != fonts.cache_key(source, SMALL)
    assert fonts.print_font(moved, SMALL, cache).converted
    assert [p.name for p in cache.glob("*.ttf")] == [f"DangjianPrintSans-Regular-{fonts.cache_key(moved, SMALL)}.ttf"]  # no stale 2 MB left


def test_the_fontconfig_file_puts_the_print_font_first_for_noto_sans_cjk_sc(tmp_path):
    """`dangjian pdf` hands this to Chromium, for the text of SVG charts (images cannot use @font-face)."""
    import xml.etree.ElementTree as ET

    if shutil.which("fc-match") is None:
        unavailable("fontconfig's fc-match is not installed")
    made = fonts.write_print_fonts(tmp_path / "fonts", sources=sources())
    conf = tmp_path / "fonts.conf"
    conf.write_text(fonts.fontconfig(tmp_path / "fonts", tmp_path / "fc"), encoding="utf-8")
    ET.parse(conf)  # well-formed
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    match = subprocess.run(["fc-match", "-f", "%{family[0]}", "Noto Sans CJK SC"], env=env, capture_output=True, text=True)
    assert match.stdout == fonts.FAMILY and made.fonts
    rare = subprocess.run(["fc-match", "-f", "%{family[0]}", "Noto Sans CJK SC:charset=5803"],  # 堃, not in GB 2312
                          env=env, capture_output=True, text=True)
    assert rare.stdout == "Noto Sans CJK SC"  # what the print font lacks still comes from the original
    assert list((tmp_path / "fc").glob("*.cache-*")), "fontconfig's cache of the font folder belongs in the temporary folder"
