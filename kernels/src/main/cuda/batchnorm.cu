// Batch normalisation over dim 1 of a contiguous [N, C, S] tensor. Training forward and backward
// use one block per channel (statistics accumulated in double, two passes for the variance);
// evaluation is one thread per element. Null vectors (weight, bias, running stats) are skipped.
#include "uactn.cuh"

#define BN_T(T, suffix)                                                                                               \
    extern "C" __global__ void batch_norm_forward_train_##suffix(const T* x, T* out, const T* weight, const T* bias,  \
            T* runMean, T* runVar, T* saveMean, T* saveInvStd, int N, int C, int S, double momentum, double eps) {   \
        __shared__ double shared[UACTN_BLOCK];                                                                        \
        int c = blockIdx.x;                                                                                           \
        if (c >= C) return;                                                                                           \
        long long m = (long long) N * S;                                                                              \
        double acc = 0;                                                                                               \
        for (long long e = threadIdx.x; e < m; e += UACTN_BLOCK) {                                                    \
            long long n = e / S, s = e % S;                                                                           \
            acc += (double) x[(n * C + c) * S + s];                                                                   \
        }                                                                                                             \
        double mean = block_sum(acc, shared) / m;                                                                     \
        acc = 0;                                                                                                      \
        for (long long e = threadIdx.x; e < m; e += UACTN_BLOCK) {                                                    \
            long long n = e / S, s = e % S;                                                                           \
            double v = (double) x[(n * C + c) * S + s] - mean;                                                        \
            acc += v * v;                                                                                             \
        }                                                                                                             \
        double var = block_sum(acc, shared) / m;                                                                      \
        double invStd = 1.0 / sqrt(var + eps);                                                                        \
        if (threadIdx.x == 0) {                                                                                       \
            if (saveMean) saveMean[c] = (T) mean;                                                                     \
            if (saveInvStd) saveInvStd[c] = (T) invStd;                                                               \
            if (runMean) runMean[c] = (T) ((1 - momentum) * (double) runMean[c] + momentum * mean);                  \
            if (runVar) runVar[c] = (T) ((1 - momentum) * (double) runVar[c] + momentum * var * m / (m - 1));        \
        }                                                                                                             \
        double scale = invStd * (weight ? (double) weight[c] : 1.0);                                                  \
        double shift = (bias ? (double) bias[c] : 0.0) - mean * scale;                                                \
        T sc = (T) scale, sh = (T) shift;                                                                             \
        for (long long e = threadIdx.x; e < m; e += UACTN_BLOCK) {                                                    \
            long long n = e / S, s = e % S;                                                                           \
            long long at = (n * C + c) * S + s;                                                                       \
            out[at] = x[at] * sc + sh;                                                                                \
        }                                                                                                             \
    }                                                                                                                 \
    extern "C" __global__ void batch_norm_forward_eval_##suffix(const T* x, T* out, const T* weight, const T* bias,   \
            const T* runMean, const T* runVar, int total, int C, int S, double eps) {                                 \
        GRID_STRIDE(e, total) {                                                                                       \
            int c = (e / S) % C;                                                                                      \
            double invStd = 1.0 / sqrt((double) runVar[c] + eps);                                                     \
            double scale = invStd * (weight ? (double) weight[c] : 1.0);                                              \
            double shift = (bias ? (double) bias[c] : 0.0) - (double) runMean[c] * scale;                             \
            out[e] = x[e] * (T) scale + (T) shift;                                                                    \
        }                                                                                                             \
    }                                                                                                                 \
    /* gradIn = k * (g - mean(g) - xhat * mean(g * xhat)) with k = invStd * weight. */                                 \
    extern "C" __global__ void batch_norm_backward_##suffix(const T* g, const T* x, const T* weight, const T* saveMean, \
            const T* saveInvStd, T* gradIn, T* gradWeight, T* gradBias, int N, int C, int S) {                        \
        __shared__ double shared[UACTN_BLOCK];                                                                        \
        int c = blockIdx.x;                                                                                           \
        if (c >= C) return;                                                                                           \
        long long m = (long long) N * S;                                                                              \
        double mean = (double) saveMean[c], invStd = (double) saveInvStd[c];                                          \
        double sg = 0, sgx = 0;                                                                                       \
        for (long long e = threadIdx.x; e < m; e += UACTN_BLOCK) {                                                    \
            long long n = e / S, s = e % S;                                                                           \
            long long at = (n * C + c) * S + s;                                                                       \
            double gv = (double) g[at];                                                                               \
            sg += gv;                                                                                                 \
            sgx += gv * ((double) x[at] - mean);                                                                      \
        }                                                                                                             \
        double sumG = block_sum(sg, shared);                                                                          \
        double sumGX = block_sum(sgx, shared) * invStd;                                                               \
        if (threadIdx.x == 0) {                                                                                       \
            if (gradWeight) gradWeight[c] = (T) sumGX;                                                                \
            if (gradBias) gradBias[c] = (T) sumG;                                                                     \
        }                                                                                                             \
        if (!gradIn) return;                                                                                          \
        double k = invStd * (weight ? (double) weight[c] : 1.0);                                                      \
        double meanG = sumG / m, meanGX = sumGX / m;                                                                  \
        double cx = -k * meanGX * invStd;                                                                             \
        double cc = -k * meanG + k * meanGX * invStd * mean;                                                          \
        for (long long e = threadIdx.x; e < m; e += UACTN_BLOCK) {                                                    \
            long long n = e / S, s = e % S;                                                                           \
            long long at = (n * C + c) * S + s;                                                                       \
            gradIn[at] = (T) (k * (double) g[at] + cx * (double) x[at] + cc);                                         \
        }                                                                                                             \
    }
BN_T(float, f32) BN_T(double, f64)
