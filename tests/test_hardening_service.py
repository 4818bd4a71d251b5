"""The HTTP service under a bounded load while its rules are reloaded, broken edits included.

A second process sends a fixed number of requests (good and bad items) over loopback while this
process rewrites the rules several times — good versions, a syntax error, a checker error,
full-width punctuation — and forces reloads. Must hold: zero failed requests (every answer is a
200 decision or the expected 422), every decision's policy digest is one that was live, and the
server's memory stays flat from one load phase to the next.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from test_server import TOKEN, start_server, stop_server  # noqa: E402

REQUESTS_PER_PHASE = 400
CYCLES_PER_PHASE = 2  # each cycle: a good edit, then three broken ones

CLIENT = r'''
import json, sys
import httpx
url, n = sys.argv[1], int(sys.argv[2])
good = {"id": "L", "kind": "issue", "urgency": "emergency", "reported_at": "2026-03-02T10:00:00+08:00"}
bad = [{"id": "B", "kind": "issue", "urgency": "nope", "reported_at": "2026-03-02T10:00:00+08:00"},
       {"id": "B", "kind": "issue", "reported_at": "2026-03-02T10:00:00"}]
out = {"ok": 0, "rejected": 0, "failures": [], "digests": {}}
with httpx.Client(base_url=url, timeout=30) as c:
    for i in range(n):
        body = bad[i % 2] if i % 5 == 4 else {**good, "id": f"L-{i}"}
        try:
            r = c.post("/v1/route", json=body)
        except httpx.TransportError as exc:
            out["failures"].append(repr(exc))
            continue
        if body["id"] == "B":
            if r.status_code == 422 and r.json()["error"] == "invalid_item" and r.json()["details"]:
                out["rejected"] += 1
            else:
                out["failures"].append(f"{r.status_code} {r.text[:200]}")
        elif r.status_code == 200:
            p = r.json()["policy"]
            key = p["version"] + " " + p["digest"]
            out["digests"][key] = out["digests"].get(key, 0) + 1
            out["ok"] += 1
        else:
            out["failures"].append(f"{r.status_code} {r.text[:200]}")
print(json.dumps(out))
'''


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")  # not *.gp: the watcher must never see half a file
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="memory is read from /proc")
def test_bounded_load_with_reloads_and_broken_edits(tmp_path: Path) -> None:
    s = start_server(tmp_path)
    try:
        header = next(f for f in sorted(s.rules.glob("*.gp"))
                      if re.search(r'^\s*version\s+"', f.read_text(encoding="utf-8"), re.M))
        original = header.read_text(encoding="utf-8")
        auth = {"authorization": f"Bearer {TOKEN}"}
        live: set[str] = set()

        def note_live() -> None:
            info = httpx.get(s.url + "/v1/policy").json()
            live.add(f"{info['version']} {info['digest']}")

        note_live()
        edits = [
            ("good", lambda n: re.sub(r'(^\s*version\s+")[^"]*"', rf'\g<1>load-{n}"', original, count=1, flags=re.M)),
            ("syntax", lambda n: original + "\ntier {\n"),
            ("checker", lambda n: original + '\nroute nowhere "坏" { tier no_such_tier }\n'),
            ("full-width", lambda n: original + '\ntier x “全角” ｛ level 9 ｝\n'),
        ]

        def phase(number: int) -> dict:
            client = subprocess.Popen([sys.executable, "-c", CLIENT, s.url, str(REQUESTS_PER_PHASE)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for k in range(CYCLES_PER_PHASE * len(edits)):
                kind, make = edits[k % len(edits)]
                _atomic_write(header, make(number * 100 + k))
                r = httpx.post(s.url + "/v1/reload", headers=auth, timeout=60)
                if kind == "good":
                    assert r.status_code == 200, r.text
                    note_live()
                else:
                    assert r.status_code == 409 and r.json()["details"], r.text
                    assert httpx.get(s.url + "/v1/policy").json()["last_reload_error"] is not None
            _atomic_write(header, original)
            assert httpx.post(s.url + "/v1/reload", headers=auth, timeout=60).status_code == 200
            note_live()
            out, err = client.communicate(timeout=600)
            assert client.returncode == 0, err.decode()
            return json.loads(out)

        # warm up (imports, first compiles, the decision log), then two equal phases
        with httpx.Client(base_url=s.url) as c:
            for i in range(100):
                c.post("/v1/route", json={"id": f"W-{i}", "kind": "issue",
                                          "reported_at": "2026-03-02T10:00:00+08:00"})
        rss = [_rss_kib(s.proc.pid)]
        results = []
        for n in (1, 2):
            results.append(phase(n))
            rss.append(_rss_kib(s.proc.pid))
        for res in results:
            assert res["failures"] == [], res["failures"][:3]
            assert res["ok"] + res["rejected"] == REQUESTS_PER_PHASE
            assert res["rejected"] == REQUESTS_PER_PHASE // 5
            assert set(res["digests"]) <= live, (set(res["digests"]) - live, live)
        assert len(live) == 1 + 2 * CYCLES_PER_PHASE  # the original and every good edit
        growth = rss[2] - rss[1]
        reloads = 2 * (CYCLES_PER_PHASE * len(edits) + 1)
        print(f"\nload: {2 * REQUESTS_PER_PHASE} requests, {reloads} reloads "
              f"({2 * CYCLES_PER_PHASE * (len(edits) - 1)} broken); served {[r['digests'] for r in results]}; "
              f"RSS KiB after warm-up/phase 1/phase 2: {rss}; phase-2 growth {growth} KiB")
        assert growth < 16 * 1024, rss  # flat: the second phase does not keep what the first built
        assert s.proc.poll() is None, s.output()
    finally:
        stop_server(s)
