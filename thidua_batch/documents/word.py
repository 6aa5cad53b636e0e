"""The one Word engine: every paper the tool writes is a docxtpl template plus a context.

Templates are Word files a clerk can open and edit (`*_tpl.docx`), overridable file by file
from a folder. They are rendered with Jinja2, autoescape on (a "&" or "<" typed by a unit
stays text) and StrictUndefined (a misspelled variable is an error, never an empty gap).

A context is a frozen dataclass; every variable path a template may use is a field path of
that class, and a template set refuses, before anything is written, a template that uses
any other (`TemplateSet.check`).

Speed: a template is loaded once; docxtpl's patching of its XML is done once and the
result compiled once by Jinja. A document is then one Jinja render of word/document.xml
(and of headers/footers holding tags) appended to a zip whose other parts were
compressed once. No python-docx object is built per document.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import struct
import typing
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, nodes
from lxml import etree

from ..common.atomic import atomic_path


class WordTemplateError(Exception):
    """A Word template cannot be used; the message (Vietnamese) names the file and the variable."""


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def doc_text(text: object) -> str:
    """Text for a document: str, line ends as "\\n", characters XML cannot hold removed."""
    if text is None:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _XML_INVALID.sub("", text)



def as_dict(context) -> dict[str, object]:
    """A context dataclass as the mapping Jinja renders (top level only: values stay typed)."""
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}


# ====================================================================== rendering

def _environment() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined)


_RENDERED_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CELL_TAGS = re.compile(r"\{[{%]-?\s*(tc|colspan|cellbg|vm|hm)\b")
# A tab, line break, bell or form feed inside a text run (docxtpl's "listing" characters).
_LISTING_CHARS = re.compile("<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")


def _has_listing_char(xml: str) -> bool:
    """Whether a listing character occurs at all: a scan far cheaper than _LISTING_CHARS's, which
    most letters (no tab or line break typed anywhere) need not run."""
    return "\n" in xml or "\t" in xml or "\a" in xml or "\f" in xml


class CompiledTemplate:
    """A .docx template read, patched by docxtpl and compiled by Jinja once, rendered many times."""

    def __init__(self, path: Path, env: Environment | None = None):
        self.path = path
        self.env = env or _environment()
        self._docxtpl = DocxTemplate(path)  # only its XML helpers (patch, listing, tables) are used
        try:
            with zipfile.ZipFile(path) as zin:
                entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
        except (OSError, zipfile.BadZipFile) as exc:
            raise WordTemplateError(f"Không mở được mẫu văn bản “{path}”: không phải tệp Word .docx ({exc}).") \
                from exc
        if not any(info.filename == "word/document.xml" for info, _ in entries):
            raise WordTemplateError(f"Mẫu văn bản “{path}” không phải tệp Word .docx (thiếu word/document.xml).")
        self.sources: dict[str, str] = {}
        self.parts: list[tuple[str, object]] = []
        self.cell_tags = False
        self.static = _Zip()
        for info, blob in entries:
            if _RENDERED_PART.match(info.filename) and b"{" in blob:
                self._compile(info.filename, blob)
            else:
                self.static.add(info.filename, blob)

    def _compile(self, name: str, blob: bytes) -> None:
        try:
            xml = etree.tostring(etree.fromstring(blob), encoding="unicode")
        except etree.XMLSyntaxError as exc:
            raise WordTemplateError(f"Mẫu văn bản “{self.path.name}”: phần {name} hỏng ({exc}).") from exc
        if _CELL_TAGS.search(re.sub(r"<[^>]+>", "", xml)):
            self.cell_tags = True
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", self._docxtpl.patch_xml(xml))
        try:
            template = self.env.from_string(source)
        except TemplateError as exc:
            raise WordTemplateError(_syntax_message(self.path, exc)) from exc
        self.sources[name] = source
        self.parts.append((name, template))

    def render_part(self, template, context: dict[str, object]) -> bytes:
        try:
            xml = template.render(context)
        except TemplateError as exc:
            raise WordTemplateError(f"Mẫu văn bản “{self.path.name}”: lỗi khi điền dữ liệu: {jinja_words(exc)}.") from exc
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:    # (each pattern below holds one of the two)
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if _has_listing_char(xml) and _LISTING_CHARS.search(xml):
            xml = self._docxtpl.resolve_listing(xml)
        if self.cell_tags or "docPr" in xml:
            tree = self._docxtpl.fix_tables(xml)
            self._docxtpl.docx_ids_index = 1000
            self._docxtpl.fix_docpr_ids(tree)
            xml = etree.tostring(tree, encoding="unicode")
        return (_XML_DECLARATION + xml).encode("utf-8")

    def render(self, context: dict[str, object]) -> bytes:
        """The filled document as .docx bytes."""
        out = self.static.copy()
        for name, template in self.parts:
            out.add(name, self.render_part(template, context))
        return out.finish()


class _Zip:
    """A minimal zip writer. The template's unchanged parts are compressed once; a document
    copies them and adds its rendered parts (zipfile would re-read or re-compress them).
    Fixed times (1980-01-01) so that the same input gives the same bytes."""

    _LOCAL = struct.Struct("<IHHHHHIIIHH")
    _CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
    _END = struct.Struct("<IHHHHIIH")
    _DATE = (0 << 9) | (1 << 5) | 1
    _UTF8 = 0x800

    def __init__(self):
        self.blob = bytearray()
        self.central: list[bytes] = []

    def add(self, name: str, data: bytes) -> None:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        crc, raw, offset = zlib.crc32(data), name.encode("utf-8"), len(self.blob)
        self.blob += self._LOCAL.pack(0x04034B50, 20, self._UTF8, 8, 0, self._DATE, crc, len(packed), len(data),
                                      len(raw), 0) + raw + packed
        self.central.append(self._CENTRAL.pack(0x02014B50, 0x0314, 20, self._UTF8, 8, 0, self._DATE, crc,
                                               len(packed), len(data), len(raw), 0, 0, 0, 0, 0o100644 << 16,
                                               offset) + raw)

    def copy(self) -> _Zip:
        other = _Zip()
        other.blob, other.central = bytearray(self.blob), list(self.central)
        return other

    def finish(self) -> bytes:
        directory = b"".join(self.central)
        count = len(self.central)
        end = self._END.pack(0x06054B50, 0, 0, count, count, len(directory), len(self.blob), 0)
        return bytes(self.blob) + directory + end


# Jinja's syntax messages, said in Vietnamese for the clerk who edits a template in Word.
_JINJA_WORDS = (
    (r"Encountered unknown tag '([^']+)'\. Jinja was looking for the following tags: (.+?)\. "
     r"The innermost block that needs to be closed is '([^']+)'\.",
     lambda m: f"gặp thẻ “{m[1]}” trong khi khối “{m[3]}” chưa đóng (cần một trong các thẻ {_tags(m[2])})"),
    (r"Encountered unknown tag '([^']+)'\.", lambda m: f"thẻ “{m[1]}” không có khối nào mở trước nó"),
    (r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. "
     r"The innermost block that needs to be closed is '([^']+)'\.",
     lambda m: f"mẫu hết mà khối “{m[2]}” chưa đóng (thiếu một trong các thẻ {_tags(m[1])})"),
    (r"unexpected '([^']+)'", lambda m: f"dấu “{m[1]}” đặt sai chỗ (thẻ phải là {{{{ … }}}} hoặc {{% … %}})"),
    (r"expected token '([^']+)', got '([^']+)'", lambda m: f"cần “{_TOKENS.get(m[1], m[1])}” mà gặp “{m[2]}”"),
    (r"No filter named '([^']+)'", lambda m: f"không có bộ lọc “{m[1]}”"),
    (r"No test named '([^']+)'", lambda m: f"không có phép thử “{m[1]}”"),
)


_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "name": "tên", "end of template": "hết mẫu"}


def _tags(listed: str) -> str:
    return ", ".join(f"“{t}”" for t in re.findall(r"'([^']+)'", listed))


def jinja_words(exc: TemplateError) -> str:
    """What a Jinja error says about the template, in Vietnamese (its line numbers are the XML's, not
    anything the clerk sees in Word, so they are left out)."""
    text = exc.message or str(exc)
    for pattern, words in _JINJA_WORDS:
        found = re.search(pattern, text)
        if found:
            return words(found)
    return "cú pháp thẻ không hợp lệ"


def _syntax_message(path: Path, exc: TemplateError) -> str:
    return (f"Mẫu văn bản “{path.name}” có thẻ Jinja viết sai: {jinja_words(exc)}. "
            "Kiểm tra các cặp {{ }}, {%p %}, {%tr %} và các lệnh for/if/endfor/endif.")


@functools.lru_cache(maxsize=32)
def _load(path: Path, mtime_ns: int, size: int, context_cls: type) -> CompiledTemplate:
    compiled = CompiledTemplate(path)
    problems = _unknown_paths(compiled, context_cls)
    if problems:
        raise WordTemplateError(_unknown_message(path, problems))
    return compiled


@dataclass(frozen=True)
class TemplateSet:
    """The templates of one kind of paper: file name → the context class it is rendered with,
    shipped in `shipped_dir`, each overridable by a file of the same name in a clerk's folder."""

    shipped_dir: Path
    contexts: dict[str, type]

    def path(self, name: str, templates_dir: str | Path | None = None) -> Path:
        """The clerk's template in `templates_dir` when present, else the shipped one."""
        if templates_dir is not None:
            if not Path(templates_dir).is_dir():
                raise WordTemplateError(f"Không tìm thấy thư mục mẫu văn bản “{templates_dir}”.")
            custom = Path(templates_dir) / name
            if custom.exists():
                return custom
        return self.shipped_dir / name

    def load(self, name: str, templates_dir: str | Path | None = None) -> CompiledTemplate:
        path = self.path(name, templates_dir)
        try:
            stat = path.stat()
        except OSError as exc:
            raise WordTemplateError(f"Không tìm thấy mẫu văn bản “{path}”.") from exc
        return _load(path, stat.st_mtime_ns, stat.st_size, self.contexts[name])

    def render(self, name: str, context, templates_dir: str | Path | None = None) -> bytes:
        return self.load(name, templates_dir).render(as_dict(context))

    def write(self, name: str, context, target: Path, templates_dir: str | Path | None = None) -> Path:
        data = self.render(name, context, templates_dir)
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        return target

    def check(self, templates_dir: str | Path | None = None) -> None:
        """Raise WordTemplateError when a template (the clerk's in `templates_dir`, else the shipped
        one) cannot be opened, has a Jinja syntax error, or uses a variable the context does not have."""
        if templates_dir is not None and not Path(templates_dir).is_dir():
            raise WordTemplateError(f"Không tìm thấy thư mục mẫu văn bản “{templates_dir}”.")
        messages = []
        if templates_dir is not None:
            # A misnamed template would otherwise be passed over and the shipped one used instead.
            strays = sorted(p.name for p in Path(templates_dir).glob("*_tpl.docx") if p.name not in self.contexts)
            if strays:
                messages.append(f"Thư mục mẫu có tệp không đúng tên: {', '.join(strays)}. Các tên mẫu hợp lệ: "
                                f"{', '.join(self.contexts)}.")
        for name in self.contexts:
            path = self.path(name, templates_dir)
            try:
                compiled = self.load(name, templates_dir)
            except WordTemplateError as exc:
                messages.append(str(exc))
                continue
            unknown = _undeclared_top_level(path, compiled, self.contexts[name])
            if unknown:
                messages.append(_unknown_message(path, [(u, sorted(_fields(self.contexts[name]))) for u in unknown]))
        if messages:
            raise WordTemplateError("\n".join(messages))




# ====================================================================== checking templates

_ANY = ("any",)
_JINJA_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs",
                  "kwargs", "true", "false", "none", "True", "False", "None"}


def _shape(tp) -> tuple:
    """What a template can do with a value of this type: ("obj", cls), ("list", elem), ("leaf", type)."""
    if dataclasses.is_dataclass(tp):
        return ("obj", tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and args:
        return ("list", _shape(args[0]))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        real = [a for a in args if a is not type(None)]
        return _shape(real[0]) if len(real) == 1 else _ANY
    if tp in (str, int, float, bool):
        return ("leaf", tp)
    return _ANY


@functools.lru_cache(maxsize=None)
def _fields(cls) -> dict[str, object]:
    return typing.get_type_hints(cls)


def context_variables(cls, prefix: str = "") -> list[str]:
    """Every variable path a template of this context may use: "org.name", "annex.collectives[].stt"…"""
    out = []
    for name, tp in _fields(cls).items():
        out.extend(_paths(prefix + name, _shape(tp)))
    return out


def _paths(path: str, shape: tuple) -> list[str]:
    if shape[0] == "obj":
        return [p for name, tp in _fields(shape[1]).items() for p in _paths(f"{path}.{name}", _shape(tp))]
    if shape[0] == "list":
        inner = _paths(path + "[]", shape[1])
        return inner if shape[1][0] == "obj" else [path + "[]"]
    return [path]


class _Checker:
    """Walks a compiled template's AST: every name and attribute path must exist in the context."""

    def __init__(self, context_cls):
        self.top = {name: _shape(tp) for name, tp in _fields(context_cls).items()}
        self.problems: list[tuple[str, list[str]]] = []  # (path as written, the names possible there)

    def check(self, ast) -> None:
        self._walk_all(ast.body, dict(self.top))

    def _walk_all(self, items, scope) -> None:
        for item in items:
            self._walk(item, scope)

    def _walk(self, node, scope) -> None:
        if isinstance(node, nodes.For):
            shape = self._expr(node.iter, scope)
            inner = dict(scope)
            elem = shape[1] if shape[0] == "list" else _ANY
            self._bind(node.target, elem, inner)
            inner["loop"] = _ANY
            if node.test is not None:
                self._expr(node.test, inner)
            self._walk_all(node.body, inner)
            self._walk_all(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            shape = self._expr(node.node, scope)
            self._bind(node.target, shape, scope)
        elif isinstance(node, nodes.AssignBlock):
            self._walk_all(node.body, scope)
            self._bind(node.target, _ANY, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                self._bind(arg, _ANY, inner)
            for default in node.defaults:
                self._expr(default, scope)
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
                inner[node.name] = _ANY
            else:
                self._expr(node.call, scope)
            inner["caller"] = _ANY
            self._walk_all(node.body, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self._bind(target, self._expr(value, scope), inner)
            self._walk_all(node.body, inner)
        elif isinstance(node, nodes.Expr):
            self._expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self._walk(child, scope)

    def _bind(self, target, shape, scope) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _ANY, scope)

    def _expr(self, node, scope) -> tuple:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in _JINJA_GLOBALS:
                self.problems.append((node.name, sorted(scope)))
            return _ANY
        if isinstance(node, nodes.Getattr):
            return self._attr(node, self._expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self._expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._attr(node, base, node.arg.value)
            self._expr(node.arg, scope)
            return base[1] if base[0] == "list" else _ANY
        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined"):
            return _ANY  # a guarded lookup: the template expects it may be missing
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self._expr(child, scope)
            else:
                self._walk(child, scope)
        return _ANY

    def _attr(self, node, base: tuple, name: str) -> tuple:
        kind = base[0]
        if kind == "obj":
            fields = _fields(base[1])
            if name in fields:
                return _shape(fields[name])
            self.problems.append((_written(node), sorted(fields)))
            return _ANY
        if kind in ("leaf", "list"):
            pytype = base[1] if kind == "leaf" else list
            if not hasattr(pytype, name):
                self.problems.append((_written(node), []))
        return _ANY


def _written(node) -> str:
    """The expression as the clerk wrote it: "decision.totl", "row.nmae"."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg.value if isinstance(node.arg, nodes.Const) else "…"
        return f"{_written(node.node)}[{arg!r}]"
    return "…"


def _unknown_paths(compiled: CompiledTemplate, context_cls) -> list[tuple[str, list[str]]]:
    checker = _Checker(context_cls)
    for source in compiled.sources.values():
        checker.check(compiled.env.parse(source))
    seen, out = set(), []
    for written, possible in checker.problems:
        if written not in seen:
            seen.add(written)
            out.append((written, possible))
    return out


def _unknown_message(path: Path, problems: list[tuple[str, list[str]]]) -> str:
    parts = []
    for written, possible in problems:
        last = written.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(last, possible, n=1)
        hint = ""
        if close:
            head = written.rsplit(".", 1)[0] + "." if "." in written else ""
            hint = f" (có phải “{head}{close[0]}”?)"
        elif possible:
            hint = f" (ở chỗ này chỉ có: {', '.join(possible)})"
        parts.append(f"“{written}”{hint}")
    return (f"Mẫu văn bản “{path.name}” ({path}) dùng biến không có trong dữ liệu: {'; '.join(parts)}. "
            "Sửa lại tên biến trong tệp Word cho đúng.")


def _undeclared_top_level(path: Path, compiled: CompiledTemplate, context_cls) -> list[str]:
    """docxtpl's own view of the variables the template needs (body, headers, footers)."""
    try:
        names = DocxTemplate(path).get_undeclared_template_variables(compiled.env)
    except TemplateError as exc:
        raise WordTemplateError(_syntax_message(path, exc)) from exc
    known = set(_fields(context_cls)) | _JINJA_GLOBALS
    return sorted(n for n in names if n not in known)
