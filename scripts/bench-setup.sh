# Sourced by the benchmark scripts (scripts/bench.sh, chat-bench.sh, chat-soak.sh) from the repository's root: compiles,
# writes the runtime and test class paths once per pom change, and copies the compiled classes to
# target/bench/$1 so that a build running meanwhile in the same tree cannot pull them away. Sets runtime_cp,
# test_cp, root and snap, and defines run_load (below).
./mvnw -q -B test-compile

mkdir -p target/bench
if [ ! -s target/bench/cp-runtime.txt ] || [ ! -s target/bench/cp-test.txt ] \
    || [ pom.xml -nt target/bench/cp-runtime.txt ] || [ pom.xml -nt target/bench/cp-test.txt ]; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench/cp-runtime.txt -Dmdep.includeScope=runtime
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench/cp-test.txt -Dmdep.includeScope=test
fi
runtime_cp="$(cat target/bench/cp-runtime.txt)"
test_cp="$(cat target/bench/cp-test.txt)"
root="$PWD"

snap="$root/target/bench/$1"
rm -rf "$snap"
mkdir -p "$snap/app" "$snap/bench/io/gifchat"
cp -R target/classes/. "$snap/app/"
cp -R target/test-classes/io/gifchat/bench "$snap/bench/io/gifchat/"

# Runs benchmark main class $1 (from the snapshot) with the remaining arguments, pinned to CPU 0 when there are two
# CPUs or more (the server under test gets CPU 1), telling it the app's class path and where logs go.
run_load() {
  local main="$1"
  shift
  local pin=()
  command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ] && pin=(taskset -c 0)
  exec "${pin[@]}" "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xms256m -Xmx512m -XX:+UseG1GC \
    -cp "$snap/bench:$snap/app:$test_cp" \
    "$main" --appClasspath="$snap/bench:$snap/app:$runtime_cp" --logDir="$root/target/bench" "$@"
}
