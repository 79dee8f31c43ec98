"""Time and peak memory of importing the 201-page chat print, against same-run baselines.

Each case runs in a fresh interpreter (so peak RSS is its own):
  - python:   the interpreter with hwreview's transcript package imported, reading nothing
  - pdfium:   PDFium's plain text of every page, no layout (the floor for any PDF reader)
  - import:   hwreview's PDF import: text, boxes, fills, speakers, paragraphs (load_transcript)
  - aligned:  the import plus alignment against the demo key, as `hwreview new` does

Run: .venv/bin/python benchmarks/import_pdf.py [PDF] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "tests" / "fixtures" / "providers" / "special" / "long-200-pages.pdf"
KEY = ROOT / "src" / "hwreview" / "demo" / "demo.md"

CHILD = r"""
import json, resource, sys, time
case, path, key = sys.argv[1], sys.argv[2], sys.argv[3]
from hwreview.transcripts import load_transcript
start = time.perf_counter()
detail = ""
if case == "pdfium":
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(path)
    chars = 0
    for i in range(len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        chars += len(tp.get_text_range())
        tp.close(); page.close()
    detail = f"{len(doc)} pages, {chars:,} chars"
elif case in ("import", "aligned"):
    t = load_transcript(path)
    detail = f"{len(t.messages)} messages"
    if case == "aligned":
        from hwreview.keys.parser import load_key
        from hwreview.transcripts.align import align
        align(load_key(key), t)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mib": peak, "detail": detail}))
"""


def run(case: str, pdf: Path) -> dict:
    """One case in a fresh interpreter: seconds, peak RSS in MiB, and what it read."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, case, str(pdf), str(KEY)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print a table of median time and peak memory per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=PDF)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = args.pdf.stat().st_size / 2**20
    print(f"{args.pdf.name}: {size:.1f} MiB, {args.runs} runs per case (median)")
    print(f"{'case':<9} {'seconds':>8} {'peak RSS':>10}  read")
    for case in ("python", "pdfium", "import", "aligned"):
        results = [run(case, args.pdf) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        peak = statistics.median(r["peak_mib"] for r in results)
        print(f"{case:<9} {seconds:>8.2f} {peak:>8.1f} MiB  {results[0]['detail']}")


if __name__ == "__main__":
    main()
