// OpenBLAS's CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
