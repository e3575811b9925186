"""Wheel build hook: the review analysis compiled to C with mypyc where the machine can build it.

The compiled modules are the per-word loops of sentiment, pros and cons and trust. They are built from the
same Python source and give the same results (tests/server/analysis/test_native_build.py checks it), with a
fifth fewer instructions, in 0.7-0.8 times the CPU time (bench/analysis_speed.py --installed). They are built
in a temporary directory and added to the wheel beside the sources, so the source tree never holds a
compiled module that would shadow an edited .py. Without a C compiler or Python's headers, or with
ZMOT_PURE_PYTHON=1, the wheel is pure Python, with a warning; editable installs are always pure Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED = (
    "server/analysis/aspects.py",
    "server/analysis/aspects_terms.py",
    "server/analysis/aspects_words.py",
    "server/analysis/sentiment.py",
    "server/analysis/trust.py",
    "server/analysis/vader.py",
    "server/analysis/vader_tokens.py",
)

_SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

out, cache, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
mypy = ["--ignore-missing-imports", "--follow-imports=silent", "--cache-dir=" + cache]
setup(
    name="zmot_native",
    ext_modules=mypycify(sources + mypy, opt_level="3", target_dir=out),
    script_args=["build_ext", "--build-lib", out + "/lib", "--build-temp", out + "/tmp"],
)
"""


class NativeAnalysis(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._work: str | None = None
        if self.target_name != "wheel" or version == "editable" or os.environ.get("ZMOT_PURE_PYTHON"):
            return
        self._work = tempfile.mkdtemp(prefix="zmot-native-")
        try:
            built = _compile(Path(self.root), Path(self._work))
        except (OSError, RuntimeError) as error:
            self.app.display_warning(f"zmot: the review analysis stays pure Python (slower): {error}")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)
        self.app.display_info(f"zmot: {len(COMPILED)} analysis modules compiled with mypyc")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)


def _compile(root: Path, work: Path) -> dict[str, str]:
    """{built extension: its path in the wheel}; raises RuntimeError with the compiler's last words."""
    setup = work / "setup.py"
    setup.write_text(_SETUP, encoding="utf-8")
    sources = [str(root / name) for name in COMPILED]
    # run in the work directory: setuptools must not read the project's pyproject.toml, nor mypyc write there
    done = subprocess.run(
        [sys.executable, str(setup), str(work / "out"), str(work / "cache"), *sources],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    lib = work / "out" / "lib"
    found = (
        [path for path in lib.rglob("*") if path.name.endswith(tuple(EXTENSION_SUFFIXES))]
        if lib.is_dir()
        else []
    )
    built = {str(path): path.relative_to(lib).as_posix() for path in found}
    if done.returncode or len(built) < len(COMPILED) + 1:  # a module each, and mypyc's shared runtime
        tail = " ".join((done.stderr or done.stdout).split()[-40:])
        raise RuntimeError(f"mypyc failed ({tail})" if tail else "mypyc built nothing")
    return built
