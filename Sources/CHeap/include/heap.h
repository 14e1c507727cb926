#ifndef SPACEPLAN_HEAP_H
#define SPACEPLAN_HEAP_H
/// How much a heap grows at a time (glibc's M_TOP_PAD); nothing where the C library has no mallopt.
void spaceplan_grow_heaps_by(int bytes);
#endif
