# Sourced by the benchmark scripts (scripts/bench.sh, scripts/chat-bench.sh) from the repository's root: compiles,
# writes the runtime and test class paths once per pom change, and copies the compiled classes to
# target/bench/$1 so that a build running meanwhile in the same tree cannot pull them away. Sets runtime_cp,
# test_cp, root and snap.
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
