// Only the reentrant (thread-safe, context-handle) GEOS API is visible.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
