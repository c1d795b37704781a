"""Backup and restore of the database and the stored files as one verified archive."""
