/* PNG decoding and encoding with libpng's low-level API.
 *
 * libpng reports errors by calling the error callback, which must not return; ours records
 * the message and longjmps to the setjmp in run_png_decode / run_png_encode. All state that
 * changes after setjmp lives in the caller-owned png_reader / png_writer struct, never in a
 * local of the function that called setjmp, so nothing is indeterminate after the longjmp. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "codecs_internal.h"

// MARK: - Callbacks shared by reading and writing

/* The state that the error callback writes into; the first field of png_reader and png_writer. */
typedef struct png_failure {
    int status;                            /* IC_OK until the first error */
    char *message;                         /* IC_MESSAGE_CAPACITY bytes */
    char last_warning[IC_MESSAGE_CAPACITY]; /* often says more than the error that follows it */
} png_failure;

static void on_png_error(png_structp png, png_const_charp text) {
    png_failure *failure = png_get_error_ptr(png);
    if (failure->status == IC_OK) {
        failure->status = IC_ERR_CORRUPT_PNG;
        if (failure->last_warning[0] != '\0')
            ic_set_message(failure->message, "%s (after warning: %s)", text, failure->last_warning);
        else
            ic_set_message(failure->message, "%s", text);
    }
    png_longjmp(png, 1);
}

/* Warnings alone (e.g. "iCCP: known incorrect sRGB profile") do not stop decoding and are not
 * printed; the last one is kept for the message of an error that follows, e.g. libpng warns
 * "Image width is zero in IHDR" and then fails with "Invalid IHDR data". */
static void on_png_warning(png_structp png, png_const_charp text) {
    png_failure *failure = png_get_error_ptr(png);
    snprintf(failure->last_warning, sizeof failure->last_warning, "%s", text);
}

// MARK: - Decoding

typedef struct png_reader {
    png_failure failure;
    const uint8_t *data;
    size_t size;
    size_t offset;
    ic_image *out;   /* out->pixels is owned here until decoding succeeds */
    png_bytep *rows; /* height pointers into out->pixels */
} png_reader;

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    png_reader *reader = png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        reader->failure.status = IC_ERR_CORRUPT_PNG;
        ic_set_message(reader->failure.message,
                       "unexpected end of data after %zu bytes (the file is truncated)", reader->size);
        png_error(png, "truncated");
    }
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

static int run_png_decode(png_reader *reader) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->failure,
                                             on_png_error, on_png_warning);
    if (png == NULL) {
        ic_set_message(reader->failure.message, "libpng could not create a read struct");
        return IC_ERR_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        ic_set_message(reader->failure.message, "libpng could not create an info struct");
        return IC_ERR_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return reader->failure.status;
    }

    png_set_read_fn(png, reader, read_from_memory);
    /* A CRC error fails the file in ancillary chunks too (libpng's default skips those with a
     * warning): a damaged tRNS would otherwise silently lose the transparency. */
    png_set_crc_action(png, PNG_CRC_DEFAULT, PNG_CRC_ERROR_QUIT);
    png_read_info(png, info);

    ic_image *out = reader->out;
    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    int status = ic_check_dimensions("PNG", out->width, out->height, IC_ERR_CORRUPT_PNG,
                                     reader->failure.message);
    if (status != IC_OK) {
        png_destroy_read_struct(&png, &info, NULL);
        return status;
    }

    /* Palette -> RGB, gray below 8 bits -> 8 bits (scaled to 0...255), tRNS -> an alpha channel. */
    png_set_expand(png);
    /* 16 -> 8 bits with rounding (png_set_strip_16 would truncate to the high byte). */
    if (png_get_bit_depth(png, info) == 16) png_set_scale_16(png);
    /* Adam7: png_read_image then runs the passes and de-interlaces into full rows. */
    png_set_interlace_handling(png);
    /* No png_set_gamma / png_set_alpha_mode: the samples are returned as stored. */
    png_read_update_info(png, info);

    out->channels = png_get_channels(png, info);
    size_t row_bytes = (size_t)out->width * out->channels;
    if (png_get_bit_depth(png, info) != 8 || out->channels < 1 || out->channels > 4 ||
        png_get_rowbytes(png, info) != row_bytes) {
        ic_set_message(reader->failure.message,
                       "unexpected PNG layout after conversion: %u channels of %d bits",
                       out->channels, png_get_bit_depth(png, info));
        png_destroy_read_struct(&png, &info, NULL);
        return IC_ERR_CORRUPT_PNG;
    }

    out->pixels = malloc(row_bytes * out->height);
    reader->rows = malloc(sizeof(png_bytep) * out->height);
    if (out->pixels == NULL || reader->rows == NULL) {
        ic_set_message(reader->failure.message, "out of memory for %u x %u x %u pixels",
                       out->width, out->height, out->channels);
        png_destroy_read_struct(&png, &info, NULL);
        return IC_ERR_OUT_OF_MEMORY;
    }
    for (uint32_t y = 0; y < out->height; y++) reader->rows[y] = out->pixels + row_bytes * y;

    png_read_image(png, reader->rows);
    /* Reads the chunks after the image data up to IEND, so a file cut short there is refused. */
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    return IC_OK;
}

int ic_decode_png(const uint8_t *data, size_t size, ic_image *out, char *message) {
    if (out == NULL || (data == NULL && size > 0)) {
        ic_set_message(message, "no input data or output image given");
        return IC_ERR_INVALID_ARGUMENT;
    }
    memset(out, 0, sizeof *out);
    if (size == 0) {
        ic_set_message(message, "empty input");
        return IC_ERR_EMPTY;
    }
    png_reader reader = {
        .failure = {.status = IC_OK, .message = message, .last_warning = ""},
        .data = data, .size = size, .offset = 0, .out = out, .rows = NULL,
    };
    int status = run_png_decode(&reader);
    free(reader.rows);
    if (status != IC_OK) {
        free(out->pixels);
        out->pixels = NULL;
        out->channels = 0;
    }
    return status;
}

// MARK: - Encoding

typedef struct png_writer {
    png_failure failure;
    ic_buffer *out; /* grows as libpng writes; owned here until encoding succeeds */
    size_t capacity;
} png_writer;

static void write_to_memory(png_structp png, png_bytep source, size_t length) {
    png_writer *writer = png_get_io_ptr(png);
    ic_buffer *out = writer->out;
    if (length > writer->capacity - out->count) {
        size_t capacity = writer->capacity > 0 ? writer->capacity : 4096;
        while (capacity - out->count < length) capacity *= 2;
        uint8_t *grown = realloc(out->bytes, capacity);
        if (grown == NULL) {
            writer->failure.status = IC_ERR_OUT_OF_MEMORY;
            ic_set_message(writer->failure.message, "out of memory for %zu bytes of PNG", capacity);
            png_error(png, "out of memory");
        }
        out->bytes = grown;
        writer->capacity = capacity;
    }
    memcpy(out->bytes + out->count, source, length);
    out->count += length;
}

static void flush_memory(png_structp png) { (void)png; }

static int run_png_encode(png_writer *writer, const uint8_t *pixels, uint32_t width,
                          uint32_t height, uint32_t channels) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer->failure,
                                              on_png_error, on_png_warning);
    if (png == NULL) {
        ic_set_message(writer->failure.message, "libpng could not create a write struct");
        return IC_ERR_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        ic_set_message(writer->failure.message, "libpng could not create an info struct");
        return IC_ERR_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return writer->failure.status;
    }

    static const int color_types[5] = {
        0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA,
    };
    png_set_write_fn(png, writer, write_to_memory, flush_memory);
    png_set_IHDR(png, info, width, height, 8, color_types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    size_t row_bytes = (size_t)width * channels;
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + row_bytes * y);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return IC_OK;
}

int ic_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                  ic_buffer *out, char *message) {
    if (out == NULL || pixels == NULL) {
        ic_set_message(message, "no pixels or output buffer given");
        return IC_ERR_INVALID_ARGUMENT;
    }
    memset(out, 0, sizeof *out);
    if (channels < 1 || channels > 4) {
        ic_set_message(message, "cannot encode %u channels as PNG (1 to 4 supported)", channels);
        return IC_ERR_INVALID_ARGUMENT;
    }
    if (width == 0 || height == 0 || width > PNG_UINT_31_MAX || height > PNG_UINT_31_MAX) {
        ic_set_message(message, "cannot encode a %u x %u image as PNG", width, height);
        return IC_ERR_INVALID_ARGUMENT;
    }
    png_writer writer = {.failure = {.status = IC_OK, .message = message, .last_warning = ""}, .out = out, .capacity = 0};
    int status = run_png_encode(&writer, pixels, width, height, channels);
    if (status != IC_OK) ic_buffer_free(out);
    return status;
}
