#!/usr/bin/env bash
# Regenerates node/proof/testdata/corpus-v1: proof bundles exactly as the
# released v0.2.0 writes them (jcreditd proof and the public API), from a
# real six-node network with three ministry-approved validator-set changes,
# with the trust roots they verify against (genesis.json, published
# /validators answers) and manifest.json describing each bundle.
#
#   scripts/corpus-v1.sh [ref]     # ref defaults to v0.2.0
#
# It checks out ref in a temporary git worktree, copies the generator
# (testnet/corpusv1_gen_test.go, build tag corpusv1: it is written against
# that release's APIs and never compiles in today's tree) into it, runs it
# there (about 3 minutes), and replaces the corpus directory. The corpus is
# committed: the verifier's tests must keep accepting every bundle in it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ref="${1:-v0.2.0}"
out="$root/node/proof/testdata/corpus-v1"

tmp=$(mktemp -d)
cleanup() { git -C "$root" worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
git -C "$root" worktree add --detach "$tmp/src" "$ref" >/dev/null
cp "$root/testnet/corpusv1_gen_test.go" "$tmp/src/testnet/"
mkdir -p "$tmp/corpus"
(cd "$tmp/src" && CORPUS_OUT="$tmp/corpus" go test -tags corpusv1 -count=1 -timeout 20m -v -run '^TestGenerateCorpusV1$' ./testnet/)
rm -rf "$out"
mkdir -p "$out"
cp "$tmp/corpus"/* "$out/"
echo "corpus of $(ls "$out" | wc -l) files from $ref ($(git -C "$root" rev-parse --short "$ref^{commit}")) in $out"
