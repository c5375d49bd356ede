"""``scimmap lsp``: a language server for mapping files (the optional ``scimmap[lsp]`` extra: pygls, lsprotocol).

It serves YAML and JSON mapping files and Graph synchronization-schema exports: diagnostics exactly as
``scimmap check`` reports them, hover from the function catalog, the Entra attribute list and the SCIM
schemas, completion, quick fixes, ``scimmap fmt`` as a code action and, with a sample source object next
to the file, each mapping's value inline.  docs/editors.md says how to connect an editor.
"""

from __future__ import annotations


def serve() -> int:
    """Run the server on stdin/stdout until the client says exit: 0 after a shutdown request, else 1."""
    import logging

    from scimmap.lsp.server import create_server

    logging.basicConfig(level=logging.WARNING, format="scimmap lsp: %(levelname)s %(name)s: %(message)s")
    server = create_server()
    server.start_io()
    return 0 if server.shutdown_requested else 1
