// Softmax and log-softmax along one dimension of a contiguous [outer, len, inner] tensor, and their
// gradients. One thread per row, max-subtracted, computed in double like the CPU reference.
#include "uactn.cuh"

#define SOFTMAX_T(T, suffix)                                                                                        \
    extern "C" __global__ void softmax_forward_##suffix(const T* x, T* y, int outer, int len, int inner, int logMode) { \
        GRID_STRIDE(r, outer * inner) {                                                                             \
            const T* xr = x + (size_t) (r / inner) * len * inner + r % inner;                                       \
            T* yr = y + (size_t) (r / inner) * len * inner + r % inner;                                             \
            double mx = -INFINITY;                                                                                  \
            for (int l = 0; l < len; l++) mx = fmax(mx, (double) xr[(size_t) l * inner]);                          \
            double sum = 0;                                                                                         \
            for (int l = 0; l < len; l++) sum += exp((double) xr[(size_t) l * inner] - mx);                         \
            if (logMode) {                                                                                          \
                double ls = log(sum);                                                                               \
                for (int l = 0; l < len; l++) yr[(size_t) l * inner] = (T) ((double) xr[(size_t) l * inner] - mx - ls); \
            } else {                                                                                                \
                double inv = 1.0 / sum;                                                                             \
                for (int l = 0; l < len; l++) yr[(size_t) l * inner] = (T) (exp((double) xr[(size_t) l * inner] - mx) * inv); \
            }                                                                                                       \
        }                                                                                                           \
    }                                                                                                               \
    /* softmax: gi = y * (g - sum(g * y)); log-softmax: gi = g - exp(y) * sum(g). */                                \
    extern "C" __global__ void softmax_backward_##suffix(const T* g, const T* y, T* gi, int outer, int len, int inner, int logMode) { \
        GRID_STRIDE(r, outer * inner) {                                                                             \
            size_t base = (size_t) (r / inner) * len * inner + r % inner;                                           \
            double sum = 0;                                                                                         \
            if (logMode) {                                                                                          \
                for (int l = 0; l < len; l++) sum += (double) g[base + (size_t) l * inner];                         \
                for (int l = 0; l < len; l++) {                                                                     \
                    size_t at = base + (size_t) l * inner;                                                          \
                    gi[at] = (T) ((double) g[at] - exp((double) y[at]) * sum);                                      \
                }                                                                                                   \
            } else {                                                                                                \
                for (int l = 0; l < len; l++) sum += (double) g[base + (size_t) l * inner] * (double) y[base + (size_t) l * inner]; \
                for (int l = 0; l < len; l++) {                                                                     \
                    size_t at = base + (size_t) l * inner;                                                          \
                    gi[at] = (T) ((double) y[at] * ((double) g[at] - sum));                                         \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }
SOFTMAX_T(float, f32) SOFTMAX_T(double, f64)
