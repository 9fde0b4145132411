"""Python HTTPX (Debian python3-httpx): AsyncClient, or Client with BENCH_CLIENT=sync."""
import asyncio
import json
import os
import sys
import resource
import time


def cpu_micros():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return int((u.ru_utime + u.ru_stime) * 1e6)

import httpx

mode, url, count, concurrency = sys.argv[1:5]
count, concurrency = int(count), int(concurrency)
connections = int(sys.argv[5]) if len(sys.argv) > 5 else concurrency
http2 = os.environ.get("BENCH_HTTP2") == "1"
verify = os.environ.get("BENCH_CA") or True
limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)


def upload_body(size):
    chunk = bytes(65536)
    left = size
    while left > 0:
        n = min(left, len(chunk))
        left -= n
        yield chunk[:n]


async def aupload_body(size):
    for chunk in upload_body(size):
        yield chunk


async def run_async():
    cpu_start = cpu_micros()
    start = time.perf_counter()
    total = 0
    requests = 1
    async with httpx.AsyncClient(http2=http2, verify=verify, limits=limits, timeout=60) as client:
        if mode == "get":
            requests = count
            left = [count]

            async def loop():
                nonlocal total
                while left[0] > 0:
                    left[0] -= 1
                    r = await client.get(url)
                    total += len(r.content)

            await asyncio.gather(*(loop() for _ in range(concurrency)))
        elif mode == "download":
            async with client.stream("GET", url) as r:
                async for chunk in r.aiter_raw():
                    total += len(chunk)
        else:
            await client.post(url, content=aupload_body(count))
            total = count
    return requests, total, time.perf_counter() - start, cpu_micros() - cpu_start


def run_sync():
    cpu_start = cpu_micros()
    start = time.perf_counter()
    total = 0
    requests = 1
    with httpx.Client(http2=http2, verify=verify, limits=limits, timeout=60) as client:
        if mode == "get":
            requests = count
            for _ in range(count):
                total += len(client.get(url).content)
        elif mode == "download":
            with client.stream("GET", url) as r:
                for chunk in r.iter_raw():
                    total += len(chunk)
        else:
            client.post(url, content=upload_body(count))
            total = count
    return requests, total, time.perf_counter() - start, cpu_micros() - cpu_start


if os.environ.get("BENCH_CLIENT") == "sync":
    requests, total, seconds, cpu = run_sync()
else:
    requests, total, seconds, cpu = asyncio.run(run_async())
print(json.dumps({"requests": requests, "bytes": total, "seconds": seconds, "cpu": cpu}))
