"""The rules of SPEC.md as plain Python over plain values.

Nothing in this package imports Odoo: models feed these functions with field
values and store or show what they return, and the pure tests under the
repository's ``tests/`` check them without a database.
"""
