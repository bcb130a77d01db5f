// A JCuda device pointer whose raw address can be read, so cuBLAS/cuDNN (bound through FFM) can be
// handed the same allocations that JCuda's driver API made.
package org.uactn.kernels;

import jcuda.driver.CUdeviceptr;

final class DevicePointer extends CUdeviceptr {
    /** The device address (JCuda keeps it in a protected field). */
    long address() { return getNativePointer() + getByteOffset(); }
}
