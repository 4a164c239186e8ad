"""The materials library: shipped TOML tables plus user files, and the bibliography.

``load_library()`` returns the validated default library (read once with
:mod:`importlib.resources` and cached); ``load_library(["mine.toml"])`` adds or overrides
materials from user files, validated the same way. There is no global mutable registry: a
:class:`Library` is an immutable value.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from hylyte.errors import MaterialError, UnknownMaterialError
from hylyte.materials.schema import Material, from_law_table, material_from_table

DATA_FILES: tuple[str, ...] = (
    "ceramics.toml", "polymers.toml", "fillers.toml", "electrodes.toml", "other.toml"
)
BIB_FILE = "references.bib"


# --------------------------------------------------------------------------- bibliography


@dataclass(frozen=True, slots=True)
class BibEntry:
    """One BibTeX entry.

    Attributes
    ----------
    key : str
        Citation key.
    entry_type : str
        ``article``, ``book``, ...
    fields : dict
        Lower-case field name -> raw value (braces removed at the outer level).
    text : str
        The entry as written in the file.
    """

    key: str
    entry_type: str
    fields: Mapping[str, str]
    text: str

    @property
    def doi(self) -> str | None:
        """DOI (without ``doi:`` or URL prefix), if any."""
        return self.fields.get("doi")

    @property
    def isbn(self) -> str | None:
        """ISBN, for books."""
        return self.fields.get("isbn")

    def short(self) -> str:
        """Short citation: ``Murugan et al. (2007) Angewandte Chemie ..., 46, 7778``."""
        authors = [a.strip() for a in self.fields.get("author", "").split(" and ") if a.strip()]
        first = authors[0].split(",")[0].strip() if authors else self.key
        who = first + (" et al." if len(authors) > 2 else
                       f" and {authors[1].split(',')[0].strip()}" if len(authors) == 2 else "")
        venue = self.fields.get("journal") or self.fields.get("publisher") or ""
        vol = self.fields.get("volume")
        pages = self.fields.get("pages", "").split("--")[0]
        tail = ", ".join(x for x in (venue, vol, pages) if x)
        return _delatex(f"{who} ({self.fields.get('year', 'n.d.')}) {tail}".strip())

    def to_dict(self) -> dict[str, Any]:
        """``{key, doi, isbn, citation, title, note}``."""
        return {
            "key": self.key,
            "doi": self.doi,
            "isbn": self.isbn,
            "citation": self.short(),
            "title": _delatex(self.fields.get("title", "")),
            "note": self.fields.get("note"),
        }


def _delatex(text: str) -> str:
    text = re.sub(r"\{\\[\"'`^~]\{?(\w)\}?\}", r"\1", text)
    text = re.sub(r"\\[\"'`^~]\{?(\w)\}?", r"\1", text)
    text = text.replace(r"{\ss}", "ss").replace(r"\&", "&")
    return text.replace("{", "").replace("}", "")


def _braced(text: str, start: int) -> int:
    """Index just after the brace group that opens at ``text[start] == '{'``."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise MaterialError(f"{BIB_FILE}: unbalanced braces in the entry starting at offset {start}")


_FIELD = re.compile(r"\s*,?\s*([A-Za-z_-]+)\s*=\s*")


def parse_bibtex(text: str, *, source: str = BIB_FILE) -> dict[str, BibEntry]:
    """Parse BibTeX text into entries (brace-delimited values; ``%`` comment lines skipped).

    Raises
    ------
    MaterialError
        Duplicate keys or malformed entries (the message names the key).
    """
    entries: dict[str, BibEntry] = {}
    for m in re.finditer(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", text, flags=re.MULTILINE):
        etype, key = m.group(1).lower(), m.group(2)
        end = _braced(text, text.index("{", m.start()))
        body = text[m.end():end - 1]
        fields: dict[str, str] = {}
        pos = 0
        while True:
            fm = _FIELD.match(body, pos)
            if not fm:
                break
            name = fm.group(1).lower()
            vstart = fm.end()
            if vstart < len(body) and body[vstart] == "{":
                vend = _braced(body, vstart)
                value = body[vstart + 1:vend - 1]
            elif vstart < len(body) and body[vstart] == '"':
                vend = body.index('"', vstart + 1) + 1
                value = body[vstart + 1:vend - 1]
            else:
                vm = re.match(r"[^,}\s]+", body[vstart:])
                if not vm:
                    raise MaterialError(f"{source}: entry {key!r}: cannot read field {name!r}")
                vend = vstart + vm.end()
                value = vm.group(0)
            fields[name] = " ".join(value.split())
            pos = vend
        if key in entries:
            raise MaterialError(f"{source}: duplicate BibTeX key {key!r}")
        entries[key] = BibEntry(key, etype, fields, text[m.start():end])
    return entries


@functools.cache
def _default_bib() -> dict[str, BibEntry]:
    text = (files("hylyte.materials") / "data" / BIB_FILE).read_text(encoding="utf-8")
    return parse_bibtex(text)


def bibliography() -> dict[str, BibEntry]:
    """All entries of the shipped ``references.bib`` (key -> :class:`BibEntry`)."""
    return dict(_default_bib())


# --------------------------------------------------------------------------- library


class Library:
    """An immutable collection of materials with their bibliography.

    Use :func:`load_library` to build one. Look-ups are case-insensitive and accept aliases.
    """

    __slots__ = ("_bib", "_index", "_materials")

    def __init__(self, materials: Mapping[str, Material], bib: Mapping[str, BibEntry]) -> None:
        self._materials = dict(materials)
        self._bib = dict(bib)
        index: dict[str, str] = {}
        for name, mat in self._materials.items():
            for label in (name, *mat.aliases):
                index.setdefault(_norm(label), name)
        for name in self._materials:  # canonical names win over aliases
            index[_norm(name)] = name
        self._index = index

    def __repr__(self) -> str:
        return f"Library({len(self._materials)} materials, {len(self._bib)} references)"

    def __len__(self) -> int:
        return len(self._materials)

    def __iter__(self) -> Iterator[Material]:
        return iter(self._materials[n] for n in self.names())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _norm(name) in self._index

    def names(self, kind: str | None = None) -> list[str]:
        """Canonical material names, sorted, optionally only those of one ``kind``."""
        return sorted(n for n, m in self._materials.items() if kind is None or m.kind == kind)

    def get(self, name: str) -> Material:
        """The material called ``name`` (case-insensitive; aliases accepted).

        Raises
        ------
        UnknownMaterialError
            No such material; ``suggestions`` lists close names.
        """
        if not isinstance(name, str):
            raise UnknownMaterialError(repr(name))
        key = self._index.get(_norm(name))
        if key is None:
            labels = {_norm(k): k for k in self._index}
            close = difflib.get_close_matches(_norm(name), list(labels), n=5, cutoff=0.5)
            if not close:  # nothing similar: still offer the nearest names
                close = difflib.get_close_matches(_norm(name), list(labels), n=5, cutoff=0.0)
            suggestions: list[str] = []
            for c in close:
                canonical = self._index[c]
                if canonical not in suggestions:
                    suggestions.append(canonical)
            raise UnknownMaterialError(name, suggestions[:3])
        return self._materials[key]

    __getitem__ = get

    @property
    def bib(self) -> Mapping[str, BibEntry]:
        """The bibliography (key -> :class:`BibEntry`)."""
        return dict(self._bib)

    def bibtex(self, keys: Sequence[str]) -> str:
        """BibTeX text of the given keys (unknown keys raise; ``doi:`` literals are skipped).

        Raises
        ------
        MaterialError
            A key is not in the bibliography.
        """
        out = []
        for key in sorted(set(keys)):
            if key.startswith("doi:"):
                continue
            if key not in self._bib:
                raise MaterialError(f"reference key {key!r} is not in {BIB_FILE}")
            out.append(self._bib[key].text)
        return "\n\n".join(out) + ("\n" if out else "")

    def references(self, name: str) -> list[dict[str, Any]]:
        """References behind material ``name``: ``[{key, doi, isbn, citation, title, note}]``."""
        out = []
        for key in self.get(name).references:
            if key.startswith("doi:"):
                out.append({"key": key, "doi": key[4:], "isbn": None, "citation": key,
                            "title": "", "note": "given in a user file"})
            else:
                out.append(self._bib[key].to_dict())
        return out

    def to_dict(self) -> dict[str, Any]:
        """``{name: material.to_dict()}``."""
        return {n: self._materials[n].to_dict() for n in self.names()}


def _norm(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise MaterialError(f"{source}: not valid TOML ({err})") from err


@functools.cache
def _default_tables() -> dict[str, dict[str, Any]]:
    """Raw TOML tables of the shipped materials, keyed by normalised name and alias."""
    out: dict[str, dict[str, Any]] = {}
    for fname in DATA_FILES:
        text = (files("hylyte.materials") / "data" / fname).read_text(encoding="utf-8")
        for name, table in _read_toml(text, fname).items():
            for label in (name, *table.get("aliases", [])):
                out[_norm(label)] = table
    return out


def _resolve_base(name: str, table: Mapping[str, Any], source: str,
                  user_tables: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Merge a user table that says ``base = "NAME"`` over the table of material NAME.

    Top-level keys of the user table replace those of the base (a user ``conductivity``
    table replaces the base law as a whole, and drops the base's ``sigma25`` range, which
    describes the base's law); the base's aliases are not inherited.
    """
    table = dict(table)
    base = table.pop("base", None)
    if base is None:
        return table
    if not isinstance(base, str):
        raise MaterialError(f"{source}: material {name!r}: base must be a material name, "
                            f"got {base!r}")
    parent = user_tables.get(_norm(base)) or _default_tables().get(_norm(base))
    if parent is None:
        close = difflib.get_close_matches(base, sorted(_default_tables()), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise MaterialError(f"{source}: material {name!r}: base {base!r} is not a known "
                            f"material{hint}")
    merged = {k: v for k, v in parent.items() if k != "aliases"}
    if "conductivity" in table and "sigma25" not in table:
        merged.pop("sigma25", None)  # the base's 25 degC range describes the base's law
    merged.update(table)
    return merged


def _materials_from(data: Mapping[str, Any], source: str, keys: frozenset[str], *,
                    user: bool) -> dict[str, Material]:
    out: dict[str, Material] = {}
    for name, table in data.items():
        out[name] = material_from_table(name, table, file=source, bib_keys=keys,
                                        allow_doi_literal=user)
    return out


@functools.cache
def _default_materials() -> dict[str, Material]:
    keys = frozenset(_default_bib())
    out: dict[str, Material] = {}
    seen: dict[str, str] = {}
    for fname in DATA_FILES:
        text = (files("hylyte.materials") / "data" / fname).read_text(encoding="utf-8")
        for name, mat in _materials_from(_read_toml(text, fname), fname, keys, user=False).items():
            for label in (name, *mat.aliases):
                if _norm(label) in seen:
                    raise MaterialError(
                        f"{fname}: material {name!r}: name or alias {label!r} is already used "
                        f"by {seen[_norm(label)]!r}"
                    )
                seen[_norm(label)] = name
            out[name] = mat
    return out


@functools.cache
def _default_library() -> Library:
    return Library(_default_materials(), _default_bib())


def load_library(
    extra: Sequence[str | os.PathLike[str]] = (), *, include_defaults: bool = True
) -> Library:
    """Load the materials library, optionally with user material files.

    Parameters
    ----------
    extra : sequence of path
        User TOML files; their materials are added, and replace shipped materials of the
        same name (matched case-insensitively, also against aliases). Later files win.
    include_defaults : bool, default True
        Start from the shipped materials; ``False`` gives only the user files' materials
        (the bibliography is always available).

    Notes
    -----
    A user material may start from a library material with ``base = "NAME"``: it inherits
    every property of NAME that it does not set itself (each top-level table such as
    ``conductivity`` is replaced as a whole). This is how a fitted law is stored beside the
    library's other properties of the same material.

    Returns
    -------
    Library

    Raises
    ------
    MaterialError
        A file is missing, not valid TOML, or a material in it is invalid (the message names
        the file, material, field and value).
    """
    if not extra and include_defaults:
        return _default_library()
    bib = _default_bib()
    keys = frozenset(bib)
    materials: dict[str, Material] = dict(_default_materials()) if include_defaults else {}
    user_tables: dict[str, Mapping[str, Any]] = {}
    for path in extra:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError as err:
            raise MaterialError(f"material file {str(p)!r} not found") from err
        except OSError as err:
            raise MaterialError(f"material file {str(p)!r} cannot be read: {err}") from err
        tables = _read_toml(text, str(p))
        for name in list(tables):
            if not isinstance(tables[name], dict):
                raise MaterialError(f"{p}: {name!r} must be a table of properties, "
                                    f"got {tables[name]!r}")
            tables[name] = _resolve_base(name, tables[name], str(p), user_tables)
            for label in (name, *tables[name].get("aliases", [])):
                user_tables[_norm(label)] = tables[name]
        for name, mat in _materials_from(tables, str(p), keys, user=True).items():
            labels = {_norm(x) for x in (name, *mat.aliases)}
            for old in [n for n, m in materials.items()
                        if {_norm(x) for x in (n, *m.aliases)} & labels]:
                del materials[old]
            materials[name] = mat
    return Library(materials, bib)


def get_material(name: str) -> Material:
    """Material ``name`` from the default library (see :meth:`Library.get`)."""
    return _default_library().get(name)


__all__ = [
    "BibEntry",
    "Library",
    "bibliography",
    "from_law_table",
    "get_material",
    "load_library",
    "parse_bibtex",
]
