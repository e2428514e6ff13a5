"""Nothing from outside the project reaches the site (issue 16).

A hostile contributor commits a symbolic link under data/, content/ or theme/ that
points at a file on the CI runner. Each kind of folder gets its link to a canary file
outside the project; `check`, `build` and `pdf` must refuse with the link's path and
exit 1, and the canary's text must be in no byte the commands leave behind. A link
that stays inside the project is still fine, and data files can never reach code:
YAML tags are refused and template syntax in a record is printed as text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import AS_OF, REPO, copy_sample, inherited_env, run_cli
from support.serve import fetch, preview, wait_for

CANARY = "CANARY-7f3a9c-runner-secret"
pytestmark = pytest.mark.slow




def dangjian(*args: str | Path) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=REPO, env=inherited_env())


def outside_files(base: Path) -> Path:
    """A folder beside the project, as a runner's home folder would be: canary files of each kind."""
    secret = base / "runner"
    secret.mkdir()
    (secret / "secret.md").write_text(f"---\ntitle: 秘密\ndate: 2026-11-01\n---\n\n{CANARY}\n", encoding="utf-8")
    # valid files of each kind, so that a build that followed the link would publish the canary
    duties = (REPO / "data/duties.yml").read_text(encoding="utf-8")
    (secret / "duties.yml").write_text(re.sub(r"what: .*", f"what: {CANARY}", duties, count=1), encoding="utf-8")
    for kind in ("news", "regulations"):
        model = sorted((REPO / "data" / kind).glob("*.md"))[0].read_text(encoding="utf-8")
        (secret / f"{kind}.md").write_text(model + f"\n\n{CANARY}\n", encoding="utf-8")
    (secret / "secret.css").write_text(f"/* {CANARY} */\n", encoding="utf-8")
    (secret / "secret.jpg").write_bytes(b"\xff\xd8\xff\xe0" + CANARY.encode() + b"\xff\xd9")
    (secret / "folder").mkdir()
    (secret / "folder/page.md").write_text(f"# 页面\n\n{CANARY}\n", encoding="utf-8")
    return secret


# where -> (the link inside the project, what it points at outside)
LINKS = {
    "content page": ("content/leak.md", "secret.md"),
    "content folder": ("content/more", "folder"),
    "news": ("data/news/2026-11-01-leak.md", "news.md"),
    "regulation": ("data/regulations/leak.md", "regulations.md"),
    "data file": ("data/duties.yml", "duties.yml"),
    "theme asset": ("theme/assets/leak.css", "secret.css"),
    "theme template": ("theme/dangjian/home.html", "secret.md"),
    "picture": ("content/photos/leak.jpg", "secret.jpg"),
}


def plant(project: Path, secret: Path, link: str, target: str) -> None:
    path = project / link
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    path.symlink_to(secret / target)


def bytes_left_behind(*folders: Path) -> list[Path]:
    """Every regular file under the folders (links not followed) that holds the canary."""
    found = []
    for folder in folders:
        for dirpath, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(dirpath) / name
                if not path.is_symlink() and path.is_file() and CANARY.encode() in path.read_bytes():
                    found.append(path)
    return found


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> dict[str, dict]:
    """Per link: a project holding only that link, checked and built once."""
    out = {}
    for where, (link, target) in LINKS.items():
        base = tmp_path_factory.mktemp(re.sub(r"\W", "-", where))
        secret = outside_files(base)
        project = copy_sample(base / "project")
        plant(project, secret, link, target)
        site = base / "site"
        out[where] = {
            "project": project, "site": site, "link": link,
            "check": dangjian("check", project),
            "build": dangjian("build", project, "-o", site, "--as-of", AS_OF),
        }
    return out


@pytest.mark.parametrize("where", LINKS)
def test_check_refuses_a_link_out_of_the_project(refused, where):
    done = refused[where]["check"]
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    line = next((x for x in done.stderr.splitlines() if x.startswith(refused[where]["link"] + ":")), None)
    assert line is not None, done.stderr
    assert "项目以外" in line and "符号链接" in line, line
    assert CANARY not in done.stdout + done.stderr


@pytest.mark.parametrize("where", LINKS)
def test_build_refuses_and_leaves_the_canary_in_no_byte(refused, where):
    case = refused[where]
    done = case["build"]
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr and case["link"] + ":" in done.stderr
    assert not case["site"].exists(), "no half-written site"
    assert CANARY not in done.stdout + done.stderr
    assert bytes_left_behind(case["site"].parent / "project", case["site"]) == []


def test_pdf_refuses_too(refused):
    case = refused["news"]
    if shutil.which("chromium") is None and os.environ.get("CI") != "true":
        pytest.skip("dangjian pdf looks for Chromium first, and it is not installed here")
    done = dangjian("pdf", case["project"], "-o", case["site"].parent / "pdf", "--as-of", AS_OF)
    assert done.returncode == 1, done.stdout
    assert case["link"] + ":" in done.stderr and "Traceback" not in done.stderr
    assert not (case["site"].parent / "pdf").exists()


def test_a_photo_path_that_leaves_content_is_refused(tmp_path):
    project = copy_sample(tmp_path / "project")
    activities = project / "data/activities/2026-11.yml"
    text = activities.read_text(encoding="utf-8")
    first = re.search(r"^  title: .*$", text, re.M)
    assert first
    photos = '  photos:\n    - photos/ok.jpg\n    - ../../runner/secret.jpg\n    - /etc/hostname\n'
    activities.write_text(text[:first.end() + 1] + photos + text[first.end() + 1:], encoding="utf-8")
    line = text[:first.end()].count("\n") + 1
    done = dangjian("check", project)
    assert done.returncode == 1
    problems = [x for x in done.stderr.splitlines() if x.startswith("data/activities/2026-11.yml:") and "不在 content/ 里" in x]
    assert [x.split(":")[1] for x in problems] == [str(line + 3), str(line + 4)], done.stderr
    assert all("不在 content/ 里" in x for x in problems)


def test_a_link_that_stays_inside_the_project_is_fine(tmp_path):
    project = copy_sample(tmp_path / "project")
    (project / "content/about-again.md").symlink_to("about.md")
    (project / "content/pictures").mkdir()
    (project / "content/photos").symlink_to("pictures")
    (project / "content/loop").symlink_to(".")  # a folder that contains itself is walked once
    done = dangjian("check", project)
    assert done.returncode == 0, done.stderr


def test_special_and_oversized_files_are_refused_before_reading(tmp_path):
    project = copy_sample(tmp_path / "project")
    os.mkfifo(project / "data/news/2026-11-02-pipe.md")  # reading it would wait forever
    with (project / "data/points/big.yml").open("wb") as f:
        f.truncate(6 * 1024 * 1024)  # sparse: its size is known without a byte written
    with (project / "content/video.mp4").open("wb") as f:
        f.truncate(30 * 1024 * 1024)
    (project / "content/gone.md").symlink_to("nowhere.md")
    done = dangjian("check", project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = {x.split(": ")[0]: x for x in done.stderr.splitlines() if ": " in x}
    assert "命名管道" in lines["data/news/2026-11-02-pipe.md"]
    assert "文件过大（6.0 MB，上限 5 MB）" in lines["data/points/big.yml"]
    assert "文件过大（30.0 MB，上限 20 MB）" in lines["content/video.mp4"]
    assert "不存在" in lines["content/gone.md"]


def test_serve_shows_the_refusal_and_serves_nothing_from_outside(tmp_path):
    secret = outside_files(tmp_path)
    project = copy_sample(tmp_path / "project")
    plant(project, secret, "content/leak.md", "secret.md")
    with preview(project, AS_OF) as served:
        base = served.base
        page = wait_for(base, "content/leak.md:")
        assert CANARY not in page
        with pytest.raises(OSError):  # 404: the linked page is not served
            fetch(base + "leak/")
        assert ".dj-problems" in fetch(base + "assets/dangjian.css")  # the theme still is: the page is styled
        # mended, then a value with a line break and markup: quoted on one escaped line of the page
        (project / "content/leak.md").unlink()
        members = project / "data/members.yml"
        members.write_text(members.read_text(encoding="utf-8")
                           + '- id: m99\n  name: 新人\n  "x\\n```\\n</pre><script>alert(1)</script>": 1\n', encoding="utf-8")
        page = wait_for(base, "data/members.yml:")
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "content/leak.md:" in served.terminal, "the problems are printed in the terminal too"
    assert CANARY not in served.terminal


def test_problems_print_one_per_line_with_markup_as_text(tmp_path):
    project = copy_sample(tmp_path / "project")
    members = project / "data/members.yml"
    members.write_text(members.read_text(encoding="utf-8")
                       + '- id: m99\n  name: 新人\n  "x\\n```\\n<script>alert(1)</script>": 1\n', encoding="utf-8")
    done = dangjian("check", project)
    assert done.returncode == 1
    ours = [x for x in done.stderr.splitlines() if x.startswith("data/members.yml:")]
    assert any("x\\n```\\n<script>" in x for x in ours), done.stderr  # the break written out, on one line
    assert all(not x.startswith(("```", "<script>")) for x in done.stderr.splitlines())


# -- data files can not reach code -------------------------------------------------------

def test_yaml_tags_that_would_run_code_are_refused(tmp_path):
    project = copy_sample(tmp_path / "project")
    marker = tmp_path / "ran"
    members = project / "data/members.yml"
    tag = f'!!python/object/apply:os.system ["touch {marker}"]'
    members.write_text(members.read_text(encoding="utf-8") + f"- id: m99\n  name: {tag}\n", encoding="utf-8")
    done = dangjian("check", project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert any(x.startswith("data/members.yml:") for x in done.stderr.splitlines()), done.stderr
    assert not marker.exists(), "a YAML tag ran code"


def test_template_syntax_in_a_record_is_printed_as_text(tmp_path):
    project = copy_sample(tmp_path / "project")
    news = sorted((project / "data/news").glob("*.md"))[-1]
    text = news.read_text(encoding="utf-8")
    payload = "{{ 7*7 }} {% if true %}IF-RAN{% endif %} {{ config.__class__ }}"
    news.write_text(re.sub(r"^title: .*$", "title: " + json.dumps("模板" + payload, ensure_ascii=False), text,
                           count=1, flags=re.M) + "\n" + payload + "\n", encoding="utf-8")
    site = tmp_path / "site"
    done = dangjian("build", project, "-o", site, "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    page = (site / "news" / news.stem / "index.html").read_text(encoding="utf-8")
    assert page.count("{{ 7*7 }}") >= 2 and "IF-RAN{% endif %}" in page
    assert ">49<" not in page and "IF-RAN " not in page.replace("IF-RAN{%", "")



@pytest.mark.parametrize(("link", "target", "why"), [
    ("content/notes.txt", "../.git/config", "a CI token in the checkout's git config"),
    ("content/roster.yml", "../data/members.yml", "the raw roster, private fields and all"),
    ("content/all", "..", "the whole checkout"),
    ("theme/assets/members.txt", "../../data/members.yml", "the roster through the theme"),
])
def test_a_link_to_another_folder_of_the_project_is_refused(tmp_path, link, target, why):
    project = copy_sample(tmp_path / "project")
    (project / ".git").mkdir()
    (project / ".git/config").write_text(f"[remote]\n  url = https://gitlab-ci-token:{CANARY}@example.invalid/x.git\n")
    (project / link).symlink_to(target)
    done = dangjian("build", project, "-o", tmp_path / "site", "--as-of", AS_OF)
    assert done.returncode == 1, why
    assert any(x.startswith(link + ":") and "符号链接" in x for x in done.stderr.splitlines()), done.stderr
    assert not (tmp_path / "site").exists()


def test_a_link_to_a_folder_in_data_is_refused(tmp_path):
    project = copy_sample(tmp_path / "project")
    shutil.move(project / "data/activities", project / "data/shared-activities")
    (project / "data/activities").symlink_to("shared-activities")
    done = dangjian("check", project)
    assert done.returncode == 1
    assert any(x.startswith("data/activities:") and "指向文件夹的符号链接" in x for x in done.stderr.splitlines()), done.stderr


def test_a_photo_path_with_a_nul_is_a_problem_not_a_traceback(tmp_path):
    project = copy_sample(tmp_path / "project")
    activities = project / "data/activities/2026-11.yml"
    text = activities.read_text(encoding="utf-8")
    first = re.search(r"^  title: .*$", text, re.M)
    activities.write_text(text[:first.end() + 1] + '  photos: ["a\\0b.jpg"]\n' + text[first.end() + 1:], encoding="utf-8")
    done = dangjian("check", project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "不在 content/ 里" in done.stderr
