// The hand-written tiled GEMM: C = alpha * A x B + beta * C for batches of arbitrarily strided
// row-major-indexed matrices. The fallback when no cuBLAS can be loaded, and its cross-check.
// Each 256-thread block computes a 64x64 tile of C, 4x4 outputs per thread, K in steps of 16.
#include "uactn.cuh"

#define TM 64
#define TN 64
#define TK 16

// grid: (ceil(N/64), ceil(M/64), batches); batch index = b0 + blockIdx.z.
#define GEMM_T(T, suffix)                                                                                             \
    extern "C" __global__ void __launch_bounds__(256) gemm_tiled_##suffix(                                            \
            int M, int N, int K, int b0,                                                                              \
            const T* A, long long sAb, int sAm, int sAk,                                                              \
            const T* B, long long sBb, int sBk, int sBn,                                                              \
            T* C, long long sCb, int sCm, int sCn, T alpha, T beta) {                                                 \
        __shared__ T As[TK][TM + 1];                                                                                  \
        __shared__ T Bs[TK][TN + 1];                                                                                  \
        long long batch = b0 + blockIdx.z;                                                                            \
        A += batch * sAb;                                                                                             \
        B += batch * sBb;                                                                                             \
        C += batch * sCb;                                                                                             \
        int tx = threadIdx.x % 16, ty = threadIdx.x / 16;                                                             \
        int row0 = blockIdx.y * TM, col0 = blockIdx.x * TN;                                                           \
        T acc[4][4];                                                                                                  \
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) acc[i][j] = T(0);                                    \
        for (int k0 = 0; k0 < K; k0 += TK) {                                                                          \
            for (int e = threadIdx.x; e < TM * TK; e += 256) {                                                        \
                int m = e / TK, k = e % TK;                                                                           \
                int gm = row0 + m, gk = k0 + k;                                                                       \
                As[k][m] = (gm < M && gk < K) ? A[(long long) gm * sAm + (long long) gk * sAk] : T(0);                \
            }                                                                                                         \
            for (int e = threadIdx.x; e < TK * TN; e += 256) {                                                        \
                int k = e / TN, n = e % TN;                                                                           \
                int gk = k0 + k, gn = col0 + n;                                                                       \
                Bs[k][n] = (gk < K && gn < N) ? B[(long long) gk * sBk + (long long) gn * sBn] : T(0);                \
            }                                                                                                         \
            __syncthreads();                                                                                          \
            for (int k = 0; k < TK; k++) {                                                                            \
                T a[4], b[4];                                                                                         \
                for (int i = 0; i < 4; i++) a[i] = As[k][ty + 16 * i];                                                \
                for (int j = 0; j < 4; j++) b[j] = Bs[k][tx + 16 * j];                                                \
                for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];                    \
            }                                                                                                         \
            __syncthreads();                                                                                          \
        }                                                                                                             \
        for (int i = 0; i < 4; i++) {                                                                                 \
            int gm = row0 + ty + 16 * i;                                                                              \
            if (gm >= M) continue;                                                                                    \
            for (int j = 0; j < 4; j++) {                                                                             \
                int gn = col0 + tx + 16 * j;                                                                          \
                if (gn >= N) continue;                                                                                \
                T* c = C + (long long) gm * sCm + (long long) gn * sCn;                                               \
                *c = beta == T(0) ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *c;                                \
            }                                                                                                         \
        }                                                                                                             \
    }
GEMM_T(float, f32) GEMM_T(double, f64)
