// Declarations only (include/CFuzzSupport.h); SwiftPM wants one source file per C target.
#include "CFuzzSupport.h"
