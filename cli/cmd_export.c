/* needle export (being written). */
#include <stdio.h>

#include "commands.h"

int cli_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("needle: 'export' is not available in this build\n", stderr);
    return 1;
}
