// Indexing along one dimension: gather, scatter, scatter_add, index_select and index_add, for all
// four dtypes. Index values are range-checked on the host before launch. Each thread owns a
// disjoint set of output elements and applies its indices in order, so results are deterministic.
#include "uactn.cuh"

// kept: index's dims other than dim, with operands index (0), val (1), tgt (2).
#define ALONG_T(T, suffix)                                                                                              \
    extern "C" __global__ void gather_##suffix(Geo kept, int nKept, int len, int sI, int sV, int sT,                   \
            const i64* idx, T* val, const T* tgt) {                                                                     \
        GRID_STRIDE(p, nKept) {                                                                                         \
            int o[3];                                                                                                   \
            geo_offsets<3>(kept, p, o);                                                                                 \
            for (int k = 0; k < len; k++) val[o[1] + k * sV] = tgt[o[2] + (int) idx[o[0] + k * sI] * sT];               \
        }                                                                                                               \
    }                                                                                                                   \
    extern "C" __global__ void scatter_##suffix(Geo kept, int nKept, int len, int sI, int sV, int sT,                  \
            const i64* idx, const T* val, T* tgt) {                                                                     \
        GRID_STRIDE(p, nKept) {                                                                                         \
            int o[3];                                                                                                   \
            geo_offsets<3>(kept, p, o);                                                                                 \
            for (int k = 0; k < len; k++) tgt[o[2] + (int) idx[o[0] + k * sI] * sT] = val[o[1] + k * sV];               \
        }                                                                                                               \
    }                                                                                                                   \
    extern "C" __global__ void scatter_add_##suffix(Geo kept, int nKept, int len, int sI, int sV, int sT,              \
            const i64* idx, const T* val, T* tgt) {                                                                     \
        GRID_STRIDE(p, nKept) {                                                                                         \
            int o[3];                                                                                                   \
            geo_offsets<3>(kept, p, o);                                                                                 \
            for (int k = 0; k < len; k++) tgt[o[2] + (int) idx[o[0] + k * sI] * sT] += val[o[1] + k * sV];              \
        }                                                                                                               \
    }                                                                                                                   \
    /* Contiguous x [outer, size, inner] -> out [outer, n, inner]. */                                                   \
    extern "C" __global__ void index_select_##suffix(const T* x, T* out, const i64* idx, int outer, int size, int n, int inner) { \
        GRID_STRIDE(e, outer * n * inner) {                                                                             \
            int c = e % inner, r = (e / inner) % n, o = e / (inner * n);                                                \
            out[e] = x[((size_t) o * size + idx[r]) * inner + c];                                                       \
        }                                                                                                               \
    }                                                                                                                   \
    /* out [outer, size, inner] += src [outer, n, inner] at rows idx; one thread per (outer, column). */                \
    extern "C" __global__ void index_add_##suffix(T* out, const T* src, const i64* idx, int outer, int size, int n, int inner) { \
        GRID_STRIDE(e, outer * inner) {                                                                                 \
            int c = e % inner, o = e / inner;                                                                           \
            for (int r = 0; r < n; r++) out[((size_t) o * size + idx[r]) * inner + c] += src[((size_t) o * n + r) * inner + c]; \
        }                                                                                                               \
    }
ALONG_T(float, f32) ALONG_T(double, f64) ALONG_T(i64, i64) ALONG_T(int, i32)
