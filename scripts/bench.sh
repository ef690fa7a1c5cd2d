#!/usr/bin/env bash
# Broadcast benchmark: the STOMP server against a raw Reactor Netty ceiling (io.gifchat.bench.BroadcastBenchmark,
# src/test/java/io/gifchat/bench/). Each server runs in its own JVM (same flags: -Xms512m -Xmx512m -XX:+UseG1GC).
#
# Prints, for each target (raw ceiling, STOMP app): deliveries/s, server CPU seconds over the measured window,
# deliveries per server CPU-second, p50/p99/p99.9/max latency in ms, lost deliveries (expected N x messages minus
# received), plus frame sizes, errors and server-side closes; then the STOMP/raw ratio of deliveries per server
# CPU-second and the STOMP app's idle heap per connection (bytes, with the classes that grew), each against the
# product goal (p99 <= 10 ms, ratio >= 0.85, <= 6 KB per idle session).
#
# Defaults: 200 subscribers x 200 msg/s (40,000 deliveries/s), 128-byte bodies, 5 s warmup + 15 s measured,
# 2,000 idle connections; about 2-3 minutes. Arguments pass through, e.g.
#   scripts/bench.sh --subscribers=100 --rate=100 --warmup=2 --measure=5 --idle=500 --targets=raw,stomp,heap
#   scripts/bench.sh --repeat=3   (raw and stomp [cluster, sse] alternate 3 times; the summary takes medians: use on
#                                  a busy machine)
#   (targets: raw, stomp, heap, profile = STOMP under the same load with a JFR CPU profile summary,
#    cluster = two app nodes in cluster mode, sse = subscribers over the fallback carrier, see below;
#    --rawMode=direct|loop|sink, --serverJvm='...', --appArgs='--some.property=x', --payload=, --drain=,
#    --serverCpus=1 pins every server JVM to CPU 1 (taskset, -XX:ActiveProcessorCount) and the load to the rest)
#
# Cluster (issue 13): scripts/bench.sh --targets=stomp,cluster --repeat=3
#   two app nodes (the stomp target's flags plus gifchat.cluster.enabled), their shared store (StoreServer, memory)
#   and the machine's Redis at 127.0.0.1:6379 (--redis=URL) under a namespace of the run's own, whose keys are
#   deleted at the end; half the subscribers on each node, a publisher on each sending half the rate, so every
#   message crosses Redis. With cluster among the targets the defaults are 100 subscribers x 100 msg/s (10,000
#   deliveries/s, stomp too) and --serverCpus=1: the single node and both cluster nodes on CPU 1, the load (and the
#   store) on CPU 0, Redis unpinned. Prints per node deliveries/s, server CPU and deliveries per CPU-second against
#   the stomp target's (goal >= 0.7), Redis's CPU, and the cross-node latency penalty (goal p99 <= 5 ms).
#   With cluster among the targets every target warms until the JIT is quiet: past --warmup, in 15 s steps, until
#   each server's compiler threads used <= --jitQuiet=3 % of its CPU (up to --warmupMax=600 s from the load's
#   start; a warning says when it did not go quiet). Each target prints its warm-up and the compiler threads' CPU
#   inside the window. --jitQuiet=0 measures after exactly --warmup seconds.
#
# Fallback carrier (issue 14): scripts/bench.sh --targets=stomp,sse --repeat=3 --serverCpus=1 --idle=0
#   the sse target is the stomp target with the subscribers on Server-Sent Events instead of WebSocket: each a new
#   visitor (lobby page: SESSION cookie + CSRF token) opening GET /stomp/sse, POSTing CONNECT and then SUBSCRIBE
#   (with a receipt) to /stomp/sse/{token}; the publisher stays on WebSocket exactly as in stomp (only the
#   subscribers' carrier differs). Same figures as stomp; the summary prints SSE over WebSocket deliveries per server
#   CPU-second and the two p99s side by side. With sse among the targets (no cluster) --rate defaults to 50
#   (200 x 50 = 10,000 deliveries/s, the issue's load). sse alternates with the other targets round by round.
# Server logs: target/bench/*.log. Needs a JDK 17+ (java, jcmd). Exit status 0 unless a run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-setup.sh classes

exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xms256m -Xmx512m -XX:+UseG1GC \
  -Dbench.appClasspath="$snap/app:$runtime_cp" \
  -Dbench.rawClasspath="$snap/bench:$runtime_cp" \
  -Dbench.storeClasspath="$snap/bench:$snap/app:$runtime_cp" \
  -Dbench.logDir="$root/target/bench" \
  -cp "$snap/bench:$snap/app:$test_cp" \
  io.gifchat.bench.BroadcastBenchmark "$@"
