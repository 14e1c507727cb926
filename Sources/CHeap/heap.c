#include "heap.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void spaceplan_grow_heaps_by(int bytes) {
#if defined(__GLIBC__)
    mallopt(M_TOP_PAD, bytes);
#else
    (void)bytes;
#endif
}
