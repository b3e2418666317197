// The chains of sdot, sgemv and sger (OASIS's training step), written once and included by
// each path file like sgemm_body.h. Scalar code: each output's operations are spelled out in
// OpenBLAS 0.3.21's order on its SkylakeX/Cooperlake kernels (README.md, "Level 2").

#pragma STDC FP_CONTRACT OFF

/// sdot's AVX-512 kernel on the first n1 = n rounded down to 32 elements: 4 x 16 lane sums
/// over 64-element steps, folded to 4 x 8, then 4 x 8 lane sums over a last 32-element step,
/// added accumulator by accumulator, then halves and pairs.
static float PATH(sdot_kernel)(int n1, const float *x, const float *y) {
    float a[4][8] = {{0}};
    int i = 0, n64 = n1 & ~63;
    if (n64) {
        float z[4][16] = {{0}};
        for (; i < n64; i += 64)
            for (int q = 0; q < 4; q++)
                for (int l = 0; l < 16; l++) z[q][l] = fmaf(x[i + 16 * q + l], y[i + 16 * q + l], z[q][l]);
        for (int q = 0; q < 4; q++)
            for (int l = 0; l < 8; l++) a[q][l] = z[q][l] + z[q][l + 8];
    }
    for (; i < n1; i += 32)
        for (int q = 0; q < 4; q++)
            for (int l = 0; l < 8; l++) a[q][l] = fmaf(x[i + 8 * q + l], y[i + 8 * q + l], a[q][l]);
    float t[8], h[4];
    for (int l = 0; l < 8; l++) t[l] = ((a[0][l] + a[1][l]) + a[2][l]) + a[3][l];
    for (int l = 0; l < 4; l++) h[l] = t[l] + t[l + 4];
    return (h[0] + h[1]) + (h[2] + h[3]);
}

/// sdot: the kernel's sum, then the last n mod 32 products (rounded to float) summed in
/// double, the kernel's sum added in double, and the total rounded to float.
float PATH(dr_sdot)(int n, const float *x, const float *y) {
    if (n <= 0) return 0.0f;
    int n1 = n & -32;
    float kernel = n1 ? PATH(sdot_kernel)(n1, x, y) : 0.0f;
    double tail = 0.0;
    for (int i = n1; i < n; i++) tail += (double)(y[i] * x[i]);
    return (float)(tail + (double)kernel);
}

/// One column of sgemv_t's 4-column AVX2 kernel over `rows` (a multiple of 4): 8 lane sums
/// (a leading 4-row group, an 8-row group, then 16-row steps as two 8-row groups), then
/// halves and pairs.
static float PATH(gemv_column4)(const float *a, const float *x, int rows) {
    float acc[8] = {0};
    int i = 0, rest = rows;
    if (rest & 4) {
        for (int l = 0; l < 4; l++) acc[l] = fmaf(a[i + l], x[i + l], acc[l]);
        i += 4; rest -= 4;
    }
    if (rest & 8) {
        for (int l = 0; l < 8; l++) acc[l] = fmaf(a[i + l], x[i + l], acc[l]);
        i += 8; rest -= 8;
    }
    for (; rest > 0; i += 16, rest -= 16) {
        for (int l = 0; l < 8; l++) acc[l] = fmaf(a[i + l], x[i + l], acc[l]);
        for (int l = 0; l < 8; l++) acc[l] = fmaf(a[i + 8 + l], x[i + 8 + l], acc[l]);
    }
    float t[4];
    for (int l = 0; l < 4; l++) t[l] = acc[l] + acc[l + 4];
    return (t[0] + t[1]) + (t[2] + t[3]);
}

/// The 2-column SSE kernel (no fma): 4 lane sums of rounded products, then pairs.
static float PATH(gemv_column2)(const float *a, const float *x, int rows) {
    float acc[4] = {0};
    for (int i = 0; i < rows; i += 4)
        for (int l = 0; l < 4; l++) acc[l] = acc[l] + a[i + l] * x[i + l];
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

/// The 1-column SSE kernel (no fma): a leading 4-row group, then 8-row steps into two
/// 4-lane sums, added lane by lane, then pairs.
static float PATH(gemv_column1)(const float *a, const float *x, int rows) {
    float s0[4] = {0}, s1[4] = {0};
    int i = 0, rest = rows;
    if (rest & 4) {
        for (int l = 0; l < 4; l++) s0[l] = s0[l] + a[i + l] * x[i + l];
        i += 4; rest -= 4;
    }
    for (; rest > 0; i += 8, rest -= 8)
        for (int l = 0; l < 4; l++) {
            s0[l] = s0[l] + a[i + l] * x[i + l];
            s1[l] = s1[l] + a[i + 4 + l] * x[i + 4 + l];
        }
    float t[4];
    for (int l = 0; l < 4; l++) t[l] = s0[l] + s1[l];
    return (t[0] + t[1]) + (t[2] + t[3]);
}

/// y = A x for a row-major m x n A (OpenBLAS's sgemv_t on the column-major transpose, alpha 1,
/// beta 0): per output, the blocks of up to 4096 inputs (rounded down to 4) each summed by
/// the kernel of its column group and added on, then the last n mod 4 inputs.
void PATH(dr_sgemv)(int m, int n, const float *A, const float *x, float *y) {
    int tail = n & 3, blocked = n - tail, groups4 = m & ~3, pair = (m & 2) ? groups4 + 2 : groups4;
    for (int j = 0; j < m; j++) {
        const float *row = A + (size_t)j * n;
        float out = 0.0f;
        for (int b = 0; b < blocked; b += 4096) {
            int rows = blocked - b < 4096 ? blocked - b : 4096;
            float v = j < groups4 ? PATH(gemv_column4)(row + b, x + b, rows)
                    : j < pair ? PATH(gemv_column2)(row + b, x + b, rows)
                               : PATH(gemv_column1)(row + b, x + b, rows);
            out = out + v;
        }
        const float *a = row + blocked, *xt = x + blocked;
        if (tail == 3) out = out + fmaf(a[2], xt[2], fmaf(a[0], xt[0], a[1] * xt[1]));
        else if (tail == 2) out = out + fmaf(a[0], xt[0], a[1] * xt[1]);
        else if (tail == 1) out = fmaf(a[0], xt[0], out);
        y[j] = out;
    }
}

/// A += alpha x y^T for a row-major m x n A: per row, alpha x_i rounded, then one fma per entry.
void PATH(dr_sger)(int m, int n, float alpha, const float *x, const float *y, float *A) {
    for (int i = 0; i < m; i++) {
        float scale = alpha * x[i];
        float *row = A + (size_t)i * n;
        for (int j = 0; j < n; j++) row[j] = fmaf(scale, y[j], row[j]);
    }
}
