"""Mapping tables: source objects through attribute mappings into SCIM resources."""
