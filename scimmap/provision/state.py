"""State between cycles: which source object is linked to which target object, and what was exported.

Entra caches the target id of every object it created or matched and runs all later operations on
that id; it keeps a watermark so that incremental cycles only look at objects that changed.  scimmap
keeps the same in one JSON file (``--state``):

- one :class:`Link` per provisioned object: the target id, the source as last imported (a disable of
  an unassigned user needs it), the source fingerprint once the object was fully handled (None while a
  reference is still to be linked), the member and manager ids last exported;
- the fingerprint of the mapping tables: a change to the mappings or the scoping starts a new initial
  cycle, as in Entra.

Writes are crash-safe without rewriting the whole file per object: every change is appended to a
journal (``FILE.journal``, one JSON line, flushed to the operating system) right after the write that
caused it succeeded, and the journal is folded into the state file atomically (temporary file, fsync,
rename) when the state is opened and at the end of a cycle.  A process killed mid-cycle loses at most
the link of the request in flight, and the next cycle's matching finds that object again, so no
duplicate is created.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from attrs import asdict, evolve, field, frozen

from scimmap.errors import Diagnostic
from scimmap.provision.protocol import ProvisioningError

STATE_VERSION = 1


def _ids(items: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in items or ())


@frozen
class Link:
    """What the state remembers about one provisioned object."""

    target_id: str
    fingerprint: str | None = None
    source: dict[str, Any] = field(factory=dict)
    members: tuple[str, ...] = field(default=(), converter=_ids)
    manager: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["members"] = list(self.members)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Link:
        if not isinstance(data, dict) or not isinstance(data.get("target_id"), str):
            raise ValueError("a link needs a target_id")
        return cls(
            target_id=data["target_id"],
            fingerprint=data.get("fingerprint"),
            source=dict(data.get("source") or {}),
            members=data.get("members") or (),
            manager=data.get("manager"),
        )

    def evolve(self, **changes: Any) -> Link:
        return evolve(self, **changes)


def _key(kind: str, source_id: str) -> str:
    return f"{kind}/{source_id}"


def _invalid(path: Path, message: str) -> ProvisioningError:
    return ProvisioningError(
        Diagnostic(
            "invalid-state",
            f"{path}: {message}",
            hint="the state file is scimmap's own; delete it to start over with a new initial cycle "
            "(matching links existing objects again)",
        )
    )


class State:
    """Links between cycles, journaled to ``path`` (no path: kept in memory only)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.tables: str | None = None
        self._links: dict[str, Link] = {}
        self._journal: IO[str] | None = None
        if self.path is not None:
            self._load()
            self.checkpoint()

    # ------------------------------------------------------------------------------ reading

    @property
    def journal_path(self) -> Path | None:
        return self.path.with_name(self.path.name + ".journal") if self.path is not None else None

    def _load(self) -> None:
        assert self.path is not None
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError) as error:
                raise _invalid(self.path, f"cannot be read as JSON ({error})") from None
            if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
                raise _invalid(self.path, f"is not a scimmap state file of version {STATE_VERSION}")
            self.tables = data.get("tables")
            try:
                self._links = {key: Link.from_json(value) for key, value in (data.get("links") or {}).items()}
            except ValueError as error:
                raise _invalid(self.path, str(error)) from None
        journal = self.journal_path
        if journal is not None and journal.exists():
            for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    self._replay(json.loads(line))
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a kill: the request it belongs to is matched again

    def _replay(self, entry: dict[str, Any]) -> None:
        if entry["op"] == "put":
            self._links[entry["key"]] = Link.from_json(entry["link"])
        elif entry["op"] == "drop":
            self._links.pop(entry["key"], None)
        elif entry["op"] == "tables":
            self.tables = entry["tables"]

    def get(self, kind: str, source_id: str) -> Link | None:
        return self._links.get(_key(kind, source_id))

    def target_id(self, kind: str, source_id: str) -> str | None:
        link = self._links.get(_key(kind, source_id))
        return link.target_id if link is not None else None

    def items(self, kind: str) -> Iterator[tuple[str, Link]]:
        prefix = f"{kind}/"
        for key, link in list(self._links.items()):
            if key.startswith(prefix):
                yield key[len(prefix) :], link

    def __len__(self) -> int:
        return len(self._links)

    # ------------------------------------------------------------------------------ writing

    def put(self, kind: str, source_id: str, link: Link) -> None:
        key = _key(kind, source_id)
        self._links[key] = link
        self._append({"op": "put", "key": key, "link": link.to_json()})

    def drop(self, kind: str, source_id: str) -> None:
        key = _key(kind, source_id)
        if self._links.pop(key, None) is not None:
            self._append({"op": "drop", "key": key})

    def set_tables(self, fingerprint: str) -> None:
        self.tables = fingerprint
        self._append({"op": "tables", "tables": fingerprint})

    def _append(self, entry: dict[str, Any]) -> None:
        journal = self.journal_path
        if journal is None:
            return
        if self._journal is None:
            self._journal = open(journal, "a", encoding="utf-8")  # noqa: SIM115 - appended to all cycle long, closed by close()
        self._journal.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._journal.flush()

    def checkpoint(self) -> None:
        """Fold the journal into the state file atomically (write, fsync, rename), then empty the journal."""
        if self.path is None:
            return
        data = {
            "version": STATE_VERSION,
            "tables": self.tables,
            "links": {key: link.to_json() for key, link in self._links.items()},
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except OSError as error:
            raise _invalid(self.path, f"cannot be written ({error.strerror})") from None
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        journal = self.journal_path
        if journal is not None and journal.exists():
            journal.unlink()

    def close(self) -> None:
        self.checkpoint()
