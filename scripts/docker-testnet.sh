#!/usr/bin/env bash
# The jcredit network under docker compose (testnet/docker).
#
#   scripts/docker-testnet.sh build   # static jcreditd + image FROM scratch
#   scripts/docker-testnet.sh up      # build, generate homes if needed, start, wait
#   scripts/docker-testnet.sh down    # stop and remove the containers (data kept)
#
# No image is pulled: the image is the host-built static binary alone.
# JCREDIT_NET_DIR (default testnet/artifacts/compose) is where the node
# homes live; the smoke test (make testnet-smoke) points it at a fresh
# temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=jcredit/jcreditd:local
CTX=build/docker
NET_DIR=${JCREDIT_NET_DIR:-testnet/artifacts/compose}
COMPOSE_FILE=testnet/docker/docker-compose.yml
# Compose resolves the volume path itself: hand it an absolute one.
case "$NET_DIR" in
  /*) export JCREDIT_NET_DIR="$NET_DIR" ;;
  *) export JCREDIT_NET_DIR="$PWD/$NET_DIR" ;;
esac

compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose -f "$COMPOSE_FILE" -p jcredit "$@"
  else
    docker-compose -f "$COMPOSE_FILE" -p jcredit "$@"
  fi
}

build() {
  mkdir -p "$CTX"
  # Pure Go (CGO_ENABLED=0): a static binary that runs in an empty image.
  # go-ethereum then uses its pure-Go secp256k1; results are identical.
  CGO_ENABLED=0 go build -trimpath -o "$CTX/jcreditd" ./node/cmd/jcreditd
  cp testnet/docker/Dockerfile "$CTX/Dockerfile"
  docker build -q -t "$IMAGE" "$CTX"
}

up() {
  build
  if [ ! -f "$NET_DIR/network.json" ]; then
    "$CTX/jcreditd" testnet --output-dir "$NET_DIR" --chain-id jcredit-docker \
      --starting-ip 10.214.0.2 --listen-all --providers 1 --provider-validators=false \
      --holders 3 --snapshot-interval 100 >/dev/null
    echo "generated the network in $NET_DIR"
  fi
  compose up -d
  echo -n "waiting for the first block"
  for _ in $(seq 1 120); do
    if curl -fsS http://10.214.0.2:26657/status 2>/dev/null | grep -q '"latest_block_height": *"[1-9]'; then
      echo; break
    fi
    echo -n .; sleep 0.5
  done
  compose ps
  cat <<MSG

RPC:        http://10.214.0.2:26657 (meti) ... http://10.214.0.6:26657 (provider1)
public API: http://10.214.0.2:1317/api/v1/status   web page: http://10.214.0.2:1317/
keys:       $NET_DIR/keys (passphrase "localnet")
partition a node: docker network disconnect jcredit-testnet jcredit-moe  (reconnect: docker network connect --ip 10.214.0.3 jcredit-testnet jcredit-moe)
stop:       make testnet-down
MSG
}

case "${1:-}" in
  build) build ;;
  up) up ;;
  down) compose down ;;
  *) echo "usage: $0 build|up|down" >&2; exit 2 ;;
esac
