#ifndef TASTER_CMONGOC_SHIM_H
#define TASTER_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>

/* bson_t and bson_iter_t are 128-byte aligned, so Swift imports them as opaque types and cannot
 * size them: Swift allocates their storage with these sizes (and 128-byte alignment). */
static inline size_t taster_bson_size(void) { return sizeof(bson_t); }
static inline size_t taster_bson_iter_size(void) { return sizeof(bson_iter_t); }

#endif
