/*
 * needle — device geometry and kinematics: where the needles sit, how wide a
 * stroke is, how many needles share the hand's force, how fast a tip meets
 * the skin.  The device itself is described by nd_device_spec (scenario.h).
 */
#ifndef NEEDLE_DEVICE_H
#define NEEDLE_DEVICE_H

#include "needle/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Width of the band one stroke treats, across the direction of travel (m):
 * the drum width of a roller, cols x pitch for an array. */
double nd_device_swath(const nd_device_spec *dev);
/* Length of an array's footprint along the direction of travel (m). */
double nd_device_footprint(const nd_device_spec *dev);

/* Needle i of an array (row-major over rows x cols): offset from the array's
 * centre along (du) and across (dv) the direction of travel, metres. */
void nd_device_needle_offset(const nd_device_spec *dev, int i, double *du, double *dv);

/* Distance between neighbouring needles (m): the array pitch, or for a roller
 * the smaller of ring spacing and needle spacing round the drum. */
double nd_device_needle_spacing(const nd_device_spec *dev);

/* Roller: needles whose tips are below the skin plane at any moment, i.e. the
 * share of the 2 pi of the drum within acos(R / (R + L)) of the bottom. */
double nd_roller_needles_in_contact(const nd_device_spec *dev);
/* Roller: vertical speed of a tip as it meets the skin when rolled at speed v:
 * v (R + L) / R sin(acos(R / (R + L))), from the cycloid of the tip. */
double nd_roller_entry_speed(const nd_device_spec *dev, double v);
/* Motor-driven needle travelling S per cycle sinusoidally at frequency f,
 * meeting the skin d before full extension: 2 pi f sqrt(d (S - d)). */
double nd_motor_entry_speed(const nd_device_spec *dev, double depth_m);

#ifdef __cplusplus
}
#endif
#endif
