/* Format detection, dispatch and the shared helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codecs_internal.h"

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
static const uint8_t jpeg_signature[3] = {0xFF, 0xD8, 0xFF};

void ic_set_message(char *message, const char *format, ...) {
    if (message == NULL) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, IC_MESSAGE_CAPACITY, format, arguments);
    va_end(arguments);
}

int ic_check_dimensions(const char *format, uint32_t width, uint32_t height, int corrupt_status,
                        char *message) {
    if (width == 0 || height == 0) {
        ic_set_message(message, "%s header gives an empty image (%u x %u pixels)", format, width, height);
        return corrupt_status;
    }
    if (width > IC_MAX_SIDE || height > IC_MAX_SIDE ||
        (uint64_t)width * (uint64_t)height > (uint64_t)IC_MAX_PIXELS) {
        ic_set_message(message,
                       "%s header claims %u x %u pixels; the limit is %u per side and %u pixels",
                       format, width, height, IC_MAX_SIDE, IC_MAX_PIXELS);
        return IC_ERR_TOO_LARGE;
    }
    return IC_OK;
}

int ic_detect_format(const uint8_t *data, size_t size) {
    if (data == NULL) return IC_FORMAT_UNKNOWN;
    if (size >= sizeof png_signature && memcmp(data, png_signature, sizeof png_signature) == 0)
        return IC_FORMAT_PNG;
    if (size >= sizeof jpeg_signature && memcmp(data, jpeg_signature, sizeof jpeg_signature) == 0)
        return IC_FORMAT_JPEG;
    return IC_FORMAT_UNKNOWN;
}

int ic_decode(const uint8_t *data, size_t size, ic_image *out, char *message) {
    if (out == NULL) {
        ic_set_message(message, "no output image given");
        return IC_ERR_INVALID_ARGUMENT;
    }
    memset(out, 0, sizeof *out);
    if (size == 0) {
        ic_set_message(message, "empty input");
        return IC_ERR_EMPTY;
    }
    switch (ic_detect_format(data, size)) {
    case IC_FORMAT_PNG: return ic_decode_png(data, size, out, message);
    case IC_FORMAT_JPEG: return ic_decode_jpeg(data, size, out, message);
    default:
        ic_set_message(message, "neither a PNG nor a JPEG signature");
        return IC_ERR_UNKNOWN_FORMAT;
    }
}

void ic_image_free(ic_image *image) {
    if (image == NULL) return;
    free(image->pixels);
    memset(image, 0, sizeof *image);
}

void ic_buffer_free(ic_buffer *buffer) {
    if (buffer == NULL) return;
    free(buffer->bytes);
    memset(buffer, 0, sizeof *buffer);
}
