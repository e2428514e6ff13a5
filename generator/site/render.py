"""Rendering a page spec's body with the Jinja templates in `theme/dangjian/`.

This module knows Jinja, not mkdocs: the site engine asks it for the HTML of a page's
body and places that inside its own page frame.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import bundled
from generator.pages.branch import PageSpec
from generator.pages.formats import cn_date, format_date, num, percent
from generator.pages.routes import page_url, relative_url
from generator.pages.text import word_breaks
from generator.site.compiled import KeptTemplates

DEFAULT_THEME_DIR = bundled.THEME


def theme_dirs(project_root: Path) -> list[Path]:
    """The project's own `theme/` first (its overrides win), then the bundled default."""
    dirs = [project_root / "theme", DEFAULT_THEME_DIR]
    seen, out = set(), []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.add(d.resolve())
            out.append(d)
    return out


# In a CSS string a line break ends the string; "<" could close the <style> element around it.
_CSS_STRING = str.maketrans({"\\": "\\\\", '"': '\\"', "<": "\\3c ", "\n": " ", "\r": " ", "\f": " "})


def css_string(text: object) -> Markup:
    """`text` as a double-quoted CSS string for a <style> element (the printed pages' margins).

    Markup is HTML and is unescaped first: no entity is decoded inside <style>, so an
    HTML-escaped "&" would print as "&amp;". The result is Markup, so that autoescaping does
    not turn its quotes and backslashes into entities either.
    """
    plain = text.unescape() if isinstance(text, Markup) else str(text or "")
    return Markup('"' + plain.translate(_CSS_STRING) + '"')


def css_string_of_html(text: str | None) -> Markup:
    """`css_string` in mkdocs' templates, where every text (page titles, the site name) is HTML."""
    return css_string(Markup(text or ""))


def qr_code(address: str) -> Markup:
    """`address` as a QR code (inline SVG; scales to any size it is printed at). segno writes
    only its own markup; the address is the site's, which mkdocs.yml gives."""
    import segno

    svg = segno.make(address, error="m").svg_inline(omitsize=True, border=4, svgclass="dj-qr-code", lineclass=None)
    return Markup(svg)


def make_env(project_root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "dangjian") for d in theme_dirs(project_root)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=KeptTemplates(project_root),
    )
    env.filters.update(date=format_date, cn_date=cn_date, percent=percent, num=num, words=word_breaks,
                       css_string=css_string, qr_code=qr_code)
    env.globals["site_url"] = None  # the site engine sets it from its configuration (mkdocs.yml's site_url)
    return env


def render_page(env: jinja2.Environment, spec: PageSpec) -> str:
    """The HTML body of one generated page."""
    template = env.get_template(spec.template)

    def url(target: str) -> str:
        # Pages are named within their branch ("members/m01.md"); "/x.md" and site files
        # (assets, charts) are named from the site root.
        if target.startswith("/"):
            target = target[1:]
        elif target.partition("#")[0].endswith(".md"):
            target = spec.prefix + target
        return relative_url(spec.path, target)

    def address(target: str) -> str | None:
        """A page's full address on the intranet (for a QR code on paper), or None without a site_url."""
        base = env.globals.get("site_url")
        if not base:
            return None
        return str(base).rstrip("/") + "/" + spec.prefix + page_url(target)

    return template.render(**spec.context, page_path=spec.path, title=spec.title, url=url, address=address)
