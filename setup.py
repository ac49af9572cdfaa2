"""The optional compiled parts; everything else is in pyproject.toml.

`index/search/_topk.c`: BM25's top k. `-ffp-contract=off`: no fused multiply-add, so the float32
sums are numpy's. `index/ingest/_punkt.c`: Punkt's candidate loop (`index.ingest.punkt`).
`index/search/_chunks.c`: the build's sentence chunks looked up (`index.search.build._process`).
`optional=True`: where no C compiler is found the install goes on and `index.search.bm25` runs
its numpy path, `index.ingest.punkt` and `build._process` their Python loops.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "index.search._topk",
            ["index/search/_topk.c"],
            extra_compile_args=["-O2", "-ffp-contract=off"],
            optional=True,
        ),
        Extension("index.ingest._punkt", ["index/ingest/_punkt.c"], extra_compile_args=["-O2"], optional=True),
        Extension("index.search._chunks", ["index/search/_chunks.c"], extra_compile_args=["-O2"], optional=True),
    ]
)
