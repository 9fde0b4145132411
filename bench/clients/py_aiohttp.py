"""aiohttp (Debian python3-aiohttp), one ClientSession."""
import asyncio
import json
import os
import sys
import resource
import time


def cpu_micros():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return int((u.ru_utime + u.ru_stime) * 1e6)

import aiohttp

mode, url, count, concurrency = sys.argv[1:5]
count, concurrency = int(count), int(concurrency)
connections = int(sys.argv[5]) if len(sys.argv) > 5 else concurrency


async def upload_body(size):
    chunk = bytes(65536)
    left = size
    while left > 0:
        n = min(left, len(chunk))
        left -= n
        yield chunk[:n]


# The warm-up every client does before the clock starts (BENCH_WARMUP, set
# by bench/run.ts).
warmup = int(os.environ.get("BENCH_WARMUP", "0")) if mode == "get" else 0


async def main():
    total = 0
    requests = 1
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector, auto_decompress=False) as session:

        async def run_loops(n):
            left = [n]
            got = [0]

            async def loop():
                while left[0] > 0:
                    left[0] -= 1
                    async with session.get(url) as r:
                        got[0] += len(await r.read())

            await asyncio.gather(*(loop() for _ in range(concurrency)))
            return got[0]

        await run_loops(warmup)
        cpu_start = cpu_micros()
        start = time.perf_counter()
        if mode == "get":
            requests = count
            total = await run_loops(count)
        elif mode == "download":
            async with session.get(url) as r:
                async for chunk in r.content.iter_chunked(65536):
                    total += len(chunk)
        else:
            async with session.post(url, data=upload_body(count)) as r:
                await r.read()
            total = count
    return requests, total, time.perf_counter() - start, cpu_micros() - cpu_start


requests, total, seconds, cpu = asyncio.run(main())
print(json.dumps({"requests": requests, "bytes": total, "seconds": seconds, "cpu": cpu}))
