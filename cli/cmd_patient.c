/* needle patient (being written). */
#include <stdio.h>

#include "commands.h"

int cli_patient(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("needle: 'patient' is not available in this build\n", stderr);
    return 1;
}
