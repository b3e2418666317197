#ifndef DEEPRANK_CRSVG_SHIM_H
#define DEEPRANK_CRSVG_SHIM_H
#include <librsvg/rsvg.h>
#endif
