#!/usr/bin/env bash
# Regenerates app/testdata/state-v1.json.gz, the state written by the
# previous release (state version 1) that the v2 migration tests upgrade.
#
# It checks out release v0.2.0 in a temporary git worktree, drops in the
# shared scenario (app/upgradetest/scenario.go, fixture.go) and the
# generator (app/upgradetest/v1gen/gen_test.go, build tag v1fixture, never
# compiled in this tree), runs it there — so every transaction is executed
# by that release's own code — and writes the committed tree with its height
# and app hash. The output is deterministic: running this twice gives the
# same bytes.
#
#   scripts/gen-v1-fixture.sh            # from anywhere inside the repository
set -euo pipefail

repo=$(git rev-parse --show-toplevel)
ref=${V1_REF:-v0.2.0}
want=${V1_COMMIT:-2b39c20}
commit=$(git -C "$repo" rev-parse --verify "$ref^{commit}")
case "$commit" in
"$want"*) ;;
*) echo "gen-v1-fixture: $ref is $commit, expected $want (the previous release)" >&2; exit 1 ;;
esac

tmp=$(mktemp -d)
cleanup() {
	git -C "$repo" worktree remove --force "$tmp/src" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

git -C "$repo" worktree add --detach --quiet "$tmp/src" "$commit"
mkdir -p "$tmp/src/app/upgradetest/v1gen"
cp "$repo/app/upgradetest/scenario.go" "$repo/app/upgradetest/fixture.go" "$tmp/src/app/upgradetest/"
cp "$repo/app/upgradetest/v1gen/gen_test.go" "$tmp/src/app/upgradetest/v1gen/"

out="$repo/app/testdata/state-v1.json.gz"
mkdir -p "$(dirname "$out")"
echo "gen-v1-fixture: running the scenario on $ref ($commit)"
(cd "$tmp/src" && JCREDIT_V1_FIXTURE="$out" JCREDIT_V1_RELEASE="$ref ($commit)" \
	go test -count=1 -tags v1fixture -run '^TestWriteV1Fixture$' -v ./app/upgradetest/v1gen/ | grep -E 'wrote|FAIL|ok|panic' )
ls -l "$out"
