#!/usr/bin/env bash
# Persisted chat path benchmark (io.gifchat.bench.ChatBenchmark, src/test/java/io/gifchat/bench/): the app on one
# CPU (taskset -c 1, -XX:ActiveProcessorCount=1), the load from this JVM on the other (taskset -c 0). Members enter
# rooms and SEND /app/chat/{room} with receipts and clientIds; prints receipted msgs/s, receipt p50/p99/max, server
# CPU per message, and the store alone (same embedded backend in its own JVM, driven by the MongoDB driver) as the
# ceiling. Examples:
#   scripts/chat-bench.sh                                       (memory store, 8 senders in 4 rooms, 16 in flight each)
#   scripts/chat-bench.sh --store=file --targets=store,app
#   scripts/chat-bench.sh --senders=1 --rooms=1 --inflight=1    (one sender, one message in flight)
#   scripts/chat-bench.sh --rate=1000 --targets=app             (open loop: latency at 1,000 msgs/s offered)
#   scripts/chat-bench.sh --targets=profile                     (adds a JFR CPU summary of the app)
# Server logs and store files: target/bench/. Needs a JDK 17+ and taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-setup.sh chat-classes

run_load io.gifchat.bench.ChatBenchmark "$@"
