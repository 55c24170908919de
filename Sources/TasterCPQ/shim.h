#ifndef TASTER_CPQ_SHIM_H
#define TASTER_CPQ_SHIM_H
#include <libpq-fe.h>
#endif
