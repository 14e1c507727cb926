#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: memory statistics off (a global mutex
/// on every allocation). Only effective before SQLite's first use in the process.
static inline int spaceplan_sqlite_without_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

#include <string.h>
#include <stdint.h>

/* The SQL functions GeoPackage's R-tree triggers call (ST_MinX, ST_MaxX, ST_MinY, ST_MaxY,
   ST_IsEmpty), which GDAL and QGIS register on their own connections: without them an insert
   or a footprint change made through spaceplan's connection would fail in the triggers.
   They read the envelope from the GeoPackage blob's header, or a point's coordinates. */

static inline double spaceplan_gpkg_double(const unsigned char *p, int little) {
    unsigned char b[8];
    memcpy(b, p, 8);
    const uint16_t probe = 1;
    int host_little = *(const unsigned char *)&probe == 1;
    if (host_little != little) {
        for (int i = 0; i < 4; i++) { unsigned char t = b[i]; b[i] = b[7 - i]; b[7 - i] = t; }
    }
    double v;
    memcpy(&v, b, 8);
    return v;
}

/* Fills minx, maxx, miny, maxy; 0 when the geometry is empty or the blob is not one. */
static inline int spaceplan_gpkg_envelope(const unsigned char *b, int n, double env[4]) {
    if (b == 0 || n < 8 || b[0] != 'G' || b[1] != 'P') return 0;
    int flags = b[3], little = flags & 1, kind = (flags >> 1) & 7;
    if ((flags >> 4) & 1) return 0;
    if (kind >= 1 && kind <= 4) {
        if (n < 40) return 0;
        for (int i = 0; i < 4; i++) env[i] = spaceplan_gpkg_double(b + 8 + 8 * i, little);
        return 1;
    }
    if (kind != 0 || n < 8 + 21) return 0;
    const unsigned char *w = b + 8;
    int wl = w[0] == 1;
    uint32_t type;
    memcpy(&type, w + 1, 4);
    if (!wl) type = __builtin_bswap32(type);
    if (type % 1000 != 1) return 0;
    double x = spaceplan_gpkg_double(w + 5, wl), y = spaceplan_gpkg_double(w + 13, wl);
    if (x != x || y != y) return 0;
    env[0] = x; env[1] = x; env[2] = y; env[3] = y;
    return 1;
}

static inline void spaceplan_gpkg_bound(sqlite3_context *c, int argc, sqlite3_value **v) {
    (void)argc;
    if (sqlite3_value_type(v[0]) == SQLITE_NULL) { sqlite3_result_null(c); return; }
    double env[4];
    int which = (int)(intptr_t)sqlite3_user_data(c);
    if (!spaceplan_gpkg_envelope(sqlite3_value_blob(v[0]), sqlite3_value_bytes(v[0]), env)) { sqlite3_result_null(c); return; }
    sqlite3_result_double(c, env[which]);
}

static inline void spaceplan_gpkg_is_empty(sqlite3_context *c, int argc, sqlite3_value **v) {
    (void)argc;
    if (sqlite3_value_type(v[0]) == SQLITE_NULL) { sqlite3_result_null(c); return; }
    double env[4];
    sqlite3_result_int(c, !spaceplan_gpkg_envelope(sqlite3_value_blob(v[0]), sqlite3_value_bytes(v[0]), env));
}

static inline int spaceplan_sqlite_register_gpkg_functions(sqlite3 *db) {
    const char *names[4] = {"ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"};
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    for (int i = 0; i < 4; i++) {
        int rc = sqlite3_create_function_v2(db, names[i], 1, flags, (void *)(intptr_t)i, spaceplan_gpkg_bound, 0, 0, 0);
        if (rc != SQLITE_OK) return rc;
    }
    return sqlite3_create_function_v2(db, "ST_IsEmpty", 1, flags, 0, spaceplan_gpkg_is_empty, 0, 0, 0);
}

/* SQLITE_TRANSIENT as a function: the macro is a cast Swift cannot import. */
static inline sqlite3_destructor_type spaceplan_sqlite_transient(void) { return SQLITE_TRANSIENT; }
