"""Disputes: a franchise owner contests an answer of a published visit; a manager resolves."""
