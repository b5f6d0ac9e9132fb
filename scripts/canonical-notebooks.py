#!/usr/bin/env python3
"""Rewrites notebooks in the form JupyterLab saves them, so that opening and saving changes nothing.

    .venv/bin/python scripts/canonical-notebooks.py            # rewrite notebooks/*.ipynb in place
    .venv/bin/python scripts/canonical-notebooks.py --check    # exit 1 naming every non-canonical notebook
    .venv/bin/python scripts/canonical-notebooks.py a.ipynb    # only these files

Canonical means (kernelext/cmd/nbrun's TestCommittedNotebooks checks the same without Python):
  * nbformat 4.5, every cell has an `id` (nbformat.reads gives a missing one a random id, as JupyterLab
    does; ids already there are kept);
  * no outputs, execution_count null, no per-run cell metadata (what nbstripout strips);
  * metadata.kernelspec is the spec scripts/install-kernel.sh installs (name gonb, its display_name);
  * metadata.language_info is GoNB's kernel_info_reply block, which JupyterLab stores on open
    (version = runtime.Version() of bin/gonb, `go version bin/gonb`; --check accepts any Go version there);
  * every other notebook metadata key (factmlp.figures, which nbrun reads) and every cell source unchanged;
  * written by nbformat.write, as jupyter_server does: indent=1, sort_keys, ensure_ascii=False,
    sources split in lines, trailing newline.
"""
import argparse
import copy
import glob
import io
import os
import re
import subprocess
import sys

import nbformat

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Cell metadata that only records a run or a view state (nbstripout's defaults).
RUN_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled", "heading_collapsed", "hidden")


def display_name():
    """The display_name scripts/install-kernel.sh writes into the GoNB kernel spec."""
    with open(os.path.join(REPO, "scripts", "install-kernel.sh"), encoding="utf-8") as f:
        m = re.search(r'spec\["display_name"\] = "([^"]+)"', f.read())
    if not m:
        sys.exit("canonical-notebooks: no display_name assignment in scripts/install-kernel.sh")
    return m.group(1)


def go_version():
    """runtime.Version() of bin/gonb, which GoNB reports: `go version bin/gonb` (e.g. go1.26.8-X:simd)."""
    gonb = os.path.join(REPO, "bin", "gonb")
    try:
        if os.path.exists(gonb):
            out = subprocess.run(["go", "version", gonb], check=True, capture_output=True, text=True).stdout
            return out.split(": ", 1)[1].strip()
        # Not built yet: the Makefile builds it with GOEXPERIMENT=simd.
        out = subprocess.run(["go", "env", "GOVERSION"], check=True, capture_output=True, text=True).stdout
        return out.strip() + "-X:simd"
    except (OSError, IndexError, subprocess.CalledProcessError) as e:
        sys.exit(f"canonical-notebooks: Go version of bin/gonb: {e}")


def language_info(version):
    # GoNB v0.11's kernel_info_reply (internal/kernel/messages.go: SendKernelInfo); empty fields included.
    return {"codemirror_mode": "", "file_extension": ".go", "mimetype": "text/x-go", "name": "go",
            "nbconvert_exporter": "", "pygments_lexer": "", "version": version}


def canonical(nb, dname, version):
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, 5
    taken = {c.get("id") for c in nb.cells if c.get("id")}
    for i, cell in enumerate(nb.cells):
        if not cell.get("id"):
            cid, n = f"c{i:02d}", 0
            while cid in taken:
                n += 1
                cid = f"c{i:02d}-{n}"
            cell["id"] = cid
            taken.add(cid)
        for k in RUN_METADATA:
            cell.metadata.pop(k, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("signature", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": dname, "language": "go", "name": "gonb"}
    nb.metadata["language_info"] = language_info(version)
    return nb


def dumps(nb):
    buf = io.StringIO()
    nbformat.write(nb, buf, version=nbformat.NO_CONVERT)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook is not canonical")
    ap.add_argument("--go-version", help="language_info.version to write (default: `go version bin/gonb`)")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")))
    if not files:
        sys.exit("canonical-notebooks: no notebooks found")
    dname = display_name()
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        if args.check:
            # Any Go version is fine in language_info (it is whatever Go built bin/gonb).
            version = (nb.metadata.get("language_info") or {}).get("version") or ""
            version = version if version.startswith("go") else "go?"
        else:
            version = args.go_version or go_version()
        want = dumps(canonical(nb, dname, version))
        if want == text:
            continue
        if args.check:
            print(f"canonical-notebooks: {os.path.relpath(path)} is not canonical; run "
                  f".venv/bin/python scripts/canonical-notebooks.py", file=sys.stderr)
            bad += 1
        else:
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(want)
            os.replace(path + ".tmp", path)
            print(f"canonical-notebooks: rewrote {os.path.relpath(path)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
