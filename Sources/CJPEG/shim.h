#ifndef DEEPRANK_CJPEG_SHIM_H
#define DEEPRANK_CJPEG_SHIM_H
#include <stdio.h>
#include <jpeglib.h>
#endif
