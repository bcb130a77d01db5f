// Definitions shared by every uactn CUDA kernel: the strided geometry passed by value, grid-stride
// loops and the Java-compatible min/max (NaN propagates, +0 beats -0) the CPU backend uses.
#pragma once
#include <stdint.h>

#define UACTN_MAXR 8
#define UACTN_MAXOP 4

// Shape of a (coalesced) iteration space and, per operand, strides and offset in elements.
// Passed by value as a flat block of ints, so the Java side fills an int[45] in this order.
struct Geo {
    int rank;
    int shape[UACTN_MAXR];
    int st[UACTN_MAXOP][UACTN_MAXR];
    int off[UACTN_MAXOP];
};

// Element offsets of the row-major linear index i into the first NOP operands.
template <int NOP>
__device__ __forceinline__ void geo_offsets(const Geo& g, int i, int* o) {
#pragma unroll
    for (int k = 0; k < NOP; k++) o[k] = g.off[k];
    for (int d = g.rank - 1; d >= 0; d--) {
        int s = g.shape[d];
        int c = i % s;
        i /= s;
#pragma unroll
        for (int k = 0; k < NOP; k++) o[k] += c * g.st[k][d];
    }
}

#define GRID_STRIDE(i, n) for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

typedef long long i64;

// Java's Math.max / Math.min: a NaN operand wins, and +0 is larger than -0.
template <typename T>
__device__ __forceinline__ T jmax(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a > b) return a;
    if (b > a) return b;
    return signbit(a) ? b : a;
}
template <typename T>
__device__ __forceinline__ T jmin(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a < b) return a;
    if (b < a) return b;
    return signbit(a) ? a : b;
}
template <> __device__ __forceinline__ i64 jmax<i64>(i64 a, i64 b) { return a > b ? a : b; }
template <> __device__ __forceinline__ i64 jmin<i64>(i64 a, i64 b) { return a < b ? a : b; }
template <> __device__ __forceinline__ int jmax<int>(int a, int b) { return a > b ? a : b; }
template <> __device__ __forceinline__ int jmin<int>(int a, int b) { return a < b ? a : b; }

// Block-wide sum of one double per thread (blockDim.x must be UACTN_BLOCK); every thread gets the result.
#define UACTN_BLOCK 256
__device__ __forceinline__ double block_sum(double v, double* shared) {
    int t = threadIdx.x;
    shared[t] = v;
    __syncthreads();
    for (int s = UACTN_BLOCK / 2; s > 0; s >>= 1) {
        if (t < s) shared[t] += shared[t + s];
        __syncthreads();
    }
    double r = shared[0];
    __syncthreads();
    return r;
}
