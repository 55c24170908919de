/* Pings MongoDB at argv[1] (a connection string) every 100 ms for argv[2] seconds, with a
 * single-threaded client ("single") or a pooled one ("pool", argv[3]), and prints when each ping
 * started, how long it took and whether it succeeded. Used by selection_cooldown.py. */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void quiet(mongoc_log_level_t l, const char *d, const char *m, void *u) { (void) l; (void) d; (void) m; (void) u; }

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s URI SECONDS single|pool\n", argv[0]); return 2; }
    mongoc_init();
    mongoc_log_set_handler(quiet, NULL);
    mongoc_uri_t *uri = mongoc_uri_new(argv[1]);
    int pooled = strcmp(argv[3], "pool") == 0;
    mongoc_client_pool_t *pool = pooled ? mongoc_client_pool_new(uri) : NULL;
    mongoc_client_t *single = pooled ? NULL : mongoc_client_new_from_uri(uri);
    if (pool) mongoc_client_pool_set_error_api(pool, 2); else mongoc_client_set_error_api(single, 2);
    bson_t *ping = BCON_NEW("ping", BCON_INT32(1));
    double start = now(), end = start + atof(argv[2]);
    while (now() < end) {
        bson_error_t error;
        mongoc_client_t *client = pool ? mongoc_client_pool_pop(pool) : single;
        double t0 = now();
        bool ok = mongoc_client_command_simple(client, "admin", ping, NULL, NULL, &error);
        double t1 = now();
        if (pool) mongoc_client_pool_push(pool, client);
        printf("%7.3f %6.3f %s %s\n", t0 - start, t1 - t0, ok ? "ok  " : "FAIL", ok ? "" : error.message);
        fflush(stdout);
        if (ok) break;
        usleep(100000);
    }
    bson_destroy(ping);
    if (pool) mongoc_client_pool_destroy(pool); else mongoc_client_destroy(single);
    mongoc_uri_destroy(uri);
    mongoc_cleanup();
    return 0;
}
