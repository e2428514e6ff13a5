"""`dangjian remind` (printed, mailed to a local SMTP server, refused by an unreachable one) and
`dangjian plan` (a commented draft that `check` accepts, never over an existing file)."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from support import AS_OF, clean_env, copy_sample, run_cli


def remind(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return run_cli("remind", root, "--as-of", AS_OF, *args, env=clean_env(**(env or {})))


class OneMailServer:
    """An SMTP server on 127.0.0.1 for one conversation, bounded in time: what a mail server hears."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(60)
        self.port = self.sock.getsockname()[1]
        self.commands: list[str] = []
        self.data = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.sock.accept()
        conn.settimeout(60)
        reader = conn.makefile("rb")
        conn.sendall(b"220 127.0.0.1 test\r\n")
        while True:
            line = reader.readline()
            if not line:
                break
            command = line.decode().strip()
            self.commands.append(command)
            verb = command.split(" ")[0].upper()
            if verb == "EHLO":
                conn.sendall(b"250-127.0.0.1\r\n250 8BITMIME\r\n")
            elif verb == "DATA":
                conn.sendall(b"354 go on\r\n")
                while (part := reader.readline()) not in (b".\r\n", b""):
                    self.data += part
                conn.sendall(b"250 queued\r\n")
            elif verb == "QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 ok\r\n")
        conn.close()
        self.sock.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("remind"))


def test_remind_prints_the_audiences_items_and_sends_nothing_unconfigured(sample):
    party = remind(sample, "--days", "30", "--audience", "party")
    assert party.returncode == 0, party.stderr
    lines = party.stdout.splitlines()
    assert lines[0] == "云溪示例能源有限公司机关第一党支部：11月20日至12月20日的待办（党员版）"
    assert "12月5日\t政治生日\t宋子轩同志政治生日（入党 1 周年）" in lines
    assert "12月15日\t主题党日\t主题党日（12月15日）" in lines
    assert not any("预备期满" in line or "已逾期" in line or "制度复审" in line for line in lines)
    assert "只打印，没有发送" in party.stderr
    committee = json.loads(remind(sample, "--days", "30", "--audience", "committee", "--json").stdout)
    texts = {i["text"]: i["status"] for i in committee["items"]}
    assert texts["宋子轩同志预备期满，讨论按期转正"] == "due"
    assert texts["制度复审：宣传报道“广而告之”制度"] == "overdue"
    public = json.loads(remind(sample, "--days", "30", "--json").stdout)
    assert [i["kind"] for i in public["items"]] == ["theme_day"]


def test_remind_mails_a_local_server(sample):
    server = OneMailServer()
    env = {"DANGJIAN_SMTP_HOST": "127.0.0.1", "DANGJIAN_SMTP_PORT": str(server.port),
           "DANGJIAN_SMTP_FROM": "dangjian@example.invalid", "DANGJIAN_SMTP_TO": "zhibu@example.invalid"}
    done = remind(sample, "--days", "30", "--audience", "party", env=env)
    assert done.returncode == 0, done.stderr
    server.thread.join(30)
    assert "rcpt TO:<zhibu@example.invalid>" in server.commands
    from email import message_from_bytes, policy

    mail = message_from_bytes(server.data, policy=policy.default)
    assert mail["Subject"].startswith("云溪示例能源有限公司机关第一党支部：今后 30 天待办")
    body = mail.get_content()
    assert "宋子轩同志政治生日（入党 1 周年）" in body and "预备期满" not in body
    assert "已发送邮件给 zhibu@example.invalid" in done.stderr


def test_remind_unreachable_server_is_a_message(sample):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nobody listens there now
    env = {"DANGJIAN_SMTP_HOST": "127.0.0.1", "DANGJIAN_SMTP_PORT": str(port),
           "DANGJIAN_SMTP_FROM": "dangjian@example.invalid", "DANGJIAN_SMTP_TO": "zhibu@example.invalid"}
    done = remind(sample, "--days", "30", "--audience", "party", env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith(f"127.0.0.1:{port}: 无法通过邮件服务器发出提醒（ConnectionRefusedError")
    assert done.stderr.splitlines()[-1].endswith("提醒没有发出")


def test_plan_drafts_a_commented_month_and_never_overwrites(tmp_path, run_dangjian):
    root = copy_sample(tmp_path / "p")
    done = run_dangjian("plan", "2026-12", root, "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    text = (root / "data" / "activities" / "2026-12.yml").read_text(encoding="utf-8")
    assert "# 本月政治生日：宋子轩（12月5日，入党 1 周年）、许文娟（12月9日，入党 15 周年）。" in text
    assert "# - type: 主题党日\n#   date: 2026-12-15\n#   title: 十二月主题党日\n" in text
    assert "#   honorees: [m23, m10]" in text
    assert "# 按组织生活频次，本月还应开展：党小组会：12月还应召开 1 次（12月31日前）" in text
    assert "责任清单到期：开展四项特色制度执行评估（应于 2026-09-30 前）" in text
    assert all(line.startswith("#") or not line.strip() for line in text.splitlines())
    check = run_dangjian("check", root)
    assert check.returncode == 0, check.stderr
    # an entry the secretary completes is a valid activity
    filled = text.replace("# - type: 主题党日\n#   date: 2026-12-15\n#   title: 十二月主题党日\n#   place: \n#   host: \n#   attendees: []\n",
                          "- type: 主题党日\n  date: 2026-12-15\n  title: 十二月主题党日\n  host: m01\n  attendees: [m01, m02]\n")
    filled = filled.replace("#   wuyou: {theme", "  wuyou: {theme", 1)
    (root / "data" / "activities" / "2026-12.yml").write_text(filled, encoding="utf-8")
    assert run_dangjian("check", root).returncode == 0
    again = run_dangjian("plan", "2026-12", root, "--as-of", AS_OF)
    assert again.returncode == 1
    assert again.stderr.strip() == "data/activities/2026-12.yml:1: 2026-12 的活动文件已经存在，plan 不会覆盖它：请直接编辑这个文件，或先把它改名后再运行一次"
    assert (root / "data" / "activities" / "2026-12.yml").read_text(encoding="utf-8") == filled
    bad = run_dangjian("plan", "2026-13", root)
    assert bad.returncode == 2 and "月份应写成 YYYY-MM，如 2026-12，实际是“2026-13”" in bad.stderr


def test_ci_reminder_jobs_run_only_on_schedule_with_an_audience():
    import yaml

    ci = Path(__file__).resolve().parent.parent / "ci-templates"
    gitlab = yaml.safe_load((ci / "gitlab-remind.yml").read_text(encoding="utf-8"))["remind"]
    assert gitlab["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule" && $DANGJIAN_REMIND_AUDIENCE'}]
    assert gitlab["script"] == ['dangjian remind . --days "${DANGJIAN_REMIND_DAYS:-7}" --audience "$DANGJIAN_REMIND_AUDIENCE"']
    github = yaml.safe_load((ci / "github-remind.yml").read_text(encoding="utf-8"))
    assert github[True]["schedule"] == [{"cron": "0 0 * * 1"}]  # YAML 1.1 reads the key "on" as true
    job = github["jobs"]["remind"]
    assert job["if"] == "vars.DANGJIAN_REMIND_AUDIENCE != ''"
    assert "dangjian remind . --days" in job["steps"][-1]["run"]
