#ifndef DEEPRANK_CHDF5_SHIM_H
#define DEEPRANK_CHDF5_SHIM_H
#include <hdf5.h>
/* H5T_NATIVE_* and H5P_DEFAULT-like identifiers are macros that expand to
   function-backed globals; Swift cannot import them, so expose getters. */
static inline hid_t deeprank_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t deeprank_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t deeprank_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t deeprank_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t deeprank_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t deeprank_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t deeprank_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t deeprank_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t deeprank_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t deeprank_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t deeprank_H5P_GROUP_CREATE(void) { return H5P_GROUP_CREATE; }
static inline hid_t deeprank_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
/* File access flags are macros that call H5check()/H5open(). */
static inline unsigned deeprank_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned deeprank_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned deeprank_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned deeprank_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
#endif
