// The chains of sgemm, written once. Each path file (sgemm_portable.c, sgemm_avx2.c,
// sgemm_avx512.c) defines PATH(name) and includes this file inside a target pragma, so the
// three paths are the same source compiled for three instruction sets. Nothing here
// depends on the vector width: a vf16 is 16 independent lanes, one output (or one partial
// sum of an output) per lane, and every lane runs the same scalar chain, so the bits of
// every output are the same on every path. See README.md for the chains.
//
// Everything is column-major, as OpenBLAS's kernels see it: A' is M x K, B' is K x N.

#pragma STDC FP_CONTRACT OFF

/// A'(i, k) of a column-major operand stored transposed (`t`) or not.
static inline float PATH(element)(const float *X, int ld, int t, int row, int column) {
    return t ? X[column + (size_t)row * ld] : X[row + (size_t)column * ld];
}

static inline vf16 PATH(load16)(const float *p) {
    vf16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/// Plain chains: every output C(i, j), i < M, j < N, is the fused multiply-add chain over
/// k = k0 ..< k1 in order, from +0, then stored by `mode`.
static void PATH(plain)(int ta, int tb, int M, int N, int k0, int k1, const float *A, int lda,
                        const float *B, int ldb, float alpha, float beta, int mode, float *C, int ldc,
                        float *panel, float *bpanel) {
    int kb = k1 - k0;
    for (int i0 = 0; i0 < M; i0 += 32) {
        int rows = M - i0 < 32 ? M - i0 : 32;
        for (int k = 0; k < kb; k++)
            for (int r = 0; r < 32; r++)
                panel[(size_t)k * 32 + r] = r < rows ? PATH(element)(A, lda, ta, i0 + r, k0 + k) : 0.0f;
        for (int j0 = 0; j0 < N; j0 += 4) {
            int columns = N - j0 < 4 ? N - j0 : 4;
            for (int k = 0; k < kb; k++)
                for (int q = 0; q < 4; q++)
                    bpanel[(size_t)k * 4 + q] = q < columns ? PATH(element)(B, ldb, tb, k0 + k, j0 + q) : 0.0f;
            vf16 a0, a1, c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            for (int k = 0; k < kb; k++) {
                a0 = PATH(load16)(panel + (size_t)k * 32);
                a1 = PATH(load16)(panel + (size_t)k * 32 + 16);
                const float *b = bpanel + (size_t)k * 4;
                vf16 b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
                c00 = __builtin_elementwise_fma(a0, b0, c00);
                c10 = __builtin_elementwise_fma(a1, b0, c10);
                c01 = __builtin_elementwise_fma(a0, b1, c01);
                c11 = __builtin_elementwise_fma(a1, b1, c11);
                c02 = __builtin_elementwise_fma(a0, b2, c02);
                c12 = __builtin_elementwise_fma(a1, b2, c12);
                c03 = __builtin_elementwise_fma(a0, b3, c03);
                c13 = __builtin_elementwise_fma(a1, b3, c13);
            }
            vf16 acc[2][4] = {{c00, c01, c02, c03}, {c10, c11, c12, c13}};
            for (int q = 0; q < columns; q++)
                for (int r = 0; r < rows; r++) {
                    float t = acc[r / 16][q][r % 16];
                    float *c = C + (i0 + r) + (size_t)(j0 + q) * ldc;
                    if (mode == DR_STORE_ADD) *c = fmaf(alpha, t, *c);
                    else if (mode == DR_STORE_B0) *c = alpha * t;
                    else *c = fmaf(beta, *c, alpha * t);
                }
        }
    }
}

/// The 16 lane sums of a dot-like output: lane l sums the products of k = l, l + 16, ...
/// in order from +0; the last partial group adds +0 x +0 in the lanes past K.
static inline vf16 PATH(lanes)(const float *a, const float *b, int K) {
    vf16 acc = 0;
    int k = 0;
    for (; k + 16 <= K; k += 16) acc = __builtin_elementwise_fma(PATH(load16)(a + k), PATH(load16)(b + k), acc);
    if (k < K) {
        float ta[16] = {0}, tb[16] = {0};
        memcpy(ta, a + k, sizeof(float) * (size_t)(K - k));
        memcpy(tb, b + k, sizeof(float) * (size_t)(K - k));
        acc = __builtin_elementwise_fma(PATH(load16)(ta), PATH(load16)(tb), acc);
    }
    return acc;
}

/// Stores one dot-like output: the lanes reduced by the 4-row shuffle tree (`tree4`) or by
/// the halving tree of `_mm512_reduce_add_ps`, times alpha, then beta C added by one fma.
static inline void PATH(store_dot)(vf16 x, int tree4, float alpha, float beta, int b0, float *c) {
    float r;
    if (tree4) {
        float g0 = (x[0] + x[1]) + (x[2] + x[3]), g1 = (x[4] + x[5]) + (x[6] + x[7]);
        float g2 = (x[8] + x[9]) + (x[10] + x[11]), g3 = (x[12] + x[13]) + (x[14] + x[15]);
        r = (g0 + g1) + (g2 + g3);
    } else {
        float h[8], q[4];
        for (int i = 0; i < 8; i++) h[i] = x[i] + x[i + 8];
        for (int i = 0; i < 4; i++) q[i] = h[i] + h[i + 4];
        r = (q[0] + q[2]) + (q[1] + q[3]);
    }
    *c = b0 ? alpha * r : fmaf(beta, *c, alpha * r);
}

/// OpenBLAS's small-matrix NN kernel: plain chains for the rows in blocks of 16, and for the
/// last M mod 16 rows too unless there are at most 8 of them and K >= 32, in which case
/// those rows are dot-like: 4-row groups reduced by the 4-row tree, then pairs and a single
/// row by the halving tree.
static void PATH(small_nn)(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                           float alpha, float beta, int b0, float *C, int ldc, float *panel, float *bpanel) {
    int m16 = M & ~15, mm = M - m16;
    int mode = b0 ? DR_STORE_B0 : DR_STORE_BETA;
    if (mm == 0 || mm > 8 || K < 32) {
        PATH(plain)(0, 0, M, N, 0, K, A, lda, B, ldb, alpha, beta, mode, C, ldc, panel, bpanel);
        return;
    }
    if (m16 > 0) PATH(plain)(0, 0, m16, N, 0, K, A, lda, B, ldb, alpha, beta, mode, C, ldc, panel, bpanel);
    int m4 = M & ~3, n4 = N & ~3;
    for (int i = m16; i < M; i++) {
        float *row = panel;  // A'(i, 0 ..< K), contiguous
        for (int k = 0; k < K; k++) row[k] = A[i + (size_t)k * lda];
        for (int j = 0; j < N; j++)
            PATH(store_dot)(PATH(lanes)(row, B + (size_t)j * ldb, K), i < m4 || j < n4, alpha, beta, b0,
                            C + i + (size_t)j * ldc);
    }
}

/// OpenBLAS's small-matrix TN kernel: every output dot-like; rows in 4-row groups take the
/// 4-row tree, the rest take it in 4-column groups and the halving tree elsewhere.
static void PATH(small_tn)(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                           float alpha, float beta, int b0, float *C, int ldc) {
    int m4 = M & ~3, n4 = N & ~3;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
            PATH(store_dot)(PATH(lanes)(A + (size_t)i * lda, B + (size_t)j * ldb, K), i < m4 || j < n4,
                            alpha, beta, b0, C + i + (size_t)j * ldc);
}

void PATH(dr_sgemm_colmajor)(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                             const float *B, int ldb, float beta, float *C, int ldc) {
    int kind = dr_sgemm_kind(ta, tb, M, N, K);
    int kmax = kind == DR_LARGE ? DR_SGEMM_Q : K;
    float *panel = malloc(sizeof(float) * (size_t)(kmax > 0 ? kmax : 1) * 32);
    float *bpanel = malloc(sizeof(float) * (size_t)(kmax > 0 ? kmax : 1) * 4);
    int b0 = beta == 0;
    switch (kind) {
    case DR_SMALL_NN: PATH(small_nn)(M, N, K, A, lda, B, ldb, alpha, beta, b0, C, ldc, panel, bpanel); break;
    case DR_SMALL_NT:
    case DR_SMALL_TT:
        PATH(plain)(ta, tb, M, N, 0, K, A, lda, B, ldb, alpha, beta, b0 ? DR_STORE_B0 : DR_STORE_BETA, C, ldc,
                    panel, bpanel);
        break;
    case DR_SMALL_TN: PATH(small_tn)(M, N, K, A, lda, B, ldb, alpha, beta, b0, C, ldc); break;
    default:
        if (beta != 1)
            for (int j = 0; j < N; j++)
                for (int i = 0; i < M; i++) {
                    float *c = C + i + (size_t)j * ldc;
                    *c = beta == 0 ? 0.0f : beta * *c;
                }
        if (alpha != 0)
            for (int k0 = 0; k0 < K;) {
                int k1 = k0 + dr_sgemm_block(K - k0, DR_SGEMM_Q, DR_SGEMM_UNROLL_M);
                PATH(plain)(ta, tb, M, N, k0, k1, A, lda, B, ldb, alpha, beta, DR_STORE_ADD, C, ldc, panel, bpanel);
                k0 = k1;
            }
    }
    free(panel);
    free(bpanel);
}
