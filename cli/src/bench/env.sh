# Builds the engine into $UACTN_TARGET (default target-bench) and exports BENCH_CP and BENCH_JAVA for
# the benchmark scripts in this folder. Source it from the repository root: . cli/src/bench/env.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
UACTN_TARGET=${UACTN_TARGET:-target-bench}
if [ -z "$BENCH_SKIP_BUILD" ]; then
  mvn -q -pl cli -am package -DskipTests -Duactn.target="$UACTN_TARGET" || return 1
fi
mvn -q -pl cli dependency:build-classpath -Dmdep.outputFile=/tmp/uactn-bench-cp.txt -Duactn.target="$UACTN_TARGET" || return 1
# The freshly compiled module classes, then third-party jars (stale installed uactn jars filtered out).
BENCH_CP=""
for m in core kernels render train eval cli; do BENCH_CP="$BENCH_CP:$m/$UACTN_TARGET/classes"; done
BENCH_CP="${BENCH_CP#:}:$(tr ':' '\n' < /tmp/uactn-bench-cp.txt | grep -v '/org/uactn/' | paste -sd: -)"
export BENCH_CP
export BENCH_JAVA="$JAVA_HOME/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-OptoRegScheduling"
