"""Content as documents (issue 18): the YAML text of each guide, lesson, FAQ topic and the
ward settings, read from a content folder, compared, written back as a folder, diffed.

The database keeps versions of these texts (``classroom.services.content_store``); this
module is what turns a folder into documents (import, seed) and documents into a folder
that ``load_catalog`` and the kiosk bundle read (the published content, an export).
A folder written from documents holds each text exactly as stored, so export → import →
export gives identical files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from content.loader import OWN_SETTINGS, SECTIONS, YamlLoader, section_files, settings_path

#: kind -> content section directory
FOLDERS: dict[str, str] = {kind: section for section, kind in SECTIONS.items()}
#: the ward settings are one item of kind "settings"
SETTINGS_KIND, SETTINGS_SLUG = "settings", "ward"
#: files of a content folder besides the sections and settings that travel with it
EXTRA_FILES = ("synonyms.yaml",)


@dataclass(frozen=True)
class Doc:
    """A document: what kind, which one (the file name without .yaml), its YAML text."""

    kind: str
    slug: str
    body: str


def parse(body: str) -> Any:
    """The parsed YAML (a YAML error is raised as is: the caller shows its line)."""
    return yaml.load(body, Loader=YamlLoader)


def same(a: str, b: str) -> bool:
    """True when two texts mean the same content (comments and layout aside)."""
    if a == b:
        return True
    try:
        return parse(a) == parse(b)
    except yaml.YAMLError:
        return False


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order written, long lines kept whole, Japanese as is."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    """YAML text for ``data`` as the shipped files are written (what an edit on the site
    saves); parsing it gives ``data`` back."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
        indent=2,
    )


def folder_documents(root: Path) -> list[Doc]:
    """Every guide, lesson and FAQ topic under ``root``, and the settings in effect there."""
    docs = [
        Doc(SECTIONS[section], path.stem, path.read_text(encoding="utf-8"))
        for section, paths in section_files(root).items()
        for path in paths
    ]
    settings = settings_path(root)
    if settings.is_file():
        docs.append(Doc(SETTINGS_KIND, SETTINGS_SLUG, settings.read_text(encoding="utf-8")))
    return docs


def document_path(kind: str, slug: str) -> str:
    """Where a document lives in a content folder."""
    if kind == SETTINGS_KIND:
        return OWN_SETTINGS
    return f"{FOLDERS[kind]}/{slug}.yaml"


def write_folder(
    target: Path,
    docs: Iterable[Doc],
    media_from: Path | None = None,
    uploads: Mapping[str, bytes] | None = None,
    extras_from: Path | None = None,
) -> None:
    """Write ``docs`` as a content folder at ``target`` (created; replaced atomically when it
    exists): each text as stored, the shipped pictures of ``media_from``/media, uploaded
    pictures under media/, and the extra files (synonyms) of ``extras_from``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        for section in SECTIONS:
            (work / section).mkdir()
        for doc in docs:
            path = work / document_path(doc.kind, doc.slug)
            path.write_text(doc.body, encoding="utf-8")
        if media_from is not None and (media_from / "media").is_dir():
            shutil.copytree(media_from / "media", work / "media")
        for name, data in (uploads or {}).items():
            path = (work / "media" / name).resolve()
            if not path.is_relative_to((work / "media").resolve()):
                continue  # a stored name never leaves media/ (the upload names it)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for name in EXTRA_FILES if extras_from is not None else ():
            source = extras_from / name
            if source.is_file():
                shutil.copy2(source, work / name)
        os.chmod(work, 0o755)
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            os.replace(target, old)
            os.replace(work, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


# -- what changed between two versions ------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field that differs: its path (``steps[2].text.ja``), the old and the new value
    (None where the field is absent)."""

    path: str
    old: str | None
    new: str | None


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _flatten(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for n, inner in enumerate(value, 1):
            yield from _flatten(inner, f"{path}[{n}]")
    else:
        yield path, _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def changes(old_body: str | None, new_body: str) -> list[Change]:
    """The fields that differ between two texts, in the new text's order (removed ones last)."""
    old = dict(_flatten(parse(old_body))) if old_body else {}
    new = dict(_flatten(parse(new_body)))
    found = [
        Change(path, old.get(path), value) for path, value in new.items() if old.get(path) != value
    ]
    found += [Change(path, value, None) for path, value in old.items() if path not in new]
    return found
