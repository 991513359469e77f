#!/usr/bin/env python3
"""Page timings for the staff app: caseload, team view and search, as p50/p95 in
milliseconds over sequential requests, with /healthz measured in the same run as
the baseline.

Usage: bench/pages.py [--size N] [--requests N] [--bin PATH] [--db FILE]

The team page's overdue counts are worked out at most once a minute per team; the
first request that does so is timed and reported on its own.

Creates (or reuses) a demo council of --size young people with the release binary,
serves it on a free local port, signs in as a personal adviser, a team manager and
the auditor, and times each page. Standard library only; talks to 127.0.0.1 only.
"""
import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def request(port, method, path, cookie="", body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read().decode("utf-8", "replace")
    conn.close()
    return response, data


def sign_in(port, email):
    response, body = request(port, "GET", "/sign-in")
    csrf_cookie = re.search(r"pathways_sign_in_csrf=[^;]+", response.getheader("Set-Cookie")).group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": "demo-password"})
    response, _ = request(port, "POST", "/sign-in", csrf_cookie, form)
    cookies = response.getheaders()
    session = next(v for k, v in cookies if k.lower() == "set-cookie" and v.startswith("pathways_session="))
    return session.split(";")[0]


def time_page(port, path, cookie, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response, _ = request(port, "GET", path, cookie)
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            sys.exit(f"{path}: status {response.status}")
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "pathways"))
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    db = args.db or os.path.join(ROOT, "target", f"bench-demo-{args.size}.sqlite")
    seed = subprocess.run([args.bin, "demo", "--db", db, "--size", str(args.size), "--seed-only"],
                          capture_output=True, text=True)
    if seed.returncode != 0:
        sys.exit(seed.stderr)
    print(seed.stderr.strip().splitlines()[-1])
    server = subprocess.Popen([args.bin, "demo", "--db", db, "--bind", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in server.stdout:
            found = re.search(r"Open http://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
            if "Press Ctrl-C" in line:
                break
        pa = sign_in(port, "pa.north1@demoshire.test")
        manager = sign_in(port, "manager.north@demoshire.test")
        auditor = sign_in(port, "auditor@demoshire.test")
        pages = [
            ("baseline /healthz", "/healthz", ""),
            ("caseload (personal adviser)", "/caseload", pa),
            ("team view (manager)", "/team", manager),
            ("search by name, all teams (auditor)", "/find?search=1&name=okaf", auditor),
            ("search by name, own team (adviser)", "/find?search=1&name=jord", pa),
            ("search by date of birth (auditor)", "/find?search=1&dob-day=1&dob-month=3&dob-year=2007", auditor),
            ("search by CHILD id (auditor)", "/find?search=1&id=DS000777", auditor),
            ("young person record (auditor)", "/young-people/777", auditor),
        ]
        # The team page works out its overdue counts at most once a minute: time
        # that request on its own, before the kept counts serve the rest.
        started = time.perf_counter()
        request(port, "GET", "/team", manager)
        first_team_ms = (time.perf_counter() - started) * 1000
        results = []
        for name, path, cookie in pages:
            time_page(port, path, cookie, 5)  # warm up
            results.append((name, *time_page(port, path, cookie, args.requests)))
        base = results[0][2]
        print(f"{args.size} young people, {args.requests} sequential requests per page")
        print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'p95 / baseline':>15}")
        for name, p50, p95 in results:
            print(f"{name:40} {p50:8.2f} {p95:8.2f} {p95 / base:15.1f}")
        print(f"team view, first request of the minute (overdue counts worked out): {first_team_ms:.0f} ms")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
