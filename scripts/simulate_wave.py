#!/usr/bin/env python
"""Write the raw Google Forms export of a SIMULATED wave described by a profile.

    .venv/bin/python scripts/simulate_wave.py --profile data/studies/tele_expertise_cpts/simulation/demo_2027.yaml \
        --out data/raw/demo_2027/export.csv
    .venv/bin/python scripts/simulate_wave.py --profile data/studies/tele_expertise_cpts/simulation/demo_2027.yaml \
        --out /tmp/scale.csv --n 100000          # scale run: same profile, more respondents

Same profile, same seed and same --n: the same bytes. The export is read and cleaned by
the pipeline exactly like a real one (reworded headers must be codebook aliases).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from surveykit.core.errors import InputError  # noqa: E402
from surveykit.tools.simulate import write_simulated_export  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", type=Path, required=True, help="simulation profile (YAML)")
    parser.add_argument("--out", type=Path, required=True, help="raw export to write (CSV)")
    parser.add_argument("--codebook", type=Path, default=ROOT / "data/studies/tele_expertise_cpts/codebook.yaml")
    parser.add_argument("--n", type=int, default=None, help="number of respondents (default: the profile's n)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        canonical = write_simulated_export(args.profile, args.codebook, args.out, n=args.n)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"[{time.perf_counter() - started:.1f} s] {len(canonical)} simulated respondents -> {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
