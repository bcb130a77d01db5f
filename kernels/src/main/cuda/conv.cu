// Convolution helpers for im2col + GEMM: im2col of one image, col2im (gathering, so no atomics and
// a fixed summation order) into the input gradient, and the per-channel bias add.
#include "uactn.cuh"

// col[(c * KH + i) * KW + j][y * OW + z] = x[c][y * sh - ph + i * dh][z * sw - pw + j * dw] (0 outside).
#define IM2COL_T(T, suffix)                                                                                    \
    extern "C" __global__ void im2col_##suffix(const T* x, T* col, int C, int H, int W, int KH, int KW,       \
            int OH, int OW, int sh, int sw, int ph, int pw, int dh, int dw) {                                  \
        int P = OH * OW;                                                                                       \
        GRID_STRIDE(e, C * KH * KW * P) {                                                                      \
            int p = e % P, r = e / P;                                                                          \
            int j = r % KW, i = (r / KW) % KH, c = r / (KW * KH);                                             \
            int y = p / OW, z = p % OW;                                                                        \
            int h = y * sh - ph + i * dh, w = z * sw - pw + j * dw;                                            \
            col[e] = (h >= 0 && h < H && w >= 0 && w < W) ? x[((size_t) c * H + h) * W + w] : T(0);           \
        }                                                                                                      \
    }
IM2COL_T(float, f32) IM2COL_T(double, f64)

// gx[c][h][w] += sum over taps (i, j) and outputs (y, z) that read it of col[(c, i, j)][(y, z)].
#define COL2IM_T(T, suffix)                                                                                    \
    extern "C" __global__ void col2im_##suffix(const T* col, T* gx, int C, int H, int W, int KH, int KW,      \
            int OH, int OW, int sh, int sw, int ph, int pw, int dh, int dw) {                                  \
        int P = OH * OW;                                                                                       \
        GRID_STRIDE(e, C * H * W) {                                                                            \
            int w = e % W, h = (e / W) % H, c = e / (W * H);                                                   \
            T acc = T(0);                                                                                      \
            for (int i = 0; i < KH; i++) {                                                                     \
                int ty = h + ph - i * dh;                                                                      \
                if (ty < 0 || ty % sh != 0) continue;                                                          \
                int y = ty / sh;                                                                               \
                if (y >= OH) continue;                                                                         \
                for (int j = 0; j < KW; j++) {                                                                 \
                    int tz = w + pw - j * dw;                                                                  \
                    if (tz < 0 || tz % sw != 0) continue;                                                      \
                    int z = tz / sw;                                                                           \
                    if (z >= OW) continue;                                                                     \
                    acc += col[((size_t) (c * KH + i) * KW + j) * P + y * OW + z];                             \
                }                                                                                              \
            }                                                                                                  \
            gx[e] += acc;                                                                                      \
        }                                                                                                      \
    }
COL2IM_T(float, f32) COL2IM_T(double, f64)

// out[n][o][p] += bias[o] over a contiguous [N, O, P] output.
#define BIAS_T(T, suffix)                                                                                      \
    extern "C" __global__ void conv_bias_add_##suffix(T* out, const T* bias, int total, int O, int P) {       \
        GRID_STRIDE(e, total) out[e] += bias[(e / P) % O];                                                     \
    }
BIAS_T(float, f32) BIAS_T(double, f64)
