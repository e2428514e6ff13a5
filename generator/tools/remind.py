"""`dangjian remind`: what is due in the coming days, printed, mailed or posted to a webhook.

The items are the agenda of the branch as the recipients' audience sees it
(`pipeline.view`: scoped once, like the site), so a reminder says nothing the site of the
same audience does not. Sending is configured only by CI variables (generator/environment.py), which
the command line hands over as `settings.Sending`;
without them the command prints and sends nothing (a dry run).
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from generator import environment
from generator.compute.calendar import Due
from generator.pages.todo import KIND_LABELS, STATUS_LABELS, describe, record_page, when
from generator.settings import Sending
from generator.tools.feeds import page_link

AUDIENCE_LABELS = {"public": "全单位版", "party": "党员版", "committee": "支委会版"}
TIMEOUT_SECONDS = 20  # a mail server or webhook that does not answer by then is reported, not waited for


def due_soon(agenda: tuple[Due, ...], as_of: dt.date, days: int) -> tuple[Due, ...]:
    """What is not yet done and falls within `days` days from `as_of`, and what is overdue."""
    last = as_of + dt.timedelta(days=days)
    return tuple(d for d in agenda if d.status != "held" and (d.status == "overdue" or as_of <= d.end and d.start <= last
                                                                and (d.start == d.end or d.end <= last or d.start >= as_of)))


def _url(site_url: str | None, d: Due, prefix: str) -> str | None:
    return page_link(site_url, prefix, record_page(d))


def as_json(branch_name: str, audience: str, as_of: dt.date, days: int, chosen: tuple[Due, ...], site_url: str | None, prefix: str) -> dict:
    return {"branch": branch_name, "audience": audience, "as_of": as_of.isoformat(), "days": days,
            "items": [{"key": d.key, "kind": d.kind, "kind_label": KIND_LABELS[d.kind], "start": d.start.isoformat(),
                       "end": d.end.isoformat(), "status": d.status, "status_label": STATUS_LABELS[d.status], "text": describe(d),
                       "url": _url(site_url, d, prefix)} for d in chosen]}


def as_text(branch_name: str, audience: str, as_of: dt.date, days: int, chosen: tuple[Due, ...], site_url: str | None, prefix: str) -> str:
    last = as_of + dt.timedelta(days=days)
    head = f"{branch_name}：{as_of.month}月{as_of.day}日至{last.month}月{last.day}日的待办（{AUDIENCE_LABELS[audience]}）"
    if not chosen:
        return head + "\n没有待办事项。"
    lines = [head]
    for d in chosen:
        url = _url(site_url, d, prefix)
        mark = "【已逾期】" if d.status == "overdue" else ""
        lines.append(f"{when(d)}\t{KIND_LABELS[d.kind]}\t{mark}{describe(d)}" + (f"\t{url}" if url else ""))
    return "\n".join(lines)


class SendError(Exception):
    """A reminder that could not be sent: the message says where and what to check."""


def send_mail(subject: str, text: str, as_of: dt.date, sending: Sending) -> str:
    host = sending.smtp_host
    sender, to = sending.smtp_from, sending.smtp_to
    if not sender or not to:
        raise SendError(f"{environment.SMTP_HOST}: 设置了邮件服务器，但没有设置 {environment.SMTP_FROM}（发件人）和 {environment.SMTP_TO}"
                        "（收件人，多个用逗号分隔）：请在流水线变量里补上")
    port_text, security = sending.smtp_port, sending.smtp_security
    if not port_text.isdigit() or security not in ("none", "starttls", "ssl"):
        raise SendError(f"{environment.SMTP_PORT}: 端口应是数字（如 25、465、587），{environment.SMTP_SECURITY} 应是 none、starttls 或 ssl，"
                        f"实际是“{port_text}”和“{security}”")
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, sender, to
    message["Date"] = format_datetime(dt.datetime.combine(as_of, dt.time(8), dt.timezone(dt.timedelta(hours=8))))
    message["Message-ID"] = make_msgid(domain="dangjian")
    message.set_content(text)
    user, password = sending.smtp_user, sending.smtp_password
    try:
        if security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, int(port_text), timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, int(port_text), timeout=TIMEOUT_SECONDS)
        with server:
            if security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if user:
                server.login(user, password)
            refused = server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"{host}:{port_text}: 无法通过邮件服务器发出提醒（{type(exc).__name__}: {exc}）：请检查 {environment.SMTP_HOST}、"
                        f"{environment.SMTP_PORT} 和 {environment.SMTP_SECURITY}，以及流水线机器能否访问这台服务器；提醒没有发出")
    if refused:
        raise SendError(f"{host}:{port_text}: 邮件服务器拒收了这些收件人：{'、'.join(refused)}；请检查 {environment.SMTP_TO}")
    return f"已发送邮件给 {to}"


def post_webhook(url: str, text: str, payload: dict) -> str:
    # the text field is what the common intranet bots (企业微信、钉钉、飞书 style) show; items are for anything else
    body = json.dumps({"msgtype": "text", "text": {"content": text}, **payload}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            answer.read(65536)
    except (TimeoutError, OSError, ValueError, urllib.error.URLError) as exc:
        raise SendError(f"{environment.WEBHOOK_URL}: 无法把提醒发到这个地址（{exc}）：请检查地址是否写对、流水线机器能否访问它；提醒没有发出")
    return "已发送到 webhook"
