#!/usr/bin/env bash
# Builds the self-contained bundle for GPU machines that have no Java and no network: a jlink-trimmed
# Java 25 runtime, the fat jar (with the CUDA kernels) and a bin/uactn launcher, as one .tar.gz under
# bundle/ (git-ignored), then unpacks it and checks that its bin/uactn info runs.
# Usage: cli/bundle.sh [--no-build]   (env: JAVA_HOME, UACTN_TARGET = Maven output folder name, default target)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$JAVA_HOME/bin/jlink" ]] || { echo "bundle: $JAVA_HOME has no jlink; set JAVA_HOME to a JDK 25" >&2; exit 2; }
export JAVA_HOME
TARGET="${UACTN_TARGET:-target}"
LIMIT_MB=60
BUILD=1
[[ "${1:-}" == --no-build ]] && BUILD=0

if [[ $BUILD == 1 ]]; then
    echo "bundle: building the fat jar (kernels required) ..." >&2
    (cd "$ROOT" && UACTN_REQUIRE_CUDA_KERNELS=1 MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
        mvn -B -q -DskipTests -Duactn.target="$TARGET" -pl cli -am package >&2)
fi
JAR="$ROOT/cli/$TARGET/uactn.jar"
[[ -f "$JAR" ]] || { echo "bundle: $JAR is missing (build it, or drop --no-build)" >&2; exit 1; }
if ! unzip -l "$JAR" 'org/uactn/kernels/cuda/elementwise.fatbin' >/dev/null 2>&1; then
    echo "bundle: $JAR has no CUDA kernels (built without nvcc); the bundle would be useless on a GPU" >&2
    exit 1
fi
VERSION="$(unzip -p "$JAR" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *//p' | tr -d '\r')"
NAME="uactn-${VERSION:-dev}-linux-x86_64"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
APP="$STAGE/$NAME"
mkdir -p "$APP/bin" "$APP/lib"

# The modules the jar needs, plus the Vector API (an incubator module jdeps cannot see as required).
MODULES="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$JAR" 2>/dev/null)"
MODULES="$MODULES,jdk.incubator.vector,jdk.zipfs"
echo "bundle: jlink modules: $MODULES" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=zip-9 \
    --output "$APP/runtime"
cp "$JAR" "$APP/lib/uactn.jar"
# The CUDA backend uses only JCuda's driver binding; the NVPTX compiler natives (9 MB) are dead weight.
zip -q -d "$APP/lib/uactn.jar" 'lib/libJNvPTXCompiler-*' >/dev/null

cat > "$APP/bin/uactn" <<'LAUNCHER'
#!/bin/sh
# uactn launcher of the self-contained bundle: the bundled Java runtime with the engine's JVM flags.
# Extra JVM options: UACTN_JAVA_OPTS (e.g. -Xmx32g). CUDA library folders: UACTN_CUDA_LIBS.
HERE="$(cd "$(dirname "$0")/.." && pwd)"
exec "$HERE/runtime/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-OptoRegScheduling \
    -Djava.awt.headless=true ${UACTN_JAVA_OPTS:-} -jar "$HERE/lib/uactn.jar" "$@"
LAUNCHER
chmod +x "$APP/bin/uactn"
cat > "$APP/README.txt" <<README
uactn $VERSION, self-contained (Java runtime included). Needs only x86-64 Linux and, for CUDA, an NVIDIA driver.
  bin/uactn info                       what was found (driver, cuBLAS, cuDNN, kernels)
  bin/uactn selftest --device cuda     every op + a ResNet-18 step on the GPU vs the CPU
  bin/uactn gradcheck --device cuda    finite-difference gradient checks on the GPU
cuBLAS/cuDNN are looked for in UACTN_CUDA_LIBS, the linker path, \$CUDA_HOME/lib64, /usr/local/cuda/lib64
and site-packages/nvidia/*/lib of Python environments. See docs/gpu-validation.md in the repository.
README

mkdir -p "$ROOT/bundle"
ARCHIVE="$ROOT/bundle/$NAME.tar.gz"
tar -C "$STAGE" -czf "$ARCHIVE" "$NAME"
SIZE=$(stat -c %s "$ARCHIVE")
echo "bundle: $ARCHIVE ($((SIZE / 1048576)) MiB)" >&2
if (( SIZE > LIMIT_MB * 1048576 )); then
    echo "bundle: archive exceeds ${LIMIT_MB} MB" >&2
    exit 1
fi

# The check: unpack elsewhere and run the bundled launcher with no JAVA_HOME and a bare PATH.
CHECK="$(mktemp -d)"
trap 'rm -rf "$STAGE" "$CHECK"' EXIT
tar -C "$CHECK" -xzf "$ARCHIVE"
if ! env -i PATH=/usr/bin:/bin HOME="${HOME:-/tmp}" "$CHECK/$NAME/bin/uactn" info > "$CHECK/info.txt" 2>&1; then
    cat "$CHECK/info.txt" >&2
    echo "bundle: bin/uactn info failed in the unpacked bundle" >&2
    exit 1
fi
grep -E '^(uactn|  (cpu|cuda):)' "$CHECK/info.txt" >&2
echo "$ARCHIVE"
