#!/usr/bin/env python3
"""bench elasticsearch: the clickstream file -> the elasticsearch sink, against curl posting the same documents.

pipe:  file source (mode: read, json) -> elasticsearch sink (index clicks, id auto, batch of 500 documents)
curl:  one curl process posting pre-built bulk bodies of 500 documents each (the clickstream lines as they are,
       ids assigned by the server) over one kept-alive connection: what the stand-in and loopback allow.
Both write into tests/support/elasticsearch_bench_standin (the stand-in's bulk path in C++: the Python stand-in
spends ~100 us per document and would be what is measured), emptied before each run; rec/s = records / wall
seconds of the writing process. Results are equal when the stand-in holds the same number of documents with the
same order-free checksum of their sources (canonical JSON, so number spellings do not matter). BENCH_ES_LINES
uses only the first N lines (a quick look).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib as b  # noqa: E402

NAME = "elasticsearch"
PER_REQUEST = 500


def source_lines():
    limit = int(os.environ.get("BENCH_ES_LINES", "0"))
    if not limit:
        return b.CLICKSTREAM, b.CLICKSTREAM_LINES
    path = os.path.join(b.OUT_DIR, f"{NAME}.input.jsonl")
    with open(b.CLICKSTREAM) as f, open(path, "w") as out:
        for i, line in enumerate(f):
            if i >= limit:
                break
            out.write(line)
    return path, limit


def curl_config(es, path):
    """Bulk bodies of PER_REQUEST documents and a curl config that posts them all on one connection."""
    folder = os.path.join(b.OUT_DIR, f"{NAME}.bodies")
    os.makedirs(folder, exist_ok=True)
    bodies = []
    with open(path) as f:
        lines = [line for line in f if line.strip()]
    for start in range(0, len(lines), PER_REQUEST):
        body = os.path.join(folder, f"{start // PER_REQUEST:05d}.ndjson")
        with open(body, "w") as out:
            out.write("".join('{"index":{"_index":"clicks"}}\n' + line for line in lines[start:start + PER_REQUEST]))
        bodies.append(body)
    config = os.path.join(b.OUT_DIR, f"{NAME}.curl.conf")
    with open(config, "w") as out:
        out.write("\nnext\n".join(f'url = "{es.url}/_bulk"\nheader = "Content-Type: application/x-ndjson"\n'
                                  f'data-binary = "@{body}"\nsilent\noutput = "/dev/null"' for body in bodies))
    return config


class BenchStandin:
    """The C++ stand-in process: `url`, `reset()`, `documents()`."""

    def __init__(self, build):
        binary = next((p for p in (os.path.join(build, "tests", "support", "elasticsearch_bench_standin"),
                                   os.path.join(b.ROOT, "build", "tests", "support", "elasticsearch_bench_standin"))
                       if os.path.exists(p)), None)
        if not binary:
            raise SystemExit(f"bench {NAME}: elasticsearch_bench_standin is not built (ninja -C {build})")
        self.proc = subprocess.Popen([binary], stdout=subprocess.PIPE, text=True)
        self.url = "http://127.0.0.1:" + self.proc.stdout.readline().strip().split("=", 1)[1]

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(self.url + "/_standin/reset", data=b"")).read()

    def documents(self):
        with urllib.request.urlopen(self.url + "/_standin/documents/clicks") as answer:
            return answer.read().decode().splitlines()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()


def result(es):
    """Count and order-free checksum of the documents: the sum of their canonical JSON's SHA-1."""
    total, docs = 0, es.documents()
    for doc in docs:
        text = json.dumps(json.loads(doc), sort_keys=True, separators=(",", ":"))
        total = (total + int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big")) % (1 << 64)
    return {"count": len(docs), "checksum": f"{total:016x}"}


def pipeline(es, path):
    return {
        "sources": {"clicks": {"type": "file", "path": path, "mode": "read", "format": "json"}},
        "sinks": {"out": {"type": "elasticsearch", "inputs": ["clicks"], "urls": [es.url], "index": "clicks",
                          "id": "auto", "batch": {"max_records": PER_REQUEST, "max_bytes": 10485760}}},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    os.makedirs(b.OUT_DIR, exist_ok=True)
    path, lines = source_lines()
    b.warm_page_cache(path)
    with BenchStandin(args.build) as es:
        def fresh(run):
            def measured():
                es.reset()
                return run()
            return measured

        config = curl_config(es, path)
        curl = b.best_of(fresh(lambda: b.run_timed(["curl", "--config", config])))
        curl_result = result(es)
        if not curl.ok or curl_result["count"] != lines:
            b.emit(f"bench {NAME}: curl failed ({curl.stderr.strip()[:120]}, {curl_result})")
            return
        curl_rate = lines / curl.seconds
        b.log_run("curl", curl, lines, "rec/s")

        pipeline_path = b.write_pipeline(NAME, pipeline(es, path))
        pipe = b.best_of(fresh(lambda: b.run_pipe(args.build, pipeline_path)))
        pipe_result = result(es)
        if not pipe.ok:
            b.emit(f"bench {NAME}: pipe not yet supported ({b.failure_reason(args.build, pipe)}), "
                   f"curl {curl_rate:.0f} rec/s")
            return
        pipe_rate = lines / pipe.seconds
        b.log_run("pipe", pipe, lines, "rec/s")
        b.log(f"stand-in after pipe: {pipe_result}, after curl: {curl_result}")
        b.emit(f"bench {NAME}: pipe {pipe_rate:.0f} rec/s, curl {curl_rate:.0f} rec/s, "
               f"ratio {b.ratio(pipe_rate, curl_rate)}, results {b.equal_word(pipe_result == curl_result)}")


if __name__ == "__main__":
    main()
