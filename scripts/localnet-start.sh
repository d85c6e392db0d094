#!/usr/bin/env bash
# Start (or resume) the local jcredit network: validators for METI, MOE,
# MAFF and the J-Credit System Secretariat plus a provider's full node, each
# a jcreditd process on its own loopback address (127.0.0.2 ... 127.0.0.6,
# standard ports), no Docker needed.
#
#   scripts/localnet-start.sh             # data: ./.localnet
#   LOCALNET_DIR=/some/dir scripts/localnet-start.sh
#
# The first run generates the network (jcreditd testnet); later runs resume
# the same chain from the same directory. scripts/localnet-stop.sh stops it;
# `rm -rf .localnet` (after stopping) starts over.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything the network writes (node homes with validator keys, account
# keys, logs) is for this user only.
umask 077

BIN="${JCREDITD_BIN:-./build/jcreditd}"
DIR="${LOCALNET_DIR:-$PWD/.localnet}"
CHAIN_ID="${CHAIN_ID:-jcredit-localnet}"
START_IP="${LOCALNET_START_IP:-127.0.0.2}"

[ -x "$BIN" ] || go build -o "$BIN" ./node/cmd/jcreditd

if [ ! -f "$DIR/network.json" ]; then
  "$BIN" testnet --output-dir "$DIR" --chain-id "$CHAIN_ID" --starting-ip "$START_IP" \
    --providers 1 --provider-validators=false --holders 3 --snapshot-interval 100 >/dev/null
  echo "generated a new network in $DIR"
else
  echo "resuming the network in $DIR"
fi
# Node homes and key directories are private (also those of a network
# generated before this rule).
chmod 700 "$DIR"
for d in "$DIR"/*/; do chmod 700 "$d"; done

# Node homes are the directories holding a genesis, in network.json's order.
nodes=$(grep -o '"home": *"[^"]*"' "$DIR/network.json" | sed 's/.*"\([^"]*\)"$/\1/')

running() { [ -f "$1/node.pid" ] && kill -0 "$(cat "$1/node.pid")" 2>/dev/null; }

for n in $nodes; do
  home="$DIR/$n"
  if running "$home"; then
    echo "  $n already running (pid $(cat "$home/node.pid"))"
    continue
  fi
  nohup "$BIN" start --home "$home" >>"$home/node.log" 2>&1 &
  echo $! >"$home/node.pid"
done

# conf_addr FILE SECTION: the laddr of [SECTION] in a TOML file, as host:port.
conf_addr() {
  awk -v s="[$2]" '$0==s{f=1;next} /^\[/{f=0} f && $1=="laddr"{gsub(/"|tcp:\/\//,"",$3); print $3; exit}' "$1"
}

first=$(echo "$nodes" | head -n1)
rpc=$(conf_addr "$DIR/$first/config/config.toml" rpc)
echo -n "waiting for the first block"
for _ in $(seq 1 120); do
  if curl -fsS "http://$rpc/status" 2>/dev/null | grep -q '"latest_block_height": *"[1-9]'; then
    break
  fi
  for n in $nodes; do
    if ! running "$DIR/$n"; then
      echo; echo "node $n exited; the end of $DIR/$n/node.log:" >&2
      tail -n 20 "$DIR/$n/node.log" >&2
      exit 1
    fi
  done
  echo -n .
  sleep 0.5
done
echo

printf '\n%-12s %-10s %-24s %-38s %s\n' NODE ROLE RPC "PUBLIC API" "WEB PAGE"
for n in $nodes; do
  home="$DIR/$n"
  role=$(awk -v n="\"$n\"," '$2==n{f=1} f && /"validator"/{print ($2 ~ /true/) ? "validator" : "full node"; exit}' "$DIR/network.json")
  api=$(conf_addr "$home/config/app.toml" api)
  printf '%-12s %-10s %-24s %-38s %s\n' "$n" "$role" "http://$(conf_addr "$home/config/config.toml" rpc)" "http://$api/api/v1/status" "http://$api/"
done
cat <<MSG

chain:    $CHAIN_ID
data:     $DIR   (node homes, logs in <node>/node.log)
genesis:  $DIR/$first/config/genesis.json
          the trust root for proofs: $BIN verify proof.json --trust $DIR/$first/config/genesis.json
keys:     $DIR/keys  (every genesis account; passphrase "localnet")
cli:      --home $DIR finds the network (network.json) and its keys, e.g.
          $BIN q credits retirements --home $DIR
          $BIN export retirements --home $DIR > retirements.csv
          JCREDIT_PASSPHRASE=localnet $BIN q accounts account <address> --home $DIR
stop:     make localnet-stop   (make localnet-start again resumes the same chain)
MSG
