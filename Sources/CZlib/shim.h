// The system zlib (Debian: zlib1g-dev): compress2 / uncompress for the zlib-deflated LOG_CONTAINER objects of
// BLF files.
#include <zlib.h>
