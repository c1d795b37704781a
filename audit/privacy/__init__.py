"""Data protection: retention purge, subject access and erasure, staff names, call recordings."""
