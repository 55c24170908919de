#ifndef TASTER_CYAML_SHIM_H
#define TASTER_CYAML_SHIM_H
#include <yaml.h>
#endif
