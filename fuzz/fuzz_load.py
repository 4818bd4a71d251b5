"""Coverage-guided fuzzing of `gridpolicy.load` with atheris (libFuzzer). See fuzz/README.md.

    python fuzz/fuzz_load.py -max_total_time=3600 fuzz/corpus/load rules/
"""

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.setrecursionlimit(1000)  # the default: a recursion problem must show up as it would in production

with atheris.instrument_imports(include=["gridpolicy", "lark", "targets"]):
    # the loader imports its stages when first called: import them here, to be instrumented
    import targets

    import gridpolicy.check
    import gridpolicy.engine
    import gridpolicy.syntax.sources  # noqa: F401


def main() -> None:
    atheris.Setup(sys.argv, targets.check_load)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
