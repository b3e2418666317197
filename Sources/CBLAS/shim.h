#ifndef DEEPRANK_CBLAS_SHIM_H
#define DEEPRANK_CBLAS_SHIM_H
#include <cblas.h>
#endif
