#ifndef DEEPRANK_CPNG_SHIM_H
#define DEEPRANK_CPNG_SHIM_H
#include <png.h>
#endif
