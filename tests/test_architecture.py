"""The package's tree is its pipeline (style.md): no module imports from a later stage."""
from __future__ import annotations

import ast
from pathlib import Path

import thidua_batch

PACKAGE = Path(thidua_batch.__file__).parent
# Stages in flow order; a module may import from its own stage or an earlier one.
# batch.py (the library's entry points) sits before mail and the web page, which call it; cli.py is last.
STAGES = ["common", "config", "model", "intake", "checks", "documents", "register", "certificates", "conference",
          "batch", "mail", "web", "<top>"]
MODULE_STAGES = {"thidua_batch.batch": "batch"}


def _stage(module: str) -> int:
    """"thidua_batch.intake.reader" → index of "intake"; top-level modules come last."""
    if module in MODULE_STAGES:
        return STAGES.index(MODULE_STAGES[module])
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in STAGES:
        return STAGES.index(parts[1])
    return STAGES.index("<top>")


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    """Package modules imported by PATH (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("thidua_batch"):
                found.append(target)
                found += [f"{target}.{alias.name}" for alias in node.names
                          if (PACKAGE.parent / f"{target}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("thidua_batch")]
    return found


def test_every_module_lives_in_a_stage_folder():
    top_level = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top_level == ["__init__.py", "__main__.py", "batch.py", "cli.py"] or \
        top_level == ["__init__.py", "batch.py", "cli.py"], top_level
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__"))
    assert set(STAGES[:-1]) - set(MODULE_STAGES.values()) <= set(folders), folders


def test_no_module_imports_from_a_later_stage():
    backwards = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _module_name(path)
        for target in _imports(path):
            if _stage(target) > _stage(here):
                backwards.append(f"{here} imports {target}")
    assert backwards == []


def test_the_checker_sees_a_backward_import(tmp_path):
    """The rule above can fail: a reader importing a writer is caught."""
    assert _stage("thidua_batch.documents.drafts") > _stage("thidua_batch.intake.reader")
    reader = PACKAGE / "intake" / "reader.py"
    assert any(t.startswith("thidua_batch.model") for t in _imports(reader))


def test_drafts_keep_only_their_contexts():
    """The Word engine is its own module; drafts.py stays short."""
    drafts = (PACKAGE / "documents" / "drafts.py").read_text("utf-8")
    assert len(drafts.splitlines()) < 400
    assert "class CompiledTemplate" in (PACKAGE / "documents" / "word.py").read_text("utf-8")
    assert "CompiledTemplate" not in drafts
