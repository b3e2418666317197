/* JPEG decoding with libjpeg (libjpeg-turbo).
 *
 * libjpeg's error_exit must not return; ours records the message and longjmps to the setjmp
 * in run_jpeg_decode. The decompressor and all state that changes after setjmp live in the
 * caller-owned jpeg_reader, never in a local of the function that called setjmp. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "codecs_internal.h"

/* More progressive scans than this is refused (libjpeg-turbo's advice against crafted files
 * with many tiny scans, which take very long to decode; real encoders write about 10). */
#define IC_JPEG_MAX_SCANS 1000

typedef struct jpeg_reader {
    struct jpeg_error_mgr errors; /* libjpeg's; our callbacks cast cinfo->err back to jpeg_reader */
    jmp_buf jump;
    int status;                   /* IC_OK until the first error */
    char *message;                /* IC_MESSAGE_CAPACITY bytes */
    struct jpeg_decompress_struct decompressor;
    struct jpeg_progress_mgr progress;
    ic_image *out;                /* out->pixels is owned here until decoding succeeds */
} jpeg_reader;

static void fail(j_common_ptr cinfo, int status) {
    jpeg_reader *reader = (jpeg_reader *)cinfo->err;
    if (reader->status == IC_OK) {
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        reader->status = status;
        ic_set_message(reader->message, "%s", text);
    }
    longjmp(reader->jump, 1);
}

static void on_jpeg_error(j_common_ptr cinfo) {
    fail(cinfo, cinfo->err->msg_code == JERR_BAD_PRECISION ? IC_ERR_UNSUPPORTED : IC_ERR_CORRUPT_JPEG);
}

/* Level -1 is a warning about corrupt data, e.g. "Premature end of JPEG file" (libjpeg then
 * pads the image with grey) or "Corrupt JPEG data: bad Huffman code": refuse the file. Two
 * warnings about metadata only are ignored. Levels 0 and up are trace messages. */
static void on_jpeg_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    int code = cinfo->err->msg_code;
    if (code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM) return;
    fail(cinfo, IC_ERR_CORRUPT_JPEG);
}

/* libjpeg's default prints to stderr; every message we keep goes into the message buffer. */
static void on_jpeg_output(j_common_ptr cinfo) { (void)cinfo; }

static void on_jpeg_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    int scan = ((j_decompress_ptr)cinfo)->input_scan_number;
    if (scan > IC_JPEG_MAX_SCANS) {
        jpeg_reader *reader = (jpeg_reader *)cinfo->err;
        reader->status = IC_ERR_CORRUPT_JPEG;
        ic_set_message(reader->message, "JPEG has more than %d scans", IC_JPEG_MAX_SCANS);
        longjmp(reader->jump, 1);
    }
}

static int run_jpeg_decode(jpeg_reader *reader, const uint8_t *data, size_t size) {
    j_decompress_ptr cinfo = &reader->decompressor;
    cinfo->err = jpeg_std_error(&reader->errors);
    reader->errors.error_exit = on_jpeg_error;
    reader->errors.emit_message = on_jpeg_message;
    reader->errors.output_message = on_jpeg_output;
    if (setjmp(reader->jump)) {
        jpeg_destroy_decompress(cinfo);
        return reader->status;
    }
    jpeg_create_decompress(cinfo);
    reader->progress.progress_monitor = on_jpeg_progress;
    cinfo->progress = &reader->progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);

    ic_image *out = reader->out;
    out->width = cinfo->image_width;
    out->height = cinfo->image_height;
    int status = IC_OK;
    if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) {
        ic_set_message(reader->message, "CMYK JPEG (%s) is not supported",
                       cinfo->jpeg_color_space == JCS_CMYK ? "Adobe CMYK" : "YCCK");
        status = IC_ERR_UNSUPPORTED;
    } else if (cinfo->num_components == 1) {
        cinfo->out_color_space = JCS_GRAYSCALE;
    } else if (cinfo->num_components == 3) {
        cinfo->out_color_space = JCS_RGB;
    } else {
        ic_set_message(reader->message, "JPEG with %d components is not supported", cinfo->num_components);
        status = IC_ERR_UNSUPPORTED;
    }
    if (status == IC_OK)
        status = ic_check_dimensions("JPEG", out->width, out->height, IC_ERR_CORRUPT_JPEG, reader->message);
    if (status != IC_OK) {
        jpeg_destroy_decompress(cinfo);
        return status;
    }

    jpeg_start_decompress(cinfo);
    out->channels = (uint32_t)cinfo->output_components;
    size_t row_bytes = (size_t)out->width * out->channels;
    out->pixels = malloc(row_bytes * out->height);
    if (out->pixels == NULL) {
        ic_set_message(reader->message, "out of memory for %u x %u x %u pixels",
                       out->width, out->height, out->channels);
        jpeg_destroy_decompress(cinfo);
        return IC_ERR_OUT_OF_MEMORY;
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW row = out->pixels + row_bytes * cinfo->output_scanline;
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
            ic_set_message(reader->message, "JPEG decoder stopped at row %u", cinfo->output_scanline);
            jpeg_destroy_decompress(cinfo);
            return IC_ERR_CORRUPT_JPEG;
        }
    }
    /* Reads up to EOI, so a file cut short after the last scan is refused too. */
    jpeg_finish_decompress(cinfo);
    jpeg_destroy_decompress(cinfo);
    return IC_OK;
}

int ic_decode_jpeg(const uint8_t *data, size_t size, ic_image *out, char *message) {
    if (out == NULL || (data == NULL && size > 0)) {
        ic_set_message(message, "no input data or output image given");
        return IC_ERR_INVALID_ARGUMENT;
    }
    memset(out, 0, sizeof *out);
    if (size == 0) {
        ic_set_message(message, "empty input");
        return IC_ERR_EMPTY;
    }
    jpeg_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) {
        ic_set_message(message, "out of memory for the JPEG decoder");
        return IC_ERR_OUT_OF_MEMORY;
    }
    reader->status = IC_OK;
    reader->message = message;
    reader->out = out;
    int status = run_jpeg_decode(reader, data, size);
    free(reader);
    if (status != IC_OK) {
        free(out->pixels);
        out->pixels = NULL;
        out->channels = 0;
    }
    return status;
}
