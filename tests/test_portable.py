"""Where users are (issue 29): Windows' ways on Linux, and the wheel as IT installs it.

Windows cannot be run here, so its behaviour is reproduced where it differs: workers
started by spawn only, a GBK console and locale, symbolic links refused, and a full or
read-only disk. The wheel tests build the package, install it into fresh virtual
environments outside the repository (with the oldest and the newest supported Python the
machine has) and use it as a secretary would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from support import AS_OF, REPO, clean_env, cli_command, copy_sample
from support import tree_digest as _tree

IN_CI = os.environ.get("CI") == "true"
SUPPORTED = ("3.10", "3.11", "3.12", "3.13")  # pyproject.toml's requires-python and classifiers


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}: .ci/run must provide it")
    pytest.skip(reason)


def _run(args, cwd=None, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env or clean_env(), capture_output=True,
                          encoding="utf-8", errors="replace", timeout=timeout)


# -- the wheel, installed outside the repository ----------------------------------------------

@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build-src")
    src = build / "src"  # a copy, so that the build leaves nothing in the repository
    top = {".venv", ".git", "site", "build", "tests", "bench", ".pytest_cache", ".hypothesis"}

    def ignore(folder: str, names: list[str]) -> list[str]:
        skip = [n for n in names if n.endswith(".egg-info") or n.startswith(".dangjian-") or n == "__pycache__"]
        return skip + [n for n in names if n in top] if Path(folder) == REPO else skip

    shutil.copytree(REPO, src, ignore=ignore)
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, src])
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("dangjian_kanban-*.whl")
    return found


@pytest.mark.portable
def test_the_wheel_holds_every_module_and_every_file_the_commands_read(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    theme = {"generator/theme/" + p.relative_to(REPO / "theme").as_posix()
             for p in (REPO / "theme").rglob("*") if p.is_file()}
    assert theme <= names, sorted(theme - names)
    assert {"generator/load/defaults/evaluation.yml", "generator/load/defaults/frequencies.yml"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata
    assert "Requires-Dist: playwright" in metadata  # `dangjian pdf` works right after installing
    assert "Requires-Python: >=3.10" in metadata


def _venv(python: str, where: Path, wheel: Path) -> Path:
    """A fresh virtual environment at `where` with the wheel and its dependencies; its `dangjian`."""
    done = _run([python, "-m", "venv", where])
    assert done.returncode == 0, done.stderr
    scripts = where / ("Scripts" if os.name == "nt" else "bin")
    done = _run([scripts / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel],
                env={**clean_env(), "PYTHONPATH": ""}, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    return scripts / "dangjian"


def _user_env() -> dict[str, str]:
    """A user's environment: no PYTHONPATH pointing into the repository."""
    env = clean_env()
    env.pop("PYTHONPATH")
    return env


@pytest.mark.slow
@pytest.mark.portable
def test_installed_wheel_runs_new_check_build_pdf_and_export_outside_the_repository(wheel, tmp_path):
    dangjian = _venv(sys.executable, tmp_path / "venv", wheel)
    work = tmp_path / "desk"
    work.mkdir()
    env = _user_env()
    done = _run([dangjian, "new", "我的支部", "--name", "机关第一党支部"], cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    project = work / "我的支部"
    assert not (project / "theme").exists()  # the theme comes with the package
    for args in (["check"], ["build", "--as-of", AS_OF], ["export", "scores", "-o", "积分.xlsx", "--as-of", AS_OF]):
        done = _run([dangjian, *args], cwd=project, env=env)
        assert done.returncode == 0, (args, done.stderr[-3000:])
        assert "Traceback" not in done.stderr
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "机关第一党支部" in home and "支部动态" in home
    assert (project / "site" / "assets" / "dangjian.css").is_file()
    assert zipfile.is_zipfile(project / "积分.xlsx")
    from generator.tools.pdf import find_chromium

    if find_chromium(os.environ.get("CHROMIUM")) is None:
        _unavailable("no Chromium, Chrome or Edge is installed (Debian: apt-get install chromium)")
    done = _run([dangjian, "pdf", "--as-of", AS_OF], cwd=project, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    pdfs = sorted(p.name for p in (project / "pdf").glob("*.pdf"))
    assert pdfs == ["board.pdf", "honor-roll.pdf", f"report-{AS_OF[:7]}.pdf"]
    assert all((project / "pdf" / name).read_bytes().startswith(b"%PDF") for name in pdfs)


def _pythons() -> list[str]:
    """The oldest and the newest supported Python on this machine (found on PATH as pythonX.Y, with the
    caller's environment: .ci/run makes pyenv's versions reachable so), as real executables."""
    have = []
    for version in SUPPORTED:
        if shutil.which(f"python{version}") is None:
            continue
        done = subprocess.run([f"python{version}", "-c", "import sys; print(sys.executable)"], capture_output=True,
                              encoding="utf-8", timeout=60)
        if done.returncode == 0 and done.stdout.strip():
            have.append(done.stdout.strip())
    return [have[0], have[-1]] if len(have) >= 2 else have


@pytest.mark.slow
@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_the_oldest_and_the_newest_supported_python_install_and_build(wheel, tmp_path, which):
    pythons = _pythons()
    if len(pythons) < 2:
        _unavailable(f"fewer than two of Python {', '.join(SUPPORTED)} are on PATH (found: {pythons or 'none'})")
    python = pythons[0] if which == "oldest" else pythons[-1]
    dangjian = _venv(python, tmp_path / "venv", wheel)
    env = _user_env()
    done = _run([dangjian, "new", tmp_path / "p"], env=env)
    assert done.returncode == 0, done.stderr
    done = _run([dangjian, "build", tmp_path / "p", "--as-of", AS_OF], env=env)
    assert done.returncode == 0, (python, done.stderr[-3000:])
    assert (tmp_path / "p" / "site" / "members" / "index.html").is_file()


# -- Windows' ways, reproduced on Linux ---------------------------------------------------------

@pytest.mark.slow
def test_a_party_committee_built_by_spawned_workers_is_byte_for_byte_the_forked_build(tmp_path, run_dangjian):
    root = tmp_path / "p"
    done = run_dangjian("synth", "-o", root, "--branches", "3", "--members", "90", "--years", "1")
    assert done.returncode == 0, done.stderr
    sites = {}
    for method in ("spawn", "fork"):  # spawn is what Windows and macOS have; fork is Linux's old default
        env = clean_env(DANGJIAN_POOL=method, DANGJIAN_NO_CACHE="1")
        done = _run(cli_command("build", root, "-o", tmp_path / method, "--as-of", AS_OF, "--jobs", "2"), env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        sites[method] = _tree(tmp_path / method)
    assert len(sites["spawn"]) > 100
    assert sites["spawn"] == sites["fork"]


@pytest.mark.portable
def test_a_gbk_console_shows_a_name_it_cannot_encode_instead_of_crashing(tmp_path, run_dangjian):
    root = copy_sample(tmp_path / "p")
    members = root / "data" / "members.yml"
    first = members.read_text(encoding="utf-8").split("name: ", 2)[1].split("\n")[0]
    members.write_text(members.read_text(encoding="utf-8").replace(f"name: {first}", "name: 王䶮", 1), encoding="utf-8")
    env = clean_env(PYTHONIOENCODING="gbk", PYTHONUTF8="0")
    done = subprocess.run(cli_command("scores", root, "--period", "2026", "--as-of", AS_OF), env=env, capture_output=True, timeout=120)
    stdout = done.stdout.decode("gbk")
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert "王\\u4dae" in stdout  # 䶮 is not in GBK: shown as its code point
    assert "Traceback" not in done.stderr.decode("gbk", "replace")


def _gbk_locale() -> dict[str, str]:
    listed = _run(["locale", "-a"]).stdout.lower() if shutil.which("locale") else ""
    if "zh_cn.gbk" not in listed:
        _unavailable("the zh_CN.GBK locale is not installed (Debian: localedef -i zh_CN -f GBK zh_CN.GBK)")
    return {**clean_env(), "LANG": "zh_CN.GBK", "LC_ALL": "zh_CN.GBK", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8"}


@pytest.mark.slow
def test_a_gbk_locale_reads_a_git_history_with_chinese_file_names(tmp_path, run_dangjian):
    """Windows decodes a program's output in its code page (GBK) unless told otherwise; git writes file
    names in UTF-8. The history names a Chinese file that is no longer there (on Linux a GBK locale also
    decodes the names on disk in GBK, which Windows never does)."""
    if shutil.which("git") is None:
        _unavailable("git is not installed")
    root = tmp_path / "p"
    done = run_dangjian("synth", "-o", root, "--branches", "2", "--members", "40", "--years", "1")
    assert done.returncode == 0, done.stderr
    page = root / "content" / "党务公开目录（草稿）.md"
    page.parent.mkdir(exist_ok=True)
    page.write_text("# 党务公开目录\n\n每月公开一次。\n", encoding="utf-8")
    git = ["git", "-C", root, "-c", "user.name=测试", "-c", "user.email=t@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "首次提交"]):
        assert _run([*git, *args]).returncode == 0
    page.unlink()
    assert _run([*git, "commit", "-qam", "删去草稿"]).returncode == 0
    env = _gbk_locale()
    done = _run(cli_command("build", root, "--as-of", AS_OF), env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert (root / "site" / "index.html").is_file()


REFUSE_SYMLINKS = textwrap.dedent("""\
    import os, sys
    def refuse(*args, **kwargs):  # what Windows says without developer mode or administrator rights
        raise OSError(1314, "客户端没有所需的特权。")
    os.symlink = refuse
    from generator.cli.main import main
    sys.exit(main(sys.argv[1:]))
""")


def _publish_without_symlinks(*args) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-c", REFUSE_SYMLINKS, "publish", *args])


def _site(folder: Path, text: str) -> Path:
    (folder / "members").mkdir(parents=True)
    (folder / "index.html").write_text(f"<h1>{text}</h1>", encoding="utf-8")
    (folder / "members" / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_publish_without_symlink_rights_switches_whole_releases_and_rolls_back(tmp_path):
    target = tmp_path / "www"
    for k in (1, 2, 3):
        done = _publish_without_symlinks(_site(tmp_path / f"v{k}", f"第{k}版"), target, "--keep", "2")
        assert done.returncode == 0, done.stderr
        current = target / "current"
        assert current.is_dir() and not current.is_symlink()
        assert (current / "index.html").read_text(encoding="utf-8") == f"<h1>第{k}版</h1>"
        assert (current / "members" / "index.html").read_text(encoding="utf-8") == f"第{k}版"
    releases = sorted(p.name for p in (target / "releases").iterdir() if not p.name.startswith("."))
    assert len(releases) == 1  # --keep 2: the one current holds and the one before it
    done = _publish_without_symlinks("--rollback", target)
    assert done.returncode == 0, done.stderr
    assert (target / "current" / "index.html").read_text(encoding="utf-8") == "<h1>第2版</h1>"
    assert "已回退" in done.stdout
    done = _publish_without_symlinks("--rollback", target)
    assert done.returncode == 1 and "没有可以回退的上一版" in done.stderr
    assert (target / "current" / "index.html").read_text(encoding="utf-8") == "<h1>第2版</h1>"
    # a later publish where links work again takes over from the folder
    done = _run(cli_command("publish", _site(tmp_path / "v4", "第4版"), target))
    assert done.returncode == 0, done.stderr
    assert (target / "current").is_symlink()
    assert (target / "current" / "index.html").read_text(encoding="utf-8") == "<h1>第4版</h1>"


@pytest.mark.portable
def test_user_files_with_crlf_and_a_bom_build_the_same_site(tmp_path, run_dangjian):
    plain, windows = copy_sample(tmp_path / "plain"), copy_sample(tmp_path / "windows")
    changed = 0
    for path in [*windows.joinpath("data").rglob("*"), *windows.joinpath("content").rglob("*.md")]:
        if path.suffix in (".yml", ".md") and path.is_file():
            text = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            path.write_bytes(b"\xef\xbb\xbf" + text)  # Notepad's "UTF-8 with BOM", Windows line ends
            changed += 1
    assert changed > 30
    for root in (plain, windows):
        done = run_dangjian("build", root, "--as-of", AS_OF)
        assert done.returncode == 0, done.stderr
    assert _tree(windows / "site") == _tree(plain / "site")


# -- the operating system says no ---------------------------------------------------------------

def _mount_tmpfs(where: Path, options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = _run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", where]) if shutil.which("mount") else None
    if done is None or done.returncode != 0:
        _unavailable("cannot mount a small tmpfs here (needs root) to fill a disk or make it read-only")


@pytest.fixture
def mounts(tmp_path):
    made: list[Path] = []

    def mount(name: str, options: str) -> Path:
        where = tmp_path / name
        _mount_tmpfs(where, options)
        made.append(where)
        return where

    yield mount
    for where in made:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.slow
def test_a_full_disk_stops_the_build_with_a_message_and_the_old_site_whole(tmp_path, mounts, run_dangjian):
    root = copy_sample(tmp_path / "p")
    done = run_dangjian("build", root, "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    old = _tree(root / "site")
    size = sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file())
    disk = mounts("disk", f"size={size * 3 // 2 // 1024}k")  # room for the old site and half a new one
    shutil.copytree(root / "site", disk / "site")
    done = run_dangjian("build", root, "-o", disk / "site", "--as-of", AS_OF)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{disk / 'site'}: 磁盘已满，没有写完：请腾出磁盘空间后再运行一次。原有的网站和文件保持不变。" in done.stderr
    assert _tree(disk / "site") == old
    assert sorted(p.name for p in disk.iterdir()) == [".dangjian-lock", "site"]  # no half-built site left behind


def test_a_read_only_folder_stops_build_export_and_publish_with_a_message(tmp_path, mounts, run_dangjian):
    root = copy_sample(tmp_path / "p")
    shelf = mounts("shelf", "ro,size=1m")
    cases = {
        ("build", root, "-o", shelf / "site", "--as-of", AS_OF): str(shelf),
        ("export", "honor-roll", root, "-o", shelf / "金榜.xlsx", "--as-of", AS_OF): str(shelf),
        ("publish", tmp_path / "v1", shelf / "www"): str(shelf / "www"),
    }
    _site(tmp_path / "v1", "第1版")
    for args, where in cases.items():
        done = run_dangjian(*args)
        assert done.returncode == 1, args
        assert "Traceback" not in done.stderr
        assert f"{where}: 这个位置是只读的，不能写入：请换一个可以写入的文件夹（如用 -o 指定输出文件夹）。" in done.stderr, done.stderr
    assert list(shelf.iterdir()) == []


# -- the browser and the fonts, where each system keeps them ------------------------------------

@pytest.mark.portable
def test_the_browser_is_looked_for_where_each_system_installs_it(tmp_path):
    from generator.tools.pdf import browser_candidates, missing_chromium_message

    folders = {"PROGRAMFILES": "C:\\Program Files", "PROGRAMFILES(X86)": "C:\\Program Files (x86)",
               "LOCALAPPDATA": "C:\\Users\\张三\\AppData\\Local"}
    windows = [p.replace("/", "\\") for p in browser_candidates("win32", folders, lambda name: None, Path("C:/Users/张三"))]
    assert "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" in windows
    assert "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" in windows  # where Windows puts Edge
    assert "C:\\Users\\张三\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe" in windows  # a per-user install
    mac = browser_candidates("darwin", {}, lambda name: None, Path("/Users/zhang"))
    assert "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" in mac
    assert "/Users/zhang/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge" in mac
    on_path = {"google-chrome": "/opt/google/chrome/google-chrome"}
    linux = browser_candidates("linux", {}, on_path.get, Path("/home/zhang"))
    assert linux[0] == "/opt/google/chrome/google-chrome" and "/usr/bin/chromium" in linux
    assert "Microsoft Edge" in missing_chromium_message(None, "win32")
    assert "sudo apt-get install chromium" in missing_chromium_message(None, "linux")
    assert "--chromium" in missing_chromium_message(None, "linux")


@pytest.mark.portable
def test_the_fonts_windows_ships_print_without_a_warning_and_are_never_copied(tmp_path, use_settings):
    from generator.tools import fonts

    fonts_folder = tmp_path / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    fonts_folder.mkdir(parents=True)
    (fonts_folder / "msyh.ttc").write_bytes(b"ttcf")  # 微软雅黑, as a user's own install puts it
    use_settings(system_folders={"LOCALAPPDATA": str(tmp_path / "AppData" / "Local")})  # as Windows sets it
    assert str(fonts_folder) in fonts.font_folders()
    assert fonts.system_font() == fonts_folder / "msyh.ttc"
    site = tmp_path / "site" / fonts.SITE_FOLDER
    made = fonts.write_print_fonts(site, sources=())
    assert made.fonts == () and made.missing == ""  # nothing to warn about, and nothing copied into the site
    assert not site.exists()
    use_settings(system_folders={})
    if fonts.system_font() is None:
        assert "fonts-noto-cjk" in fonts.write_print_fonts(site, sources=()).missing
