"""Helpers shared by the tests: log-in, images, answers and query counting.

Import the functions from here (`from tests.support import login, jpeg, perfect_answers`);
the fixtures (`count_queries`) are registered through `pytest_plugins` in tests/conftest.py.
"""

from tests.support.answers import perfect_answers
from tests.support.auth import FAST_HASH, PASSWORD, login, session_cookie
from tests.support.images import encode, exif_block, jpeg, picture
from tests.support.queries import QueryCount, assert_queries_flat

__all__ = [
    "FAST_HASH", "PASSWORD", "QueryCount", "assert_queries_flat", "encode", "exif_block",
    "jpeg", "login", "perfect_answers", "picture", "session_cookie",
]
