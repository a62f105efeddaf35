/* Device geometry and kinematics; see include/needle/device.h. */
#include "needle/device.h"

#include <math.h>

double nd_device_swath(const nd_device_spec *dev)
{
    if (dev->kind == ND_DEVICE_ROLLER) return dev->drum_width_m;
    return dev->cols * dev->pitch_m;
}

double nd_device_footprint(const nd_device_spec *dev)
{
    if (dev->kind == ND_DEVICE_ROLLER) return M_PI * dev->drum_diameter_m;
    return dev->rows * dev->pitch_m;
}

void nd_device_needle_offset(const nd_device_spec *dev, int i, double *du, double *dv)
{
    int r = i / dev->cols, c = i % dev->cols;
    *du = (r - 0.5 * (dev->rows - 1)) * dev->pitch_m;
    *dv = (c - 0.5 * (dev->cols - 1)) * dev->pitch_m;
}

double nd_device_needle_spacing(const nd_device_spec *dev)
{
    if (dev->kind != ND_DEVICE_ROLLER) return dev->pitch_m;
    double axial = dev->drum_width_m / dev->rings;
    double round = M_PI * dev->drum_diameter_m / dev->needles_per_ring;
    return axial < round ? axial : round;
}

double nd_roller_needles_in_contact(const nd_device_spec *dev)
{
    double R = 0.5 * dev->drum_diameter_m, L = dev->needle_length_m;
    double n = (double)dev->rings * dev->needles_per_ring * acos(R / (R + L)) / M_PI;
    return n > 1.0 ? n : 1.0;
}

double nd_roller_entry_speed(const nd_device_spec *dev, double v)
{
    double R = 0.5 * dev->drum_diameter_m, L = dev->needle_length_m;
    double c = R / (R + L);
    return v * (R + L) / R * sqrt(1.0 - c * c);
}

double nd_motor_entry_speed(const nd_device_spec *dev, double depth_m)
{
    double S = dev->motor_stroke_m, d = depth_m;
    double x = d * (S - d);
    return 2.0 * M_PI * dev->frequency_hz * sqrt(x > 0 ? x : 0);
}
