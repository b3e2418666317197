/*
 * image_codecs.h: PNG and JPEG decoding, SVG rendering and PNG encoding from and to memory
 * buffers.
 *
 * libpng and libjpeg report errors by longjmp. Every setjmp/longjmp pair lives inside the
 * .c files of this target, so a longjmp never crosses a Swift frame: each function below
 * returns normally with a status code and, on failure, a NUL-terminated message.
 *
 * Decoded pixels are 8-bit, interleaved, row-major (HWC): byte (y * width + x) * channels + c.
 * This header deliberately exposes no libpng/libjpeg/librsvg types.
 */
#ifndef DEEPRANK_IMAGE_CODECS_H
#define DEEPRANK_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by every function. */
#define IC_OK                   0
#define IC_ERR_EMPTY            1 /* zero-length input */
#define IC_ERR_UNKNOWN_FORMAT   2 /* neither the PNG nor the JPEG signature */
#define IC_ERR_CORRUPT_PNG      3 /* libpng error; the message is libpng's */
#define IC_ERR_CORRUPT_JPEG     4 /* libjpeg error or corrupt-data warning; the message is libjpeg's */
#define IC_ERR_UNSUPPORTED      5 /* a valid file this decoder does not handle (CMYK/YCCK JPEG, 12-bit JPEG) */
#define IC_ERR_TOO_LARGE        6 /* width or height above IC_MAX_SIDE, or more than IC_MAX_PIXELS pixels */
#define IC_ERR_OUT_OF_MEMORY    7
#define IC_ERR_INVALID_ARGUMENT 8 /* a caller error, e.g. an unsupported channel count passed to the encoder */
#define IC_ERR_CORRUPT_SVG      9 /* librsvg could not parse or render the document; the message is librsvg's */

/* Detected container formats (ic_detect_format). */
#define IC_FORMAT_UNKNOWN 0
#define IC_FORMAT_PNG     1 /* 89 50 4E 47 0D 0A 1A 0A */
#define IC_FORMAT_JPEG    2 /* FF D8 FF */

/* Size of the message buffer every function takes. */
#define IC_MESSAGE_CAPACITY 256

/* Limits checked from the header, before any pixel buffer is allocated. */
#define IC_MAX_SIDE   32768u
#define IC_MAX_PIXELS (1u << 28)

/* A decoded image. `pixels` holds height * width * channels bytes, allocated by this library;
 * release it with ic_image_free. width and height are also set when decoding fails with
 * IC_ERR_TOO_LARGE, so the caller can report the claimed size. */
typedef struct ic_image {
    uint32_t width;
    uint32_t height;
    uint32_t channels; /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    uint8_t *pixels;
} ic_image;

/* An encoded byte buffer allocated by this library; release it with ic_buffer_free. */
typedef struct ic_buffer {
    uint8_t *bytes;
    size_t count;
} ic_buffer;

/* The format named by the first bytes of `data` (IC_FORMAT_*). */
int ic_detect_format(const uint8_t *data, size_t size);

/* Decodes a PNG or JPEG, chosen by magic bytes (never by file name). On IC_OK, *out owns a new
 * pixel buffer; on failure out->pixels is NULL and `message` (IC_MESSAGE_CAPACITY bytes) says why. */
int ic_decode(const uint8_t *data, size_t size, ic_image *out, char *message);

/* Decodes a PNG: every colour type, bit depths 1/2/4/8/16, Adam7 interlacing.
 *   gray -> 1 channel; gray + alpha -> 2; RGB -> 3; RGBA -> 4;
 *   palette -> 3 (RGB), or 4 (RGBA) when a tRNS chunk is present;
 *   gray or RGB with a tRNS chunk -> 2 or 4 (the transparent colour gets alpha 0).
 *   Depths below 8 are scaled to 0...255 (1-bit: 0, 255; 2-bit: v * 85; 4-bit: v * 17).
 *   16-bit samples are scaled to 8 bits with rounding: round(v * 255 / 65535).
 * No gamma or colour-space conversion is applied: gAMA, cHRM, sRGB and iCCP chunks are
 * ignored and the stored sample values are returned as they are.
 * Strict: a CRC error in any chunk (ancillary ones too, e.g. a damaged tRNS) and a file that
 * ends before IEND are IC_ERR_CORRUPT_PNG. */
int ic_decode_png(const uint8_t *data, size_t size, ic_image *out, char *message);

/* Decodes a baseline, extended or progressive JPEG with 8-bit samples.
 *   grayscale -> 1 channel; YCbCr (or RGB) -> 3 channels RGB (libjpeg's default islow IDCT
 *   and fancy upsampling). CMYK and YCCK files are refused with IC_ERR_UNSUPPORTED.
 * libjpeg only warns about some corrupt data (a truncated file gets a fake EOI and grey
 * fill); such warnings are turned into IC_ERR_CORRUPT_JPEG. Files with more than 1000
 * progressive scans are refused as corrupt (a known denial-of-service pattern). */
int ic_decode_jpeg(const uint8_t *data, size_t size, ic_image *out, char *message);

/* The size an SVG document is fitted by when rendered: its viewBox's width and height, or,
 * without a viewBox, its width and height resolved to pixels (96 dpi). IC_ERR_CORRUPT_SVG when
 * librsvg cannot parse the bytes or the size is not positive; IC_ERR_UNSUPPORTED when the
 * document has neither a viewBox nor an absolute width and height (nothing to fit). */
int ic_svg_size(const uint8_t *data, size_t size, double *width, double *height, char *message);

/* Renders an SVG into a side x side RGBA image (4 channels, straight alpha) with librsvg's
 * rsvg_handle_render_document: the document (its ic_svg_size box) is scaled proportionally to
 * fit the square and centred, as its preserveAspectRatio says (by default xMidYMid meet), so a
 * non-square document leaves transparent margins. The surface starts transparent; cairo's
 * premultiplied samples p are unpremultiplied as cairo does when it writes a PNG,
 * c = (p * 255 + a / 2) / a (c = 0 where a = 0). The document is read without a base URI, so
 * references to other files are not loaded. Errors as ic_svg_size, plus IC_ERR_INVALID_ARGUMENT
 * for a side of 0 or above IC_MAX_SIDE. */
int ic_render_svg(const uint8_t *data, size_t size, uint32_t side, ic_image *out, char *message);

/* Releases out->pixels (NULL is fine) and zeroes the struct. */
void ic_image_free(ic_image *image);

/* Encodes 8-bit interleaved pixels (channels 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) as a
 * non-interlaced PNG without gamma chunks. On IC_OK, *out owns the encoded bytes. */
int ic_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                  ic_buffer *out, char *message);

/* Releases out->bytes (NULL is fine) and zeroes the struct. */
void ic_buffer_free(ic_buffer *buffer);

#ifdef __cplusplus
}
#endif

#endif /* DEEPRANK_IMAGE_CODECS_H */
