"""Run the differential scenarios with Python HTTPX and print normalised JSON.

Usage: /usr/bin/python3 runner.py SCENARIOS_JSON BASE_URL

Each scenario runs in a fresh ``httpx.Client(base_url=BASE_URL)``; a scenario
either is one request or has ``client`` options and a ``requests`` list run in
order on the same client (so the cookie jar carries over). The output is a
JSON object ``{name: [result, ...]}`` on stdout. ``normalise.ts`` beside this
file applies the same normalisation to the Deno side: keep the two in step.
"""

import hashlib
import json
import re
import sys

import httpx

VOLATILE_BODY_KEYS = {"origin"}
# httpbin's digest endpoints set the last (random) nonce as a cookie.
VOLATILE_COOKIES = {"last_nonce"}
BOUNDARY = re.compile(r"boundary=[0-9A-Za-z'()+_,./:=?-]+")
KEPT_RESPONSE_HEADERS = ("content-type", "content-encoding", "location", "allow")


def clean_string(value, base):
    value = value.replace(base, "{base}")
    return BOUNDARY.sub("boundary=<boundary>", value)


def clean_json(value, base):
    if isinstance(value, dict):
        return {
            key: clean_json(item, base)
            for key, item in value.items()
            if key not in VOLATILE_BODY_KEYS
        }
    if isinstance(value, list):
        return [clean_json(item, base) for item in value]
    if isinstance(value, str):
        return clean_string(value, base)
    return value


def describe_body(response, base):
    content = response.content
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media == "application/json":
        try:
            return {"json": clean_json(json.loads(content), base)}
        except ValueError:
            pass
        lines = [line for line in content.split(b"\n") if line.strip()]
        try:
            return {"lines": [clean_json(json.loads(line), base) for line in lines]}
        except ValueError:
            pass
    body = {
        "sha256": hashlib.sha256(content).hexdigest(),
        "length": len(content),
    }
    if media.startswith("text/"):
        body["text_sha256"] = hashlib.sha256(
            response.text.encode("utf-8")
        ).hexdigest()
    return body


def describe(response, client, base):
    headers = {
        name: clean_string(response.headers[name], base)
        for name in KEPT_RESPONSE_HEADERS
        if name in response.headers
    }
    for name in response.headers.keys():
        if name.lower().startswith("x-test-"):
            headers[name.lower()] = response.headers[name]
    return {
        "status": response.status_code,
        "reason": response.reason_phrase,
        "http_version": response.http_version,
        "method": response.request.method,
        "url": clean_string(str(response.url), base),
        "history": [
            [item.status_code, clean_string(str(item.url), base)]
            for item in response.history
        ],
        "headers": headers,
        "cookies": {
            name: "<volatile>" if name in VOLATILE_COOKIES else value
            for name, value in sorted(dict(client.cookies).items())
        },
        "body": describe_body(response, base),
    }


def build_auth(spec):
    if spec is None:
        return None
    if "basic" in spec:
        return httpx.BasicAuth(*spec["basic"])
    if "digest" in spec:
        return httpx.DigestAuth(*spec["digest"])
    raise ValueError(f"unknown auth {spec!r}")


def build_files(spec):
    files = {}
    for field, (filename, text, content_type) in spec.items():
        data = text.encode("utf-8")
        files[field] = (filename, data) if content_type is None else (
            filename,
            data,
            content_type,
        )
    return files


def headers_of(spec):
    if spec is None:
        return None
    return [tuple(pair) for pair in spec] if isinstance(spec, list) else spec


def params_of(spec):
    if spec is None:
        return None
    return [tuple(pair) for pair in spec] if isinstance(spec, list) else spec


def run_request(client, spec):
    kwargs = {}
    if "params" in spec:
        kwargs["params"] = params_of(spec["params"])
    if "headers" in spec:
        kwargs["headers"] = headers_of(spec["headers"])
    if "cookies" in spec:
        kwargs["cookies"] = spec["cookies"]
    if "data" in spec:
        kwargs["data"] = spec["data"]
    if "files" in spec:
        kwargs["files"] = build_files(spec["files"])
    if "json" in spec:
        kwargs["json"] = spec["json"]
    if "content" in spec:
        kwargs["content"] = spec["content"].encode("utf-8")
    if "auth" in spec:
        kwargs["auth"] = build_auth(spec["auth"])
    if "follow_redirects" in spec:
        kwargs["follow_redirects"] = spec["follow_redirects"]
    return client.request(spec["method"], spec["path"], **kwargs)


def run_scenario(scenario, base):
    options = scenario.get("client", {})
    kwargs = {"base_url": base}
    if "headers" in options:
        kwargs["headers"] = options["headers"]
    if "params" in options:
        kwargs["params"] = options["params"]
    if "cookies" in options:
        kwargs["cookies"] = options["cookies"]
    if "max_redirects" in options:
        kwargs["max_redirects"] = options["max_redirects"]
    if "auth" in options:
        kwargs["auth"] = build_auth(options["auth"])
    requests = scenario.get("requests", [scenario])
    results = []
    with httpx.Client(**kwargs) as client:
        for spec in requests:
            try:
                response = run_request(client, spec)
            except Exception as exc:  # noqa: BLE001 - recorded, not hidden
                results.append({"error": type(exc).__name__})
                continue
            results.append(describe(response, client, base))
    return results


def main():
    scenarios_path, base = sys.argv[1], sys.argv[2].rstrip("/")
    with open(scenarios_path, encoding="utf-8") as handle:
        scenarios = json.load(handle)
    out = {
        "httpx_version": httpx.__version__,
        "results": {s["name"]: run_scenario(s, base) for s in scenarios},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
