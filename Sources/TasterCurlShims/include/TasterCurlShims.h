// Typed, non-variadic wrappers for libcurl's variadic curl_easy_setopt and curl_easy_getinfo,
// which Swift cannot call. One function per argument type, each one line.
#ifndef TASTER_CURL_SHIMS_H
#define TASTER_CURL_SHIMS_H

#include <curl/curl.h>

CURLcode taster_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode taster_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode taster_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode taster_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode taster_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode taster_curl_easy_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value);
CURLcode taster_curl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback value);
CURLcode taster_curl_easy_setopt_read_callback(CURL *handle, CURLoption option, curl_read_callback value);
CURLcode taster_curl_easy_setopt_xferinfo_callback(CURL *handle, CURLoption option, curl_xferinfo_callback value);
CURLcode taster_curl_easy_setopt_seek_callback(CURL *handle, CURLoption option, curl_seek_callback value);

CURLcode taster_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode taster_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
