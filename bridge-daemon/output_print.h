/* The print output: one line per call record on stdout, JSON or readable. */
#ifndef SIPCID_OUTPUT_PRINT_H
#define SIPCID_OUTPUT_PRINT_H

#include "output.h"

#include <stdbool.h>

struct sipcid_output *sipcid_output_print_new(bool json);

#endif
