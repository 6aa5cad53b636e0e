"""Mails byte for byte in the shapes real clients write, for the intake and fetch tests. Written by
hand from messages these clients send (public bug reports quoting their raw source), never with
the project's own builder:

- Apple Mail (macOS, and iOS when the body has formatting): the whole message is
  multipart/alternative; its HTML alternative is a multipart/mixed holding HTML fragments and
  the attachment, `Content-Disposition: inline` with an RFC 2231 `filename*`, and `name` on
  Content-Type with `x-unix-mode` (hypermail#52, email-to-pdf-converter#70, S22.Imap#81).
- Gmail's "Forward as attachment": message/rfc822 named "<subject>.eml"; Outlook's: message/rfc822
  with no name at all; a forward of a forward nests a second one.
- Thunderbird: RFC 2231 continuations (`filename*0*=`, `filename*1*=`) for a long Vietnamese name.
- Phone clients: the name only on Content-Type (`name=`), as application/octet-stream, or raw UTF-8
  bytes in the quoted name.
- Gmail with a file over 25 MB (a Drive link in the body) or a Google Sheets link; a table pasted
  from Excel into Gmail (`<table ... border="1" style="table-layout:fixed">` with `<colgroup>`).
"""
from __future__ import annotations

import base64
import datetime as dt
import quopri
import re
import urllib.parse
from email.header import Header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOARD = "luonghaldld@gmail.com"


def qp(data: bytes) -> bytes:
    """Quoted-printable with CRLF line ends, as on the wire."""
    return quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n").rstrip(b"\r\n")


def b64(data: bytes) -> bytes:
    text = base64.b64encode(data)
    return b"\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def date(when: dt.datetime) -> bytes:
    return when.strftime("%a, %d %b %Y %H:%M:%S %z").encode()


def words(text: str) -> bytes:
    return Header(text, "utf-8").encode(linesep="\r\n").encode()


def join(lines: list[bytes]) -> bytes:
    return b"\r\n".join(lines) + b"\r\n"


def apple_mail(sender: str, name: str, subject: str, when: dt.datetime, file_name: str, data: bytes,
               message_id: str) -> bytes:
    """Apple Mail: attachment inside the HTML alternative, inline, between two HTML fragments."""
    a, m = b"Apple-Mail=_8F2B3C1A-6D4E-4F5A-9B7C-0D1E2F3A4B5C", b"Apple-Mail=_1C2D3E4F-5A6B-4C7D-8E9F-A0B1C2D3E4F5"
    quoted = urllib.parse.quote(file_name)
    return join([
        b"From: " + words(name) + b" <" + sender.encode() + b">",
        b'Content-Type: multipart/alternative; boundary="' + a + b'"',
        b"Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3696.120.41.1.1\\))",
        b"Subject: " + words(subject),
        b"Date: " + date(when),
        b"Message-Id: " + message_id.encode(),
        b"To: " + BOARD.encode(),
        b"X-Mailer: Apple Mail (2.3696.120.41.1.1)", b"",
        b"--" + a, b"Content-Transfer-Encoding: quoted-printable", b"Content-Type: text/plain;", b"\tcharset=utf-8", b"",
        qp("Kính gửi Ban, đơn vị gửi danh sách.".encode()), b"",
        b"--" + a, b'Content-Type: multipart/mixed;', b'\tboundary="' + m + b'"', b"", b"",
        b"--" + m, b"Content-Transfer-Encoding: quoted-printable", b"Content-Type: text/html;", b"\tcharset=utf-8", b"",
        qp('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
                            '<body style="overflow-wrap: break-word;">Kính gửi Ban, đơn vị gửi danh sách.<div>'
                            '</div></body></html>'.encode()),
        b"--" + m, b"Content-Disposition: inline;", b"\tfilename*=utf-8''" + quoted.encode(),
        b"Content-Type: " + XLSX.encode() + b";", b"\tx-unix-mode=0644;",
        b'\tname="' + Header(file_name, "utf-8").encode(maxlinelen=10_000).encode() + b'"',
        b"Content-Transfer-Encoding: base64", b"", b64(data), b"",
        b"--" + m, b"Content-Transfer-Encoding: 7bit", b"Content-Type: text/html;", b"\tcharset=us-ascii", b"",
        b'<html><head><meta http-equiv="content-type" content="text/html; charset=us-ascii"></head><body '
        b'style="overflow-wrap: break-word;"><div></div><br></body></html>',
        b"--" + m + b"--", b"", b"--" + a + b"--", b""])


def gmail_forward_as_attachment(forwarder: str, subject: str, when: dt.datetime, inner: bytes, inner_name: str,
                                message_id: str) -> bytes:
    """Gmail's "Forward as attachment": the original mail as message/rfc822 named after its subject."""
    mixed, alt = b"000000000000c4a3e205b7f4a1d2", b"000000000000c4a3e005b7f4a1d0"
    named = Header(inner_name, "utf-8").encode(maxlinelen=10_000).encode()
    return join([
        b"MIME-Version: 1.0", b"Date: " + date(when), b"Message-ID: " + message_id.encode(),
        b"Subject: " + words(subject), b"From: " + forwarder.encode(), b"To: " + BOARD.encode(),
        b'Content-Type: multipart/mixed; boundary="' + mixed + b'"', b"",
        b"--" + mixed, b'Content-Type: multipart/alternative; boundary="' + alt + b'"', b"",
        b"--" + alt, b'Content-Type: text/plain; charset="UTF-8"', b"", b"Chuyen tiep ho so cua don vi.", b"",
        b"--" + alt, b'Content-Type: text/html; charset="UTF-8"', b"", b'<div dir="ltr">Chuyen tiep ho so.</div>', b"",
        b"--" + alt + b"--", b"--" + mixed,
        b'Content-Type: message/rfc822; name="' + named + b'"',
        b'Content-Disposition: attachment; filename="' + named + b'"',
        b"X-Attachment-Id: f_l2k3j4h50", b"Content-ID: <f_l2k3j4h50>", b"",
        inner.rstrip(b"\r\n"), b"--" + mixed + b"--"])


def outlook_forward_as_attachment(forwarder: str, subject: str, when: dt.datetime, inner: bytes,
                                  message_id: str) -> bytes:
    """Outlook's forward as attachment: message/rfc822, no name on the part."""
    return join([
        b"From: " + forwarder.encode(), b"To: " + BOARD.encode(), b"Subject: " + words(subject),
        b"Thread-Topic: " + words(subject), b"Thread-Index: AQHWz1t4Kk2zKq0Q7kOqkqQ6Hq3B3g==", b"Date: " + date(when),
        b"Message-ID: " + message_id.encode(), b"Content-Language: vi-VN", b"X-MS-Has-Attach: yes",
        b'Content-Type: multipart/mixed; boundary="_002_outlookfwd_"', b"MIME-Version: 1.0", b"",
        b"--_002_outlookfwd_", b'Content-Type: text/plain; charset="us-ascii"', b"Content-Transfer-Encoding: 7bit", b"",
        b"Gui kem thu cua don vi.", b"",
        b"--_002_outlookfwd_", b"Content-Type: message/rfc822", b"Content-Disposition: attachment", b"",
        inner.rstrip(b"\r\n"), b"", b"--_002_outlookfwd_--"])


def thunderbird(sender: str, subject: str, when: dt.datetime, file_name: str, data: bytes, message_id: str) -> bytes:
    """Thunderbird: RFC 2231 continuations for a long name, on both name and filename."""
    tokens = re.findall(r"%[0-9A-F]{2}|.", urllib.parse.quote(file_name))   # a line never splits an octet
    pieces = ["".join(tokens[i:i + 20]) for i in range(0, len(tokens), 20)]
    name_lines = [f" name*{i}*={'UTF-8' + chr(39) * 2 if i == 0 else ''}{p}{';' if i < len(pieces) - 1 else ''}"
                  .encode() for i, p in enumerate(pieces)]
    file_lines = [f" filename*{i}*={'UTF-8' + chr(39) * 2 if i == 0 else ''}{p}{';' if i < len(pieces) - 1 else ''}"
                  .encode() for i, p in enumerate(pieces)]
    return join([
        b'Content-Type: multipart/mixed; boundary="------------0Wq8kM2nA5bX7cY1dZ3eF4gH"',
        b"Message-ID: " + message_id.encode(), b"Date: " + date(when), b"MIME-Version: 1.0",
        b"User-Agent: Mozilla Thunderbird", b"Content-Language: vi", b"To: " + BOARD.encode(),
        b"From: " + sender.encode(), b"Subject: " + words(subject), b"",
        b"This is a multi-part message in MIME format.",
        b"--------------0Wq8kM2nA5bX7cY1dZ3eF4gH", b"Content-Type: text/plain; charset=UTF-8; format=flowed",
        b"Content-Transfer-Encoding: 8bit", b"", "Kính gửi Ban.".encode(), b"",
        b"--------------0Wq8kM2nA5bX7cY1dZ3eF4gH", b"Content-Type: " + XLSX.encode() + b";", *name_lines,
        b"Content-Disposition: attachment;", *file_lines, b"Content-Transfer-Encoding: base64", b"", b64(data), b"",
        b"--------------0Wq8kM2nA5bX7cY1dZ3eF4gH--"])


def phone(sender: str, subject: str, when: dt.datetime, file_name: str, data: bytes, message_id: str,
          style: str) -> bytes:
    """Phone clients: "content-type-name" (name only on Content-Type, octet-stream), "raw-utf8"
    (the UTF-8 bytes of the name in the quoted filename), "no-name" (a known type, no name)."""
    if style == "content-type-name":
        head = [b'Content-Type: application/octet-stream; name="' + Header(file_name, "utf-8").encode(
            maxlinelen=10_000).encode() + b'"', b"Content-Disposition: attachment"]
    elif style == "raw-utf8":
        head = [b"Content-Type: " + XLSX.encode() + b'; name="' + file_name.encode() + b'"',
                b'Content-Disposition: attachment; filename="' + file_name.encode() + b'"']
    else:
        head = [b"Content-Type: " + XLSX.encode()]
    return join([
        b"From: " + sender.encode(), b"To: " + BOARD.encode(), b"Subject: " + words(subject), b"Date: " + date(when),
        b"Message-ID: " + message_id.encode(), b"MIME-Version: 1.0",
        b'Content-Type: multipart/mixed; boundary="--_com.samsung.android.email_4477"', b"",
        b"----_com.samsung.android.email_4477", b"Content-Type: text/plain; charset=utf-8",
        b"Content-Transfer-Encoding: base64", b"", b64("Gửi từ điện thoại Samsung Galaxy.".encode()), b"",
        b"----_com.samsung.android.email_4477", *head, b"Content-Transfer-Encoding: base64", b"", b64(data), b"",
        b"----_com.samsung.android.email_4477--"])


def gmail_body(sender: str, name: str, subject: str, when: dt.datetime, html: str, text: str,
               message_id: str) -> bytes:
    """Gmail with no attachment: text and HTML alternatives (a link, a Drive chip, a pasted table)."""
    alt = b"0000000000009b1e5a05b7f4c3a1"
    return join([
        b"MIME-Version: 1.0", b"Date: " + date(when), b"Message-ID: " + message_id.encode(),
        b"Subject: " + words(subject), b"From: " + words(name) + b" <" + sender.encode() + b">",
        b"To: " + BOARD.encode(), b'Content-Type: multipart/alternative; boundary="' + alt + b'"', b"",
        b"--" + alt, b'Content-Type: text/plain; charset="UTF-8"', b"Content-Transfer-Encoding: base64", b"",
        b64(text.encode()), b"",
        b"--" + alt, b'Content-Type: text/html; charset="UTF-8"', b"Content-Transfer-Encoding: base64", b"",
        b64(html.encode()), b"", b"--" + alt + b"--"])


def pasted_table(rows: list[list[str]], intro: str) -> str:
    """A range copied from Excel and pasted into Gmail's editor, as Gmail sends it."""
    cells = "".join(
        '<tr style="height:21px">' + "".join(
            f'<td style="overflow:hidden;padding:2px 3px;vertical-align:bottom;border:1px solid rgb(0,0,0)">{c}</td>'
            for c in row) + "</tr>" for row in rows)
    return (f'<div dir="ltr"><div>{intro}</div><br><table cellspacing="0" cellpadding="0" dir="ltr" border="1" '
            'style="table-layout:fixed;font-size:10pt;font-family:Arial;width:0px;border-collapse:collapse;border:none">'
            '<colgroup><col width="40"><col width="180"><col width="60"><col width="60"><col width="220"></colgroup>'
            f"<tbody>{cells}</tbody></table><br><div>Trân trọng.</div>"
            '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">Vào Th 2, 14 thg 12, 2020 lúc 08:00 Ban CSPL '
            '&lt;luonghaldld@gmail.com&gt; đã viết:<br></div><blockquote class="gmail_quote">Kính gửi: LĐLĐ huyện '
            "Mường Tè</blockquote></div></div>")


def outlook_with_signature(sender: str, subject: str, when: dt.datetime, files: list[tuple[str, bytes]],
                           message_id: str) -> bytes:
    """Outlook's HTML mail: multipart/related holding the HTML and the signature logo (image001.png,
    inline, Content-ID), inside multipart/mixed with the attachments."""
    logo = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    lines = [b"From: " + sender.encode(), b"To: " + BOARD.encode(), b"Subject: " + words(subject),
             b"Date: " + date(when), b"Message-ID: " + message_id.encode(), b"Content-Language: vi-VN",
             b"X-MS-Has-Attach: yes", b'Content-Type: multipart/mixed; boundary="_005_mixed_"', b"MIME-Version: 1.0", b"",
             b"--_005_mixed_", b'Content-Type: multipart/related; boundary="_004_related_"; type="text/html"', b"",
             b"--_004_related_", b'Content-Type: text/html; charset="utf-8"', b"Content-Transfer-Encoding: base64", b"",
             b64('<html><body><p>Kính gửi Ban.</p><p><img src="cid:image001.png@01D6D2A1.5E3B1C40"></p></body></html>'
                 .encode()), b"",
             b"--_004_related_", b'Content-Type: image/png; name="image001.png"', b"Content-Description: image001.png",
             b'Content-Disposition: inline; filename="image001.png"; size=40',
             b"Content-ID: <image001.png@01D6D2A1.5E3B1C40>", b"Content-Transfer-Encoding: base64", b"", b64(logo), b"",
             b"--_004_related_--", b""]
    for name, data in files:
        lines += [b"--_005_mixed_", b"Content-Type: " + XLSX.encode() + b'; name="' + words(name) + b'"',
                  b'Content-Disposition: attachment; filename="' + words(name) + b'"',
                  b"Content-Transfer-Encoding: base64", b"", b64(data), b""]
    return join(lines + [b"--_005_mixed_--"])
