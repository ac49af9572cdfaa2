"""Any bench with the sentence index at other BM25 parameters: `python -m bench.bm25_params K1 B MODULE [ARGS...]`.

Sets `index.search.build.DEFAULT_PARAMS` (what every build, commit and staleness check of this
process reads) to k1 = K1, b = B, then runs `python -m MODULE ARGS...` in this process, e.g.
`python -m bench.bm25_params 1.2 0.5 bench.squad ../shared/data/squad-dev-even.json`. Every
corpus the bench builds is indexed and searched at those values (issue 17; `bench.bm25_grid`
screens them on retrieval alone). Benches that start other processes keep today's values there.
"""

from __future__ import annotations

import runpy
import sys

from index.search import build
from index.search.bm25 import BM25Params


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__.splitlines()[0])
    k1, b, module, *rest = sys.argv[1:]
    build.DEFAULT_PARAMS = BM25Params(k1=float(k1), b=float(b))
    print(f"BM25 k1={float(k1)} b={float(b)}", flush=True)
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
