#!/usr/bin/env bash
# Compiles kernels/src/main/cuda/*.cu into fatbins (SASS sm_80/86/89/90 + compute_80 PTX) and PTX
# resources, validating every PTX with `ptxas -v` for sm_80 and sm_90; run by Maven (see pom.xml).
# Without nvcc it writes build.properties saying "built without CUDA kernels" and succeeds, unless
# UACTN_REQUIRE_CUDA_KERNELS=1 (NVCC=none simulates a machine without nvcc). Usage: build-kernels.sh <cuda source dir> <resource out dir> <report dir>
set -euo pipefail
SRC="$1"; OUT="$2"; REPORT="$3"
mkdir -p "$OUT" "$REPORT"

find_nvcc() {
    local c
    [[ "${NVCC:-}" == none ]] && return 1
    for c in "${NVCC:-}" "$(command -v nvcc 2>/dev/null || true)" "${CUDA_HOME:+$CUDA_HOME/bin/nvcc}" \
             /usr/local/cuda/bin/nvcc /usr/local/bin/nvcc; do
        [[ -n "$c" && -x "$c" ]] && { echo "$c"; return 0; }
    done
    return 1
}

if ! NVCC_BIN="$(find_nvcc)"; then
    if [[ "${UACTN_REQUIRE_CUDA_KERNELS:-0}" == 1 ]]; then
        echo "build-kernels: nvcc not found and UACTN_REQUIRE_CUDA_KERNELS=1" >&2
        exit 1
    fi
    echo "build-kernels: nvcc not found (set NVCC or CUDA_HOME); the jar is built without CUDA kernels" >&2
    rm -f "$OUT"/*.fatbin "$OUT"/*.ptx
    printf 'kernels=none\nreason=built without CUDA kernels (nvcc was not found when the jar was built)\n' > "$OUT/build.properties"
    exit 0
fi
PTXAS_BIN="$(dirname "$NVCC_BIN")/ptxas"
[[ -x "$PTXAS_BIN" ]] || PTXAS_BIN="$(command -v ptxas)"

ARCHS=(80 86 89 90)
GENCODE=()
for a in "${ARCHS[@]}"; do GENCODE+=(-gencode "arch=compute_$a,code=sm_$a"); done
GENCODE+=(-gencode arch=compute_80,code=compute_80)
FLAGS=(-O3 -std=c++17 -lineinfo --expt-relaxed-constexpr -Xcompiler -Wall)

families=()
for cu in "$SRC"/*.cu; do
    fam="$(basename "$cu" .cu)"
    families+=("$fam")
    fat="$OUT/$fam.fatbin"; ptx="$OUT/$fam.ptx"
    if [[ -f "$fat" && -f "$ptx" && "$fat" -nt "$cu" && "$fat" -nt "$SRC/uactn.cuh" && "$fat" -nt "$0" ]]; then
        continue
    fi
    echo "build-kernels: nvcc $fam.cu" >&2
    "$NVCC_BIN" "${FLAGS[@]}" -I"$SRC" -fatbin "${GENCODE[@]}" -o "$fat.tmp" "$cu"
    "$NVCC_BIN" "${FLAGS[@]}" -I"$SRC" -ptx -arch=compute_80 -o "$ptx.tmp" "$cu"
    # Every PTX must assemble for the oldest and newest target; ptxas -v also reports registers and spills.
    for sm in 80 90; do
        if ! "$PTXAS_BIN" -v -arch="sm_$sm" -o /dev/null "$ptx.tmp" > "$REPORT/$fam.sm_$sm.ptxas.txt" 2>&1; then
            cat "$REPORT/$fam.sm_$sm.ptxas.txt" >&2
            echo "build-kernels: ptxas rejected $fam.ptx for sm_$sm" >&2
            rm -f "$fat.tmp" "$ptx.tmp"
            exit 1
        fi
    done
    mv "$fat.tmp" "$fat"; mv "$ptx.tmp" "$ptx"
done

{
    echo "kernels=fatbin"
    echo "families=$(IFS=,; echo "${families[*]}")"
    echo "archs=sm_80,sm_86,sm_89,sm_90,compute_80"
    echo "nvcc=$("$NVCC_BIN" --version | tail -1)"
} > "$OUT/build.properties"
