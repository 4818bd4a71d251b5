"""A short, bounded run of the fuzz targets in fuzz/ (the long run: see fuzz/README.md).

With atheris installed (the test extra, Linux): coverage-guided libFuzzer runs of
`fuzz/fuzz_load.py` (seeded with rules/) and `fuzz/fuzz_route.py`, each for a fixed number of
runs and at most a few seconds. Without atheris: the same targets driven by hypothesis
(labelled `fallback`), so the properties still hold on every platform.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
sys.path.insert(0, str(FUZZ))

import targets  # noqa: E402

HAVE_ATHERIS = importlib.util.find_spec("atheris") is not None


@pytest.mark.skipif(not HAVE_ATHERIS, reason="atheris not installed; the hypothesis fallback below runs instead")
@pytest.mark.parametrize(("script", "runs", "seconds", "seeds"), [
    ("fuzz_load.py", 300, 10, [ROOT / "rules"]),
    ("fuzz_route.py", 20_000, 5, []),
    ("fuzz_registry.py", 3_000, 5, [ROOT / "rules" / "registry"]),
])
def test_atheris_short_run(tmp_path: Path, script: str, runs: int, seconds: int, seeds: list[Path]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    cmd = [sys.executable, str(FUZZ / script), f"-runs={runs}", f"-max_total_time={seconds}",
           f"-dict={FUZZ / 'gp.dict'}", f"-artifact_prefix={tmp_path}/", "-rss_limit_mb=2048", "-timeout=20",
           str(corpus), *map(str, seeds)]
    proc = subprocess.run(cmd, capture_output=True, timeout=seconds + 240, cwd=tmp_path, check=False)
    log = proc.stderr.decode(errors="replace")
    crashes = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-")))
    assert proc.returncode == 0 and not crashes, f"{crashes}\n{log[-4000:]}"
    assert "Done" in log and "cov:" in log, log[-2000:]


FALLBACK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEED_TEXTS = [p.read_bytes() for p in sorted((ROOT / "rules").glob("*.gp"))]


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_TEXTS)))
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, max(0, len(data) - 1)))
        op = draw(st.integers(0, 3))
        if op == 0 and data:
            del data[i: i + draw(st.integers(1, 16))]
        elif op == 1:
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == 2:
            data[i:i] = draw(st.sampled_from([b"\xef\xbc\x9a", b"\xef\xbc\x8c", b"\xe2\x80\x9c", b"(", b"{", b"}"]))
        elif data:
            del data[i:]
    return bytes(data)


@settings(FALLBACK)
@given(st.one_of(mutated_bytes(), st.binary(max_size=400)))
def test_fallback_fuzz_load(data: bytes) -> None:
    """fallback: the `load` fuzz target driven by hypothesis."""
    targets.check_load(data)


@settings(FALLBACK)
@given(st.binary(max_size=400))
def test_fallback_fuzz_route(data: bytes) -> None:
    """fallback: the `route` fuzz target driven by hypothesis."""
    targets.check_route(data)
