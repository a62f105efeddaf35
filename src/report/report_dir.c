/* `needle report RUN_DIR`: the report again from a run folder's files; see
 * nd_report_from_dir in report.h.
 *
 * Everything is read and checked before anything is written, so a folder
 * that does not read (missing, not a run, a malformed table) is left exactly
 * as it was. */
#include "needle/report.h"

#include "report/report_render.h"
#include "report/rundata.h"

nd_status nd_report_from_dir(const char *dir, nd_error *err)
{
    if (!dir || !dir[0]) return nd_error_set(err, ND_ERR_INPUT, "run folder: empty path");
    nd_rundata *rd;
    nd_status s = nd_rundata_load(dir, &rd, err);
    if (s != ND_OK) return s;
    s = nd_report_render(rd, dir, 1, err);
    nd_rundata_free(rd);
    return s;
}
