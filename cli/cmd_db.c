/* needle db (being written). */
#include <stdio.h>

#include "commands.h"

int cli_db(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("needle: 'db' is not available in this build\n", stderr);
    return 1;
}
