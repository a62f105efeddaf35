/* needle plan (being written). */
#include <stdio.h>

#include "commands.h"

int cli_plan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("needle: 'plan' is not available in this build\n", stderr);
    return 1;
}
