"""Reading a reply to a reminder email: pure functions over the raw message, no database.

Three steps, each usable on its own:

1. `reply_text(message)` finds the words the person wrote: the text/plain part (or the HTML
   part turned into text), decoded from its transfer encoding and charset, with the quoted
   reminder, the "On … wrote:" header above it and the signature cut away.
2. `parse_reply(text, headings=…)` reads those words with the grammar below and returns the
   weekly items and key-result check-ins it found, with errors (which make the whole message
   refused) and warnings (lines it skipped).
3. Helpers for the envelope: `reply_tokens()` (the reply+<token>@ addresses a message was
   sent to), `auto_reply_reason()`, `message_id()`, `sender()`.

The grammar, one statement per line (see docs/reply-by-email.md for the people's version):

    Plans                       a heading line switches the section: Plans, Progress, Problems,
    - call five customers       the organization's own names for them and its extra
    - fix the signup bug        categories, in English, Chinese or Spanish. Bullets or plain
                                lines below a heading are items of that section.
    Problems: no designer       "<section>: text" is one item, and switches the section too.
    + write the launch post     shortcuts that work anywhere: "+" a plan, "!" a problem,
    ! waiting for legal         "✓" (or "done:") progress.
    ✓ shipped the new form
    KR 7hx2kqm9pa: 45           a check-in: "KR <code>" or "#<code>", the new value, then
    #7hx2kqm9pa 45 confidence 7 going well   optionally "confidence 0-10" and a note.

An item may end with "#<code>" to link it to an objective or key result. "#<code>" starts a
check-in only when a colon or a number follows, so a hashtag stays text. Greetings ("Hi team,")
are skipped and a closing ("Thanks,") ends the reply; other lines outside any section are
skipped with a warning. A "Plans: …" left as the reminder showed it adds nothing. A check-in
whose value is not a number (or is ambiguous, like "1,234") is an error, never a guess.

Why no one-letter prefixes such as "P:": Plans, Progress and Problems all start with P.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from email import message_from_bytes
from email.header import decode_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from django.utils.translation import gettext as _

# --- charsets ----------------------------------------------------------------------------------

_CHARSET_ALIASES = {
    # GB2312 and GBK mail is routinely mislabelled; GB18030 decodes all of them.
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    # Latin-1 labels usually mean Windows-1252 (curly quotes in 0x80-0x9f).
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "ks_c_5601-1987": "cp949",
}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from bytes in the declared charset, tolerating mislabelled and unknown ones."""
    name = (charset or "").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if name:
        try:
            return data.decode(name)
        except LookupError:
            pass  # an unknown charset name: guess below
        except UnicodeDecodeError:
            return data.decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def header(message: Message, name: str) -> str:
    """A header's value as text, with RFC 2047 encoded words decoded ("=?gb2312?B?…?=")."""
    values = message.get_all(name) or []
    return ", ".join(_decode_header_value(value) for value in values)


def _decode_header_value(value: object) -> str:
    raw = str(value)
    # 8-bit bytes in a header arrive as surrogates; read them as UTF-8 when they are.
    raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        parts = decode_header(raw)
    except Exception:  # a malformed encoded word: keep the header as it came
        return raw
    text = []
    for chunk, charset in parts:
        text.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return "".join(text)


def parse_message(raw: bytes) -> Message:
    """The message object. The compat32 policy never raises on odd headers; we decode them."""
    return message_from_bytes(raw, policy=compat32)


HEAD_MAX = 256 * 1024
"""How much of an oversized message is read to find its headers."""


def parse_headers(raw: bytes) -> Message:
    """Only the header block of a message (for one too large to read)."""
    head = raw[:HEAD_MAX]
    for end in (b"\r\n\r\n", b"\n\n"):
        at = head.find(end)
        if at >= 0:
            head = head[: at + len(end)]
            break
    return BytesHeaderParser(policy=compat32).parsebytes(head)


# --- the envelope -------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"\breply[+\-]([a-z2-7]{16,96})@", re.IGNORECASE)
RECIPIENT_HEADERS = (
    "Delivered-To",
    "X-Original-To",
    "Envelope-To",
    "X-Envelope-To",
    "To",
    "Cc",
)


def reply_tokens(message: Message, extra: Iterable[str] = ()) -> list[str]:
    """The tokens of every reply+<token>@ address the message was sent to, in order of trust:
    envelope recipients given by the caller first, then the delivery headers, then To and Cc."""
    found: list[str] = []
    sources = [*extra, *(header(message, name) for name in RECIPIENT_HEADERS)]
    for text in sources:
        for match in TOKEN_RE.finditer(text or ""):
            token = match.group(1).lower()
            if token not in found:
                found.append(token)
    return found


def message_id(message: Message, raw: bytes) -> str:
    """The Message-ID without its angle brackets; a digest of the bytes when there is none, so
    the same message delivered twice is still recognised."""
    value = "".join(header(message, "Message-ID").split()).strip("<>")
    if value:
        return value[:255]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def sender(message: Message) -> str:
    """The From address, lower-cased ("" when there is none)."""
    return parseaddr(header(message, "From"))[1].strip().lower()


def recipients(message: Message) -> list[str]:
    return [address.lower() for _n, address in getaddresses([header(message, "To")]) if address]


_AUTO_SUBJECTS = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|auto:|"
    r"away from (the )?office|on vacation|undeliverable|undelivered mail|"
    r"delivery status notification|mail delivery (failed|failure|subsystem)|returned mail|"
    r"自动回复|自動回覆|不在办公室|休假|"
    r"respuesta autom[aá]tica|fuera de la oficina|ausente|"
    r"r[ée]ponse automatique|absence)",
    re.IGNORECASE,
)


def auto_reply_reason(message: Message) -> str:
    """Why the message looks written by a machine (an out-of-office answer, a bounce, a list),
    or "" when a person seems to have written it. Answering those would start mail loops."""
    auto = header(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response", "X-Failed-Recipients"):
        if header(message, name):
            return name
    precedence = header(message, "Precedence").strip().lower()
    if precedence in {"auto_reply", "bulk", "junk", "list"}:
        return f"Precedence: {precedence}"
    if message.get_content_type() == "multipart/report":
        return "multipart/report"
    address = sender(message)
    if address.startswith(("mailer-daemon@", "postmaster@")):
        return address
    subject = header(message, "Subject")
    if _AUTO_SUBJECTS.match(subject):
        return f"Subject: {subject[:80]}"
    return ""


# --- the body ----------------------------------------------------------------------------------


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
    return disposition == "attachment" or bool(
        disposition == "inline" and part.get_filename() and part.get_content_maintype() != "text"
    )


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return decode_bytes(payload, part.get_content_charset())


def body_text(message: Message) -> str:
    """The message's text: the first text/plain part that is not an attachment, else the first
    HTML part as text. Attachments are never decoded."""
    plain = html_part = None
    for part in message.walk():
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html_part is None:
            html_part = part
    if plain is not None:
        text = _decoded(plain)
        if text.strip():
            return text
    if html_part is not None:
        return html_to_text(_decoded(html_part))
    return ""


_BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tr",
    "ul",
}  # fmt: skip
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
_HIDDEN = {"head", "script", "style", "title", "template", "noscript"}
_QUOTE_MARKS = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")
_QUOTE_IDS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container")


class _TextMaker(HTMLParser):
    """HTML to text with the line breaks a reader sees; quoted blocks left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_tag = ""
        self.skip_depth = 0
        self.pre = 0
        self.stop = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stop:
            return
        if self.skip_depth:
            if tag == self.skip_tag and tag not in _VOID:
                self.skip_depth += 1
            return
        marks = " ".join(value or "" for name, value in attrs if name == "class").lower()
        ident = " ".join(value or "" for name, value in attrs if name == "id").lower()
        if any(mark in ident for mark in _QUOTE_IDS):
            # Outlook puts everything quoted after this element: stop reading.
            self.stop = True
            return
        if tag == "blockquote" or tag in _HIDDEN or any(mark in marks for mark in _QUOTE_MARKS):
            if tag not in _VOID:
                self.skip_tag, self.skip_depth = tag, 1
            return
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag in _BLOCKS:
            self.out.append("\n")
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if self.stop:
            return
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
            return
        if tag in _BLOCKS:
            self.out.append("\n")
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.stop or self.skip_depth:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.out.append(data)


def html_to_text(markup: str) -> str:
    """Readable text from an HTML email: tags stripped, entities decoded, one line per block or
    <br>, list items as "- " lines; quoted blocks (blockquote, Gmail's and Outlook's quote
    containers), scripts and styles left out."""
    maker = _TextMaker()
    try:
        maker.feed(markup)
        maker.close()
    except Exception:  # hopelessly broken markup: fall back to crude tag stripping
        return html.unescape(re.sub(r"<[^>]+>", "\n", markup))
    text = "".join(maker.out).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- quoted text and signatures ----------------------------------------------------------------

_WROTE = [
    re.compile(r"^(on|am|le)\b.{4,300}\b(wrote|schrieb|a écrit)\s*:$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^el\b.{4,300}\bescribi[óo]\s*:$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^.{0,300}(写道|寫道)\s*[:：]$", re.DOTALL),
]
_ORIGINAL = re.compile(
    r"^[-_=\s]*(original message|mensaje original|message d'origine|原始邮件|原始郵件|"
    r"forwarded message|mensaje reenviado)[-_=\s]*$",
    re.IGNORECASE,
)
_FROM_LINE = re.compile(r"^\*?(from|de|von|发件人|寄件者)\s*\*?\s*[:：]", re.IGNORECASE)
_HEADER_LINE = re.compile(
    r"^\*?(sent|date|to|subject|cc|enviado|fecha|para|asunto|发送时间|日期|收件人|主题)"
    r"\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(
    r"^(sent from my|get outlook for|enviado desde mi|发自我的|從我的)\b", re.IGNORECASE
)


def _starts_quote(lines: list[str], at: int) -> bool:
    line = lines[at].strip()
    if not line:
        return False
    if _ORIGINAL.match(line):
        return True
    # "On Fri, 27 Nov 2026 at 10:00, Tenfold <reply+…@…> wrote:" is often wrapped over two or
    # three lines by the client.
    joined = line
    for extra in range(3):
        if any(pattern.match(joined) for pattern in _WROTE):
            return True
        if at + extra + 1 >= len(lines) or not lines[at + extra + 1].strip():
            break
        joined += " " + lines[at + extra + 1].strip()
    if _FROM_LINE.match(line):
        # Outlook's block: From: … then Sent:/Date:/To:/Subject: lines right below.
        below = [text.strip() for text in lines[at + 1 : at + 5] if text.strip()]
        return sum(1 for text in below if _HEADER_LINE.match(text)) >= 2
    if re.fullmatch(r"_{8,}", line):
        following = next((text.strip() for text in lines[at + 1 :] if text.strip()), "")
        return bool(_FROM_LINE.match(following))
    return False


def strip_quoted(text: str) -> str:
    """The part of a reply the person wrote: everything before the first quote header or
    signature separator, without "> " lines and "Sent from my phone" footers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for at, line in enumerate(lines):
        if line.rstrip() == "--":
            break  # "-- " starts a signature (many clients drop the trailing space)
        if _starts_quote(lines, at):
            break
        if line.lstrip().startswith(">") or _SENT_FROM.match(line.strip()):
            continue
        kept.append(line.rstrip())
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept)


def reply_text(message: Message | bytes) -> str:
    """What the person wrote in their reply, ready for `parse_reply`."""
    if isinstance(message, bytes):
        message = parse_message(message)
    return strip_quoted(body_text(message))


# --- the grammar -------------------------------------------------------------------------------

PLANS, PROGRESS, PROBLEMS = "plans", "progress", "problems"

BUILTIN_HEADINGS: dict[str, str] = {
    # English
    "plans": PLANS, "plan": PLANS, "next week": PLANS, "plans for next week": PLANS,
    "this week": PLANS, "todo": PLANS, "to do": PLANS,
    "progress": PROGRESS, "done": PROGRESS, "completed": PROGRESS, "achievements": PROGRESS,
    "problems": PROBLEMS, "problem": PROBLEMS, "blockers": PROBLEMS, "blocker": PROBLEMS,
    "issues": PROBLEMS,
    # 简体中文
    "计划": PLANS, "本周计划": PLANS, "下周计划": PLANS,
    "进展": PROGRESS, "进度": PROGRESS, "完成": PROGRESS, "已完成": PROGRESS,
    "问题": PROBLEMS, "困难": PROBLEMS, "障碍": PROBLEMS,
    # Español
    "planes": PLANS, "plan de la semana": PLANS, "próxima semana": PLANS,
    "progreso": PROGRESS, "avances": PROGRESS, "hecho": PROGRESS, "logros": PROGRESS,
    "problemas": PROBLEMS, "problema": PROBLEMS, "bloqueos": PROBLEMS, "bloqueo": PROBLEMS,
}  # fmt: skip
"""Section names understood in every organization, in the three shipped languages."""

SHORTCUTS = {"+": PLANS, "!": PROBLEMS, "✓": PROGRESS, "✔": PROGRESS, "☑": PROGRESS}

CODE = r"[A-Za-z0-9]{3,12}"
_KR = re.compile(rf"^kr(?:\s+#?|#)(?P<code>{CODE})(?=$|[\s:：=,])\s*[:：=]?\s*(?P<rest>.*)$", re.I)
_HASH = re.compile(rf"^#(?P<code>{CODE})(?=$|[\s:：=,])(?P<colon>\s*[:：=])?\s*(?P<rest>.*)$")
_VALUE = re.compile(
    r"^(?P<value>[-+−]?(?:\d[\d.,]*|[.,]\d+))(?P<unit>\s*%)?(?=$|[\s;(])(?P<after>.*)$"
)
_CONFIDENCE = re.compile(
    r"(?:^|[\s,;(])(?:confidence|confianza|conf|信心|置信度)(?=[\s:：=\d]|$)\s*[:：=]?\s*"
    r"(?P<value>[^\s,;)/]+)"
    r"(?:\s*/\s*10)?\)?",
    re.IGNORECASE,
)
_NOTE_WORD = re.compile(r"^(?:note|nota|备注|说明)\s*[:：]\s*", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-*•·–]|\d{1,2}[.)、])\s+")
_LINK = re.compile(rf"\s#(?P<code>{CODE})\s*$")
_GREETING = re.compile(
    r"^(hi|hello|hey|dear|good morning|good afternoon|hola|buenos d[ií]as|buenas|"
    r"estimad[oa]s?|你好|您好|大家好|各位)(\s+\S+){0,3}\s*[,，!！:：]$|"
    r"^(hi|hello|hey|hola|你好|您好|大家好)[,，!！]?$",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(thanks|thank you|thx|cheers|best|best regards|kind regards|regards|"
    r"gracias|saludos|un saludo|atentamente|谢谢|多谢|感谢|此致)\s*([.!！,，]\s*(\S.{0,30})?)?$",
    re.IGNORECASE,
)
_HEADING_MARKUP = re.compile(r"^[#*_=\s]+|[*_=\s]+$")


@dataclass(frozen=True)
class ItemLine:
    category: str
    text: str
    link: str
    line: int
    source: str


@dataclass(frozen=True)
class CheckinLine:
    code: str
    value: Decimal
    confidence: int | None
    note: str
    line: int
    source: str


@dataclass
class ParsedReply:
    items: list[ItemLine] = field(default_factory=list)
    checkins: list[CheckinLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.items and not self.checkins


def normalize_heading(text: str) -> str:
    """A section name as compared: markup, trailing colon and case removed."""
    text = _HEADING_MARKUP.sub("", text.strip())
    text = text.rstrip(":：").strip()
    text = _HEADING_MARKUP.sub("", text)
    return " ".join(text.split()).casefold()


def headings_for(names: Mapping[str, str]) -> dict[str, str]:
    """The built-in section names plus an organization's own ({name: category key})."""
    result = dict(BUILTIN_HEADINGS)
    for name, key in names.items():
        clean = normalize_heading(name)
        if clean:
            result[clean] = key
    return result


def parse_number(raw: str) -> Decimal | None:
    """A decimal from what a person typed: "45", "45.5", "45,5", "-3", "1,234.5",
    "1.234,5". A lone comma followed by exactly three digits ("1,234") could mean a thousand
    or one point two: None, so the caller asks instead of guessing."""
    text = raw.strip().replace("−", "-").lstrip("+")
    if not re.fullmatch(r"-?(\d[\d.,]*|[.,]\d+)", text) or text.endswith((".", ",")):
        return None
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        if text.rfind(",") < text.rfind("."):
            text = text.replace(",", "")  # 1,234.5
        else:
            text = text.replace(".", "").replace(",", ".")  # 1.234,5
    elif commas == 1:
        if re.search(r"\d,\d{3}$", text):
            return None
        text = text.replace(",", ".")
    elif commas > 1:
        text = text.replace(",", "")
    elif dots > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _not_a_number(parsed: ParsedReply, number: int, code: str, value: str) -> None:
    parsed.errors.append(
        _("Line %(n)d: “%(value)s” is not a number; write the new value of %(code)s in digits.")
        % {"n": number, "value": value[:40], "code": code}
    )


def _checkin(line: str, number: int, code: str, rest: str, parsed: ParsedReply) -> None:
    rest = rest.strip()
    if not rest:
        parsed.errors.append(
            _("Line %(n)d: give the new value after KR %(code)s, such as “KR %(code)s: 42”.")
            % {"n": number, "code": code}
        )
        return
    found = _VALUE.match(rest)
    if found is None:
        _not_a_number(parsed, number, code, rest.split()[0])
        return
    value = parse_number(found.group("value"))
    if value is None:
        parsed.errors.append(
            _(
                "Line %(n)d: “%(value)s” is not a number that can be read safely; write it "
                "like 1234 or 1234.5."
            )
            % {"n": number, "value": found.group("value")[:40]}
        )
        return
    after = found.group("after").strip()
    confidence: int | None = None
    said = _CONFIDENCE.search(" " + after)
    if said:
        raw = said.group("value").strip()
        if not re.fullmatch(r"\d{1,2}", raw) or int(raw) > 10:
            parsed.errors.append(
                _("Line %(n)d: confidence is a whole number from 0 to 10, not “%(value)s”.")
                % {"n": number, "value": raw[:20]}
            )
            return
        confidence = int(raw)
        padded = " " + after
        after = (padded[: said.start()] + " " + padded[said.end() :]).strip()
    note = _NOTE_WORD.sub("", after.strip(" \t-–—:：,;()")).strip()
    parsed.checkins.append(
        CheckinLine(
            code=code, value=value, confidence=confidence, note=note, line=number, source=line
        )
    )


def _item(parsed: ParsedReply, category: str, text: str, number: int, line: str) -> None:
    text = text.strip()
    if not text.strip(" .…-—"):
        return  # empty, or the reminder's "…" placeholder left as it was
    link = ""
    found = _LINK.search(" " + text)
    if found and re.search(r"[A-Za-z]", found.group("code")):
        link = found.group("code").lower()
        text = (" " + text)[: found.start()].strip()
    if text:
        parsed.items.append(ItemLine(category, text, link, number, line))


def _split_label(text: str) -> tuple[str, str] | None:
    """("Plans", "call Bob") from "Plans: call Bob" (ASCII or full-width colon)."""
    match = re.match(r"^([^:：]{1,60})[:：]\s*(.*)$", text)
    return (match.group(1), match.group(2)) if match else None


def _heading_of(text: str, names: Mapping[str, str]) -> str:
    """The category a heading line opens, or "". "Plans", "## Progress", "**Problems:**" and,
    when the line ends with a colon, longer ones such as "Plans for this week:"."""
    clean = normalize_heading(text)
    if clean in names:
        return names[clean]
    if re.search(r"[:：]\**\s*$", text) and len(clean) <= 40:
        for name, key in names.items():
            if clean.startswith(name + " "):
                return key
    return ""


def _checkin_parts(text: str) -> tuple[str, str] | None:
    """(code, the rest) when the line is a check-in. "KR <code> …" always is; "#<code>" only
    when a colon or a number follows, so a hashtag ("#launch week") stays text."""
    found = _KR.match(text)
    if found and re.search(r"[A-Za-z]", found.group("code")):
        return found.group("code").lower(), found.group("rest")
    found = _HASH.match(text)
    if found and re.search(r"[A-Za-z]", found.group("code")):
        rest = found.group("rest")
        if found.group("colon") or re.match(r"[-+−]?[\d.,]", rest):
            return found.group("code").lower(), rest
    return None


def parse_reply(text: str, *, headings: Mapping[str, str] | None = None) -> ParsedReply:
    """The items and check-ins in a reply's text (see the module's grammar). `headings` maps
    normalized section names to category keys (default: the built-in names)."""
    names = dict(headings) if headings is not None else dict(BUILTIN_HEADINGS)
    parsed = ParsedReply()
    section = ""
    skipped: list[str] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or _GREETING.match(line):
            continue
        if _CLOSING.match(line):
            break  # "Thanks," and the name below it are not items
        bare = _BULLET.sub("", line, count=1)
        heading = _heading_of(bare, names)
        if heading:
            section = heading
            continue
        checkin = _checkin_parts(bare)
        if checkin:
            _checkin(line, number, checkin[0], checkin[1], parsed)
            continue
        label = _split_label(bare)
        if label and normalize_heading(label[0]) in names:
            section = names[normalize_heading(label[0])]
            _item(parsed, section, label[1], number, line)
            continue
        if bare[:1] in SHORTCUTS:
            _item(parsed, SHORTCUTS[bare[:1]], bare[1:], number, line)
            continue
        if section:
            _item(parsed, section, bare, number, line)
            continue
        skipped.append(line)
    if skipped:
        shown = "; ".join(f"“{line[:60]}”" for line in skipped[:5])
        parsed.warnings.append(
            _(
                "Skipped %(count)d line(s) outside any section: %(lines)s. Put them under "
                "Plans, Progress or Problems to add them."
            )
            % {"count": len(skipped), "lines": shown}
        )
    return parsed
