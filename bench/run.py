"""`make bench`: runs every benchmark in bench/ that declares itself with the line `# make bench: run`.

A benchmark is a script that builds its own data in its own database, measures, prints a table
and asserts nothing. Add one by writing that line near its top; scripts without it (tools run by
hand with arguments) are left out.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARKER = "# make bench: run"


def declared_benchmarks() -> list[Path]:
    return sorted(path for path in HERE.glob("*.py") if path.name != "run.py" and MARKER in path.read_text())


def main() -> int:
    failed = []
    for script in declared_benchmarks():
        print(f"\n==> {script.relative_to(HERE.parent)}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode:
            failed.append(script.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
