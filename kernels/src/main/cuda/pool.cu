// Pooling over contiguous NCHW planes with PyTorch's window rules: max (with flat h * W + w
// indices), average (ceil_mode, count_include_pad) and adaptive average, forward and backward.
// Backward kernels gather per input element (or walk one plane per thread), so no atomics are used.
#include "uactn.cuh"

__device__ __forceinline__ int first_tap(int start, int dil) { return start >= 0 ? 0 : (-start + dil - 1) / dil; }
__device__ __forceinline__ int end_tap(int start, int dil, int k, int size) {
    if (start >= size) return 0;
    return min(k, (size - 1 - start) / dil + 1);
}

#define MAXPOOL_T(T, suffix)                                                                                         \
    extern "C" __global__ void max_pool2d_forward_##suffix(const T* x, T* out, i64* idx, int planes, int H, int W,   \
            int OH, int OW, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {                        \
        GRID_STRIDE(e, planes * OH * OW) {                                                                           \
            int z = e % OW, y = (e / OW) % OH, pl = e / (OW * OH);                                                   \
            const T* src = x + (size_t) pl * H * W;                                                                  \
            int hs = y * sh - ph, ws = z * sw - pw;                                                                  \
            int i0 = first_tap(hs, dh), i1 = end_tap(hs, dh, kh, H);                                                 \
            int j0 = first_tap(ws, dw), j1 = end_tap(ws, dw, kw, W);                                                 \
            T m = -INFINITY;                                                                                         \
            int best = (i0 < i1 && j0 < j1) ? (hs + i0 * dh) * W + ws + j0 * dw : 0;                                \
            for (int i = i0; i < i1; i++) {                                                                          \
                int row = (hs + i * dh) * W + ws;                                                                    \
                for (int j = j0; j < j1; j++) {                                                                      \
                    T v = src[row + j * dw];                                                                         \
                    /* PyTorch's rule: a NaN always takes over, so the last NaN wins. */                             \
                    if (v > m || v != v) { m = v; best = row + j * dw; }                                            \
                }                                                                                                    \
            }                                                                                                        \
            out[e] = m;                                                                                              \
            idx[e] = best;                                                                                           \
        }                                                                                                            \
    }                                                                                                                \
    /* One thread per plane adds its outputs' gradients in order: deterministic, no atomics. */                      \
    extern "C" __global__ void max_pool2d_backward_##suffix(const T* g, const i64* idx, T* gi, int planes, int HW, int OHW) { \
        GRID_STRIDE(pl, planes) {                                                                                    \
            T* dst = gi + (size_t) pl * HW;                                                                          \
            const T* src = g + (size_t) pl * OHW;                                                                    \
            const i64* ix = idx + (size_t) pl * OHW;                                                                 \
            for (int i = 0; i < OHW; i++) {                                                                          \
                i64 at = ix[i];                                                                                      \
                if (at >= 0 && at < HW) dst[at] += src[i];                                                           \
            }                                                                                                        \
        }                                                                                                            \
    }
MAXPOOL_T(float, f32) MAXPOOL_T(double, f64)

// The divisor of output (y, z), and its clipped window [hs0, he0) x [ws0, we0).
__device__ __forceinline__ int avg_window(int y, int z, int H, int W, int kh, int kw, int sh, int sw, int ph, int pw,
                                          int includePad, int* hs0, int* he0, int* ws0, int* we0) {
    int hs = y * sh - ph, he = min(hs + kh, H + ph);
    int ws = z * sw - pw, we = min(ws + kw, W + pw);
    *hs0 = max(hs, 0); *he0 = min(he, H);
    *ws0 = max(ws, 0); *we0 = min(we, W);
    return includePad ? (he - hs) * (we - ws) : (*he0 - *hs0) * (*we0 - *ws0);
}

#define AVGPOOL_T(T, suffix)                                                                                          \
    extern "C" __global__ void avg_pool2d_forward_##suffix(const T* x, T* out, int planes, int H, int W, int OH, int OW, \
            int kh, int kw, int sh, int sw, int ph, int pw, int includePad) {                                         \
        GRID_STRIDE(e, planes * OH * OW) {                                                                            \
            int z = e % OW, y = (e / OW) % OH, pl = e / (OW * OH);                                                    \
            const T* src = x + (size_t) pl * H * W;                                                                   \
            int hs0, he0, ws0, we0;                                                                                   \
            int div = avg_window(y, z, H, W, kh, kw, sh, sw, ph, pw, includePad, &hs0, &he0, &ws0, &we0);             \
            if (hs0 >= he0 || ws0 >= we0) { out[e] = T(0); continue; }                                                \
            double sum = 0;                                                                                           \
            for (int i = hs0; i < he0; i++) for (int j = ws0; j < we0; j++) sum += (double) src[i * W + j];           \
            out[e] = (T) (sum / div);                                                                                 \
        }                                                                                                             \
    }                                                                                                                 \
    extern "C" __global__ void avg_pool2d_backward_##suffix(const T* g, T* gi, int planes, int H, int W, int OH, int OW, \
            int kh, int kw, int sh, int sw, int ph, int pw, int includePad) {                                         \
        GRID_STRIDE(e, planes * H * W) {                                                                              \
            int w = e % W, h = (e / W) % H, pl = e / (W * H);                                                         \
            const T* src = g + (size_t) pl * OH * OW;                                                                 \
            /* Outputs whose unclipped window [y*sh-ph, y*sh-ph+kh) contains h. */                                    \
            int y0 = max(0, (h + ph - kh) / sh - 1), y1 = min(OH - 1, (h + ph) / sh);                                 \
            int z0 = max(0, (w + pw - kw) / sw - 1), z1 = min(OW - 1, (w + pw) / sw);                                 \
            double acc = 0;                                                                                           \
            for (int y = y0; y <= y1; y++) {                                                                          \
                for (int z = z0; z <= z1; z++) {                                                                      \
                    int hs0, he0, ws0, we0;                                                                           \
                    int div = avg_window(y, z, H, W, kh, kw, sh, sw, ph, pw, includePad, &hs0, &he0, &ws0, &we0);     \
                    if (h < hs0 || h >= he0 || w < ws0 || w >= we0) continue;                                         \
                    acc += (double) src[y * OW + z] / div;                                                            \
                }                                                                                                     \
            }                                                                                                         \
            gi[e] += (T) acc;                                                                                         \
        }                                                                                                             \
    }
AVGPOOL_T(float, f32) AVGPOOL_T(double, f64)

__device__ __forceinline__ int ad_start(int i, int in, int out) { return (int) ((long long) i * in / out); }
__device__ __forceinline__ int ad_end(int i, int in, int out) { return (int) (((long long) (i + 1) * in + out - 1) / out); }

#define ADAPTIVE_T(T, suffix)                                                                                         \
    extern "C" __global__ void adaptive_avg_pool2d_forward_##suffix(const T* x, T* out, int planes, int H, int W, int OH, int OW) { \
        GRID_STRIDE(e, planes * OH * OW) {                                                                            \
            int z = e % OW, y = (e / OW) % OH, pl = e / (OW * OH);                                                    \
            const T* src = x + (size_t) pl * H * W;                                                                   \
            int hs = ad_start(y, H, OH), he = ad_end(y, H, OH), ws = ad_start(z, W, OW), we = ad_end(z, W, OW);       \
            double sum = 0;                                                                                           \
            for (int i = hs; i < he; i++) for (int j = ws; j < we; j++) sum += (double) src[i * W + j];               \
            out[e] = (T) (sum / ((he - hs) * (we - ws)));                                                             \
        }                                                                                                             \
    }                                                                                                                 \
    extern "C" __global__ void adaptive_avg_pool2d_backward_##suffix(const T* g, T* gi, int planes, int H, int W, int OH, int OW) { \
        GRID_STRIDE(e, planes * H * W) {                                                                              \
            int w = e % W, h = (e / W) % H, pl = e / (W * H);                                                         \
            const T* src = g + (size_t) pl * OH * OW;                                                                 \
            double acc = 0;                                                                                           \
            for (int y = 0; y < OH; y++) {                                                                            \
                int hs = ad_start(y, H, OH), he = ad_end(y, H, OH);                                                   \
                if (h < hs || h >= he) continue;                                                                      \
                for (int z = 0; z < OW; z++) {                                                                        \
                    int ws = ad_start(z, W, OW), we = ad_end(z, W, OW);                                               \
                    if (w < ws || w >= we) continue;                                                                  \
                    acc += (double) src[y * OW + z] / ((he - hs) * (we - ws));                                        \
                }                                                                                                     \
            }                                                                                                         \
            gi[e] += (T) acc;                                                                                         \
        }                                                                                                             \
    }
ADAPTIVE_T(float, f32) ADAPTIVE_T(double, f64)
