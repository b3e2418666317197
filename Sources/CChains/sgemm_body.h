// The chains of sgemm, written once. Each path file (sgemm_portable.c, sgemm_avx2.c,
// sgemm_avx512.c) defines PATH(name) and includes this file inside a target pragma, so the
// three paths are the same source compiled for three instruction sets. Nothing here
// depends on the vector width: a vf16 is 16 independent lanes, one output (or one partial
// sum of an output) per lane, and every lane runs the same scalar chain, so the bits of
// every output are the same on every path. See README.md for the chains.
//
// Everything is column-major, as OpenBLAS's kernels see it: A' is M x K, B' is K x N.

#pragma STDC FP_CONTRACT OFF

static inline vf16 PATH(load16)(const float *p) {
    vf16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/// Stage `s` of a 16 x 16 transpose: swaps bit log2(s) of the row index with that of the lane.
#define DR_LOW1 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30
#define DR_HIGH1 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31
#define DR_LOW2 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29
#define DR_HIGH2 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31
#define DR_LOW4 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27
#define DR_HIGH4 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31
#define DR_LOW8 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define DR_HIGH8 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define DR_TRANSPOSE_STAGE(x, s)                                                  \
    for (int i = 0; i < 16; i++)                                                 \
        if (!(i & s)) {                                                           \
            vf16 low = __builtin_shufflevector(x[i], x[i + s], DR_LOW##s);        \
            vf16 high = __builtin_shufflevector(x[i], x[i + s], DR_HIGH##s);      \
            x[i] = low, x[i + s] = high;                                          \
        }

/// Transposes 16 vectors in place: x[r][c] becomes x[c][r]. Moves values only.
static inline void PATH(transpose16)(vf16 x[16]) {
    DR_TRANSPOSE_STAGE(x, 1)
    DR_TRANSPOSE_STAGE(x, 2)
    DR_TRANSPOSE_STAGE(x, 4)
    DR_TRANSPOSE_STAGE(x, 8)
}

/// Packs rows i0 ..< i0 + rows of A' (k0 ..< k0 + kb) as panel[k * MR + r], zero past `rows`.
/// A transposed A' (rows contiguous in k) is packed 16 x 16 values at a time by `transpose16`.
static void PATH(pack_a)(int ta, const float *A, int lda, int i0, int rows, int k0, int kb, float *panel) {
    if (rows < MR) memset(panel, 0, sizeof(float) * (size_t)kb * MR);
    if (!ta) {
        for (int k = 0; k < kb; k++) memcpy(panel + (size_t)k * MR, A + i0 + (size_t)(k0 + k) * lda, sizeof(float) * rows);
        return;
    }
    int groups = rows / 16, kv = kb & ~15;
    for (int g = 0; g < groups; g++)
        for (int k = 0; k < kv; k += 16) {
            vf16 x[16];
            for (int r = 0; r < 16; r++) x[r] = PATH(load16)(A + k0 + k + (size_t)(i0 + 16 * g + r) * lda);
            PATH(transpose16)(x);
            for (int c = 0; c < 16; c++) memcpy(panel + (size_t)(k + c) * MR + 16 * g, &x[c], sizeof x[c]);
        }
    for (int r = 0; r < rows; r++) {
        const float *source = A + k0 + (size_t)(i0 + r) * lda;
        for (int k = r < 16 * groups ? kv : 0; k < kb; k++) panel[(size_t)k * MR + r] = source[k];
    }
}

/// Packs B' (k0 ..< k0 + kb, all N columns) as NR-column panels: panel p holds
/// bpack[(p kb + k) NR + q] = B'(k0 + k, p NR + q), zero past N.
static void PATH(pack_b)(int tb, const float *B, int ldb, int N, int k0, int kb, float *bpack) {
    int panels = (N + NR - 1) / NR;
    for (int p = 0; p < panels; p++) {
        float *target = bpack + (size_t)p * kb * NR;
        if (p * NR + NR <= N) {
            // A whole panel: row by row of k, NR values each (contiguous in B when transposed,
            // else one from each of NR columns).
            if (tb) {
                for (int k = 0; k < kb; k++)
                    memcpy(target + (size_t)k * NR, B + p * NR + (size_t)(k0 + k) * ldb, sizeof(float) * NR);
            } else {
                const float *columns[NR];
                for (int q = 0; q < NR; q++) columns[q] = B + k0 + (size_t)(p * NR + q) * ldb;
                for (int k = 0; k < kb; k++)
                    for (int q = 0; q < NR; q++) target[(size_t)k * NR + q] = columns[q][k];
            }
            continue;
        }
        for (int q = 0; q < NR; q++) {
            int j = p * NR + q;
            if (j >= N) {
                for (int k = 0; k < kb; k++) target[(size_t)k * NR + q] = 0.0f;
            } else if (!tb) {
                const float *source = B + k0 + (size_t)j * ldb;
                for (int k = 0; k < kb; k++) target[(size_t)k * NR + q] = source[k];
            } else {
                for (int k = 0; k < kb; k++) target[(size_t)k * NR + q] = B[j + (size_t)(k0 + k) * ldb];
            }
        }
    }
}

/// The MR x NR plain chains of one tile over kb steps of k, from packed panels (A'(r, k) at
/// a[k MR + r], B'(k, q) at b[k NR + q]), each from +0.
static inline void PATH(tile)(const float *a, const float *b, int kb, vf16 acc[MR / 16][NR]) {
    for (int v = 0; v < MR / 16; v++)
        for (int q = 0; q < NR; q++) acc[v][q] = 0;
    for (int k = 0; k < kb; k++) {
        vf16 av[MR / 16];
        for (int v = 0; v < MR / 16; v++) av[v] = PATH(load16)(a + (size_t)k * MR + 16 * v);
        for (int q = 0; q < NR; q++) {
            vf16 bv = b[(size_t)k * NR + q];
            for (int v = 0; v < MR / 16; v++) acc[v][q] = __builtin_elementwise_fma(av[v], bv, acc[v][q]);
        }
    }
}

/// Stores a tile's chains into `rows` x `columns` outputs from C(i0, j) by `mode` (inlined
/// with `mode` a constant, so the stores branch on it once per tile, not once per vector).
static inline __attribute__((always_inline)) void PATH(store_tile)(vf16 acc[MR / 16][NR], int rows, int columns,
                                                                   float alpha, float beta, int mode, float *C,
                                                                   int ldc) {
    vf16 alphas = alpha, betas = beta;
    for (int q = 0; q < columns; q++) {
        float *column = C + (size_t)q * ldc;
        for (int v = 0; v < MR / 16; v++) {
            if (rows >= 16 * (v + 1)) {
                vf16 c = PATH(load16)(column + 16 * v), t = acc[v][q];
                if (mode == DR_STORE_ADD) c = __builtin_elementwise_fma(alphas, t, c);
                else if (mode == DR_STORE_B0) c = alphas * t;
                else c = __builtin_elementwise_fma(betas, c, alphas * t);
                memcpy(column + 16 * v, &c, sizeof c);
            } else {
                for (int r = 16 * v; r < rows; r++) {
                    float t = acc[v][q][r - 16 * v], *c = column + r;
                    if (mode == DR_STORE_ADD) *c = fmaf(alpha, t, *c);
                    else if (mode == DR_STORE_B0) *c = alpha * t;
                    else *c = fmaf(beta, *c, alpha * t);
                }
            }
        }
    }
}

/// One block of at most DR_MC rows of `plain`: A' packed once, B' in chunks of NC columns.
static void PATH(plain_block)(int ta, int tb, int M, int N, int k0, int k1, const float *A, int lda,
                              const float *B, int ldb, float alpha, float beta, int mode, float *C, int ldc,
                              float *panel, float *bpack) {
    int kb = k1 - k0, panels = (M + MR - 1) / MR;
    for (int p = 0; p < panels; p++) {
        int rows = M - p * MR < MR ? M - p * MR : MR;
        PATH(pack_a)(ta, A, lda, p * MR, rows, k0, kb, panel + (size_t)p * kb * MR);
    }
    for (int jc = 0; jc < N; jc += NC) {
        int chunk = N - jc < NC ? N - jc : NC;
        PATH(pack_b)(tb, B + (tb ? (size_t)jc : (size_t)jc * ldb), ldb, chunk, k0, kb, bpack);
        for (int p = 0; p < panels; p++) {
            int i0 = p * MR, rows = M - i0 < MR ? M - i0 : MR;
            for (int j0 = 0; j0 < chunk; j0 += NR) {
                int columns = chunk - j0 < NR ? chunk - j0 : NR;
                vf16 acc[MR / 16][NR];
                PATH(tile)(panel + (size_t)p * kb * MR, bpack + (size_t)(j0 / NR) * kb * NR, kb, acc);
                float *c = C + i0 + (size_t)(jc + j0) * ldc;
                if (mode == DR_STORE_ADD) PATH(store_tile)(acc, rows, columns, alpha, beta, DR_STORE_ADD, c, ldc);
                else if (mode == DR_STORE_B0) PATH(store_tile)(acc, rows, columns, alpha, beta, DR_STORE_B0, c, ldc);
                else PATH(store_tile)(acc, rows, columns, alpha, beta, DR_STORE_BETA, c, ldc);
            }
        }
    }
}

/// Plain chains: every output C(i, j), i < M, j < N, is the fused multiply-add chain over
/// k = k0 ..< k1 in order, from +0, then stored by `mode`. MR x NR outputs at a time, A packed
/// in blocks of DR_MC rows, B in column chunks of NC that stay in cache (the tiling only
/// decides which chains run side by side, never what a chain computes).
static void PATH(plain)(int ta, int tb, int M, int N, int k0, int k1, const float *A, int lda,
                        const float *B, int ldb, float alpha, float beta, int mode, float *C, int ldc,
                        float *panel, float *bpack) {
    for (int ic = 0; ic < M; ic += DR_MC) {
        int block = M - ic < DR_MC ? M - ic : DR_MC;
        const float *Ab = ta ? A + (size_t)ic * lda : A + ic;
        PATH(plain_block)(ta, tb, block, N, k0, k1, Ab, lda, B, ldb, alpha, beta, mode, C + ic, ldc, panel, bpack);
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
/// those rows are dot-like, reduced by the 4-row tree below M rounded down to 4 or N rounded
/// down to 4, and by the halving tree elsewhere.
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

void PATH(dr_sgemm_colmajor)(int blockQ, int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                             const float *B, int ldb, float beta, float *C, int ldc) {
    int kind = dr_sgemm_kind(ta, tb, M, N, K);
    int kmax = kind == DR_LARGE ? blockQ : K;
    size_t depth = kmax > 0 ? (size_t)kmax : 1;
    size_t rows = (size_t)(((M < DR_MC ? M : DR_MC) + MR - 1) / MR) * MR;
    size_t panelSize = depth * rows > (size_t)K ? depth * rows : (size_t)K;  // the dot-like rows need K
    float *panel = dr_scratch(0, panelSize);
    float *bpanel = dr_scratch(1, depth * (size_t)((NC + NR - 1) / NR) * NR);
    if (!panel || !bpanel) {
        // Without scratch there is nothing to compute with: say so and stop with a status,
        // rather than fault on a null buffer.
        fprintf(stderr, "error: out of memory for the sgemm chain kernels' scratch (%zu floats)\n", panelSize);
        exit(71);
    }
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
                int k1 = k0 + dr_sgemm_block(K - k0, blockQ, DR_SGEMM_UNROLL_M);
                PATH(plain)(ta, tb, M, N, k0, k1, A, lda, B, ldb, alpha, beta, DR_STORE_ADD, C, ldc, panel, bpanel);
                k0 = k1;
            }
    }
}
