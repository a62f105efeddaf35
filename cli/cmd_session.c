/* needle session (being written). */
#include <stdio.h>

#include "commands.h"

int cli_session(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("needle: 'session' is not available in this build\n", stderr);
    return 1;
}
