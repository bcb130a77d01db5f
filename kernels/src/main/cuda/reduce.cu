// Reductions: sum over any set of dimensions (one block per output, double accumulation, fixed
// order so results are deterministic) and max along one dimension with its index.
#include "uactn.cuh"

// kept: the kept dims with x (operand 0) and out (operand 1) strides and offsets;
// red: the reduced dims with x strides (operand 0), offset 0.
#define SUM_T(T, suffix)                                                                                      \
    extern "C" __global__ void sum_##suffix(Geo kept, Geo red, int nOut, int nRed, const T* x, T* out) {     \
        __shared__ double shared[UACTN_BLOCK];                                                                \
        for (int o = blockIdx.x; o < nOut; o += gridDim.x) {                                                  \
            int ko[2];                                                                                        \
            geo_offsets<2>(kept, o, ko);                                                                      \
            double acc = 0;                                                                                   \
            for (int r = threadIdx.x; r < nRed; r += UACTN_BLOCK) {                                           \
                int ro[1];                                                                                    \
                geo_offsets<1>(red, r, ro);                                                                   \
                acc += (double) x[ko[0] + ro[0]];                                                             \
            }                                                                                                 \
            double s = block_sum(acc, shared);                                                                \
            if (threadIdx.x == 0) out[ko[1]] = (T) s;                                                         \
        }                                                                                                     \
    }
SUM_T(float, f32) SUM_T(double, f64)

// kept: dims other than dim, operands x, values, indices. First index wins ties; the first NaN wins.
#define MAX_DIM_T(T, suffix)                                                                                           \
    extern "C" __global__ void max_dim_##suffix(Geo kept, int nOut, int len, int sd, const T* x, T* values, i64* idx) { \
        GRID_STRIDE(o, nOut) {                                                                                         \
            int ko[3];                                                                                                 \
            geo_offsets<3>(kept, o, ko);                                                                               \
            T b = x[ko[0]];                                                                                            \
            int k = 0;                                                                                                 \
            for (int l = 1; l < len; l++) {                                                                            \
                T e = x[ko[0] + l * sd];                                                                               \
                if (e > b || (e != e && b == b)) { b = e; k = l; }                                                     \
            }                                                                                                          \
            values[ko[1]] = b;                                                                                         \
            idx[ko[2]] = k;                                                                                            \
        }                                                                                                              \
    }
MAX_DIM_T(float, f32) MAX_DIM_T(double, f64)
