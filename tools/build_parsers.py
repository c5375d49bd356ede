"""Regenerate scimmap/language/parser_tables.json from grammar/*.lark.

Run after editing a grammar or upgrading lark (tests/unit/test_parser_tables.py fails until you do):

    python tools/build_parsers.py

The tables are JSON, loaded with ``Lark._load_from_dict``: no pickle and no cache file anywhere, so
nothing another user can write is ever read (see docs/security.md).
"""

from __future__ import annotations

from scimmap.language.syntax import TABLES_FILE, render_tables

if __name__ == "__main__":
    TABLES_FILE.write_text(render_tables(), encoding="utf-8")
    print(f"wrote {TABLES_FILE}")
