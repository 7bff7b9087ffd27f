#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the trimmed Unicode data files of tools/unicode/ that tools/gen_text_tables.py reads.

    tools/unicode/extract.py --ucd DIR        from the official UCD files of one Unicode version:
                                              DIR/EastAsianWidth.txt and
                                              DIR/extracted/DerivedGeneralCategory.txt
    tools/unicode/extract.py --python         from this Python's unicodedata module (compiled by CPython
                                              from the same UCD files; its version is unidata_version)

Either way it refuses a source whose version is not --version (default 14.0.0, the version of glibc 2.36's
locale data, i.e. of the wcwidth() that ncurses uses on Debian 12), and writes into --out (default: the
directory of this script):

    EastAsianWidth.txt          the W and F lines of EastAsianWidth.txt
    DerivedGeneralCategory.txt  the Mn, Me, Cf and Cn lines of extracted/DerivedGeneralCategory.txt

in the UCD's own "range ; value # comment" format, with a header naming the version and the source.
Only the first line's version and the data lines matter to the generator.
"""
import argparse
import os
import re
import sys

EAW_KEEP = ("W", "F")
GC_KEEP = ("Mn", "Me", "Cf", "Cn")


def parse_ucd(path):
    """Yield (lo, hi, value) from a UCD file in "XXXX..YYYY ; value # comment" format."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            data = line.split("#", 1)[0].strip()
            if not data:
                continue
            cps, value = (x.strip() for x in data.split(";")[:2])
            lo, _, hi = cps.partition("..")
            yield int(lo, 16), int(hi or lo, 16), value


def file_version(path):
    """The version in a UCD file's first line: "# EastAsianWidth-14.0.0.txt" -> "14.0.0"."""
    with open(path, encoding="utf-8") as f:
        m = re.match(r"#\s*\S+?-(\d+\.\d+\.\d+)\.txt", f.readline())
    return m.group(1) if m else None


def merge(triples):
    """Sort (lo, hi, value) and join adjacent ranges with the same value."""
    out = []
    for lo, hi, value in sorted(triples):
        if out and out[-1][2] == value and out[-1][1] + 1 == lo:
            out[-1] = (out[-1][0], hi, value)
        else:
            out.append((lo, hi, value))
    return out


def from_ucd(d):
    eaw_path = os.path.join(d, "EastAsianWidth.txt")
    gc_path = os.path.join(d, "extracted", "DerivedGeneralCategory.txt")
    versions = {file_version(eaw_path), file_version(gc_path)}
    if len(versions) != 1 or None in versions:
        sys.exit("extract.py: the two UCD files name different or no versions: %s" % versions)
    gc_of = [None] * 0x110000
    for lo, hi, value in parse_ucd(gc_path):
        if value in GC_KEEP:
            gc_of[lo:hi + 1] = [value] * (hi - lo + 1)
    eaw_of = [None] * 0x110000
    for lo, hi, value in parse_ucd(eaw_path):
        if value in EAW_KEEP:
            eaw_of[lo:hi + 1] = [value] * (hi - lo + 1)
    # EastAsianWidth.txt also gives W to unassigned code points; keep the assigned ones, as --python does.
    eaw = runs(lambda cp: None if gc_of[cp] == "Cn" else eaw_of[cp])
    source = "the UCD files EastAsianWidth.txt and extracted/DerivedGeneralCategory.txt"
    return versions.pop(), eaw, runs(gc_of.__getitem__), source


def runs(value_of):
    """(lo, hi, value) runs of value_of(cp) over all code points, None values left out."""
    out = []
    start, cur = 0, value_of(0)
    for cp in range(1, 0x110001):
        v = value_of(cp) if cp <= 0x10FFFF else object()
        if v != cur:
            if cur is not None:
                out.append((start, cp - 1, cur))
            start, cur = cp, v
    return out


def from_python():
    import platform
    import unicodedata

    def gc(cp):
        c = unicodedata.category(chr(cp))
        return c if c in GC_KEEP else None

    def eaw(cp):
        if unicodedata.category(chr(cp)) == "Cn":
            return None  # unicodedata has no East_Asian_Width for unassigned code points
        w = unicodedata.east_asian_width(chr(cp))
        return w if w in EAW_KEEP else None

    source = ("the unicodedata module of CPython %s, which CPython compiles from the UCD files "
              "UnicodeData.txt and EastAsianWidth.txt" % platform.python_version())
    return unicodedata.unidata_version, runs(eaw), runs(gc), source


def write(path, name, version, source, what, triples):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# %s-%s.txt (trimmed)\n" % (name, version))
        f.write("# Unicode %s, %s.\n" % (version, what))
        f.write("# Written by tools/unicode/extract.py from\n#   %s.\n" % source)
        f.write("# Read by tools/gen_text_tables.py. Format: code point or range ; value # [count]\n")
        for value in sorted({t[2] for t in triples}):
            f.write("\n# %s\n" % value)
            for lo, hi, v in triples:
                if v != value:
                    continue
                cps = "%04X" % lo if lo == hi else "%04X..%04X" % (lo, hi)
                f.write("%-14s; %s # [%d]\n" % (cps, v, hi - lo + 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--ucd", metavar="DIR", help="directory of the official UCD files")
    src.add_argument("--python", action="store_true", help="this Python's unicodedata module")
    ap.add_argument("--version", default="14.0.0", help="the Unicode version required (%(default)s)")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    version, eaw, gc, source = from_ucd(args.ucd) if args.ucd else from_python()
    if version != args.version:
        sys.exit("extract.py: the source is Unicode %s, not %s" % (version, args.version))
    write(os.path.join(args.out, "EastAsianWidth.txt"), "EastAsianWidth", version, source,
          "East_Asian_Width: the W (wide) and F (fullwidth) assigned code points", merge(eaw))
    write(os.path.join(args.out, "DerivedGeneralCategory.txt"), "DerivedGeneralCategory", version,
          source, "General_Category: the Mn, Me, Cf and Cn (unassigned) code points", merge(gc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
