#include "chains_internal.h"
#include <pthread.h>

// The sgemm chains' packed panels live in scratch of the calling thread: grown to its largest
// request, kept for the thread's next call (so a small product costs no allocation), and freed
// when the thread ends. Where the panels live decides no bit.

typedef struct {
    float *buffer[DR_SCRATCH_SLOTS];
    size_t capacity[DR_SCRATCH_SLOTS];
} dr_scratch_t;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void release_scratch(void *pointer) {
    dr_scratch_t *scratch = pointer;
    for (int slot = 0; slot < DR_SCRATCH_SLOTS; slot++) free(scratch->buffer[slot]);
    free(scratch);
}

static void make_scratch_key(void) { pthread_key_create(&scratch_key, release_scratch); }

float *dr_scratch(int slot, size_t floats) {
    pthread_once(&scratch_once, make_scratch_key);
    dr_scratch_t *scratch = pthread_getspecific(scratch_key);
    if (!scratch) {
        scratch = calloc(1, sizeof *scratch);
        if (!scratch || pthread_setspecific(scratch_key, scratch) != 0) {
            free(scratch);
            return NULL;
        }
    }
    if (floats == 0) floats = 1;
    if (scratch->capacity[slot] < floats) {
        free(scratch->buffer[slot]);
        size_t bytes = (sizeof(float) * floats + 63) / 64 * 64;
        scratch->buffer[slot] = aligned_alloc(64, bytes);
        scratch->capacity[slot] = scratch->buffer[slot] ? floats : 0;
    }
    return scratch->buffer[slot];
}
