#include "chains_internal.h"
#define PATH(name) name##_portable
#include "sgemm_body.h"
