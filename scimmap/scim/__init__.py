"""SCIM 2.0 side: target attribute paths, resource schemas and request bodies."""
