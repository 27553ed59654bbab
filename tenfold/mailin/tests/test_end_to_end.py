"""The whole journey over real wires: a reminder goes out through a real SMTP server with its
Reply-To, Bob answers it, the answer is posted to the inbound hook of a live server over HTTP,
his week shows the items, and his confirmation arrives by SMTP."""

from __future__ import annotations

import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tenfold.checkins.models import CheckIn
from tenfold.mailin.tokens import reply_address
from tenfold.notifications.services import send_email

from .conftest import SECRET, WEEK

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reminder_answered_by_email_fills_the_week(
    smtp, live_server, client, org, bob, key_result
):
    address = reply_address(user=bob, organization=org, week=WEEK)
    assert address is not None
    send_email(
        to=bob.email,
        subject="Your week at Acme: plans and check-ins",
        text=f"Hello Bob,\nPlans: …\nKR {key_result.code}: 42\n",
        reply_to=address,
    )
    [reminder] = smtp.wait_for(1)
    assert reminder["Reply-To"] == address

    # Bob's mail client answers the reminder, quoting it below his own lines.
    answer = EmailMessage()
    answer["From"] = f"Bob Member <{bob.email}>"
    answer["To"] = reminder["Reply-To"]
    answer["Subject"] = "Re: " + reminder["Subject"]
    answer["Message-ID"] = make_msgid(domain="mail.example.com")
    answer["In-Reply-To"] = reminder["Message-ID"]
    quoted = "\n".join("> " + line for line in reminder.get_content().splitlines())
    answer.set_content(
        "Plans:\n- Run the onboarding survey\n- Ship the welcome checklist\n"
        f"Problems: the survey tool is down\nKR {key_result.code}: 26 confidence 8\n\n"
        f"On Wed, 18 Nov 2026 at 11:00, Tenfold <{reminder['Reply-To']}> wrote:\n{quoted}\n"
    )
    request = urllib.request.Request(
        live_server.url + "/inbound/email/",
        data=answer.as_bytes(),
        headers={"Authorization": f"Bearer {SECRET}", "Content-Type": "message/rfc822"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        body = response.read().decode()
    assert '"status": "applied"' in body

    client.force_login(bob)
    page = client.get(f"/{org.slug}/week/").content.decode()
    for text in (
        "Run the onboarding survey",
        "Ship the welcome checklist",
        "the survey tool is down",
    ):
        assert text in page
    assert CheckIn.objects.get(key_result=key_result).value == 26

    confirmation = smtp.wait_for(2)[1]
    assert confirmation["To"] == bob.email
    assert confirmation["In-Reply-To"] == answer["Message-ID"]
    assert "Run the onboarding survey" in confirmation.get_content()
