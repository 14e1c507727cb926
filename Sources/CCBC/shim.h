// COIN-OR CBC's C interface (coinor-libcbc-dev, EPL-2.0): the exact allocation solver.
#include <Cbc_C_Interface.h>
