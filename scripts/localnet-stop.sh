#!/usr/bin/env bash
# Stop the local network started by scripts/localnet-start.sh: SIGTERM to
# each node (a clean shutdown), SIGKILL after 20 s. Data is kept, so
# localnet-start resumes the same chain.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${LOCALNET_DIR:-$PWD/.localnet}"

shopt -s nullglob
pids=()
for f in "$DIR"/*/node.pid; do
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    pids+=("$pid")
    echo "stopping $(basename "$(dirname "$f")") (pid $pid)"
  fi
  rm -f "$f"
done
for pid in "${pids[@]}"; do
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "pid $pid did not stop in 20 s; killing it"
    kill -KILL "$pid" || true
  fi
done
echo "stopped (data kept in $DIR)"
