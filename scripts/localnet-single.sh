#!/usr/bin/env bash
# One jcredit validator on this machine, ready to use: builds jcreditd if
# needed, creates a home with a secretariat key and genesis account, and
# runs the node in the foreground (Ctrl-C stops it; run the script again to
# resume the same chain).
#
#   scripts/localnet-single.sh            # home: ./build/localnet-single
#   JCREDIT_HOME=/some/dir scripts/localnet-single.sh
#
# Keys are encrypted with $JCREDIT_PASSPHRASE (default "localnet", since this
# is a throw-away network) using light scrypt parameters.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077 # the home holds the validator's and the account's keys

BIN=./build/jcreditd
export JCREDIT_HOME="${JCREDIT_HOME:-$PWD/build/localnet-single}"
export JCREDIT_PASSPHRASE="${JCREDIT_PASSPHRASE:-localnet}"
CHAIN_ID="${CHAIN_ID:-jcredit-local-1}"

[ -x "$BIN" ] || go build -o "$BIN" ./node/cmd/jcreditd

if [ ! -f "$JCREDIT_HOME/config/genesis.json" ]; then
  "$BIN" init local-node --chain-id "$CHAIN_ID"
  "$BIN" keys add secretariat --light-kdf
  "$BIN" genesis add-account secretariat --name "J-Credit System Secretariat" \
    --kind corporation --country JP --roles secretariat
  echo "home: $JCREDIT_HOME (keys passphrase: \$JCREDIT_PASSPHRASE)"
fi
exec "$BIN" start
