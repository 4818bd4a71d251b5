"""Coverage-guided fuzzing of `gridpolicy.load` with atheris (libFuzzer). See fuzz/README.md.

    python fuzz/fuzz_load.py -max_total_time=3600 fuzz/corpus/load rules/
"""

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.setrecursionlimit(1000)  # the default: a recursion problem must show up as it would in production

with atheris.instrument_imports(include=["gridpolicy", "lark", "targets"]):
    import targets


def main() -> None:
    atheris.Setup(sys.argv, targets.check_load)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
