"""The optional compiled top k (`index/search/_topk.c`); everything else is in pyproject.toml.

`optional=True`: where no C compiler is found the install goes on and `index.search.bm25` runs
its numpy path. `-ffp-contract=off`: no fused multiply-add, so the float32 sums are numpy's.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "index.search._topk",
            ["index/search/_topk.c"],
            extra_compile_args=["-O2", "-ffp-contract=off"],
            optional=True,
        )
    ]
)
