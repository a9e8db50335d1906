"""synap-hook benchmarks: wall time (median of repeated runs) and peak memory.

Run through benches/run.sh, which builds the binaries and installs the peers.
Results are printed as a Markdown table and written to target/bench/results.md.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target/release/synap-hook"
FLOOR = ROOT / "target/release/examples/parse_floor"
CAPTURE = ROOT / "target/release/examples/lifecycle_capture"
TOOLS = ROOT / "target/bench-tools"
WORK = ROOT / "target/bench"
SOURCEMETA = TOOLS / "npm/node_modules/@sourcemeta/jsonschema/build/github-releases/jsonschema-linux-x86_64"
JSONSCHEMA_CLI = TOOLS / "cargo/bin/jsonschema-cli"
AJV = TOOLS / "npm/node_modules/.bin/ajv"
PY_TOOLS = TOOLS / "py"


TIME = shutil.which("time", path="/usr/bin")
RSS_FILE = WORK / "rss.txt"


def run_once(command, env=None):
    """Runs a command; returns (seconds, peak RSS in KiB, exit code).

    Peak memory comes from GNU time, which forks the command from its own
    small process: a child forked from this (large) Python process would
    report the parent's memory as its own high-water mark.
    """
    wrapped = [TIME, "-f", "%M", "-o", str(RSS_FILE), *map(str, command)] if TIME else list(map(str, command))
    started = time.perf_counter()
    code = subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
    elapsed = time.perf_counter() - started
    peak = 0
    if TIME:
        lines = RSS_FILE.read_text().split()
        peak = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return elapsed, peak, code


def measure(command, runs, expect=(0,), env=None):
    """Median seconds and max peak RSS over `runs` runs (after one warm-up)."""
    times, peaks = [], []
    for i in range(runs + 1):
        elapsed, peak, code = run_once(command, env=env)
        if code not in expect:
            raise SystemExit(f"unexpected exit {code} from: {' '.join(map(str, command))}")
        if i > 0:
            times.append(elapsed)
            peaks.append(peak)
    return statistics.median(times), max(peaks)


def measure_paired(commands, runs):
    """Runs `commands` (name -> (command, env)) round-robin, `runs` rounds
    after a warm-up round, so that machine noise falls on all of them alike.
    Returns name -> (median seconds, max peak KiB)."""
    times = {name: [] for name in commands}
    peaks = {name: 0 for name in commands}
    for round_number in range(runs + 1):
        for name, (command, env) in commands.items():
            elapsed, peak, code = run_once(command, env=env)
            if code != 0:
                raise SystemExit(f"unexpected exit {code} from {name}: {' '.join(map(str, command))[:200]}")
            if round_number > 0:
                times[name].append(elapsed)
                peaks[name] = max(peaks[name], peak)
    return {name: (statistics.median(times[name]), peaks[name]) for name in commands}


def synap(*args):
    return [str(BIN), *map(str, args)]


def prepare():
    """Corpora: a mixed 100k stream, a 10x longer one, a created-only stream
    and a folder of 2,000 pretty-printed created payloads."""
    WORK.mkdir(parents=True, exist_ok=True)
    stream = WORK / "stream-100k.ndjson"
    if not stream.exists():
        with open(stream, "wb") as out:
            parts = [("created", 34000, 1), ("updated", 33000, 2), ("deleted", 33000, 3)]
            lines = []
            for event, count, seed in parts:
                text = subprocess.run(synap("sample", event, "--count", count, "--seed", seed), check=True, capture_output=True).stdout
                lines.extend(text.splitlines(keepends=True))
            # Interleave events deterministically.
            lines = [line for triple in zip(lines[0:33000], lines[34000:67000], lines[67000:100000]) for line in triple] + lines[33000:34000]
            out.writelines(lines)
    long = WORK / "stream-1m.ndjson"
    if not long.exists():
        data = stream.read_bytes()
        with open(long, "wb") as out:
            for _ in range(10):
                out.write(data)
    created = WORK / "created-100k.jsonl"
    if not created.exists():
        with open(created, "wb") as out:
            subprocess.run(synap("sample", "created", "--count", 100000, "--seed", 7), check=True, stdout=out)
    folder = WORK / "folder-2000"
    if not folder.exists():
        folder.mkdir()
        text = subprocess.run(synap("sample", "created", "--count", 2000, "--seed", 9), check=True, capture_output=True, text=True).stdout
        for i, line in enumerate(text.splitlines()):
            (folder / f"payload-{i:04}.json").write_text(json.dumps(json.loads(line), indent=2) + "\n")
    schema = WORK / "learningRecord.created.schema.json"
    with open(schema, "wb") as out:
        subprocess.run(synap("schema", "show", "created"), check=True, stdout=out)
    one = ROOT / "samples/learningRecord.created.json"
    for records, updates in AUDIT_CAPTURES:
        capture = audit_capture(records, updates)
        if not capture.exists():
            with open(capture, "wb") as out:
                subprocess.run([str(CAPTURE), str(records), str(updates)], check=True, stdout=out)
    return stream, long, created, folder, schema, one


# (records, updates per record): each record is also created and deleted. The
# first two hold the records and grow the deliveries tenfold (memory should
# not follow); the last grows the records tenfold (memory should follow).
AUDIT_CAPTURES = [(10_000, 8), (10_000, 98), (100_000, 8)]


def audit_capture(records, updates):
    return WORK / f"capture-{records // 1000}k-records-{updates + 2}-each.ndjson"


def peers_available():
    return {
        "jsonschema-cli": JSONSCHEMA_CLI.exists(),
        "sourcemeta": SOURCEMETA.exists(),
        "ajv-cli": AJV.exists(),
        "check-jsonschema": (PY_TOOLS / "check_jsonschema").exists(),
    }


def peer_commands(schema, instances, folder=None):
    """How each peer validates `instances` against `schema`, formats asserted."""
    files = [str(p) for p in instances]
    py_env = dict(os.environ, PYTHONPATH=str(PY_TOOLS))
    commands = {
        "jsonschema-cli": ([str(JSONSCHEMA_CLI), "validate", str(schema), "--assert-format", "-i", *files], None),
        "sourcemeta": ([str(SOURCEMETA), "validate", str(schema), *(files if folder is None else [str(folder)]), "--format-assertion", "--fast"], None),
        "ajv-cli": ([str(AJV), "validate", "--spec=draft2020", "-c", "ajv-formats", "--strict=false", "-s", str(schema), *(a for f in files for a in ("-d", f))], None),
        "check-jsonschema": ([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *files], py_env),
    }
    return commands


def fmt_seconds(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main():
    stream, long, created, folder, schema, one = prepare()
    available = peers_available()
    rows = []
    size_mb = stream.stat().st_size / 1e6

    # 1. Stream throughput against the parse floor.
    stream_cases = measure_paired(
        {
            "floor": ([str(FLOOR), stream], None),
            "single": (synap("validate", "-j", "1", "--format", "ndjson", stream), None),
            "both": (synap("validate", "--format", "ndjson", stream), None),
            # Two independent one-thread runs at once: what two busy cores of
            # this machine give, whatever the program (the ceiling for "both").
            "side by side": (["sh", "-c", "{0} >/dev/null & {0} >/dev/null; wait".format(" ".join(synap("validate", "-j", "1", "--format", "ndjson", stream)))], None),
        },
        runs=21,
    )
    (floor, floor_rss), (single, single_rss), (both, both_rss) = (
        stream_cases["floor"], stream_cases["single"], stream_cases["both"])
    side_by_side = stream_cases["side by side"][0]
    rows.append(("stream 100k: parse floor (serde_json::Value only)", floor, "1.00x floor", floor_rss))
    rows.append(("stream 100k: validate --jobs 1 --format ndjson", single, f"{single / floor:.2f}x floor", single_rss))
    rows.append(("stream 100k: validate --format ndjson (both cores)", both, f"{both / floor:.2f}x floor, {single / both:.2f}x faster than --jobs 1", both_rss))
    rows.append(("stream 100k: two --jobs 1 runs side by side", side_by_side, f"each {side_by_side / single:.2f}x as long as alone: two cores give at most {2 * single / side_by_side:.2f}x", None))
    long_time, long_rss = measure(synap("validate", "--format", "ndjson", long), runs=2)
    rows.append(("stream 1M (10x longer): validate --format ndjson", long_time, f"peak memory {long_rss / 1024:.1f} MiB vs {both_rss / 1024:.1f} MiB", long_rss))

    # 2. Start-up: one payload, whole process, paired with the native peers.
    one_cases = {"synap-hook": (synap("validate", one), None)}
    slow_peers = {}
    for name, command in peer_commands(schema, [one]).items():
        if available[name]:
            (one_cases if name in ("jsonschema-cli", "sourcemeta") else slow_peers)[name] = command
    results = measure_paired(one_cases, runs=50)
    results.update(measure_paired(slow_peers, runs=5) if slow_peers else {})
    ours_one = results["synap-hook"][0]
    for name, (seconds, _) in results.items():
        rows.append((f"one payload: {name}", seconds, f"{seconds / ours_one:.2f}x synap-hook's time", None))

    # 3. A folder of 2,000 files.
    files = sorted(folder.glob("*.json"))
    folder_cases = {"synap-hook": (synap("validate", "-q", folder), None)}
    slow_peers = {}
    for name, command in peer_commands(schema, files, folder).items():
        if available[name]:
            (folder_cases if name in ("jsonschema-cli", "sourcemeta") else slow_peers)[name] = command
    results = measure_paired(folder_cases, runs=31)
    results.update(measure_paired(slow_peers, runs=3) if slow_peers else {})
    ours_folder = results["synap-hook"][0]
    for name, (seconds, peak) in results.items():
        rows.append((f"2,000 files: {name}", seconds, f"{seconds / ours_folder:.2f}x synap-hook's time", peak))

    # 4. A created-only stream, the one input shape sourcemeta also streams.
    if available["sourcemeta"]:
        command, _ = peer_commands(schema, [created])["sourcemeta"]
        results = measure_paired({"synap-hook": (synap("validate", "-q", created), None), "sourcemeta": (command, None)}, runs=3)
        ours_created = results["synap-hook"][0]
        for name, (seconds, peak) in results.items():
            rows.append((f"created stream 100k: {name}", seconds, f"{seconds / ours_created:.2f}x synap-hook's time", peak))

    # 5. Audit: memory follows records, not deliveries.
    for records, updates in AUDIT_CAPTURES:
        capture = audit_capture(records, updates)
        seconds, peak = measure(synap("audit", "--format", "json", capture), runs=2)
        rows.append((f"audit {records * (updates + 2):,} deliveries / {records:,} records", seconds, f"{capture.stat().st_size / 1e6 / seconds:.0f} MB/s", peak))

    cores = os.cpu_count()
    lines = [
        f"Corpus: {size_mb:.0f} MB, 100,000 payloads (mixed events). Machine: {cores} cores. Medians of repeated runs.",
        "",
        "| case | median time | ratio | peak memory |",
        "|---|---|---|---|",
    ]
    for name, seconds, ratio, peak in rows:
        memory = f"{peak / 1024:.1f} MiB" if peak else ""
        lines.append(f"| {name} | {fmt_seconds(seconds)} | {ratio} | {memory} |")
    report = "\n".join(lines)
    print(report)
    (WORK / "results.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
