/* SVG rendering with librsvg onto a cairo image surface.
 *
 * librsvg reports errors through GError (no longjmp). The handle is made from memory
 * without a base URI, so an SVG cannot pull in other files (external images, stylesheets):
 * what is rendered depends on the bytes alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <librsvg/rsvg.h>

#include "codecs_internal.h"

/* Parses `data` into a handle; NULL with IC_ERR_CORRUPT_SVG and librsvg's message on failure. */
static RsvgHandle *open_svg(const uint8_t *data, size_t size, int *status, char *message) {
    GError *error = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_data(data, size, &error);
    if (handle == NULL) {
        ic_set_message(message, "%s", error != NULL ? error->message : "librsvg could not parse the document");
        if (error != NULL) g_error_free(error);
        *status = IC_ERR_CORRUPT_SVG;
    }
    return handle;
}

/* The box the document is fitted by: the viewBox, else width and height resolved to pixels. */
static int fitted_size(RsvgHandle *handle, double *width, double *height, char *message) {
    gboolean has_width = FALSE, has_height = FALSE, has_viewbox = FALSE;
    RsvgLength length_width, length_height;
    RsvgRectangle viewbox;
    rsvg_handle_get_intrinsic_dimensions(handle, &has_width, &length_width, &has_height, &length_height,
                                         &has_viewbox, &viewbox);
    if (has_viewbox) {
        *width = viewbox.width;
        *height = viewbox.height;
    } else if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, width, height)) {
        ic_set_message(message, "the SVG has neither a viewBox nor a width and height in absolute units");
        return IC_ERR_UNSUPPORTED;
    }
    if (!(isfinite(*width) && isfinite(*height) && *width > 0 && *height > 0)) {
        ic_set_message(message, "the SVG's size is %g x %g", *width, *height);
        return IC_ERR_CORRUPT_SVG;
    }
    return IC_OK;
}

static int check_input(const uint8_t *data, size_t size, char *message) {
    if (data == NULL && size > 0) {
        ic_set_message(message, "no input data given");
        return IC_ERR_INVALID_ARGUMENT;
    }
    if (size == 0) {
        ic_set_message(message, "empty input");
        return IC_ERR_EMPTY;
    }
    return IC_OK;
}

int ic_svg_size(const uint8_t *data, size_t size, double *width, double *height, char *message) {
    if (width == NULL || height == NULL) {
        ic_set_message(message, "no output size given");
        return IC_ERR_INVALID_ARGUMENT;
    }
    *width = 0;
    *height = 0;
    int status = check_input(data, size, message);
    if (status != IC_OK) return status;
    RsvgHandle *handle = open_svg(data, size, &status, message);
    if (handle == NULL) return status;
    status = fitted_size(handle, width, height, message);
    g_object_unref(handle);
    return status;
}

/* Premultiplied ARGB32 (one native-endian uint32 per pixel) -> straight RGBA bytes, with
 * cairo's own rounding when it writes a PNG: c = (p * 255 + a / 2) / a. */
static void unpremultiply(const uint8_t *surface, int stride, uint32_t side, uint8_t *rgba) {
    for (uint32_t y = 0; y < side; y++) {
        const uint32_t *row = (const uint32_t *)(surface + (size_t)stride * y);
        for (uint32_t x = 0; x < side; x++) {
            uint32_t argb = row[x];
            uint32_t alpha = argb >> 24;
            uint8_t *pixel = rgba + ((size_t)y * side + x) * 4;
            for (int c = 0; c < 3; c++) {
                uint32_t premultiplied = (argb >> (16 - 8 * c)) & 0xFF;
                pixel[c] = alpha == 0 ? 0 : (uint8_t)((premultiplied * 255 + alpha / 2) / alpha);
            }
            pixel[3] = (uint8_t)alpha;
        }
    }
}

int ic_render_svg(const uint8_t *data, size_t size, uint32_t side, ic_image *out, char *message) {
    if (out == NULL) {
        ic_set_message(message, "no output image given");
        return IC_ERR_INVALID_ARGUMENT;
    }
    memset(out, 0, sizeof *out);
    int status = check_input(data, size, message);
    if (status != IC_OK) return status;
    if (side == 0 || side > IC_MAX_SIDE || (uint64_t)side * side > (uint64_t)IC_MAX_PIXELS) {
        ic_set_message(message, "cannot render an SVG at %u x %u pixels (1 to %u per side)", side, side, IC_MAX_SIDE);
        return IC_ERR_INVALID_ARGUMENT;
    }
    RsvgHandle *handle = open_svg(data, size, &status, message);
    if (handle == NULL) return status;
    double width, height;
    status = fitted_size(handle, &width, &height, message);
    if (status != IC_OK) {
        g_object_unref(handle);
        return status;
    }

    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)side, (int)side);
    cairo_t *cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        ic_set_message(message, "cairo could not create a %u x %u surface: %s", side, side,
                       cairo_status_to_string(cairo_status(cr)));
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        g_object_unref(handle);
        return IC_ERR_OUT_OF_MEMORY;
    }
    RsvgRectangle viewport = {.x = 0, .y = 0, .width = side, .height = side};
    GError *error = NULL;
    gboolean rendered = rsvg_handle_render_document(handle, cr, &viewport, &error);
    cairo_destroy(cr);
    g_object_unref(handle);
    if (!rendered) {
        ic_set_message(message, "%s", error != NULL ? error->message : "librsvg could not render the document");
        if (error != NULL) g_error_free(error);
        cairo_surface_destroy(surface);
        return IC_ERR_CORRUPT_SVG;
    }

    cairo_surface_flush(surface);
    out->pixels = malloc((size_t)side * side * 4);
    if (out->pixels == NULL) {
        ic_set_message(message, "out of memory for %u x %u x 4 pixels", side, side);
        cairo_surface_destroy(surface);
        return IC_ERR_OUT_OF_MEMORY;
    }
    out->width = side;
    out->height = side;
    out->channels = 4;
    unpremultiply(cairo_image_surface_get_data(surface), cairo_image_surface_get_stride(surface), side, out->pixels);
    cairo_surface_destroy(surface);
    return IC_OK;
}
