"""Write generated exports and their truth: `python -m surveykit.tools.bench.corpus OUT --seeds 0 20 [--score]`.

Each seed gives `reponses_<seed>.csv` or `.xlsx` (as Forms, Sheets or French Excel write it) and
`reponses_<seed>.truth.json`; with --score each is drafted (as `make study` would, nothing written to a
project) and its match with the truth printed, then the total and every miss by kind.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import compare_codebook, draft_codebook, generate, summarise, write_export, write_truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m surveykit.tools.bench.corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the exports into")
    parser.add_argument("--seeds", type=int, nargs=2, default=(0, 20), metavar=("FIRST", "STOP"),
                        help="seeds FIRST to STOP - 1 (default 0 20)")
    parser.add_argument("--score", action="store_true", help="draft each export and score it against its truth")
    args = parser.parse_args(argv)
    comparisons = []
    for seed in range(*args.seeds):
        export = generate(seed)
        path = write_export(export, args.out, f"reponses_{seed}")
        write_truth(export, args.out, f"reponses_{seed}")
        line = f"{path.name}: {export.truth['respondents']} respondents, {len(export.truth['questions'])} questions"
        if args.score:
            comparison = compare_codebook(draft_codebook(path), export.truth)
            comparisons.append(comparison)
            line += f", {comparison.matched} drafted right"
        print(line)
    if comparisons:
        summary = summarise(comparisons)
        print(f"\n{summary['matched']} / {summary['questions']} questions = {summary['rate']:.1%}")
        for kind, n in summary["miss_kinds"]:
            print(f"  {n:4d}  {kind}")
        for miss in summary["misses"]:
            print(f"  - {miss.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
