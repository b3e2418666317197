/* Helpers shared by the codec files of this target; not part of the public header. */
#ifndef DEEPRANK_CODECS_INTERNAL_H
#define DEEPRANK_CODECS_INTERNAL_H

#include "image_codecs.h"

/* printf-style write into a message buffer of IC_MESSAGE_CAPACITY bytes. */
void ic_set_message(char *message, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* IC_OK when width x height x channels fits the limits, otherwise IC_ERR_TOO_LARGE
 * (or IC_ERR_CORRUPT_* for a zero side) with a message naming the `format`. */
int ic_check_dimensions(const char *format, uint32_t width, uint32_t height, int corrupt_status,
                        char *message);

#endif
