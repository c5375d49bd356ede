"""The interactive pieces: the REPL (prompt_toolkit), its commands, and the Pygments lexer.

They sit above the library layers and below the command line: nothing in ``language``, ``mapping`` or
``scim`` imports them.
"""
