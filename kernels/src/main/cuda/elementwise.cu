// Element-wise kernels over strided operands: unary ops (float32/float64), binary ops and where
// (all four dtypes), dtype-converting copy and fill. One thread per output element.
#include "uactn.cuh"

// ---- unary --------------------------------------------------------------------------------------

template <typename T> __device__ __forceinline__ T u_neg(T x, T, T) { return -x; }
template <typename T> __device__ __forceinline__ T u_exp(T x, T, T) { return exp(x); }
template <typename T> __device__ __forceinline__ T u_log(T x, T, T) { return log(x); }
template <typename T> __device__ __forceinline__ T u_sqrt(T x, T, T) { return sqrt(x); }
template <typename T> __device__ __forceinline__ T u_abs(T x, T, T) { return fabs(x); }
// PyTorch's sign maps NaN to 0.
template <typename T> __device__ __forceinline__ T u_sign(T x, T, T) { return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0)); }
template <typename T> __device__ __forceinline__ T u_reciprocal(T x, T, T) { return T(1) / x; }
template <typename T> __device__ __forceinline__ T u_relu(T x, T, T) { return jmax(x, T(0)); }
template <typename T> __device__ __forceinline__ T u_sigmoid(T x, T, T) { return T(1) / (T(1) + exp(-x)); }
template <typename T> __device__ __forceinline__ T u_tanh(T x, T, T) { return tanh(x); }
// The CPU backend raises in double and rounds once; so do we.
template <typename T> __device__ __forceinline__ T u_pow_scalar(T x, T p0, T) {
    if (p0 == T(2)) return x * x;
    if (p0 == T(1)) return x;
    return (T) pow((double) x, (double) p0);
}
template <typename T> __device__ __forceinline__ T u_clamp(T x, T p0, T p1) { return jmin(jmax(x, p0), p1); }
template <typename T> __device__ __forceinline__ T u_in_range(T x, T p0, T p1) { return x >= p0 && x <= p1 ? T(1) : T(0); }
template <typename T> __device__ __forceinline__ T u_add_scalar(T x, T p0, T) { return x + p0; }
template <typename T> __device__ __forceinline__ T u_mul_scalar(T x, T p0, T) { return x * p0; }
template <typename T> __device__ __forceinline__ T u_gt_scalar(T x, T p0, T) { return x > p0 ? T(1) : T(0); }

#define UNARY_T(name, T, suffix)                                                                          \
    extern "C" __global__ void unary_##name##_##suffix(Geo g, int n, const T* x, T* o, T p0, T p1) {     \
        GRID_STRIDE(i, n) {                                                                               \
            int off[2];                                                                                   \
            geo_offsets<2>(g, i, off);                                                                    \
            o[off[0]] = u_##name<T>(x[off[1]], p0, p1);                                                   \
        }                                                                                                 \
    }
#define UNARY(name) UNARY_T(name, float, f32) UNARY_T(name, double, f64)

UNARY(neg) UNARY(exp) UNARY(log) UNARY(sqrt) UNARY(abs) UNARY(sign) UNARY(reciprocal) UNARY(relu)
UNARY(sigmoid) UNARY(tanh) UNARY(pow_scalar) UNARY(clamp) UNARY(in_range) UNARY(add_scalar)
UNARY(mul_scalar) UNARY(gt_scalar)

// ---- binary -------------------------------------------------------------------------------------

// Integer power by squaring; a negative exponent gives 0 except for bases 1 and -1 (as in PyTorch).
__device__ __forceinline__ i64 ipow(i64 base, i64 e) {
    if (e < 0) {
        if (base == 1) return 1;
        if (base == -1) return (e & 1) == 0 ? 1 : -1;
        return 0;
    }
    i64 r = 1;
    while (e > 0) {
        if (e & 1) r *= base;
        base *= base;
        e >>= 1;
    }
    return r;
}
template <typename T> __device__ __forceinline__ T b_pow(T a, T b) { return (T) pow((double) a, (double) b); }
template <> __device__ __forceinline__ i64 b_pow<i64>(i64 a, i64 b) { return ipow(a, b); }
template <> __device__ __forceinline__ int b_pow<int>(int a, int b) { return (int) ipow(a, b); }

template <typename T> __device__ __forceinline__ T b_add(T a, T b) { return a + b; }
template <typename T> __device__ __forceinline__ T b_sub(T a, T b) { return a - b; }
template <typename T> __device__ __forceinline__ T b_mul(T a, T b) { return a * b; }
// Integer division by zero is rejected on the host before launch.
template <typename T> __device__ __forceinline__ T b_div(T a, T b) { return a / b; }
template <typename T> __device__ __forceinline__ T b_maximum(T a, T b) { return jmax(a, b); }
template <typename T> __device__ __forceinline__ T b_minimum(T a, T b) { return jmin(a, b); }
template <typename T> __device__ __forceinline__ T b_eq(T a, T b) { return a == b ? T(1) : T(0); }
template <typename T> __device__ __forceinline__ T b_ne(T a, T b) { return a != b ? T(1) : T(0); }
template <typename T> __device__ __forceinline__ T b_gt(T a, T b) { return a > b ? T(1) : T(0); }
template <typename T> __device__ __forceinline__ T b_ge(T a, T b) { return a >= b ? T(1) : T(0); }
template <typename T> __device__ __forceinline__ T b_lt(T a, T b) { return a < b ? T(1) : T(0); }
template <typename T> __device__ __forceinline__ T b_le(T a, T b) { return a <= b ? T(1) : T(0); }

// out may alias a (in-place updates): each element is read before it is written, by one thread.
#define BINARY_T(name, T, suffix)                                                                           \
    extern "C" __global__ void binary_##name##_##suffix(Geo g, int n, const T* a, const T* b, T* o) {      \
        GRID_STRIDE(i, n) {                                                                                 \
            int off[3];                                                                                     \
            geo_offsets<3>(g, i, off);                                                                      \
            o[off[0]] = b_##name<T>(a[off[1]], b[off[2]]);                                                  \
        }                                                                                                   \
    }
#define BINARY(name) BINARY_T(name, float, f32) BINARY_T(name, double, f64) BINARY_T(name, i64, i64) BINARY_T(name, int, i32)

BINARY(add) BINARY(sub) BINARY(mul) BINARY(div) BINARY(pow) BINARY(maximum) BINARY(minimum)
BINARY(eq) BINARY(ne) BINARY(gt) BINARY(ge) BINARY(lt) BINARY(le)

// ---- where --------------------------------------------------------------------------------------

// A condition of any dtype; nonzero (NaN included) is true.
#define WHERE_T(CT, csuf, T, suffix)                                                                                      \
    extern "C" __global__ void where_##csuf##_##suffix(Geo g, int n, const CT* c, const T* a, const T* b, T* o) {        \
        GRID_STRIDE(i, n) {                                                                                               \
            int off[4];                                                                                                   \
            geo_offsets<4>(g, i, off);                                                                                    \
            o[off[0]] = c[off[1]] != CT(0) ? a[off[2]] : b[off[3]];                                                       \
        }                                                                                                                 \
    }
#define WHERE(T, suffix) WHERE_T(float, f32, T, suffix) WHERE_T(double, f64, T, suffix) WHERE_T(i64, i64, T, suffix) WHERE_T(int, i32, T, suffix)
WHERE(float, f32) WHERE(double, f64) WHERE(i64, i64) WHERE(int, i32)

// ---- copy and fill ------------------------------------------------------------------------------

// Float-to-integer conversion truncates; NaN gives 0 and out-of-range values saturate (PTX cvt.rzi), as in Java.
#define COPY_T(ST, ssuf, DT, dsuf)                                                                       \
    extern "C" __global__ void copy_##ssuf##_to_##dsuf(Geo g, int n, const ST* s, DT* d) {               \
        GRID_STRIDE(i, n) {                                                                              \
            int off[2];                                                                                  \
            geo_offsets<2>(g, i, off);                                                                   \
            d[off[0]] = (DT) s[off[1]];                                                                  \
        }                                                                                                \
    }
#define COPY(ST, ssuf) COPY_T(ST, ssuf, float, f32) COPY_T(ST, ssuf, double, f64) COPY_T(ST, ssuf, i64, i64) COPY_T(ST, ssuf, int, i32)
COPY(float, f32) COPY(double, f64) COPY(i64, i64) COPY(int, i32)

#define FILL_T(T, suffix)                                                              \
    extern "C" __global__ void fill_##suffix(Geo g, int n, T* d, double value) {      \
        T v = (T) value;                                                               \
        GRID_STRIDE(i, n) {                                                            \
            int off[1];                                                                \
            geo_offsets<1>(g, i, off);                                                 \
            d[off[0]] = v;                                                             \
        }                                                                              \
    }
FILL_T(float, f32) FILL_T(double, f64) FILL_T(i64, i64) FILL_T(int, i32)
