#ifndef TASTER_CCURL_SHIM_H
#define TASTER_CCURL_SHIM_H
#include <curl/curl.h>
#endif
