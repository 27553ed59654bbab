"""Reading replies (tenfold.lib.mailreply): bodies, charsets, quotes, signatures and the reply
grammar. Pure functions: no database."""

from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage

import pytest

from tenfold.lib.mailreply import (
    BUILTIN_HEADINGS,
    auto_reply_reason,
    body_text,
    header,
    headings_for,
    html_to_text,
    message_id,
    parse_headers,
    parse_message,
    parse_number,
    parse_reply,
    reply_text,
    reply_tokens,
    sender,
    strip_quoted,
)

from .conftest import DATA, sample

TOKEN = "a" * 48


def text_of(name: str) -> str:
    return reply_text(sample(name, token=TOKEN, kr_code="7hx2kqm9pa"))


def kinds(parsed):
    return [(item.category, item.text) for item in parsed.items]


# --- bodies and charsets ------------------------------------------------------------------------


def test_a_plain_quoted_printable_reply_keeps_its_text_and_loses_greeting_and_signature():
    text = text_of("plain.eml")
    assert "Shipped the new welcome email — first results look good" in text  # =E2=80=94
    assert "Bob Member, Growth team" not in text  # after "-- "
    parsed = parse_reply(text)
    assert kinds(parsed) == [
        ("plans", "Call five customers about onboarding"),
        ("plans", "Fix the signup bug"),
        ("progress", "Shipped the new welcome email — first results look good"),
        ("problems", "Waiting for the legal review"),
    ]
    [checkin] = parsed.checkins
    assert (checkin.code, checkin.value, checkin.confidence, checkin.note) == (
        "7hx2kqm9pa",
        Decimal("27.5"),
        7,
        "activation is climbing",
    )
    assert parsed.errors == parsed.warnings == []  # "Hi team," and "Thanks, Bob" are not lines


def test_an_html_only_reply_becomes_lines_without_tags_styles_or_scripts():
    text = text_of("html_only.eml")
    assert "<" not in text and "color: red" not in text and "alert" not in text
    assert "Draft the pricing page & FAQ" in text  # entity decoded
    assert "No access to the analytics dashboard" in text  # &nbsp; became a space
    parsed = parse_reply(text)
    assert kinds(parsed) == [
        ("plans", "Interview three churned customers"),
        ("plans", "Draft the pricing page & FAQ"),
        ("problems", "No access to the analytics dashboard"),
    ]
    assert [c.value for c in parsed.checkins] == [Decimal(31)]


def test_html_keeps_line_breaks_and_leaves_out_quoted_blocks():
    text = html_to_text(
        "<p>One<br>Two</p><div>Three</div><ul><li>Four</li></ul>"
        "<blockquote><p>Quoted <b>old</b> text</p></blockquote><pre>a  b\nc</pre>"
    )
    assert text.split("\n") == ["One", "Two", "", "Three", "", "- Four", "", "a  b", "c"]


def test_a_gmail_reply_loses_the_wrapped_wrote_line_and_the_quote():
    text = text_of("gmail_quoted.eml")
    assert text == "Plans: Prepare the onboarding survey"
    # The HTML part alone gives the same: Gmail's quote container is left out.
    message = parse_message(sample("gmail_quoted.eml", token=TOKEN))
    html_part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    html = html_part.get_payload(decode=True).decode()
    assert strip_quoted(html_to_text(html)) == "Plans: Prepare the onboarding survey"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "outlook.eml",
            [
                ("progress", "Finished the partner deck"),
                ("problems", "Budget for ads is not approved"),
            ],
        ),
        ("outlook_web.eml", [("plans", "Book the customer advisory board")]),
    ],
)
def test_outlook_replies_lose_the_original_message_block(name, expected):
    parsed = parse_reply(text_of(name))
    assert kinds(parsed) == expected
    assert parsed.checkins == []  # "KR …: 42" from the quoted reminder is not read


def test_mislabelled_gbk_mail_decodes_and_loses_the_chinese_quote_header():
    message = parse_message(sample("chinese_gbk.eml", token=TOKEN, kr_code="7hx2kqm9pa"))
    assert header(message, "Subject") == "回复：您在 Acme 的一周"
    assert header(message, "From").startswith("鲍勃")
    text = reply_text(message)
    assert "写道" not in text and "您好" not in text
    parsed = parse_reply(text)
    assert kinds(parsed) == [
        ("plans", "准备新用户访谈提纲（朱镕）"),  # 镕 exists in GBK only, not in GB2312
        ("plans", "修复注册页面的错误"),
        ("progress", "完成了欢迎邮件的改版"),
        ("problems", "数据看板没有权限"),
    ]
    [checkin] = parsed.checkins
    assert (checkin.value, checkin.confidence, checkin.note) == (Decimal(33), 6, "进展顺利")


def test_a_spanish_latin1_reply_with_a_decimal_comma():
    message = parse_message(sample("spanish.eml", token=TOKEN, kr_code="7hx2kqm9pa"))
    assert header(message, "Subject") == "Re: Tu semana en Acme"
    parsed = parse_reply(reply_text(message))
    assert kinds(parsed) == [
        ("plans", "Llamar a cinco clientes sobre la incorporación"),
        ("plans", "Revisar la página de precios"),
        ("progress", "Terminé el informe de campaña"),
        ("problems", "Falta la aprobación del presupuesto"),
    ]
    [checkin] = parsed.checkins
    assert (checkin.value, checkin.confidence) == (Decimal("29.5"), 8)


def test_a_base64_body_is_decoded_and_the_attachment_never_read():
    message = parse_message(sample("base64.eml", token=TOKEN))
    text = body_text(message)
    assert "PDF" not in text and "JVBER" not in text
    assert kinds(parse_reply(strip_quoted(text))) == [
        ("plans", "Pair with the design team on the checkout flow ✓ soon"),
        ("problems", "The staging server is down — again"),
    ]


def test_an_unknown_charset_falls_back_without_failing():
    raw = (
        b"From: x@example.com\nContent-Type: text/plain; charset=x-unheard-of\n\n"
        b"Plans: caf\xc3\xa9\n"
    )
    assert reply_text(raw) == "Plans: café"


def test_signatures_and_phone_footers_are_cut():
    text = "Plans: one\n\nSent from my iPhone\n--\nBob\nPhone 123"
    assert strip_quoted(text) == "Plans: one"


def test_a_line_quoting_in_the_middle_is_dropped_but_answers_below_it_stay():
    text = "> What are your plans?\nPlans: answer inline\n> And problems?\nProblems: none left"
    assert strip_quoted(text) == "Plans: answer inline\nProblems: none left"


# --- the envelope -------------------------------------------------------------------------------


def test_tokens_come_from_delivery_headers_and_survive_lower_and_upper_case():
    raw = (
        f"Delivered-To: REPLY+{TOKEN.upper()}@Reply.Example.com\n"
        f"To: Someone <reply+{'b' * 48}@reply.example.com>, other@example.com\n"
        "From: bob@example.com\n\nhi\n"
    ).encode()
    message = parse_message(raw)
    assert reply_tokens(message) == [TOKEN, "b" * 48]
    assert reply_tokens(message, [f"reply+{'c' * 48}@x"]) == ["c" * 48, TOKEN, "b" * 48]
    assert reply_tokens(parse_message(b"To: noreply+abcdefghijklmnopq@x\n\nhi")) == []


def test_message_ids_and_senders():
    message = parse_message(b"Message-ID:  <abc@x>\nFrom: Bob <Bob@Example.COM>\n\nhi")
    assert message_id(message, b"") == "abc@x"
    assert sender(message) == "bob@example.com"
    bare = parse_message(b"From: bob@example.com\n\nhi")
    assert message_id(bare, b"one").startswith("sha256:")
    assert message_id(bare, b"one") != message_id(bare, b"two")


def test_only_the_header_block_of_a_large_message_is_parsed():
    raw = b"Subject: big\r\nMessage-ID: <big@x>\r\n\r\n" + b"x" * 1_000_000
    message = parse_headers(raw)
    assert header(message, "Subject") == "big"
    assert message.get_payload() in ("", None)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Auto-Submitted": "auto-replied"}, True),
        ({"Auto-Submitted": "no"}, False),
        ({"Subject": "Out of Office: Your week"}, True),
        ({"Subject": "Automatic reply: Your week"}, True),
        ({"Subject": "自动回复: 您的一周"}, True),
        ({"Subject": "Respuesta automática: Tu semana"}, True),
        ({"Precedence": "bulk"}, True),
        ({"X-Autoreply": "yes"}, True),
        ({"From": "MAILER-DAEMON@example.com"}, True),
        ({"Subject": "Re: Your week"}, False),
    ],
)
def test_machine_written_mail_is_recognised(headers, expected):
    message = EmailMessage()
    message["From"] = headers.pop("From", "bob@example.com")
    for name, value in headers.items():
        message[name] = value
    message.set_content("Plans: none")
    parsed = parse_message(message.as_bytes())
    assert bool(auto_reply_reason(parsed)) is expected


def test_the_autoreply_sample_is_recognised():
    message = parse_message((DATA / "autoreply.eml").read_bytes())
    assert auto_reply_reason(message) == "Auto-Submitted: auto-replied"


# --- the grammar ------------------------------------------------------------------------------


def test_headings_and_shortcuts_in_three_languages():
    parsed = parse_reply(
        "## Plans\n* one\n2. two\n**Progress:**\nthree\n问题\n四\nPlanes: cinco\n"
        "+ six\n! seven\n✓ eight\nProblems: nine\n- ten"
    )
    assert kinds(parsed) == [
        ("plans", "one"),
        ("plans", "two"),
        ("progress", "three"),
        ("problems", "四"),
        ("plans", "cinco"),
        ("plans", "six"),
        ("problems", "seven"),
        ("progress", "eight"),
        ("problems", "nine"),
        ("problems", "ten"),
    ]


def test_a_longer_heading_ending_with_a_colon_opens_its_section():
    parsed = parse_reply("Plans for this week:\n- one\nProblems we hit:\n- two")
    assert kinds(parsed) == [("plans", "one"), ("problems", "two")]


def test_the_organizations_own_names_and_extra_categories():
    headings = headings_for({"Goals": "plans", "Lessons learned": "lessons"})
    parsed = parse_reply("Goals\n- one\nLessons learned: two\n- three", headings=headings)
    assert kinds(parsed) == [("plans", "one"), ("lessons", "two"), ("lessons", "three")]
    assert headings["plans"] == "plans"  # the built-in names stay


def test_lines_outside_any_section_are_skipped_with_a_warning():
    parsed = parse_reply("Just a thought\nanother one\nPlans: real")
    assert kinds(parsed) == [("plans", "real")]
    [warning] = parsed.warnings
    assert "2" in warning and "Just a thought" in warning


def test_the_reminders_placeholders_add_nothing():
    parsed = parse_reply("Plans: …\nProgress: ...\nProblems: …")
    assert parsed.empty and parsed.warnings == []


def test_a_trailing_code_links_an_item():
    parsed = parse_reply("Plans: call Ana #7hx2kqm9pa\nPlans: fix #123")
    assert [(i.text, i.link) for i in parsed.items] == [
        ("call Ana", "7hx2kqm9pa"),
        ("fix #123", ""),
    ]


@pytest.mark.parametrize(
    ("line", "code", "value", "confidence", "note"),
    [
        ("KR 7hx2kqm9pa: 45", "7hx2kqm9pa", "45", None, ""),
        ("kr 7HX2KQM9PA 45", "7hx2kqm9pa", "45", None, ""),
        ("KR #7hx2kqm9pa = -3.5", "7hx2kqm9pa", "-3.5", None, ""),
        ("#7hx2kqm9pa 45 confidence 7 note text", "7hx2kqm9pa", "45", 7, "note text"),
        ("#7hx2kqm9pa: 45% (confidence 8/10) — good week", "7hx2kqm9pa", "45", 8, "good week"),
        ("- KR 7hx2kqm9pa: 1,234.5 conf 3", "7hx2kqm9pa", "1234.5", 3, ""),
        (
            "KR 7hx2kqm9pa: 12 conference went well",
            "7hx2kqm9pa",
            "12",
            None,
            "conference went well",
        ),
        ("KR 7hx2kqm9pa：12 信心8 备注：顺利", "7hx2kqm9pa", "12", 8, "顺利"),
    ],
)
def test_check_in_lines(line, code, value, confidence, note):
    parsed = parse_reply(line)
    assert parsed.errors == []
    [checkin] = parsed.checkins
    assert (checkin.code, checkin.value, checkin.confidence, checkin.note) == (
        code,
        Decimal(value),
        confidence,
        note,
    )


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("KR 7hx2kqm9pa: forty", "“forty” is not a number"),
        ("KR 7hx2kqm9pa: 45k", "“45k” is not a number"),
        ("KR 7hx2kqm9pa:", "give the new value"),
        ("#7hx2kqm9pa: soon", "“soon” is not a number"),
        ("KR 7hx2kqm9pa: 1,234", "can be read safely"),
        ("KR 7hx2kqm9pa: 5 confidence 11", "from 0 to 10"),
        ("KR 7hx2kqm9pa: 5 confidence high", "from 0 to 10"),
    ],
)
def test_check_in_lines_that_cannot_be_read_are_errors(line, fragment):
    parsed = parse_reply("Plans: fine\n" + line)
    assert parsed.checkins == []
    [error] = parsed.errors
    assert fragment in error and "Line 2" in error


def test_hashtags_and_headings_are_not_check_ins():
    parsed = parse_reply("Plans\n#launch week prep\n# Problems\nthe #1 issue")
    assert parsed.checkins == [] and parsed.errors == []
    assert kinds(parsed) == [("plans", "#launch week prep"), ("problems", "the #1 issue")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("45", "45"),
        ("+45", "45"),
        ("−2", "-2"),
        ("45.5", "45.5"),
        ("45,5", "45.5"),
        (".5", "0.5"),
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("1,234", None),
        ("45.", None),
        ("4a", None),
        ("", None),
    ],
)
def test_numbers_are_read_without_guessing(raw, expected):
    got = parse_number(raw)
    assert got == (Decimal(expected) if expected is not None else None)


def test_the_builtin_names_cover_the_three_languages():
    for name in ("plans", "progress", "problems", "计划", "进展", "问题", "planes", "progreso"):
        assert name in BUILTIN_HEADINGS
