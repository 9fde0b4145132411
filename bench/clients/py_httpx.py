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


# The warm-up every client does before the clock starts (BENCH_WARMUP, set
# by bench/run.ts).
warmup = int(os.environ.get("BENCH_WARMUP", "0")) if mode == "get" else 0


async def run_async():
    total = 0
    requests = 1
    async with httpx.AsyncClient(http2=http2, verify=verify, limits=limits, timeout=60) as client:

        async def run_loops(n):
            left = [n]
            got = [0]

            async def loop():
                while left[0] > 0:
                    left[0] -= 1
                    r = await client.get(url)
                    got[0] += len(r.content)

            await asyncio.gather(*(loop() for _ in range(concurrency)))
            return got[0]

        await run_loops(warmup)
        cpu_start = cpu_micros()
        start = time.perf_counter()
        if mode == "get":
            requests = count
            total = await run_loops(count)
        elif mode == "download":
            async with client.stream("GET", url) as r:
                async for chunk in r.aiter_raw():
                    total += len(chunk)
        else:
            await client.post(url, content=aupload_body(count))
            total = count
    return requests, total, time.perf_counter() - start, cpu_micros() - cpu_start


def run_sync():
    total = 0
    requests = 1
    with httpx.Client(http2=http2, verify=verify, limits=limits, timeout=60) as client:
        for _ in range(warmup):
            client.get(url).content
        cpu_start = cpu_micros()
        start = time.perf_counter()
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
