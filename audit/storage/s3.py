"""Object storage through the S3 API (AWS S3, MinIO, Ceph, Garage, ...) for deployments that
run several app processes or machines. Credentials come from boto3's usual chain
(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance or task role), never
from the app's own settings."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from audit.storage.base import StoredFile, check_key, check_prefix

MISSING = {"404", "NoSuchKey", "NotFound"}
POOL = 20  # connections kept per process: the request threads and the report pool share them


def make_client(config: Mapping[str, Any]) -> Any:  # noqa: ANN401 - a botocore S3 client
    """One S3 client for the process, from its own boto3 session (the default session is
    not safe to share between threads while clients are made)."""
    session = boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or None,
        config=BotoConfig(
            max_pool_connections=POOL,
            connect_timeout=5, read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
            # Path-style addressing works with every S3-compatible server; AWS accepts it.
            s3={"addressing_style": "path"} if config.get("S3_ENDPOINT_URL") else {},
        ),
    )


class S3Storage:
    """Keys are objects of one bucket under an optional prefix (several deployments may share
    a bucket). A put is atomic in S3: a reader sees the whole object or none."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:  # noqa: ANN401
        self.client = client
        self.bucket = bucket
        prefix = prefix.strip("/")
        self.prefix = f"{check_key(prefix)}/" if prefix else ""

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes) -> None:
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data,
                               ContentType=content_type)

    def get(self, key: str) -> bytes:
        """The object's bytes; a missing one raises FileNotFoundError, as on local disk."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if _code(error) in MISSING:
                raise FileNotFoundError(key) from error
            raise
        with response["Body"] as body:
            return body.read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if _code(error) in MISSING:
                return False
            raise
        return True

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Stored keys starting with `prefix`, in S3's (byte) order."""
        return (f.key for f in self.files(prefix))

    def files(self, prefix: str = "") -> Iterator[StoredFile]:
        """Every object under the store's prefix and `prefix`, a page of 1000 at a time."""
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + check_prefix(prefix))
        for page in pages:
            for item in page.get("Contents", []):
                yield StoredFile(item["Key"][len(self.prefix):], item["Size"],
                                 item["LastModified"])


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
