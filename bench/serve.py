"""How quickly the workspace (``iku serve``) starts and shows a page.

    python3 bench/serve.py --size kabupaten --repeat 20 [--data FOLDER]

Two goals, measured as whole-process and whole-request figures on this machine:

* **start-up under 1 s** on the shipped definitions: ``iku serve`` started as a user
  starts it, timed from the process's start to the first page answered (the check page,
  which reads and checks the definitions but evaluates nothing). Shown beside it, in the
  same run, the time a bare ``python -c "import iku_rules"`` takes (the floor any command
  of the package pays).
* **a page view under 200 ms** after the first evaluation, on data of the given size
  (``bench/data.py``): the tree for 2026 with every indicator's value, an explanation,
  and an indicator's edit page, each fetched ``--repeat`` times over HTTP; the median and
  the slowest are reported. The first view, which evaluates, is reported apart.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import DEFINITIONS, make

IKU = [sys.executable, "-c", "import sys; from iku_rules.cli import main; sys.exit(main())"]


def fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
        assert response.status == 200, url
    return time.perf_counter() - start


def start(data: Path) -> tuple[subprocess.Popen[str], str, float]:
    """``iku serve`` in its own process; its address and the seconds to its first page."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [*IKU, "serve", str(DEFINITIONS), "--data", str(data), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit(f"iku serve did not print its address: {url!r}")
    fetch(url + "problems")
    return process, url, time.perf_counter() - began


def bare_import() -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import iku_rules"], check=True)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="kabupaten", help="tiny, kabupaten, province")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--data", type=Path, help="keep the generated data here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iku-bench-serve-") as temp:
        folder = args.data or Path(temp)
        print(f"data: {args.size} (generating if needed)…", file=sys.stderr)
        data = make(args.size, folder)

        starts, imports = [], []
        for _ in range(5):
            imports.append(bare_import())
            process, url, seconds = start(data)
            starts.append(seconds)
            process.terminate()
            process.wait(timeout=30)

        process, url, _ = start(data)
        try:
            first = fetch(url + "?period=2026")
            pages = {
                "tree 2026 (every indicator)": url + "?period=2026",
                "tree 2026, one kecamatan": url + "?period=2026&region=Labuan",
                "explanation of an IKU": url + "explain/iku-pmks-tertangani?period=2026",
                "edit page of an IKU": url + "indicator/iku-pmks-tertangani",
            }
            timings = {
                name: [fetch(page) for _ in range(args.repeat)] for name, page in pages.items()
            }
        finally:
            process.terminate()
            process.wait(timeout=30)

    print(f"## iku serve on the shipped definitions, data size {args.size}\n")
    print("| | median | slowest | goal |")
    print("|---|---|---|---|")
    print(
        f"| start-up to the first page (whole process, 5 runs) | {statistics.median(starts):.3f} s"
        f" | {max(starts):.3f} s | < 1 s |"
    )
    print(
        f"| for comparison: `python -c 'import iku_rules'` | {statistics.median(imports):.3f} s"
        f" | {max(imports):.3f} s | |"
    )
    print(f"| first tree view (evaluates 2026) | {first:.3f} s | | |")
    for name, values in timings.items():
        print(
            f"| {name} ({args.repeat} views) | {statistics.median(values) * 1000:.0f} ms"
            f" | {max(values) * 1000:.0f} ms | < 200 ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
