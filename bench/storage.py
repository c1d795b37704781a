"""Benchmark: put and get of a 1 MB photo, local disk against S3 (moto's server over HTTP on
127.0.0.1, started here), and what serving a photo through the app costs on each; also the
one-off cost of making the S3 client (why it is made once per process).

    .venv/bin/python bench/storage.py [repeats]

moto keeps objects in memory in the same machine, so its figures are a floor for the HTTP
and signing overhead of the S3 path, not a real object store's latency.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from audit.storage.local import LocalStorage  # noqa: E402
from audit.storage.s3 import S3Storage, make_client  # noqa: E402


def timed(call, repeats: int) -> tuple[float, float]:
    """Median and 90th percentile in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def main() -> None:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_EC2_METADATA_DISABLED="true")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    config = {"S3_ENDPOINT_URL": f"http://{host}:{port}", "S3_REGION": "us-east-1"}
    start = time.perf_counter()
    client = make_client(config)
    made_ms = (time.perf_counter() - start) * 1000
    client.create_bucket(Bucket="bench")
    data = os.urandom(1024 * 1024)
    with tempfile.TemporaryDirectory() as root:
        stores = {"local": LocalStorage(root), "s3 (moto)": S3Storage(client, "bench", "b")}
        print(f"S3 client made once: {made_ms:.0f} ms; {repeats} repeats of a 1 MB file")
        for name, store in stores.items():
            counter = iter(range(10**9))
            put = timed(lambda s=store, c=counter: s.put(f"visits/1/{next(c)}.jpg", data),
                        repeats)
            store.put("visits/1/read.jpg", data)
            get = timed(lambda s=store: s.get("visits/1/read.jpg"), repeats)
            assert store.get("visits/1/read.jpg") == data
            listing = timed(lambda s=store: list(s.files("visits/")), 5)
            print(f"{name:10} put median {put[0]:6.1f} ms p90 {put[1]:6.1f} | "
                  f"get median {get[0]:6.1f} ms p90 {get[1]:6.1f} | "
                  f"list {repeats + 1} files {listing[0]:6.1f} ms")
    server.stop()


if __name__ == "__main__":
    main()
