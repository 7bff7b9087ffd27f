#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerate the parts of the docs made from the act table: the marked blocks of docs/warroom.1 (from
# `warroom help --man`), the key tables between the "BEGIN generated keys" and "END generated keys" marks of
# README.md and docs/console.md (from `warroom help --keys`) and contrib/completion/warroom.bash,
# contrib/completion/_warroom (from `warroom completion bash|zsh`). tests/unit/test_docs.c fails while they
# differ.
# usage: tools/gen_docs.sh [PATH/TO/warroom]   (default: build/warroom)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/warroom}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" help --man >"$tmp/gen"
# Replace the n-th BEGIN..END block of the page with the n-th block of the output.
awk -v gen="$tmp/gen" '
BEGIN {
    n = 0
    while ((getline line < gen) > 0) {
        if (line ~ /^\.\\" BEGIN generated/) { n++; blk[n] = "" }
        blk[n] = blk[n] line "\n"
    }
    k = 0; skip = 0
}
/^\.\\" BEGIN generated/ { k++; printf "%s", blk[k]; skip = 1; next }
skip && /^\.\\" END generated/ { skip = 0; next }
!skip { print }
' "$here/docs/warroom.1" >"$tmp/page"
cp "$tmp/page" "$here/docs/warroom.1"
"$bin" help --keys >"$tmp/keys"
for doc in README.md docs/console.md; do
  awk -v gen="$tmp/keys" '
  /^<!-- BEGIN generated keys/ { print; while ((getline line < gen) > 0) print line; skip = 1; next }
  skip && /^<!-- END generated keys/ { skip = 0 }
  !skip { print }
  ' "$here/$doc" >"$tmp/doc"
  cp "$tmp/doc" "$here/$doc"
done
"$bin" completion bash >"$here/contrib/completion/warroom.bash"
"$bin" completion zsh >"$here/contrib/completion/_warroom"
