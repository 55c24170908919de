#ifndef TASTER_CMONGOC_SHIM_H
#define TASTER_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>
#endif
