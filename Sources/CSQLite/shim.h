#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: memory statistics off (a global mutex
/// on every allocation). Only effective before SQLite's first use in the process.
static inline int spaceplan_sqlite_without_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
