#!/usr/bin/env bash
# Soak of the default file store under room churn (io.gifchat.bench.ChatSoak, src/test/java/io/gifchat/bench/):
# cycles of create a room, 5 members enter, 40 messages with receipts, all leave, the room is deleted — until
# --messages lines are stored. Prints the data file's size every 10 s, the heap after GC at the start and the end,
# the file after a graceful stop, the live data, and what the deleted rooms left in the store. Examples:
#   scripts/chat-soak.sh                          (100,000 messages, 6 workers)
#   scripts/chat-soak.sh --messages=20000 --workers=2
# Server log and data file: target/bench/. Needs a JDK 17+ and taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-setup.sh soak-classes

run_load io.gifchat.bench.ChatSoak "$@"
