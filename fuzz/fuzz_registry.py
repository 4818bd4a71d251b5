"""Coverage-guided fuzzing of the grid registry loader with atheris. See fuzz/README.md.

    python fuzz/fuzz_registry.py -max_total_time=600 fuzz/corpus/registry rules/registry/
"""

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.setrecursionlimit(1000)  # the default: a recursion problem must show up as it would in production

with atheris.instrument_imports(include=["gridpolicy", "yaml", "targets"]):
    import targets
    import yaml  # noqa: F401 - imported here to be instrumented

    import gridpolicy.registry  # noqa: F401


def main() -> None:
    atheris.Setup(sys.argv, targets.check_registry)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
