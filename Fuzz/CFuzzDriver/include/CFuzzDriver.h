#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver (compiler-rt), called from each fuzz target's own entry point: SwiftPM
   links an executable with main aliased to MODULE_main, so libFuzzer's main is never used. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
