"""`dangjian publish`: atomic release switch, pruning and rollback, as a web server sees it."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import pytest
from support import cli_command, inherited_env

from generator.cli import data as data_commands
from generator.tools.publish import PublishError, publish, releases, rollback


def _site(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(f"<h1>{text}</h1>", encoding="utf-8")
    (root / "members").mkdir(exist_ok=True)
    (root / "members" / "index.html").write_text(text, encoding="utf-8")
    return root


def _served(target: Path) -> str:
    """What the web server (root = TARGET/current) would send for /."""
    return (target / "current" / "index.html").read_text(encoding="utf-8")


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="dangjian")
    data_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_second_publish_is_served_and_rollback_returns_to_the_first(tmp_path):
    target = tmp_path / "www"
    first = publish(_site(tmp_path / "v1", "第一版"), target, now=dt.datetime(2026, 9, 1, 8))
    second = publish(_site(tmp_path / "v2", "第二版"), target, now=dt.datetime(2026, 9, 1, 8))
    assert (target / "current").is_symlink()
    assert _served(target) == "<h1>第二版</h1>"
    assert not os.path.isabs(os.readlink(target / "current"))  # moving the folder keeps it working
    assert first.release != second.release  # same second, still two releases

    back = rollback(target)
    assert back.release == first.release
    assert _served(target) == "<h1>第一版</h1>"
    with pytest.raises(PublishError, match="没有可以回退"):
        rollback(target)
    assert _served(target) == "<h1>第一版</h1>"


def test_only_the_last_n_releases_are_kept(tmp_path):
    target = tmp_path / "www"
    for k in range(1, 6):
        publish(_site(tmp_path / f"v{k}", f"版本{k}"), target, keep=3)
    kept = releases(target)
    assert len(kept) == 3
    assert _served(target) == "<h1>版本5</h1>"
    assert [(target / "releases" / r / "index.html").read_text(encoding="utf-8") for r in kept] == \
        ["<h1>版本3</h1>", "<h1>版本4</h1>", "<h1>版本5</h1>"]
    assert not [p for p in (target / "releases").iterdir() if p.name.startswith(".")]  # no half-copied leftovers


def test_missing_site_fails_in_chinese_and_leaves_current_alone(tmp_path, capsys):
    target = tmp_path / "www"
    publish(_site(tmp_path / "v1", "在线的版本"), target)
    before = os.readlink(target / "current")
    status = _cli("publish", str(tmp_path / "没有这个文件夹"), str(target))
    err = capsys.readouterr().err
    assert status == 1
    assert "找不到网站文件夹" in err and "dangjian build" in err
    assert os.readlink(target / "current") == before
    assert _served(target) == "<h1>在线的版本</h1>"
    assert len(releases(target)) == 1


def test_a_folder_without_index_html_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublishError, match="index.html"):
        publish(tmp_path / "empty", tmp_path / "www")
    assert not (tmp_path / "www" / "current").exists()


def test_cli_publish_and_rollback(tmp_path, capsys):
    target = tmp_path / "www"
    assert _cli("publish", str(_site(tmp_path / "a", "A")), str(target)) == 0
    assert _cli("publish", str(_site(tmp_path / "b", "B")), str(target), "--keep", "2") == 0
    assert _served(target) == "<h1>B</h1>"
    assert _cli("publish", "--rollback", str(target)) == 0
    assert "已回退" in capsys.readouterr().out
    assert _served(target) == "<h1>A</h1>"


def test_a_real_folder_named_current_is_not_replaced(tmp_path):
    target = tmp_path / "www"
    (target / "current").mkdir(parents=True)
    (target / "current" / "index.html").write_text("手工放的网站", encoding="utf-8")
    with pytest.raises(PublishError, match="不是符号链接"):
        publish(_site(tmp_path / "v1", "新"), target)
    assert (target / "current" / "index.html").read_text(encoding="utf-8") == "手工放的网站"


# -- the CI templates run exactly what ci-templates/README.md documents -------------------

CI = Path(__file__).resolve().parent.parent / "ci-templates"


def _documented() -> list[str]:
    text = (CI / "README.md").read_text(encoding="utf-8")
    start = text.index("## 流水线运行的命令")
    block = text[text.index("```sh\n", start) + 6:]
    block = block[:block.index("```")]
    return [line.strip() for line in block.splitlines() if line.strip()]


def _commands(lines) -> list[str]:
    """The pip and dangjian commands, in order, each once."""
    out = []
    for line in lines:
        for part in str(line).splitlines():
            part = part.strip()
            if (part.startswith("dangjian ") or part.startswith("pip install")) and part not in out:
                out.append(part)
    return out


def test_gitlab_template_runs_the_documented_commands():
    import yaml

    ci = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    stages = ci["stages"]
    jobs = {name: job for name, job in ci.items() if isinstance(job, dict) and "script" in job}
    ordered = sorted(jobs, key=lambda n: stages.index(jobs[n]["stage"]))
    lines = list(ci["default"]["before_script"])
    for name in ordered:
        lines += jobs[name]["script"]
    assert _commands(lines) == _documented()
    assert jobs["check"]["stage"] == "check" and jobs["build"]["needs"] == ["check"]
    assert jobs["pages"]["artifacts"]["paths"] == ["public"]  # only the public site goes to Pages
    assert jobs["pages"]["script"] == ["mv public-site public"]


def test_github_workflow_runs_the_documented_commands():
    import yaml

    wf = yaml.safe_load((CI / "github-workflow.yml").read_text(encoding="utf-8"))
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
    assert "push" in triggers
    lines = [step["run"] for job in ("build", "publish") for step in wf["jobs"][job]["steps"] if "run" in step]
    assert _commands(lines) == _documented()
    assert wf["jobs"]["publish"]["needs"] == "build"
    uses = [step.get("uses", "") for job in wf["jobs"].values() for step in job["steps"]]
    assert not any("pages" in u for u in uses)  # never GitHub Pages: public means intranet


def test_concurrent_publishes_take_turns_and_current_is_always_whole(tmp_path):
    """Two pipelines publishing at once used to collide on a release name or on the staging folder."""
    import subprocess

    site = _site(tmp_path / "v", "并发")
    for k in range(1500):  # enough files that the copies overlap in time
        (site / "members" / f"{k}.html").write_text(str(k), encoding="utf-8")
    target = tmp_path / "www"
    runs = [subprocess.Popen(cli_command("publish", site, target, "--keep", "10"),
                             env=inherited_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = []
    for proc in runs:
        out, err = proc.communicate(timeout=300)
        results.append((proc.returncode, out, err))
    for code, _out, err in results:
        assert code == 0 and "Traceback" not in err, err
    names = releases(target)
    assert len(names) == 4, names
    assert all((target / "releases" / n / "index.html").is_file() for n in names)
    assert len(list((target / "releases" / names[-1] / "members").iterdir())) == 1501
    assert _served(target) == "<h1>并发</h1>"
    assert not list((target / "releases").glob(".incoming-*"))


def test_a_killed_publish_leaves_nothing_the_next_one_does_not_clean(tmp_path):
    target = tmp_path / "www"
    publish(_site(tmp_path / "v1", "第一版"), target)
    left = target / "releases" / ".incoming-0002-20260901T080000"
    (left / "members").mkdir(parents=True)  # half a copy: index.html not yet there
    publish(_site(tmp_path / "v2", "第二版"), target)
    assert not left.exists()
    assert _served(target) == "<h1>第二版</h1>"


def test_publish_waits_while_a_build_is_writing_the_site(tmp_path):
    """A build swapping in a new site while publish copies it could mix two sites in one release."""
    import subprocess
    import time

    from generator.atomic import exclusive

    site = _site(tmp_path / "build" / "site", "新版")
    target = tmp_path / "www"
    with exclusive(site.parent, "test: a build holds the site's folder"):
        proc = subprocess.Popen(cli_command("publish", site, target),
                                env=inherited_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert proc.poll() is None, "publish copied the site while the build held it"
        assert not releases(target)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "正在由 dangjian build 生成：等它完成后再发布" in err
    assert _served(target) == "<h1>新版</h1>"
