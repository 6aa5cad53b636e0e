"""Reading IMAP FETCH and LIST answers (RFC 3501 §7.4.2, §7.2.2) as imaplib hands them over:
a list of byte lines and (line, literal) pairs. One FETCH command answers for hundreds of
messages; each becomes a dict of its items (UID, RFC822.SIZE, INTERNALDATE, BODYSTRUCTURE, the
header fields), so `mail fetch` decides what to download without a round trip per message."""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass


class _Literal(bytes):
    """A string sent as {n} literal: kept apart so it is never taken for an atom or a parenthesis."""


def _segments(data) -> list[bytes | _Literal]:
    out: list[bytes | _Literal] = []
    for item in data or ():
        if isinstance(item, tuple):
            line, literal = item[0], item[1]
            out.append(re.sub(rb"\{\d+\}\s*$", b"", line))
            out.append(_Literal(literal))
        elif isinstance(item, bytes):
            out.append(item)
    return out


def _tokens(data) -> list[object]:
    """"(", ")", atoms (bytes), quoted strings and literals (_Literal), None for NIL."""
    tokens: list[object] = []
    for segment in _segments(data):
        if isinstance(segment, _Literal):
            tokens.append(segment)
            continue
        at, end = 0, len(segment)
        while at < end:
            char = segment[at:at + 1]
            if char in b" \r\n\t":
                at += 1
            elif char in b"()":
                tokens.append(char.decode())
                at += 1
            elif char == b'"':
                at += 1
                value = bytearray()
                while at < end and segment[at:at + 1] != b'"':
                    if segment[at:at + 1] == b"\\" and at + 1 < end:
                        at += 1
                    value += segment[at:at + 1]
                    at += 1
                at += 1
                tokens.append(_Literal(bytes(value)))
            else:
                start, depth = at, 0
                while at < end:   # an atom; "BODY[HEADER.FIELDS (A B)]" is one, brackets and all
                    c = segment[at:at + 1]
                    if c == b"[":
                        depth += 1
                    elif c == b"]":
                        depth -= 1
                    elif depth <= 0 and c in b" ()\r\n\t":
                        break
                    at += 1
                atom = segment[start:at]
                tokens.append(None if atom.upper() == b"NIL" else atom)
    return tokens


def _nest(tokens: list[object]) -> list[object]:
    stack: list[list[object]] = [[]]
    for token in tokens:
        if token == "(":
            stack.append([])
        elif token == ")":
            if len(stack) > 1:
                done = stack.pop()
                stack[-1].append(done)
        else:
            stack[-1].append(token)
    while len(stack) > 1:
        done = stack.pop()
        stack[-1].append(done)
    return stack[0]


def fetch_items(data) -> list[dict[str, object]]:
    """`imap.uid("FETCH", ...)` data → one dict per message: {"UID": b"5", "RFC822.SIZE": b"123",
    "BODYSTRUCTURE": [...], "BODY[HEADER.FIELDS (...)]": b"...", ...} (keys upper case)."""
    tree = _nest(_tokens(data))
    messages = []
    for index, node in enumerate(tree):
        if isinstance(node, list) and index > 0 and isinstance(tree[index - 1], bytes):
            items: dict[str, object] = {}
            for key, value in zip(node[0::2], node[1::2]):
                if isinstance(key, bytes):
                    name = key.decode("ascii", "replace").upper()
                    items[re.sub(r"<\d+>$", "", name).replace("BODY.PEEK[", "BODY[")] = value
            messages.append(items)
    return messages


def header_block(items: dict[str, object]) -> bytes:
    for key, value in items.items():
        if key.startswith("BODY[") and isinstance(value, bytes):
            return bytes(value)
    return b""


def _text(value: object) -> str:
    return bytes(value).decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _params(node: object) -> dict[str, str]:
    if not isinstance(node, list):
        return {}
    return {_text(k).lower(): _text(v) for k, v in zip(node[0::2], node[1::2])}


@dataclass(frozen=True)
class Part:
    """A leaf of a BODYSTRUCTURE: its type, its parameters and disposition (names lower case)."""

    kind: str                       # "application/vnd.ms-excel"
    params: dict[str, str]
    content_id: str
    disposition: str                # "attachment", "inline", ""
    disposition_params: dict[str, str]

    @property
    def has_name(self) -> bool:
        return any(k == "name" or k.startswith("name*") for k in self.params) or \
            any(k == "filename" or k.startswith("filename*") for k in self.disposition_params)


def leaves(structure: object) -> list[Part]:
    """Every leaf part of a BODYSTRUCTURE; a message/rfc822 part is a leaf (a forwarded mail)."""
    if not isinstance(structure, list) or not structure:
        return []
    if isinstance(structure[0], list):   # multipart: parts..., subtype, [extensions]
        found = []
        for node in structure:
            if isinstance(node, list) and node and (isinstance(node[0], list) or isinstance(node[0], bytes)):
                found += leaves(node)
            elif not isinstance(node, list):
                break
        return found
    kind = f"{_text(structure[0])}/{_text(structure[1])}".lower() if len(structure) > 1 else ""
    params = _params(structure[2]) if len(structure) > 2 else {}
    # The disposition follows the basic fields (7), the text lines (1) or the rfc822 triple (3), and the MD5.
    base = 7 + (1 if kind.startswith("text/") else 3 if kind == "message/rfc822" else 0)
    disposition, disposition_params = "", {}
    for candidate in (base + 1, base):
        node = structure[candidate] if len(structure) > candidate else None
        if isinstance(node, list) and node and isinstance(node[0], bytes) and \
                _text(node[0]).lower() in ("attachment", "inline"):
            disposition, disposition_params = _text(node[0]).lower(), _params(node[1] if len(node) > 1 else None)
            break
    content_id = _text(structure[3]) if len(structure) > 3 else ""
    return [Part(kind, params, content_id, disposition, disposition_params)]


def list_names(data) -> list[str]:
    """`imap.list()` data → the folder names, decoded from modified UTF-7."""
    names = []
    for item in data or ():
        tokens = _nest(_tokens([item]))
        if len(tokens) >= 3:
            name = tokens[-1]
            if isinstance(name, bytes):
                names.append(decode_utf7(bytes(name).decode("ascii", "replace")))
    return names


def decode_utf7(text: str) -> str:
    """IMAP's modified UTF-7 (RFC 3501 §5.1.3): "Kh&AOk-n" → "Khén"."""
    out, at = [], 0
    while at < len(text):
        if text[at] == "&":
            end = text.find("-", at)
            if end < 0:
                out.append(text[at:])
                break
            chunk = text[at + 1:end]
            if not chunk:
                out.append("&")
            else:
                padded = chunk.replace(",", "/") + "=" * (-len(chunk) % 4)
                try:
                    out.append(base64.b64decode(padded).decode("utf-16-be"))
                except (ValueError, UnicodeDecodeError):
                    out.append(text[at:end + 1])
            at = end + 1
        else:
            out.append(text[at])
            at += 1
    return "".join(out)
