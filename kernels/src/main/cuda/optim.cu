// Fused optimiser updates (Backend.sgdStep / adamStep): one thread per parameter element reads
// param, grad and state once and writes them once, instead of a chain of element-wise launches.
#include "uactn.cuh"

// Explicitly rounded arithmetic: nvcc would otherwise contract a * b + c into an FMA, and the
// CPU backend (like PyTorch's scalar path) rounds after every operation. sqrt and division are
// IEEE-rounded by default (no -use_fast_math), so with these the update matches the CPU exactly.
__device__ __forceinline__ float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ float add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double mul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ double add_rn(double a, double b) { return __dadd_rn(a, b); }

// d = (maximize ? -g : g) + wd * p;  buf = first ? d : momentum * buf + damp1 * d;
// d = nesterov ? d + momentum * buf : buf;  p = p + neg_lr * d.  buf is read only when momentum != 0.
template <typename T>
__device__ __forceinline__ void sgd_step(int n, T* p, const T* g, T* buf, T neg_lr, T momentum, T damp1, T wd,
                                         int nesterov, int maximize, int first) {
    GRID_STRIDE(i, n) {
        T d = maximize ? -g[i] : g[i];
        T pi = p[i];
        if (wd != T(0)) d = add_rn(d, mul_rn(wd, pi));
        if (momentum != T(0)) {
            T b = first ? d : add_rn(mul_rn(momentum, buf[i]), mul_rn(damp1, d));
            buf[i] = b;
            d = nesterov ? add_rn(d, mul_rn(momentum, b)) : b;
        }
        p[i] = add_rn(pi, mul_rn(neg_lr, d));
    }
}

// PyTorch's single-tensor Adam / AdamW with the bias corrections precomputed on the host:
// decay = 1 - lr * wd (AdamW), bc2_sqrt = sqrt(1 - beta2^t), neg_step = -lr / (1 - beta1^t).
template <typename T>
__device__ __forceinline__ void adam_step(int n, T* p, const T* g, T* m, T* v, T* vmax, T beta1, T c1, T beta2, T c2,
                                          T eps, T wd, T decay, T bc2_sqrt, T neg_step, int decoupled, int amsgrad,
                                          int maximize) {
    GRID_STRIDE(i, n) {
        T gi = maximize ? -g[i] : g[i];
        T pi = p[i];
        if (decoupled) pi = mul_rn(pi, decay);
        else if (wd != T(0)) gi = add_rn(gi, mul_rn(wd, pi));
        T mi = add_rn(mul_rn(beta1, m[i]), mul_rn(c1, gi));
        T vi = add_rn(mul_rn(beta2, v[i]), mul_rn(mul_rn(c2, gi), gi));
        m[i] = mi;
        v[i] = vi;
        T second = vi;
        if (amsgrad) {
            second = jmax(vmax[i], vi);
            vmax[i] = second;
        }
        T denom = add_rn(sqrt(second) / bc2_sqrt, eps);
        p[i] = add_rn(pi, mul_rn(neg_step, mi) / denom);
    }
}

#define OPTIM(T, suffix)                                                                                            \
    extern "C" __global__ void sgd_step_##suffix(int n, T* p, const T* g, T* buf, T neg_lr, T momentum, T damp1,   \
                                                 T wd, int nesterov, int maximize, int first) {                     \
        sgd_step<T>(n, p, g, buf, neg_lr, momentum, damp1, wd, nesterov, maximize, first);                          \
    }                                                                                                               \
    extern "C" __global__ void adam_step_##suffix(int n, T* p, const T* g, T* m, T* v, T* vmax, T beta1, T c1,     \
                                                  T beta2, T c2, T eps, T wd, T decay, T bc2_sqrt, T neg_step,      \
                                                  int decoupled, int amsgrad, int maximize) {                       \
        adam_step<T>(n, p, g, m, v, vmax, beta1, c1, beta2, c2, eps, wd, decay, bc2_sqrt, neg_step, decoupled,      \
                     amsgrad, maximize);                                                                            \
    }

OPTIM(float, f32)
OPTIM(double, f64)
