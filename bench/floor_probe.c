/* The CPU floors of a taster run (bench/run.py, cpu_floor_case):
 *   floor_probe load       loads the C libraries taster is linked with and initialises them
 *   floor_probe auth URI   the same, then one libmongoc connection: SCRAM-SHA-256 and a ping
 * Exits non-zero when the ping fails, so a broken run is never measured as a cheap one. */
#include <curl/curl.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

static void quiet(mongoc_log_level_t l, const char *d, const char *m, void *u) { (void) l; (void) d; (void) m; (void) u; }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s load | auth URI\n", argv[0]); return 2; }
    mongoc_init();
    mongoc_log_set_handler(quiet, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_delete(&parser);
    if (strcmp(argv[1], "auth") == 0 && argc == 3) {
        bson_error_t error;
        mongoc_client_t *client = mongoc_client_new(argv[2]);
        if (!client) { fprintf(stderr, "bad URI\n"); return 2; }
        mongoc_client_set_error_api(client, 2);
        bson_t *ping = BCON_NEW("ping", BCON_INT32(1));
        if (!mongoc_client_command_simple(client, "admin", ping, NULL, NULL, &error)) {
            fprintf(stderr, "ping failed: %s\n", error.message);
            return 1;
        }
        bson_destroy(ping);
        /* Like taster, leave the teardown to the kernel. */
    }
    return 0;
}
