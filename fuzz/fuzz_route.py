"""Coverage-guided fuzzing of `Policy.route` (items) with atheris (libFuzzer). See fuzz/README.md.

    python fuzz/fuzz_route.py -max_total_time=3600 fuzz/corpus/route
"""

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["gridpolicy", "targets"]):
    import targets


def main() -> None:
    targets.shipped_policy()  # load once, outside the fuzzing loop
    atheris.Setup(sys.argv, targets.check_route)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
